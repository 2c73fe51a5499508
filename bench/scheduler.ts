// Scheduler benchmark through the real API server, shaped as upstream scheduler_perf's
// SchedulingBasic: `skiff server` on SQLite without its own scheduler or controllers, a
// `skiff hollow-nodes` process, a `skiff scheduler` process; initial pods are scheduled first, then
// the measured pods are created at a fixed high rate from a worker thread that also watches them.
// Figures: podsPerSec (measured pods over first creation → last bound), perSecondP50 (median of the
// per-second bound counts), p50Ms/p99Ms from creation request to the watch event showing the pod
// bound, and the RSS of each process.
// Cases: basic (5,000 nodes, 1,000 + 10,000 pods) and anti-affinity-spread (1,000 nodes in 10
// zones, 2,000 pods with required hostname anti-affinity among 4 colours and zone spread).
// BENCH_SCHED_CASES=basic limits the cases; BENCH_SCHED_RATE sets the creation rate (default 2000/s);
// BENCH_SCHED_SCALE=0.1 shrinks nodes and pods (a smoke run);
// BENCH_CPU_PROF=<dir> profiles every child process (see _procs.ts).
import { mkdtempSync, rmSync } from 'node:fs';
import { Worker } from 'node:worker_threads';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadKubeconfig } from '../src/client/kubeconfig.js';
import { emit, latency, percentile, progress, round } from './lib.js';
import { startSkiff, type Proc } from './_procs.js';
import type { PodShape, SchedLoadInput, SchedLoadMessage } from './_sched-load.js';

interface Case {
  name: string;
  nodes: number;
  zones: number;
  initPods: number;
  pods: number;
  shape: PodShape;
}

const CASES: Case[] = [
  { name: 'basic-5000-nodes', nodes: 5000, zones: 0, initPods: 1000, pods: 10_000, shape: 'basic' },
  { name: 'anti-affinity-spread-1000-nodes', nodes: 1000, zones: 10, initPods: 0, pods: 2000, shape: 'anti-affinity-spread' },
];

export async function run(): Promise<void> {
  const only = process.env.BENCH_SCHED_CASES?.split(',');
  const scale = Number(process.env.BENCH_SCHED_SCALE ?? 1);
  for (const full of CASES) {
    if (only && !only.some((o) => full.name.startsWith(o))) continue;
    const c = scale === 1 ? full : { ...full, nodes: Math.ceil(full.nodes * scale), initPods: Math.ceil(full.initPods * scale), pods: Math.ceil(full.pods * scale) };
    progress(`scheduler: ${c.name}`);
    for (const line of await runCase(c)) emit({ bench: 'scheduler', ...line });
  }
}

