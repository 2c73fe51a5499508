// iptables-mode figures for the proxy bench (root only; everything in throwaway network namespaces):
//   - full sync of N Services × 2 endpoints (render + iptables-restore; the median of 5 steady-state
//     syncs), and a one-Service partial sync after it, with the legacy and the nft client;
//   - endpoint change → rules programmed, through the real API server: 1,000 Services with their
//     EndpointSlices, the proxy loop (informers, tracker, 1 s minimum sync period) with the iptables
//     proxier in a netns, one slice changed at a time.
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { configFromKubeconfig, refs, RestClient } from '../src/client/index.js';
import { createIptablesProxier, runCommand, type IptablesBackend } from '../src/proxy/iptables/index.js';
import { startProxy, type SyncInfo } from '../src/proxy/index.js';
import { servicePortNameString, type Endpoint, type ProxyState, type ServicePortInfo } from '../src/proxy/types.js';
import { emit, latency, progress, round } from './lib.js';
import { startSkiff, type Proc } from './_procs.js';

const ip4 = (base: number, i: number) => `${base >> 8}.${base & 255}.${(i >> 8) & 255}.${i & 255}`;

function syntheticState(n: number, shift = 0): ProxyState {
  const services = new Map<string, ServicePortInfo>();
  const endpoints = new Map<string, Endpoint[]>();
  for (let i = 0; i < n; i++) {
    const name = { namespace: `ns${i % 50}`, name: `svc${i}`, port: 'http', protocol: 'TCP' as const };
    const key = servicePortNameString(name);
    const nodePort = i < 2000 ? 30000 + i : 0;
    services.set(key, {
      key, name, type: nodePort ? 'NodePort' : 'ClusterIP', clusterIP: ip4(10 * 256 + 43, i), port: 80, protocol: 'TCP', nodePort,
      externalIPs: [], loadBalancerIPs: [], loadBalancerSourceRanges: [], affinityTimeoutSeconds: 0,
      externalPolicyLocal: false, internalPolicyLocal: false, healthCheckNodePort: 0,
    });
    const b = 2 * i + (i === 0 ? shift : 0);
    endpoints.set(key, [b, b + 1].map((e) => ({ ip: ip4(10 * 256 + 42, e), port: 8080, ready: true, serving: true, terminating: false, isLocal: false })));
  }
  return { services, endpoints };
}

async function withNetns<T>(f: (ns: string) => Promise<T>): Promise<T> {
  const ns = `skiff-bench-${randomBytes(3).toString('hex')}`;
  await runCommand(['ip', 'netns', 'add', ns]);
  try {
    return await f(ns);
  } finally {
    await runCommand(['ip', 'netns', 'del', ns]);
  }
}

/** Full and partial sync times for each size, with each iptables client (legacy and nft). */
export async function iptablesSyncTimes(sizes: number[], backends: IptablesBackend[] = ['legacy', 'nft'], rounds = 5): Promise<void> {
  for (const backend of backends) {
    for (const n of sizes) {
      await withNetns(async (ns) => {
        const p = createIptablesProxier({ nodeName: 'bench', clusterCIDR: '10.42.0.0/16', netns: ns, conntrack: false, backend });
        const st = syntheticState(n);
        const t0 = performance.now();
        await p.sync({ state: st, changed: null }); // creates the chains; the steady-state syncs follow
        const first = performance.now() - t0;
        const full: number[] = [];
        for (let r = 0; r < rounds; r++) {
          const t = performance.now();
          await p.sync({ state: st, changed: null });
          full.push(performance.now() - t);
        }
        const t = performance.now();
        await p.sync({ state: syntheticState(n, 1), changed: new Set([[...st.services.keys()][0]!]) });
        const partial = performance.now() - t;
        const rules = p.lastRestoreText().split('\n').filter((l) => l.startsWith('-A ')).length;
        full.sort((a, b) => a - b);
        emit({
          bench: 'proxy', case: `iptables-full-sync-${n}-services`, backend, seconds: round(full[full.length >> 1]! / 1000),
          bestSeconds: round(full[0]! / 1000), worstSeconds: round(full.at(-1)! / 1000), rounds, firstSyncSeconds: round(first / 1000),
          partialSyncSeconds: round(partial / 1000), endpoints: 2 * n, rulesInLastPartial: rules, meetsTarget: n < 10_000 || full[full.length >> 1]! <= 1000,
          loadavg: loadavg()[0]!.toFixed(2),
        });
        await p.cleanup();
      });
    }
  }
}

