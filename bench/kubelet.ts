// Node agent benchmark: a `skiff server --no-agent` child plus a separate `skiff agent` child (so
// the agent's own RSS and CPU can be read from /proc), the real process runtime, pods pinned to the
// agent's node by nodeSelector. Cases: idle-0 (agent RSS/CPU with no pods), pod-startup (100 pods
// created at 10/s, create → Running as seen by a watch, p50/p99), idle-100 (agent RSS/CPU with the
// 100 pods running). Root only (namespaces, cgroups, veth pairs).
// BENCH_CPU_PROF=<dir> writes a V8 CPU profile of the agent into <dir> when it stops.
// BENCH_KUBELET_PODS=<n> changes the pod count (default 100). BENCH_KUBELET_DIST=1 runs the
// compiled dist/cli/entry.js (what bin/skiff.js runs; build it first) instead of the source through
// tsx, whose loader thread alone adds tens of MiB to the RSS figures. BENCH_KUBELET_NODE_FLAGS adds
// Node flags to the agent (e.g. --max-semi-space-size=1, which keeps V8's young generation small).
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { configFromKubeconfig, refs, RestClient, type Client } from '../src/client/index.js';
import type { KubeObject } from '../src/api/types.js';
import { emit, latency, pace, progress, round } from './lib.js';

const REPO = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const NODE = 'bench-node';
const NS = 'bench';
const TICKS_PER_SEC = 100; // USER_HZ on Linux

export async function run(): Promise<void> {
  if (process.getuid?.() !== 0) {
    progress('kubelet: skipped — the process runtime needs root (namespaces, cgroups, veth pairs)');
    emit({ bench: 'kubelet', case: 'skipped', reason: 'not root' });
    return;
  }
  const pods = Number(process.env.BENCH_KUBELET_PODS ?? 100);
  const build = (process.env.BENCH_KUBELET_DIST ? 'dist' : 'tsx') + (process.env.BENCH_KUBELET_NODE_FLAGS ? ` ${process.env.BENCH_KUBELET_NODE_FLAGS}` : '');
  const dir = mkdtempSync(join(tmpdir(), 'skiff-bench-kubelet-'));
  const children: Child[] = [];
  let client: RestClient | undefined;
  try {
    const server = start('server', ['server', '--no-agent', '--data-dir', join(dir, 'server'), '--port', '0'], /Skiff is ready\. export KUBECONFIG=(\S+)/);
    children.push(server);
    const kubeconfig = (await server.ready)[1]!;
    client = new RestClient(await configFromKubeconfig(kubeconfig, { qps: 1000, burst: 1000, userAgent: 'bench-kubelet' }));
    // The cluster CA (which signs the API server's kubelet-client certificate) from the kubeconfig.
    const caFile = join(dir, 'ca.crt');
    writeFileSync(caFile, Buffer.from(/certificate-authority-data: (\S+)/.exec(readFileSync(kubeconfig, 'utf8'))![1]!, 'base64'));
    const prof = [
      ...(process.env.BENCH_CPU_PROF ? ['--cpu-prof', `--cpu-prof-dir=${resolve(process.env.BENCH_CPU_PROF)}`] : []),
      ...(process.env.BENCH_KUBELET_NODE_FLAGS?.split(' ').filter(Boolean) ?? []),
    ];
    const agent = start('agent', ['agent', '--kubeconfig', kubeconfig, '--kubelet-port', '0', '--node-name', NODE, '--certificate-authority', caFile, '--data-dir', join(dir, 'agent')], /is ready/, prof);
    children.push(agent);
    await agent.ready;
    await waitFor('the node to be Ready', async () => {
      const n = await client!.resource(refs.nodes).get(NODE).catch(() => undefined) as Record<string, any> | undefined;
      return n?.status?.conditions?.some((c: Record<string, string>) => c.type === 'Ready' && c.status === 'True');
    });
    await client.resource(refs.namespaces).create({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: NS } } as KubeObject);
    await waitFor('the default service account', () => client!.resource(refs.serviceaccounts).namespace(NS).get('default').then(() => true, () => false));

    progress('kubelet: idle with 0 pods');
    await sleep(5_000);
    emit({ bench: 'kubelet', case: 'idle-0', build, ...(await usage(agent.pid, 10_000)) });

    progress(`kubelet: ${pods} pods at 10/s`);
    const startup = await podStartup(client, pods);
    emit({ bench: 'kubelet', case: 'pod-startup', build, pods, ratePerSec: 10, ...latency(startup.samples), completedPerSec: startup.opsPerSec });

    progress(`kubelet: idle with ${pods} pods`);
    await sleep(10_000);
    emit({ bench: 'kubelet', case: `idle-${pods}`, build, ...(await usage(agent.pid, 10_000)) });

    progress('kubelet: deleting the pods');
    await client.resource(refs.pods).namespace(NS).deleteCollection({ gracePeriodSeconds: 1 });
    await waitFor('every pod to be gone', async () => (await client!.resource(refs.pods).namespace(NS).list()).items.length === 0, 180_000);
  } finally {
    client?.close();
    // The agent first, so it stops with the API server still there; then the server.
    for (const c of children.reverse()) await c.stop();
    rmSync(dir, { recursive: true, force: true });
    const left = spawnSync('ip', ['netns', 'list'], { encoding: 'utf8' }).stdout.split('\n').filter((l) => l.startsWith('skiff-'));
    if (left.length) progress(`kubelet: network namespaces left behind: ${left.join(', ')}`);
  }
}

