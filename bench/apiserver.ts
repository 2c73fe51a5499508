// API server benchmark: a real `skiff server` child process (SQLite store) driven over HTTPS with
// client-certificate auth and JSON bodies, as a Kubernetes client drives it. Cases: create-32,
// mutate-500qps, get, list-10k-pods, list-10k-pods-rv0, watch-1000, watch-1000-floor,
// watch-1000-floor-2-processes, watch-1000-by-rate, smp-20-containers, ssa-20-containers, rss.
// BENCH_CPU_PROF=<dir> writes a V8 CPU profile of the server into <dir> when it stops;
// BENCH_APISERVER_CASES=create-32,get runs only those (mutate-500qps and get need create-32).
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { Agent, request, type AgentOptions } from 'node:https';
import { Worker } from 'node:worker_threads';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadKubeconfig } from '../src/client/kubeconfig.js';
import { drive, emit, latency, pace, progress, round } from './lib.js';
import { applyCase } from './_apply-cases.js';
import { cpu, cpuProfArgs } from './_procs.js';
import { nowMs, type WatchClientsInput, type WatchClientsMessage } from './_watch-clients.js';
import { SENT_AT, type FloorInput } from './_watch-floor.js';

const REPO = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const KIB = 'x'.repeat(1024);

export async function run(): Promise<void> {
  const server = await startServer();
  try {
    const api = new Api(server.url, server.tls, { keepAlive: true, maxSockets: 256 });
    for (const ns of ['bench', 'watch']) await api.must('POST', '/api/v1/namespaces', 201, { apiVersion: 'v1', kind: 'Namespace', metadata: { name: ns } });
    const only = process.env.BENCH_APISERVER_CASES?.split(',');
    for (const c of CASES) {
      if (only && !only.includes(c.name)) continue;
      progress(`apiserver: ${c.name}`);
      for (const figures of await c.run(api, server)) emit({ bench: 'apiserver', ...figures });
    }
    emit({ bench: 'apiserver', case: 'rss', rssMB: server.rssMB() });
    api.close();
  } finally {
    await server.stop();
  }
}

// --- the server child process ---

interface Server {
  url: URL;
  /** The server's data directory (its TLS files are under tls/). */
  dir: string;
  tls: Pick<AgentOptions, 'ca' | 'cert' | 'key'>;
  child: ChildProcess;
  /** Resident set size of the server process (VmRSS), in MiB. */
  rssMB(): number;
  stop(): Promise<void>;
}

async function startServer(): Promise<Server> {
  const dir = mkdtempSync(join(tmpdir(), 'skiff-bench-apiserver-'));
  const prof = cpuProfArgs(250);
  const args = ['--import', 'tsx', ...prof, 'src/cli/entry.ts', 'server', '--no-agent', '--disable-scheduler', '--disable-controller-manager', '--data-dir', dir, '--port', '0', '--datastore', 'sqlite'];
  const child = spawn(process.execPath, args, { cwd: REPO, stdio: ['ignore', 'pipe', 'pipe'] });
  // The server logs to stderr; keep the tail for a failure message (and keep the pipe drained).
  let tail = '';
  child.stderr!.on('data', (c: Buffer) => { tail = (tail + c.toString()).slice(-4000); if (process.env.BENCH_SERVER_STDERR) process.stderr.write(c); });
  const exited = new Promise<void>((res) => child.once('exit', () => res()));
  const stop = async (): Promise<void> => {
    if (child.exitCode === null && child.signalCode === null) {
      child.kill('SIGTERM');
      const killer = setTimeout(() => child.kill('SIGKILL'), 15_000);
      await exited;
      clearTimeout(killer);
    }
    rmSync(dir, { recursive: true, force: true });
  };
  try {
    const kubeconfigPath = await new Promise<string>((res, rej) => {
      let out = '';
      const timer = setTimeout(() => rej(new Error(`server not ready after 60 s:\n${tail}`)), 60_000);
      child.stdout!.on('data', (c: Buffer) => {
        out += c.toString();
        const m = /Skiff is ready\. export KUBECONFIG=(\S+)/.exec(out);
        if (m) {
          clearTimeout(timer);
          res(m[1]!);
        }
      });
      child.once('exit', (code, sig) => rej(new Error(`server exited (${code ?? sig}) before it was ready:\n${tail}`)));
    });
    const kc = await loadKubeconfig(kubeconfigPath);
    if (!kc.certPem || !kc.keyPem || !kc.caPem) throw new Error(`${kubeconfigPath}: expected a CA and an embedded client certificate`);
    progress(`apiserver: server pid ${child.pid} ready at ${kc.server}`);
    return {
      url: new URL(kc.server),
      dir,
      tls: { ca: kc.caPem, cert: kc.certPem, key: kc.keyPem },
      child,
      rssMB: () => {
        const m = /^VmRSS:\s+(\d+) kB/m.exec(readFileSync(`/proc/${child.pid}/status`, 'utf8'));
        return m ? round(Number(m[1]) / 1024, 1) : 0;
      },
      stop,
    };
  } catch (err) {
    await stop();
    throw err;
  }
}

