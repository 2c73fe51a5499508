// Worker thread for the scheduler benchmark: creates pods at a fixed rate over HTTPS and watches the
// namespace, timestamping each pod's creation request and the first event showing it bound. Running
// in its own thread keeps JSON decoding of the watch off the orchestrating thread, and the fixed
// rate (rather than "as fast as possible") keeps the creator from starving the scheduler on a small
// machine. Times are process.hrtime milliseconds.
import { Agent, request } from 'node:https';
import { parentPort, workerData } from 'node:worker_threads';

export type PodShape = 'basic' | 'anti-affinity-spread';

export interface SchedLoadInput {
  url: string;
  tls: { ca: string; cert: string; key: string };
  namespace: string;
  /** Pod names are `${prefix}${i}`. */
  prefix: string;
  count: number;
  /** Creations started per second. */
  rate: number;
  /** At most this many creations in flight (the sender waits beyond it). */
  inflight: number;
  shape: PodShape;
}

/** sentAt[i]: creation request start; boundAt[i]: first watch event showing it bound (0 = never). */
export type SchedLoadMessage = { kind: 'done'; sentAt: Float64Array; boundAt: Float64Array; createErrors: number; firstError: string };

const nowMs = (): number => Number(process.hrtime.bigint()) / 1e6;

/** The upstream scheduler_perf pod-default template: a pause container, 100m CPU / 500Mi requested. */
function podBody(shape: PodShape, name: string, i: number): Record<string, unknown> {
  const resources = { requests: { cpu: '100m', memory: '500Mi' }, limits: { cpu: '100m', memory: '500Mi' } };
  const spec: Record<string, unknown> = { containers: [{ name: 'pause', image: 'registry.k8s.io/pause:3.10', ports: [{ containerPort: 80 }], resources }] };
  const labels: Record<string, string> = { app: 'bench' };
  if (shape === 'anti-affinity-spread') {
    // Four colours: at most one pod of a colour per node (required anti-affinity on hostname), and
    // each colour spread evenly over zones (maxSkew 1, DoNotSchedule).
    const color = `c${i % 4}`;
    labels.color = color;
    spec.affinity = {
      podAntiAffinity: {
        requiredDuringSchedulingIgnoredDuringExecution: [{ labelSelector: { matchLabels: { color } }, topologyKey: 'kubernetes.io/hostname' }],
      },
    };
    spec.topologySpreadConstraints = [{ maxSkew: 1, topologyKey: 'topology.kubernetes.io/zone', whenUnsatisfiable: 'DoNotSchedule', labelSelector: { matchLabels: { color } } }];
  }
  return { apiVersion: 'v1', kind: 'Pod', metadata: { name, labels }, spec };
}

