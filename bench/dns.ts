// Cluster DNS throughput: skiff's DNS server (in-process, over 1,000 Services from a fake client's
// informers) and dnsmasq (answering the same names from a hosts file) each take `dnsperf` for the
// same time over the same names. Prints qps and p99 latency per server:
//   {"bench":"dns","case":"skiff-services","qps":…,"p99Ms":…}
//   {"bench":"dns","case":"skiff-services","peer":"dnsmasq","qps":…,"p99Ms":…}
// SKIFF_DNS_BENCH_SECONDS (default 15) sets the run length; skipped when dnsperf is not installed.
import { spawn, spawnSync } from 'node:child_process';
import { createServer } from 'node:net';
import { mkdtempSync, rmSync, writeFileSync, createReadStream } from 'node:fs';
import { createInterface } from 'node:readline';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FakeClient } from '../src/client/index.js';
import { startDNS } from '../src/dns/index.js';
import { configureLogging } from '../src/util/log.js';
import { MetricsRegistry } from '../src/util/metrics.js';
import { emit, percentile, progress, round } from './lib.js';

const SERVICES = 1000;
const NS = 'bench';

function installed(cmd: string): boolean {
  return spawnSync('sh', ['-c', `command -v ${cmd}`]).status === 0;
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address() as { port: number };
      s.close(() => resolve(port));
    });
  });
}

const ipOf = (i: number) => `10.96.${(i >> 8) & 0xff}.${i & 0xff}`;

/** Runs dnsperf against 127.0.0.1:port; qps from its summary, p99 from its per-query (-v) lines. */
async function dnsperf(port: number, queryFile: string, seconds: number, outFile: string): Promise<{ qps: number; p99Ms: number; p50Ms: number; lost: number; rcodes: Record<string, number> }> {
  const args = ['-s', '127.0.0.1', '-p', String(port), '-d', queryFile, '-l', String(seconds), '-c', '4', '-q', '200', '-t', '2', '-v'];
  const { writeFile } = await import('node:fs/promises');
  const out = await new Promise<string>((resolve, reject) => {
    const p = spawn('sh', ['-c', `dnsperf ${args.join(' ')} > ${outFile} 2>&1`], { stdio: 'ignore' });
    p.on('error', reject);
    p.on('exit', () => resolve(outFile));
  });
  const samples: number[] = [];
  const rcodes: Record<string, number> = {};
  let qps = 0;
  let lost = 0;
  const rl = createInterface({ input: createReadStream(out) });
  for await (const line of rl) {
    if (line.startsWith('> ')) {
      const parts = line.split(' ');
      const rc = parts[1] === 'T' ? 'timeout' : parts[1]!;
      rcodes[rc] = (rcodes[rc] ?? 0) + 1;
      const sec = Number(parts[parts.length - 1]);
      if (Number.isFinite(sec)) samples.push(sec * 1000);
      continue;
    }
    const q = /Queries per second:\s+([\d.]+)/.exec(line);
    if (q) qps = Number(q[1]);
    const l = /Queries lost:\s+(\d+)/.exec(line);
    if (l) lost = Number(l[1]);
  }
  await writeFile(outFile, '');
  return { qps: round(qps, 1), p99Ms: round(percentile(samples, 99)), p50Ms: round(percentile(samples, 50)), lost, rcodes };
}

export async function run(): Promise<void> {
  if (!installed('dnsperf')) {
    emit({ bench: 'dns', case: 'skiff-services', skipped: 'dnsperf not installed (apt-get install dnsperf)' });
    return;
  }
  configureLogging({ quiet: true });
  const seconds = Number(process.env.SKIFF_DNS_BENCH_SECONDS ?? 15);
  const dir = mkdtempSync(join(tmpdir(), 'skiff-dns-bench-'));
  try {
    const names = Array.from({ length: SERVICES }, (_, i) => `svc-${i}.${NS}.svc.cluster.local`);
    writeFileSync(join(dir, 'queries'), names.map((n) => `${n} A\n`).join(''));
    writeFileSync(join(dir, 'hosts'), names.map((n, i) => `${ipOf(i)} ${n}\n`).join(''));

    const objects = names.map((_, i) => ({
      apiVersion: 'v1', kind: 'Service',
      metadata: { namespace: NS, name: `svc-${i}`, resourceVersion: String(i + 1) },
      spec: { type: 'ClusterIP', clusterIP: ipOf(i), clusterIPs: [ipOf(i)], ports: [{ name: 'http', protocol: 'TCP', port: 80 }] },
    }));
    const client = new FakeClient({ objects });
    const dns = await startDNS({ client, listen: [{ address: '127.0.0.1', port: 0 }], upstreams: [], metrics: new MetricsRegistry() });
    progress(`dns: skiff serving ${dns.zone.owners} services on ${dns.ports[0]!.port}; dnsperf for ${seconds}s`);
    let skiff;
    try {
      skiff = await dnsperf(dns.ports[0]!.port, join(dir, 'queries'), seconds, join(dir, 'skiff.out'));
    } finally {
      await dns.stop();
    }
    emit({ bench: 'dns', case: 'skiff-services', services: SERVICES, seconds, qps: skiff.qps, p50Ms: skiff.p50Ms, p99Ms: skiff.p99Ms, lost: skiff.lost, rcodes: skiff.rcodes });

    if (!installed('dnsmasq')) {
      emit({ bench: 'dns', case: 'skiff-services', peer: 'dnsmasq', skipped: 'dnsmasq not installed' });
      return;
    }
    const port = await freePort();
    const peer = spawn('dnsmasq', ['--no-daemon', '--port', String(port), '--listen-address=127.0.0.1', '--bind-interfaces', '--no-resolv', '--no-hosts', '--addn-hosts', join(dir, 'hosts'), '--cache-size=10000', '--user=root', '--pid-file=' + join(dir, 'dnsmasq.pid'), '--log-facility=' + join(dir, 'dnsmasq.log')], { stdio: 'ignore' });
    try {
      await new Promise((r) => setTimeout(r, 500));
      progress(`dns: dnsmasq on ${port}; dnsperf for ${seconds}s`);
      const d = await dnsperf(port, join(dir, 'queries'), seconds, join(dir, 'dnsmasq.out'));
      emit({ bench: 'dns', case: 'skiff-services', peer: 'dnsmasq', services: SERVICES, seconds, qps: d.qps, p50Ms: d.p50Ms, p99Ms: d.p99Ms, lost: d.lost, rcodes: d.rcodes });
      progress(`dns: skiff/dnsmasq qps ratio ${round(skiff.qps / Math.max(1, d.qps), 2)}`);
    } finally {
      peer.kill('SIGTERM');
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