// --- a minimal Kubernetes REST client over node:https ---

interface Reply {
  status: number;
  body: Buffer;
}

class Api {
  readonly agent: Agent;

  constructor(readonly url: URL, readonly tls: Server['tls'], opts: AgentOptions) {
    this.agent = new Agent({ ...tls, ...opts });
  }

  /** One request; a JSON body unless contentType says otherwise. Resolves with the whole reply. */
  call(method: string, path: string, body?: unknown, contentType = 'application/json'): Promise<Reply> {
    const payload = body === undefined ? undefined : Buffer.from(JSON.stringify(body));
    const headers: Record<string, string | number> = { Accept: 'application/json' };
    if (payload) Object.assign(headers, { 'Content-Type': contentType, 'Content-Length': payload.length });
    return new Promise((res, rej) => {
      const req = request({ agent: this.agent, hostname: this.url.hostname, port: this.url.port, method, path, headers }, (r) => {
        const chunks: Buffer[] = [];
        r.on('data', (c: Buffer) => chunks.push(c));
        r.on('end', () => res({ status: r.statusCode ?? 0, body: Buffer.concat(chunks) }));
        r.on('error', rej);
      });
      req.on('error', rej);
      req.end(payload);
    });
  }

  /** call(), failing unless the reply has the expected status. */
  async must(method: string, path: string, status: number, body?: unknown, contentType?: string): Promise<Reply> {
    const r = await this.call(method, path, body, contentType);
    if (r.status !== status) throw new Error(`${method} ${path}: ${r.status}, expected ${status}: ${r.body.toString().slice(0, 500)}`);
    return r;
  }

  close(): void {
    this.agent.destroy();
  }
}

// --- objects ---

function configMap(name: string, data: Record<string, string>): Record<string, unknown> {
  return { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name, labels: { app: 'bench' } }, data };
}

function container(name: string, image: string, port: number): Record<string, unknown> {
  return {
    name,
    image,
    ports: [{ name: 'http', containerPort: port, protocol: 'TCP' }],
    resources: { requests: { cpu: '100m', memory: '128Mi' }, limits: { cpu: '500m', memory: '256Mi' } },
    env: [{ name: 'MODE', value: 'bench' }],
  };
}

function pod(name: string, containers: Record<string, unknown>[]): Record<string, unknown> {
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name, labels: { app: 'web', tier: 'frontend', 'pod-template-hash': '5d8f7c9b6d' } },
    spec: { containers },
  };
}

const cmName = (p: string, i: number) => `${p}-${String(i).padStart(5, '0')}`;
const CM = '/api/v1/namespaces/default/configmaps';
const CREATES = 5000;

// --- cases ---

type Figures = Record<string, unknown> & { case: string };

