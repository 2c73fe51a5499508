// Scheduler core in memory (no API server): N nodes, M pods through the real queue, cache,
// snapshot, default plugins and binding cycle; bindings feed back as informer updates.
// Prints {"bench":"scheduler-core","case":"5000-nodes","podsPerSec":…} lines.
import { pathToFileURL } from 'node:url';
import { emit, latency, progress, round } from './lib.js';
import { Scheduler } from '../src/scheduler/index.js';
import type { Node, Pod } from '../src/scheduler/index.js';
import { makeNode, makePod } from '../src/scheduler/testing/index.js';

const ZONE = 'topology.kubernetes.io/zone';

interface Case {
  name: string;
  nodes: number;
  pods: number;
  pod: (i: number) => Pod;
}

function nodes(n: number): Node[] {
  return Array.from({ length: n }, (_, i) => makeNode().name(`node-${i}`).label(ZONE, `zone-${i % 10}`)
    .capacity({ cpu: '32', memory: '128Gi', pods: 110 }).images({ 'registry.k8s.io/pause:3.10': 700_000, 'nginx:1.27': 70 * 1024 * 1024 }).obj());
}

const plain = (i: number) => makePod().name(`pod-${i}`).label('app', 'web').req({ cpu: '100m', memory: '128Mi' }).obj();
const spread = (i: number) => makePod().name(`pod-${i}`).label('app', 'web').req({ cpu: '100m', memory: '128Mi' })
  .spreadConstraint(1, ZONE, 'DoNotSchedule', { matchLabels: { app: 'web' } })
  .spreadConstraint(1, 'kubernetes.io/hostname', 'ScheduleAnyway', { matchLabels: { app: 'web' } }).obj();
const antiAffinity = (i: number) => makePod().name(`pod-${i}`).label('app', 'solo').req({ cpu: '100m', memory: '128Mi' })
  .podAntiAffinity('kubernetes.io/hostname', { matchLabels: { app: 'solo' } }).obj();

async function runCase(c: Case): Promise<void> {
  const pods = new Map<string, Pod>();
  let bound = 0;
  const s: Scheduler = new Scheduler({
    bind: async (pod, node) => {
      const old = pods.get(pod.metadata.name!)!;
      const now: Pod = { ...old, spec: { ...old.spec, nodeName: node } };
      bound++;
      s.onPodUpdate(old, now);
    },
  });
  for (const n of nodes(c.nodes)) s.onNodeAdd(n);
  for (let i = 0; i < c.pods; i++) {
    const p = c.pod(i);
    pods.set(p.metadata.name!, p);
    s.onPodAdd(p);
  }
  const cycleMs: number[] = [];
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  for (let q = s.queue.tryPop(); q; q = s.queue.tryPop()) {
    const t = performance.now();
    const out = await s.scheduleOne(q);
    cycleMs.push(performance.now() - t);
    if (out.failure) throw new Error(`${q.pod.metadata.name}: ${out.failure.message}`);
  }
  await s.waitForBindings();
  const seconds = (performance.now() - t0) / 1000;
  const cpu = process.cpuUsage(cpu0);
  if (bound !== c.pods) throw new Error(`bound ${bound} of ${c.pods}`);
  emit({ bench: 'scheduler-core', case: c.name, nodes: c.nodes, pods: c.pods, podsPerSec: round(c.pods / seconds, 1), ...latency(cycleMs), seconds: round(seconds), cpuSeconds: round((cpu.user + cpu.system) / 1e6) });
}

export async function run(): Promise<void> {
  const cases: Case[] = [
    { name: '5000-nodes', nodes: 5000, pods: 1000, pod: plain },
    { name: '5000-nodes-topology-spread', nodes: 5000, pods: 1000, pod: spread },
    { name: '5000-nodes-pod-anti-affinity', nodes: 5000, pods: 1000, pod: antiAffinity },
    { name: '500-nodes', nodes: 500, pods: 1000, pod: plain },
  ];
  const only = process.env.SCHEDULER_BENCH_CASE;
  // SCHEDULER_BENCH_PODS=10000 runs longer cases (steadier figures, better profiles).
  const pods = Number(process.env.SCHEDULER_BENCH_PODS ?? 0);
  for (const full of cases) {
    const c = pods > 0 ? { ...full, pods } : full;
    if (only && c.name !== only) continue;
    progress(`scheduler-core: ${c.name} (${c.pods} pods onto ${c.nodes} nodes)`);
    await runCase(c);
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) await run();
