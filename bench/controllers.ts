// Controllers benchmark (issue 5): a real `skiff server --no-agent` (SQLite; controller manager and
// scheduler inside) with 100 hollow nodes in a second process. Cases:
//   deployment-1000 — seconds from creating a Deployment with 1,000 replicas until its Available
//     condition is True with availableReplicas 1000 (polled every 250 ms), with pods/s and the
//     server's RSS (peak while it ran, and at the end);
//   deployment-1000-qps<N> — only with BENCH_CONTROLLERS_QPS=N: the same with the controller manager
//     run as its own process (`skiff controller-manager --kube-api-qps N`), to show how much of the
//     time is the client rate limit (upstream's default, and skiff server's, is 20 qps per controller);
//   replicaset-sync / replicaset-sync-create — sync() throughput of the ReplicaSet controller on
//     the fake client for 1,000 ReplicaSets (bench/_replicaset-sync.ts).
// BENCH_CPU_PROF=<dir> writes V8 CPU profiles of the server into <dir> when it stops;
// BENCH_CONTROLLERS_CASES=replicaset-sync,deployment,deployment-qps runs only those;
// BENCH_CONTROLLERS_REPLICAS / BENCH_CONTROLLERS_NODES change the scale; BENCH_SERVER_ARGS adds
// server flags (e.g. --v=2) and BENCH_SERVER_STDERR=1 shows its log.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { Agent, request } from 'node:https';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadKubeconfig } from '../src/client/kubeconfig.js';
import { configureLogging } from '../src/util/log.js';
import { emit, progress, round } from './lib.js';
import { cpuProfArgs } from './_procs.js';
import { replicaSetSync } from './_replicaset-sync.js';

const REPO = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const REPLICAS = Number(process.env.BENCH_CONTROLLERS_REPLICAS ?? 1000);
const NODES = Number(process.env.BENCH_CONTROLLERS_NODES ?? 100);

export async function run(): Promise<void> {
  configureLogging({ quiet: true });
  const only = process.env.BENCH_CONTROLLERS_CASES?.split(',');
  const wanted = (name: string) => !only || only.includes(name);
  if (wanted('replicaset-sync')) {
    for (const mode of ['steady', 'create'] as const) {
      progress(`controllers: replicaset-sync (${mode})`);
      emit({ bench: 'controllers', case: mode === 'steady' ? 'replicaset-sync' : 'replicaset-sync-create', ...await replicaSetSync(1000, mode) });
    }
  }
  if (wanted('deployment')) await deploymentCase();
  const qps = process.env.BENCH_CONTROLLERS_QPS;
  if (qps && wanted('deployment-qps')) await deploymentCase(Number(qps));
}