function main(input: SchedLoadInput): void {
  const url = new URL(input.url);
  const agent = new Agent({ ...input.tls, keepAlive: true, maxSockets: input.inflight + 2 });
  const base = `/api/v1/namespaces/${input.namespace}/pods`;
  const sentAt = new Float64Array(input.count);
  const boundAt = new Float64Array(input.count);
  let bound = 0;
  let createErrors = 0;
  let firstError = '';
  let reported = false;
  let watchReq: { destroy(): void } | undefined;
  const report = (): void => {
    if (reported) return;
    reported = true;
    watchReq?.destroy();
    agent.destroy();
    parentPort!.postMessage({ kind: 'done', sentAt, boundAt, createErrors, firstError } satisfies SchedLoadMessage);
  };
  parentPort!.on('message', (m: string) => m === 'stop' && report());

  const call = (method: string, path: string, body?: unknown): Promise<{ status: number; body: string }> => new Promise((res, rej) => {
    const payload = body === undefined ? undefined : Buffer.from(JSON.stringify(body));
    const headers: Record<string, string | number> = { Accept: 'application/json' };
    if (payload) Object.assign(headers, { 'Content-Type': 'application/json', 'Content-Length': payload.length });
    const req = request({ agent, hostname: url.hostname, port: url.port, method, path, headers }, (r) => {
      const chunks: Buffer[] = [];
      r.on('data', (c: Buffer) => chunks.push(c));
      r.on('end', () => res({ status: r.statusCode ?? 0, body: Buffer.concat(chunks).toString() }));
      r.on('error', rej);
    });
    req.on('error', rej);
    req.end(payload);
  });

  const index = (name: string): number => (name.startsWith(input.prefix) ? Number(name.slice(input.prefix.length)) : -1);
  // The watch asks only for bound pods (spec.nodeName!=), so an ADDED event is the binding; the
  // pod's name is read from the line without decoding the whole object (the load generator shares
  // the machine's cores with what it measures). Our pods' labels have no "name" key, so the first
  // "name" in metadata is the pod's.
  const onEvent = (line: string, now: number): void => {
    if (!line.startsWith('{"type":"ADDED"') && !line.startsWith('{"type":"MODIFIED"')) return;
    const meta = line.indexOf('"metadata":{');
    const at = meta < 0 ? -1 : line.indexOf('"name":"', meta);
    let name: string;
    if (at >= 0) name = line.slice(at + 8, line.indexOf('"', at + 8));
    else name = (JSON.parse(line) as { object: { metadata?: { name?: string } } }).object.metadata?.name ?? '';
    const i = index(name);
    if (i < 0 || i >= input.count || boundAt[i] !== 0) return;
    boundAt[i] = now;
    if (++bound === input.count) report();
  };

  const watch = (rv: string): Promise<void> => new Promise((resolve, reject) => {
    const req = request({ agent: new Agent({ ...input.tls, keepAlive: false }), hostname: url.hostname, port: url.port, method: 'GET', path: `${base}?watch=true&resourceVersion=${rv}&fieldSelector=${encodeURIComponent('spec.nodeName!=')}`, headers: { Accept: 'application/json' } }, (r) => {
      if (r.statusCode !== 200) return reject(new Error(`watch: ${r.statusCode}`));
      let carry = '';
      r.setEncoding('utf8');
      r.on('data', (chunk: string) => {
        const now = nowMs();
        const text = carry + chunk;
        let start = 0;
        let nl: number;
        while ((nl = text.indexOf('\n', start)) >= 0) {
          if (nl > start) onEvent(text.slice(start, nl), now);
          start = nl + 1;
        }
        carry = text.slice(start);
      });
      r.on('error', () => undefined);
      resolve();
    });
    req.on('error', reject);
    watchReq = req;
    req.end();
  });

  const create = async (i: number): Promise<void> => {
    sentAt[i] = nowMs();
    try {
      const r = await call('POST', base, podBody(input.shape, `${input.prefix}${i}`, i));
      if (r.status !== 201) throw new Error(`${r.status}: ${r.body.slice(0, 300)}`);
    } catch (err) {
      createErrors++;
      firstError ||= String(err);
    }
  };

  const drive = async (): Promise<void> => {
    const list = await call('GET', `${base}?limit=1`);
    if (list.status !== 200) throw new Error(`list: ${list.status} ${list.body.slice(0, 300)}`);
    await watch((JSON.parse(list.body) as { metadata: { resourceVersion: string } }).metadata.resourceVersion);
    let running = 0;
    let wake: (() => void) | undefined;
    const t0 = nowMs();
    for (let i = 0; i < input.count; i++) {
      const due = t0 + (i * 1000) / input.rate;
      const wait = due - nowMs();
      if (wait > 1) await new Promise((r) => setTimeout(r, wait));
      while (running >= input.inflight) await new Promise<void>((r) => { wake = r; });
      running++;
      void create(i).finally(() => {
        running--;
        const w = wake;
        wake = undefined;
        w?.();
      });
    }
  };
  drive().catch((err: unknown) => {
    firstError ||= String(err);
    report();
  });
}

if (parentPort && workerData) main(workerData as SchedLoadInput);