async function runCase(c: Case): Promise<Record<string, unknown>[]> {
  const dir = mkdtempSync(join(tmpdir(), 'skiff-bench-scheduler-'));
  const procs: Proc[] = [];
  try {
    const server = await startSkiff('server', ['server', '--no-agent', '--disable-scheduler', '--disable-controller-manager', '--data-dir', dir, '--port', '0', '--datastore', 'sqlite'],
      /Skiff is ready\. export KUBECONFIG=(\S+)/);
    procs.push(server);
    const kubeconfig = server.ready[1]!;
    const kc = await loadKubeconfig(kubeconfig);
    if (!kc.certPem || !kc.keyPem || !kc.caPem) throw new Error(`${kubeconfig}: expected a CA and an embedded client certificate`);
    const t0 = performance.now();
    // scheduler_perf's default node: 4 CPUs, 32Gi, 110 pods.
    const hollow = await startSkiff('hollow-nodes', ['hollow-nodes', '--kubeconfig', kubeconfig, '--count', String(c.nodes), '--cpu', '4', '--memory', '32Gi', '--pods', '110', '--zones', String(c.zones)],
      /hollow nodes are ready/, 600_000);
    procs.push(hollow);
    progress(`scheduler: ${c.nodes} hollow nodes registered in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
    // As scheduler_perf, the client is not rate limited (upstream's test sets QPS/burst 5000).
    const scheduler = await startSkiff('scheduler', ['scheduler', '--kubeconfig', kubeconfig, '--port', '0', '--leader-elect', 'false', '--kube-api-qps=-1'],
      /Scheduler is running/);
    procs.push(scheduler);

    const tls = { ca: kc.caPem, cert: kc.certPem, key: kc.keyPem };
    const namespace = 'sched-bench';
    await createNamespace(kc.server, tls, namespace);
    const rate = Number(process.env.BENCH_SCHED_RATE ?? 2000);
    if (c.initPods) {
      const init = await load({ url: kc.server, tls, namespace, prefix: 'init-', count: c.initPods, rate, inflight: 64, shape: c.shape });
      progress(`scheduler: ${c.initPods} initial pods bound (${init.podsPerSec} pods/s)`);
    }
    const cpu0 = procs.map((p) => p.cpuSeconds());
    const load0 = loadavg()[0]!;
    const req0 = await requestCounts(kc.server, tls);
    const r = await load({ url: kc.server, tls, namespace, prefix: 'pod-', count: c.pods, rate, inflight: 64, shape: c.shape });
    // Which writes the measured pods cost the server (and what else it served meanwhile).
    const req1 = await requestCounts(kc.server, tls);
    const delta = [...req1].map(([k, v]) => [k, v - (req0.get(k) ?? 0)] as const).filter(([, v]) => v > 0).sort((a, b) => b[1] - a[1]);
    progress(`scheduler: server requests during the measured pods: ${delta.map(([k, v]) => `${k} ${v}`).join(', ')}`);
    // CPU seconds each process spent on the measured pods: on a shared machine these say more about
    // the code than wall-clock rates do (schedulerPodsPerCpuSecond is the scheduler's own rate).
    const cpu = Object.fromEntries(procs.map((p, i) => [`${p.name.replace(/-(.)/g, (_m, ch: string) => ch.toUpperCase())}CpuSeconds`, round(p.cpuSeconds() - cpu0[i]!, 1)]));
    const schedulerCpu = scheduler.cpuSeconds() - cpu0[procs.indexOf(scheduler)]!;
    return [
      {
        case: c.name, nodes: c.nodes, initPods: c.initPods, pods: c.pods, bound: r.bound,
        podsPerSec: r.podsPerSec, perSecondP50: r.perSecondP50, ...latency(r.latencies),
        createRate: rate, createErrors: r.createErrors, seconds: r.seconds, ...cpu,
        schedulerPodsPerCpuSecond: round(r.bound / Math.max(schedulerCpu, 0.01), 1),
        // The 1-minute load average before and after: above 2 (the cores here), other work competed.
        loadAvgBefore: round(load0, 1), loadAvgAfter: round(loadavg()[0]!, 1),
      },
      { case: `${c.name}-rss`, nodes: c.nodes, schedulerRssMB: scheduler.rssMB(), hollowNodesRssMB: hollow.rssMB(), serverRssMB: server.rssMB() },
    ];
  } finally {
    for (const p of procs.reverse()) await p.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}

interface LoadResult {
  bound: number;
  podsPerSec: number;
  perSecondP50: number;
  latencies: number[];
  createErrors: number;
  seconds: number;
}

/** Runs one worker-thread load to completion (every pod bound, or a generous deadline). */
async function load(input: SchedLoadInput): Promise<LoadResult> {
  const entry = new URL('./_sched-load.ts', import.meta.url).href;
  // Workers do not inherit tsx's loader: register it, then load the TypeScript worker module.
  const boot = `import('tsx/esm/api').then((m) => { m.register(); return import(${JSON.stringify(entry)}); })`;
  const worker = new Worker(boot, { eval: true, workerData: input });
  try {
    const done = await new Promise<SchedLoadMessage>((res, rej) => {
      worker.once('message', res);
      worker.once('error', rej);
      // A deadline generous for the slowest plausible rate (50 pods/s) plus start-up.
      const limit = setTimeout(() => worker.postMessage('stop'), 60_000 + (input.count / 50) * 1000);
      worker.once('message', () => clearTimeout(limit));
    });
    if (done.firstError) progress(`scheduler: ${done.createErrors} creation errors; first: ${done.firstError}`);
    const start = Math.min(...done.sentAt.filter((t) => t > 0));
    const boundTimes = [...done.boundAt].filter((t) => t > 0);
    const end = boundTimes.length ? Math.max(...boundTimes) : start;
    const latencies = [...done.boundAt].flatMap((t, i) => (t > 0 ? [t - done.sentAt[i]!] : []));
    // Per-second samples of bound pods, from the first creation to the last binding.
    const buckets = new Array<number>(Math.max(1, Math.ceil((end - start) / 1000))).fill(0);
    for (const t of boundTimes) buckets[Math.min(buckets.length - 1, Math.floor((t - start) / 1000))]!++;
    const seconds = (end - start) / 1000;
    return {
      bound: boundTimes.length,
      podsPerSec: round(boundTimes.length / Math.max(seconds, 1e-3), 1),
      perSecondP50: percentile(buckets, 50),
      latencies,
      createErrors: done.createErrors,
      seconds: round(seconds, 2),
    };
  } finally {
    await worker.terminate();
  }
}

/** apiserver_request_total summed by verb, resource and subresource, from the server's /metrics. */
async function requestCounts(server: string, tls: SchedLoadInput['tls']): Promise<Map<string, number>> {
  const { request, Agent } = await import('node:https');
  const url = new URL(server);
  const agent = new Agent({ ...tls });
  const text = await new Promise<string>((res, rej) => {
    const req = request({ agent, hostname: url.hostname, port: url.port, method: 'GET', path: '/metrics' }, (r) => {
      let body = '';
      r.setEncoding('utf8');
      r.on('data', (c: string) => (body += c));
      r.on('end', () => res(body));
    });
    req.on('error', rej);
    req.end();
  });
  agent.destroy();
  const out = new Map<string, number>();
  for (const line of text.split('\n')) {
    if (!line.startsWith('apiserver_request_total{')) continue;
    const label = (n: string) => new RegExp(`${n}="([^"]*)"`).exec(line)?.[1] ?? '';
    const key = [label('verb'), label('resource'), label('subresource')].filter(Boolean).join(' ');
    out.set(key, (out.get(key) ?? 0) + Number(line.slice(line.lastIndexOf(' ') + 1)));
  }
  return out;
}

async function createNamespace(server: string, tls: SchedLoadInput['tls'], name: string): Promise<void> {
  const { request, Agent } = await import('node:https');
  const url = new URL(server);
  const body = Buffer.from(JSON.stringify({ apiVersion: 'v1', kind: 'Namespace', metadata: { name } }));
  const agent = new Agent({ ...tls });
  await new Promise<void>((res, rej) => {
    const req = request({ agent, hostname: url.hostname, port: url.port, method: 'POST', path: '/api/v1/namespaces', headers: { 'Content-Type': 'application/json', 'Content-Length': body.length } }, (r) => {
      r.resume();
      r.on('end', () => (r.statusCode === 201 || r.statusCode === 409 ? res() : rej(new Error(`create namespace: ${r.statusCode}`))));
    });
    req.on('error', rej);
    req.end(body);
  });
  agent.destroy();
}