/** With qps, the controller manager runs out of the server, at that client rate (burst 1.5×). */
async function deploymentCase(qps?: number): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'skiff-bench-controllers-'));
  const prof = cpuProfArgs();
  const procs: Child[] = [];
  try {
    const server = await startChild('server', [...prof, 'src/cli/entry.ts', 'server', '--no-agent', '--data-dir', dir, '--port', '0', '--datastore', 'sqlite',
      ...(qps === undefined ? [] : ['--disable-controller-manager']), ...(process.env.BENCH_SERVER_ARGS?.split(' ').filter(Boolean) ?? [])],
      /Skiff is ready\. export KUBECONFIG=(\S+)/);
    procs.push(server);
    const kubeconfig = server.match[1]!;
    const kc = await loadKubeconfig(kubeconfig);
    if (!kc.certPem || !kc.keyPem || !kc.caPem) throw new Error(`${kubeconfig}: expected a CA and an embedded client certificate`);
    const api = new Api(new URL(kc.server), new Agent({ ca: kc.caPem, cert: kc.certPem, key: kc.keyPem, keepAlive: true }));
    const t0 = performance.now();
    if (qps !== undefined) {
      procs.push(await startChild('controller-manager', ['src/cli/entry.ts', 'controller-manager', '--kubeconfig', kubeconfig,
        `--kube-api-qps=${qps}`, `--kube-api-burst=${qps < 0 ? 0 : Math.ceil(qps * 1.5)}`], /Controller manager is running/));
    }
    procs.push(await startChild('hollow-nodes', ['src/cli/entry.ts', 'hollow-nodes', '--kubeconfig', kubeconfig, '--count', String(NODES)], /hollow nodes are ready\./));
    await until(async () => countReadyNodes(await api.get('/api/v1/nodes')) >= NODES, 120_000, `${NODES} ready nodes`);
    progress(`controllers: ${NODES} hollow nodes ready in ${((performance.now() - t0) / 1000).toFixed(1)} s`);

    let peakRss = server.rssMB();
    const path = '/apis/apps/v1/namespaces/default/deployments';
    const start = performance.now();
    await api.must('POST', path, 201, deployment('bench', REPLICAS));
    let last = '';
    let lastLog = 0;
    let available = 0;
    let firstAllCreated = 0;
    await until(async () => {
      peakRss = Math.max(peakRss, server.rssMB());
      const d = await api.get(`${path}/bench`) as { status?: { replicas?: number; availableReplicas?: number; conditions?: { type: string; status: string }[] } };
      const s = d.status ?? {};
      available = s.availableReplicas ?? 0;
      if (!firstAllCreated && (s.replicas ?? 0) >= REPLICAS) firstAllCreated = performance.now();
      const cond = s.conditions?.find((c) => c.type === 'Available')?.status ?? '-';
      const now = performance.now();
      const line = `replicas ${s.replicas ?? 0}, available ${available}, Available=${cond}`;
      if (line !== last && now - lastLog > 5000) {
        progress(`controllers: t=${((now - start) / 1000).toFixed(1)} s ${line}`);
        last = line;
        lastLog = now;
      }
      return cond === 'True' && available === REPLICAS;
    }, 600_000, `deployment with ${REPLICAS} available replicas`, 250);
    const seconds = (performance.now() - start) / 1000;
    const writes = requestCounts(await api.text('/metrics'));
    emit({
      bench: 'controllers', case: `deployment-${REPLICAS}${qps === undefined ? '' : qps < 0 ? '-qps-unlimited' : `-qps${qps}`}`, seconds: round(seconds, 2), podsPerSec: round(REPLICAS / seconds, 1),
      replicasSeenSeconds: firstAllCreated ? round((firstAllCreated - start) / 1000, 2) : undefined,
      nodes: NODES, replicas: REPLICAS, peakRssMB: peakRss, rssMB: server.rssMB(), hollowRssMB: procs[procs.length - 1]!.rssMB(), ...(qps === undefined ? {} : { controllerManagerRssMB: procs[1]!.rssMB() }),
      ...writes,
    });
    api.close();
  } finally {
    for (const p of procs.reverse()) await p.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}

function deployment(name: string, replicas: number): Record<string, unknown> {
  const labels = { app: name };
  return {
    apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name, labels },
    spec: {
      replicas, selector: { matchLabels: labels },
      template: {
        metadata: { labels },
        spec: { containers: [{ name: 'web', image: 'registry.example/web:1', resources: { requests: { cpu: '10m', memory: '16Mi' } } }] },
      },
    },
  };
}

/**
 * Write churn from the API server's apiserver_request_total: ReplicaSet and Deployment status
 * writes, and every 409 Conflict answered, over the whole run.
 */
function requestCounts(metrics: string): Record<string, number> {
  const out = { rsStatusWrites: 0, deploymentStatusWrites: 0, conflicts: 0 };
  for (const line of metrics.split('\n')) {
    if (!line.startsWith('apiserver_request_total{')) continue;
    const n = Number(line.slice(line.lastIndexOf(' ') + 1));
    const label = (k: string) => new RegExp(`${k}="([^"]*)"`).exec(line)?.[1];
    if (label('code') === '409') out.conflicts += n;
    if (label('verb') !== 'UPDATE' || label('subresource') !== 'status') continue;
    if (label('resource') === 'replicasets') out.rsStatusWrites += n;
    if (label('resource') === 'deployments') out.deploymentStatusWrites += n;
  }
  return out;
}