export async function iptablesProgrammingLatency(services = 1000, changes = 40): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'skiff-bench-proxy-'));
  const procs: Proc[] = [];
  try {
    const server = await startSkiff('server', ['server', '--no-agent', '--disable-scheduler', '--disable-controller-manager', '--disable-dns', '--data-dir', dir, '--port', '0'],
      /Skiff is ready\. export KUBECONFIG=(\S+)/);
    procs.push(server);
    const client = new RestClient(await configFromKubeconfig(server.ready[1]!, { qps: 2000, burst: 2000, userAgent: 'bench-proxy' }));
    progress(`proxy: creating ${services} Services with their EndpointSlices`);
    const svcs = client.resource(refs.services).namespace('default');
    const slices = client.resource(refs.endpointslices).namespace('default');
    const slice = (i: number, gen: number) => ({
      apiVersion: 'discovery.k8s.io/v1', kind: 'EndpointSlice',
      metadata: { name: `s${i}`, labels: { 'kubernetes.io/service-name': `s${i}` }, annotations: { 'endpoints.kubernetes.io/last-change-trigger-time': new Date().toISOString() } },
      addressType: 'IPv4', ports: [{ name: 'http', port: 8080, protocol: 'TCP' }],
      endpoints: [0, 1].map((k) => ({ addresses: [ip4(10 * 256 + 42, (2 * i + k + gen * 7919) % 65000)], conditions: { ready: true } })),
    });
    for (let i = 0; i < services; i += 50) {
      await Promise.all(Array.from({ length: Math.min(50, services - i) }, async (_, j) => {
        await svcs.create({ apiVersion: 'v1', kind: 'Service', metadata: { name: `s${i + j}` }, spec: { ports: [{ name: 'http', port: 80, targetPort: 8080 }] } });
        await slices.create(slice(i + j, 0));
      }));
    }
    await withNetns(async (ns) => {
      const proxier = createIptablesProxier({ nodeName: 'bench', clusterCIDR: '10.42.0.0/16', netns: ns, conntrack: false });
      let waiting: { key: string; t0: number; resolve: (ms: number) => void } | undefined;
      const onSynced = (info: SyncInfo) => {
        if (waiting && (info.changed === null || info.changed.has(waiting.key))) {
          const w = waiting;
          waiting = undefined;
          w.resolve(performance.now() - w.t0);
        }
      };
      const first = new Promise<void>((res) => { waiting = { key: '', t0: 0, resolve: () => res() }; });
      const proxy = await startProxy({ client, nodeName: 'bench', proxier, onSynced });
      await first;
      const samples: number[] = [];
      progress(`proxy: ${changes} endpoint changes, one at a time`);
      for (let c = 1; c <= changes; c++) {
        const i = Math.floor(Math.random() * services);
        const cur = await slices.get(`s${i}`);
        const next = slice(i, c);
        const ms = await new Promise<number>((resolve) => {
          waiting = { key: `default/s${i}:http`, t0: performance.now(), resolve };
          void slices.update({ ...next, metadata: { ...next.metadata, resourceVersion: cur.metadata.resourceVersion } });
        });
        samples.push(ms);
        await new Promise((r) => setTimeout(r, 200 + Math.random() * 800));
      }
      emit({ bench: 'proxy', case: `iptables-endpoint-change-to-rules-${services}-services`, ...latency(samples), changes, minSyncPeriodSeconds: 1 });
      await proxy.stop();
      await proxier.cleanup();
    });
    client.close();
  } finally {
    for (const p of procs.reverse()) await p.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}
