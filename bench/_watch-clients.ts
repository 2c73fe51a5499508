// Worker thread for the watch fan-out case: holds the watch connections and timestamps each event on
// arrival, so the thread that writes (and measures write latency) is not the one decoding a
// thousand TLS streams. Times are process.hrtime-based milliseconds, one monotonic clock shared by
// every thread of the process.
import { connect } from 'node:tls';
import { parentPort, workerData } from 'node:worker_threads';

export interface WatchClientsInput {
  /** Where to watch; with several, the watchers are spread over them in turn. */
  url: string | string[];
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
  const urls = (Array.isArray(input.url) ? input.url : [input.url]).map((u) => new URL(u));
  const expected = input.watchers * input.events;
  const samples = new Float64Array(expected);
  let delivered = 0;
  const streams: { destroy(): void }[] = [];
  let reported = false;
  const report = (): void => {
    if (reported) return;
    reported = true;
    for (const s of streams) s.destroy();
    parentPort!.postMessage({ kind: 'done', samples: samples.slice(0, delivered), delivered } satisfies WatchClientsMessage);
  };
  parentPort!.on('message', (m: string) => m === 'stop' && report());

  const marker = Buffer.from('"sentAt":"');
  const head = (url: URL): Buffer => Buffer.from(`GET ${input.path} HTTP/1.1\r\nHost: ${url.host}\r\nAccept: application/json\r\nUser-Agent: skiff-bench\r\n\r\n`);
  // Raw TLS connections rather than node:https: the watchers only need the arrival time of each
  // event, and http's parser and stream layers add client CPU per event, time that then shows up
  // as delivery latency on a machine where client and server share two cores.
  const open = (url: URL): Promise<void> => new Promise((resolve, reject) => {
    const sock = connect({ host: url.hostname, port: Number(url.port), ...input.tls });
    streams.push(sock);
    let headerDone = false;
    let carry: Buffer | undefined;
    sock.once('secureConnect', () => sock.write(head(url)));
    sock.on('error', reject);
    sock.on('data', (chunk: Buffer) => {
      const now = nowMs();
      const buf = carry ? Buffer.concat([carry, chunk]) : chunk;
      let start = 0;
      if (!headerDone) {
        const end = buf.indexOf('\r\n\r\n');
        if (end < 0) { carry = buf; return; }
        const status = buf.toString('latin1', 0, buf.indexOf('\r\n'));
        if (!/^HTTP\/1\.1 200 /.test(status)) return reject(new Error(`watch: ${status}`));
        headerDone = true;
        resolve();
        start = end + 4;
      }
      let nl: number;
      // Cheap extraction on bytes: a JSON.parse per event would add client time to the latency.
      // Chunk-size lines carry no marker, so the chunked framing needs no decoding here.
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
  });

  const t0 = nowMs();
  let next = 0;
  const opener = async (): Promise<void> => {
    while (next < input.watchers) {
      await open(urls[next++ % urls.length]!);
    }
  };
  Promise.all(Array.from({ length: 50 }, opener)).then(
    () => parentPort!.postMessage({ kind: 'open', seconds: (nowMs() - t0) / 1000 } satisfies WatchClientsMessage),
    (err: unknown) => { throw err; },
  );
}

if (parentPort && workerData) main(workerData as WatchClientsInput);