function countReadyNodes(list: unknown): number {
  const items = (list as { items?: { status?: { conditions?: { type: string; status: string }[] } }[] }).items ?? [];
  return items.filter((n) => n.status?.conditions?.some((c) => c.type === 'Ready' && c.status === 'True')).length;
}

async function until(check: () => Promise<boolean>, timeoutMs: number, what: string, everyMs = 500): Promise<void> {
  const deadline = performance.now() + timeoutMs;
  for (;;) {
    if (await check()) return;
    if (performance.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, everyMs));
  }
}

// --- child processes ---

interface Child {
  match: RegExpExecArray;
  rssMB(): number;
  stop(): Promise<void>;
}

/** Starts `node --import tsx <args>` in the repository and waits until stdout matches `ready`. */
async function startChild(name: string, args: string[], ready: RegExp): Promise<Child> {
  const child: ChildProcess = spawn(process.execPath, ['--import', 'tsx', ...args], { cwd: REPO, stdio: ['ignore', 'pipe', 'pipe'] });
  let tail = '';
  child.stderr!.on('data', (c: Buffer) => { tail = (tail + c.toString()).slice(-4000); if (process.env.BENCH_SERVER_STDERR) process.stderr.write(c); });
  const exited = new Promise<void>((res) => child.once('exit', () => res()));
  const stop = async (): Promise<void> => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    child.kill('SIGTERM');
    const killer = setTimeout(() => child.kill('SIGKILL'), 15_000);
    await exited;
    clearTimeout(killer);
  };
  try {
    const match = await new Promise<RegExpExecArray>((res, rej) => {
      let out = '';
      const timer = setTimeout(() => rej(new Error(`${name} not ready after 120 s:\n${tail}`)), 120_000);
      child.stdout!.on('data', (c: Buffer) => {
        out += c.toString();
        const m = ready.exec(out);
        if (m) {
          clearTimeout(timer);
          res(m);
        }
      });
      child.once('exit', (code, sig) => rej(new Error(`${name} exited (${code ?? sig}) before it was ready:\n${tail}`)));
    });
    progress(`controllers: ${name} pid ${child.pid} ready`);
    return {
      match,
      rssMB: () => {
        try {
          const m = /^VmRSS:\s+(\d+) kB/m.exec(readFileSync(`/proc/${child.pid}/status`, 'utf8'));
          return m ? round(Number(m[1]) / 1024, 1) : 0;
        } catch {
          return 0;
        }
      },
      stop,
    };
  } catch (err) {
    await stop();
    throw err;
  }
}

// --- a minimal JSON client over node:https ---

class Api {
  constructor(readonly url: URL, readonly agent: Agent) {}

  call(method: string, path: string, body?: unknown): Promise<{ status: number; text: string }> {
    const payload = body === undefined ? undefined : Buffer.from(JSON.stringify(body));
    const headers: Record<string, string | number> = { Accept: 'application/json' };
    if (payload) Object.assign(headers, { 'Content-Type': 'application/json', 'Content-Length': payload.length });
    return new Promise((res, rej) => {
      const req = request({ agent: this.agent, hostname: this.url.hostname, port: this.url.port, method, path, headers }, (r) => {
        const chunks: Buffer[] = [];
        r.on('data', (c: Buffer) => chunks.push(c));
        r.on('end', () => res({ status: r.statusCode ?? 0, text: Buffer.concat(chunks).toString() }));
        r.on('error', rej);
      });
      req.on('error', rej);
      req.end(payload);
    });
  }

  async must(method: string, path: string, status: number, body?: unknown): Promise<unknown> {
    const r = await this.call(method, path, body);
    if (r.status !== status) throw new Error(`${method} ${path}: ${r.status}, expected ${status}: ${r.text.slice(0, 500)}`);
    return JSON.parse(r.text) as unknown;
  }

  async text(path: string): Promise<string> {
    const r = await this.call('GET', path);
    if (r.status !== 200) throw new Error(`GET ${path}: ${r.status}`);
    return r.text;
  }

  get(path: string): Promise<unknown> {
    return this.must('GET', path, 200);
  }

  close(): void {
    this.agent.destroy();
  }
}
