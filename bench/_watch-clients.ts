// Worker thread for the watch fan-out case: holds the watch connections and timestamps each event on
// arrival, so the thread that writes (and measures write latency) is not the one decoding a
// thousand TLS streams. Times are process.hrtime-based milliseconds, one monotonic clock shared by
// every thread of the process.
import { Agent, request } from 'node:https';
import { parentPort, workerData } from 'node:worker_threads';

export interface WatchClientsInput {
  url: string;
  path: string;
  watchers: number;
  /** Events each watcher must see before the worker reports. */
  events: number;
  tls: { ca: string; cert: string; key: string };
}

/** Messages to the parent: opened, then the latency samples (ms) once all events arrived or on `stop`. */
export type WatchClientsMessage = { kind: 'open'; seconds: number } | { kind: 'done'; samples: Float64Array; delivered: number };

export const nowMs = (): number => Number(process.hrtime.bigint()) / 1e6;

function main(input: WatchClientsInput): void {
  const url = new URL(input.url);
  const agent = new Agent({ ...input.tls, keepAlive: false, maxSockets: input.watchers + 16 });
  const expected = input.watchers * input.events;
  const samples = new Float64Array(expected);
  let delivered = 0;
  const streams: { destroy(): void }[] = [];
  let reported = false;
  const report = (): void => {
    if (reported) return;
    reported = true;
    for (const s of streams) s.destroy();
    agent.destroy();
    parentPort!.postMessage({ kind: 'done', samples: samples.slice(0, delivered), delivered } satisfies WatchClientsMessage);
  };
  parentPort!.on('message', (m: string) => m === 'stop' && report());

  const marker = Buffer.from('"sentAt":"');
  const open = (): Promise<void> => new Promise((resolve, reject) => {
    const req = request({ agent, hostname: url.hostname, port: url.port, method: 'GET', path: input.path, headers: { Accept: 'application/json' } }, (r) => {
      if (r.statusCode !== 200) return reject(new Error(`watch: ${r.statusCode}`));
      let carry: Buffer | undefined;
      r.on('data', (chunk: Buffer) => {
        const now = nowMs();
        const buf = carry ? Buffer.concat([carry, chunk]) : chunk;
        let start = 0;
        let nl: number;
        // Cheap extraction on bytes: a JSON.parse per event would add client time to the latency.
        while ((nl = buf.indexOf(10, start)) >= 0) {
          const at = buf.indexOf(marker, start);
          if (at >= 0 && at < nl) {
            const from = at + marker.length;
            samples[delivered++] = now - Number(buf.toString('latin1', from, buf.indexOf(34, from)));
            if (delivered === expected) report();
          }
          start = nl + 1;
        }
        carry = start < buf.length ? buf.subarray(start) : undefined;
      });
      r.on('error', () => undefined);
      resolve();
    });
    req.on('error', reject);
    streams.push(req);
    req.end();
  });

  const t0 = nowMs();
  let next = 0;
  const opener = async (): Promise<void> => {
    while (next < input.watchers) {
      next++;
      await open();
    }
  };
  Promise.all(Array.from({ length: 50 }, opener)).then(
    () => parentPort!.postMessage({ kind: 'open', seconds: (nowMs() - t0) / 1000 } satisfies WatchClientsMessage),
    (err: unknown) => { throw err; },
  );
}

if (parentPort && workerData) main(workerData as WatchClientsInput);