const CASES: { name: string; run: (api: Api, server: Server) => Promise<Figures[]> }[] = [
  {
    name: 'create-32',
    async run(api) {
      const r = await drive(CREATES, 32, (i) => api.must('POST', CM, 201, configMap(cmName('c', i), { payload: KIB })));
      return [{ case: 'create-32', opsPerSec: r.opsPerSec, ...latency(r.samples), inflight: 32, creates: CREATES }];
    },
  },
  {
    name: 'mutate-500qps',
    // Half creates of new ConfigMaps, half unconditional updates (PUT without resourceVersion) of
    // the ones create-32 made, paced at 500 writes/s for 10 s.
    async run(api) {
      const n = 5000;
      const r = await pace(n, 500, (i) => i % 2 === 0
        ? api.must('POST', CM, 201, configMap(cmName('m', i), { payload: KIB }))
        : api.must('PUT', `${CM}/${cmName('c', i % CREATES)}`, 200, configMap(cmName('c', i % CREATES), { payload: KIB, round: String(i) })));
      return [{ case: 'mutate-500qps', opsPerSec: r.opsPerSec, ...latency(r.samples), targetOpsPerSec: 500, writes: n }];
    },
  },
  {
    name: 'get',
    async run(api) {
      const r = await drive(10_000, 32, (i) => api.must('GET', `${CM}/${cmName('c', (i * 7) % CREATES)}`, 200));
      return [{ case: 'get', opsPerSec: r.opsPerSec, ...latency(r.samples), inflight: 32 }];
    },
  },
  {
    name: 'list-10k-pods',
    async run(api) {
      const pods = 10_000;
      const path = '/api/v1/namespaces/bench/pods';
      const made = await drive(pods, 64, (i) => api.must('POST', path, 201, pod(`web-${i}`, [container('web', 'registry.example/web:1.27.3', 8080)])));
      progress(`apiserver: created ${pods} pods at ${made.opsPerSec}/s`);
      const out: Figures[] = [];
      for (const [name, query] of [['list-10k-pods', ''], ['list-10k-pods-rv0', '?resourceVersion=0']] as const) {
        let bytes = 0;
        const r = await drive(20, 1, async () => {
          const reply = await api.must('GET', path + query, 200);
          bytes = reply.body.length;
        });
        const items = (JSON.parse((await api.must('GET', path + query, 200)).body.toString()) as { items: unknown[] }).items.length;
        if (items !== pods) throw new Error(`${name}: listed ${items} pods, expected ${pods}`);
        if (process.env.BENCH_SAMPLES) progress(`${name} samples: ${r.samples.map((s) => s.toFixed(0)).join(" ")}`);
        out.push({ case: name, opsPerSec: r.opsPerSec, ...latency(r.samples), bytes, items });
      }
      out.push({ case: 'create-pods-64', opsPerSec: made.opsPerSec, ...latency(made.samples), inflight: 64 });
      return out;
    },
  },
  {
    name: 'watch-1000',
    async run(api, server) {
      return [await watchFanout(api, server, 1000, 200, 50)];
    },
  },
  {
    name: 'watch-1000-floor',
    run: (api, server) => watchFloor(api, server, 1000, 200, 50).then((f) => [f]),
  },
  {
    name: 'watch-1000-floor-2-processes',
    run: (api, server) => watchFloor(api, server, 1000, 200, 50, 2).then((f) => [f]),
  },
  {
    // The same fan-out at lower write rates: where delivery stops keeping up on this machine.
    name: 'watch-1000-by-rate',
    async run(api, server) {
      const out: Figures[] = [];
      for (const rate of [10, 20, 30, 40]) out.push(await watchFanout(api, server, 1000, 200, rate, `watch-1000-at-${rate}-writes-per-sec`));
      return out;
    },
  },
  {
    name: 'smp-20-containers',
    // Strategic merge patch of one container's image, by name, in a 20-container pod.
    async run(api) {
      const path = '/api/v1/namespaces/default/pods';
      await api.must('POST', path, 201, pod('smp', Array.from({ length: 20 }, (_, c) => container(`c${c}`, 'registry.example/app:1', 8000 + c))));
      const r = await drive(500, 1, (i) => api.must('PATCH', `${path}/smp`, 200,
        { spec: { containers: [{ name: `c${i % 20}`, image: `registry.example/app:${i + 2}` }] } }, 'application/strategic-merge-patch+json'));
      const got = JSON.parse((await api.must('GET', `${path}/smp`, 200)).body.toString()) as { spec: { containers: { name: string; image: string }[] } };
      const last = got.spec.containers.find((c) => c.name === `c${499 % 20}`);
      if (got.spec.containers.length !== 20 || last?.image !== 'registry.example/app:501') throw new Error(`smp: unexpected containers after patching: ${JSON.stringify(got.spec.containers).slice(0, 300)}`);
      return [{ case: 'smp-20-containers', opsPerSec: r.opsPerSec, ...latency(r.samples), patches: 500 }];
    },
  },
  { name: 'ssa-20-containers', run: (api) => applyCase(api) },
];