/** Creates n pods at 10/s; each sample is from its scheduled create to the watch seeing Running. */
async function podStartup(client: Client, n: number): Promise<{ samples: number[]; opsPerSec: number }> {
  const podsApi = client.resource(refs.pods).namespace(NS);
  const waiting = new Map<string, () => void>();
  const running = new Set<string>();
  const watch = await podsApi.watch({ resourceVersion: '0' });
  const consumed = (async () => {
    for await (const ev of watch) {
      const p = ev.object as Record<string, any>;
      if ((ev.type !== 'ADDED' && ev.type !== 'MODIFIED') || p.status?.phase !== 'Running') continue;
      const name = p.metadata.name as string;
      if (running.has(name)) continue;
      running.add(name);
      waiting.get(name)?.();
    }
  })();
  try {
    return await pace(n, 10, async (i) => {
      const name = `p${i}`;
      const seen = new Promise<void>((r) => waiting.set(name, r));
      await podsApi.create(podManifest(name));
      if (!running.has(name)) await withTimeout(seen, 120_000, `pod ${name} Running`);
    });
  } finally {
    watch.stop();
    await consumed.catch(() => undefined);
  }
}

function podManifest(name: string): KubeObject {
  return {
    apiVersion: 'v1', kind: 'Pod', metadata: { name, namespace: NS },
    spec: {
      nodeSelector: { 'kubernetes.io/hostname': NODE },
      terminationGracePeriodSeconds: 1,
      automountServiceAccountToken: false,
      containers: [{ name: 'app', image: 'busybox:1.36', imagePullPolicy: 'IfNotPresent', command: ['sleep', '3600'] }],
    },
  } as KubeObject;
}

/** RSS (MiB, at the end) and CPU% (of one core) of a process over windowMs, from /proc. */
async function usage(pid: number, windowMs: number): Promise<{ rssMB: number; cpuPercent: number }> {
  const ticks = () => {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return Number(f[11]) + Number(f[12]); // utime + stime (fields 14, 15)
  };
  const t0 = performance.now();
  const c0 = ticks();
  await sleep(windowMs);
  const cpu = (ticks() - c0) / TICKS_PER_SEC / ((performance.now() - t0) / 1000);
  const rssKB = Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))![1]);
  return { rssMB: round(rssKB / 1024, 1), cpuPercent: round(cpu * 100, 2) };
}

interface Child {
  pid: number;
  ready: Promise<RegExpExecArray>;
  stop(): Promise<void>;
}

/** A `skiff` child process, ready when its stdout matches readyRe. */
function start(name: string, args: string[], readyRe: RegExp, nodeFlags: string[] = []): Child {
  const entry = process.env.BENCH_KUBELET_DIST ? [...nodeFlags, 'dist/cli/entry.js'] : ['--import', 'tsx', ...nodeFlags, 'src/cli/entry.ts'];
  const child: ChildProcess = spawn(process.execPath, [...entry, ...args], { cwd: REPO, stdio: ['ignore', 'pipe', 'pipe'] });
  let tail = '';
  child.stderr!.on('data', (c: Buffer) => { tail = (tail + c.toString()).slice(-4000); });
  const exited = new Promise<void>((res) => child.once('exit', () => res()));
  const ready = new Promise<RegExpExecArray>((res, rej) => {
    let out = '';
    const timer = setTimeout(() => rej(new Error(`${name} not ready after 60 s:\n${tail}`)), 60_000);
    child.stdout!.on('data', (c: Buffer) => {
      out += c.toString();
      const m = readyRe.exec(out);
      if (m) {
        clearTimeout(timer);
        res(m);
      }
    });
    child.once('exit', (code, sig) => rej(new Error(`${name} exited (${code ?? sig}) before it was ready:\n${tail}`)));
  });
  ready.catch(() => undefined);
  return {
    pid: child.pid!,
    ready,
    async stop() {
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.kill('SIGTERM');
      const killer = setTimeout(() => child.kill('SIGKILL'), 60_000);
      await exited;
      clearTimeout(killer);
    },
  };
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function waitFor(what: string, fn: () => Promise<unknown> | unknown, timeoutMs = 60_000): Promise<void> {
  const deadline = performance.now() + timeoutMs;
  while (!(await fn())) {
    if (performance.now() > deadline) throw new Error(`bench kubelet: timed out waiting for ${what}`);
    await sleep(200);
  }
}

function withTimeout<T>(p: Promise<T>, ms: number, what: string): Promise<T> {
  let t: NodeJS.Timeout | undefined;
  return Promise.race([p, new Promise<T>((_r, rej) => { t = setTimeout(() => rej(new Error(`bench kubelet: timed out waiting for ${what}`)), ms); })]).finally(() => clearTimeout(t));
}