/**
 * `watchers` watches on namespace `watch` held by a worker thread, then `writes` ConfigMap creates
 * at `rate`/s from this thread, each carrying its send time in data.sentAt; latency is per watcher
 * per event, receive − send, on the process-wide monotonic clock.
 */
async function watchFanout(api: Api, server: Server, watchers: number, writes: number, rate: number, label = `watch-${watchers}`): Promise<Figures> {
  const base = '/api/v1/namespaces/watch/configmaps';
  const list = JSON.parse((await api.must('GET', base, 200)).body.toString()) as { metadata: { resourceVersion: string } };
  const rv = list.metadata.resourceVersion;
  let w: { samples: number[] } = { samples: [] };
  let cpuMs = 0;
  const got = await withWatchers({
    url: api.url.href, path: `${base}?watch=true&resourceVersion=${rv}`, watchers, events: writes, tls: clientTls(api),
  }, async () => {
    const cpu0 = cpu(server.child.pid!);
    w = await pace(writes, rate, (i) => api.must('POST', base, 201, configMap(cmName(`w${rate}`, i), { sentAt: String(nowMs()) })));
    cpuMs = (cpu(server.child.pid!) - cpu0) * 1000;
  });
  return {
    case: label, ...latency(got.samples), events: got.delivered, expected: watchers * writes, watchers, writesPerSec: rate, writeP99Ms: latency(w.samples).p99Ms,
    // The server's CPU per written event (the create and its fan-out), against 1000/rate ms between events.
    serverCpuMsPerEvent: round(cpuMs / writes, 2),
  };
}

/**
 * The peer for watchFanout: the same watchers, event lines and rate against a bare node:https
 * fan-out (_watch-floor.ts) with the server's certificate, so no API server work is in the path.
 * Its send time is taken when the fan-out of each event starts. With `processes` > 1 the watchers
 * are split over that many floor processes, each writing every event to its share: what spreading
 * the fan-out over several event loops would give on this machine.
 */
async function watchFloor(api: Api, server: Server, watchers: number, writes: number, rate: number, processes = 1): Promise<Figures> {
  // The template is a ConfigMap as the server stores and returns it (created by the first floor case).
  let template = await api.call('GET', '/api/v1/namespaces/bench/configmaps/floor-template');
  if (template.status === 404) template = await api.must('POST', '/api/v1/namespaces/bench/configmaps', 201, configMap('floor-template', { sentAt: SENT_AT }));
  const obj = template.body.toString();
  const tlsDir = join(server.dir, 'tls');
  const floors = Array.from({ length: processes }, (_, i) => startFloor({
    certFile: join(tlsDir, 'serving-kube-apiserver.crt'), keyFile: join(tlsDir, 'serving-kube-apiserver.key'), caFile: join(tlsDir, 'server-ca.crt'),
    watchers: Math.floor(watchers / processes) + (i < watchers % processes ? 1 : 0), writes, rate,
    template: `{"type":"ADDED","object":${obj}}\n`,
  }));
  try {
    const ports = await Promise.all(floors.map((f) => f.port));
    let cpuMs = 0;
    const got = await withWatchers({
      url: ports.map((p) => `https://127.0.0.1:${p}/`), path: '/watch', watchers, events: writes, tls: clientTls(api),
    }, async () => {
      const cpu0 = floors.map((f) => cpu(f.pid));
      await Promise.all(floors.map((f) => f.done));
      cpuMs = floors.reduce((sum, f, i) => sum + (cpu(f.pid) - cpu0[i]!) * 1000, 0);
    });
    return {
      case: processes === 1 ? `watch-${watchers}-floor` : `watch-${watchers}-floor-${processes}-processes`,
      peer: processes === 1 ? 'bare node:https fan-out, no API server' : `bare node:https fan-out over ${processes} processes, no API server`,
      ...latency(got.samples), events: got.delivered, expected: watchers * writes, watchers, writesPerSec: rate,
      serverCpuMsPerEvent: round(cpuMs / writes, 2),
    };
  } finally {
    await Promise.all(floors.map((f) => f.stop()));
  }
}

/** One _watch-floor.ts child: its port once it listens, and `done` once it wrote every event. */
function startFloor(input: FloorInput): { pid: number; port: Promise<string>; done: Promise<void>; stop(): Promise<void> } {
  const prof = cpuProfArgs(250);
  const child = spawn(process.execPath, ['--import', 'tsx', ...prof, 'bench/_watch-floor.ts'], { cwd: REPO, stdio: ['pipe', 'pipe', 'inherit'], env: { ...process.env, FLOOR_INPUT: JSON.stringify(input) } });
  const exited = new Promise<void>((res) => child.once('exit', () => res()));
  let out = '';
  const seen = (word: RegExp): Promise<RegExpExecArray> => new Promise((res, rej) => {
    const check = (): boolean => {
      const m = word.exec(out);
      if (m) res(m);
      return !!m;
    };
    const onData = (c: Buffer): void => {
      out += c.toString();
      if (check()) child.stdout!.off('data', onData);
    };
    if (!check()) child.stdout!.on('data', onData);
    void exited.then(() => rej(new Error(`watch floor exited (${child.exitCode ?? child.signalCode})`)));
  });
  return {
    pid: child.pid!,
    port: seen(/listening (\d+)/).then((m) => m[1]!),
    done: seen(/done/).then(() => undefined),
    async stop() {
      // Closing stdin ends the floor (and writes its CPU profile); a kill if it does not go.
      child.stdin!.end();
      const killer = setTimeout(() => child.kill('SIGKILL'), 10_000);
      await exited;
      clearTimeout(killer);
    },
  };
}

/** The bench's client certificate as PEM strings, for the watch clients' worker. */
function clientTls(api: Api): WatchClientsInput['tls'] {
  return { ca: String(api.tls.ca), cert: String(api.tls.cert), key: String(api.tls.key) };
}

/** Opens the watches in a worker thread, runs `drive` once all are open, and collects the latencies. */
async function withWatchers(input: WatchClientsInput, drive: () => Promise<void>): Promise<{ samples: number[]; delivered: number }> {
  // Workers do not inherit tsx's loader: register it, then load the TypeScript worker module.
  const entry = new URL('./_watch-clients.ts', import.meta.url).href;
  const boot = `import('tsx/esm/api').then((m) => { m.register(); return import(${JSON.stringify(entry)}); })`;
  const worker = new Worker(boot, { eval: true, workerData: input });
  const next = (): Promise<WatchClientsMessage> => new Promise((res, rej) => {
    worker.once('message', res);
    worker.once('error', rej);
  });
  try {
    const opened = await next();
    if (opened.kind === 'open') progress(`apiserver: ${input.watchers} watches open in ${opened.seconds.toFixed(1)} s`);
    const finished = next();
    await drive();
    const timer = setTimeout(() => worker.postMessage('stop'), 15_000);
    const done = await finished;
    clearTimeout(timer);
    if (done.kind !== 'done') throw new Error('watch clients: unexpected message');
    return { samples: [...done.samples], delivered: done.delivered };
  } finally {
    await worker.terminate();
  }
}
