// Serving a container's CRI log file as `kubectl logs` expects, after upstream's kuberuntime
// logs.ReadLogs: tailLines counts raw file lines from the end; sinceSeconds/sinceTime drop older
// records; timestamps prefixes each record with its RFC3339Nano time (nine digits); limitBytes cuts
// the output; a full record (F) ends with a newline, a partial one (P) does not; follow keeps
// reading as the file grows until the container stops running or the client goes away.
import { open, stat, type FileHandle } from 'node:fs/promises';
import type { Writable } from 'node:stream';
import { errors } from '../../util/errors.js';
import type { Clock } from '../../util/clock.js';
import { parseCriLine } from '../runtime/crilog.js';

export interface LogOptions {
  container?: string;
  follow: boolean;
  previous: boolean;
  timestamps: boolean;
  /** Lines from the end; undefined = everything. */
  tailLines?: number;
  /** Records older than this (ms since epoch) are skipped. */
  sinceMs?: number;
  limitBytes?: number;
}

function boolParam(q: URLSearchParams, name: string): boolean {
  const v = q.get(name);
  return v !== null && v !== 'false' && v !== '0';
}

function intParam(q: URLSearchParams, name: string): number | undefined {
  const v = q.get(name);
  if (v === null || v === '') return undefined;
  if (!/^-?\d+$/.test(v)) throw errors.badRequest(`invalid value for ${name}: ${JSON.stringify(v)}`);
  return Number(v);
}

/** RFC 3339 to ms, keeping sub-millisecond digits out (we compare at ms precision). */
export function parseRfc3339(s: string): number | undefined {
  if (!/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?(Z|[+-]\d\d:\d\d)$/.test(s)) return undefined;
  const ms = Date.parse(s.replace(/(\.\d{3})\d+/, '$1'));
  return Number.isNaN(ms) ? undefined : ms;
}

/**
 * PodLogOptions from the query, validated as upstream's ValidatePodLogOptions (the kind and name
 * of the Invalid error are the API server's; the kubelet answers 400 with the same text).
 */
export function parseLogOptions(q: URLSearchParams, now: number): LogOptions {
  const opts: LogOptions = {
    follow: boolParam(q, 'follow'),
    previous: boolParam(q, 'previous'),
    timestamps: boolParam(q, 'timestamps'),
  };
  const container = q.get('container');
  if (container) opts.container = container;
  const tail = intParam(q, 'tailLines');
  const limit = intParam(q, 'limitBytes');
  const sinceSeconds = intParam(q, 'sinceSeconds');
  const sinceTime = q.get('sinceTime');
  const bad: { field: string; value: unknown; detail: string }[] = [];
  if (tail !== undefined && tail < 0) bad.push({ field: 'tailLines', value: tail, detail: 'must be greater than or equal to 0' });
  if (limit !== undefined && limit < 1) bad.push({ field: 'limitBytes', value: limit, detail: 'must be greater than 0' });
  if (sinceSeconds !== undefined && sinceSeconds < 1) bad.push({ field: 'sinceSeconds', value: sinceSeconds, detail: 'must be greater than 0' });
  if (sinceSeconds !== undefined && sinceTime) bad.push({ field: '', value: undefined, detail: 'at most one of `sinceTime` or `sinceSeconds` may be specified' });
  let sinceTimeMs: number | undefined;
  if (sinceTime) {
    sinceTimeMs = parseRfc3339(sinceTime);
    if (sinceTimeMs === undefined) throw errors.badRequest(`parsing time "${sinceTime}" as RFC3339: cannot parse`);
  }
  if (bad.length) {
    throw errors.invalid('PodLogOptions', '', '', bad.map((b) => ({
      reason: 'FieldValueInvalid',
      field: b.field,
      message: b.field ? `Invalid value: ${JSON.stringify(b.value)}: ${b.detail}` : b.detail,
    })));
  }
  if (tail !== undefined) opts.tailLines = tail;
  if (limit !== undefined) opts.limitBytes = limit;
  if (sinceSeconds !== undefined) opts.sinceMs = now - sinceSeconds * 1000;
  if (sinceTimeMs !== undefined) opts.sinceMs = sinceTimeMs;
  return opts;
}

/** Go's RFC3339NanoFixed: always nine fractional digits. */
export function fixedNano(ts: string): string {
  const m = /^(.*T\d\d:\d\d:\d\d)(?:\.(\d+))?(Z|[+-]\d\d:\d\d)$/.exec(ts);
  if (!m) return ts;
  return `${m[1]}.${(m[2] ?? '').padEnd(9, '0').slice(0, 9)}${m[3]}`;
}

/** Byte offset where the last n lines of buf start (upstream tail.FindTailLineStartIndex). */
export function tailStart(buf: Buffer, n: number): number {
  let end = buf.length;
  // A final newline ends the last line; it does not start an empty one.
  if (end > 0 && buf[end - 1] === 0x0a) end--;
  let count = 0;
  for (let i = end - 1; i >= 0; i--) {
    if (buf[i] === 0x0a) {
      count++;
      if (count === n) return i + 1;
    }
  }
  return n === 0 ? buf.length : 0;
}

/** Turns CRI log lines into output bytes, tracking the byte limit. */
export class LogFormatter {
  private remain: number;
  done = false;

  constructor(private readonly opts: LogOptions) {
    this.remain = opts.limitBytes ?? Infinity;
  }

  /** Output for one raw file line (without its newline); empty when skipped. */
  format(line: string): Buffer {
    if (this.done) return Buffer.alloc(0);
    const rec = parseCriLine(line);
    if (!rec) return Buffer.alloc(0);
    if (this.opts.sinceMs !== undefined) {
      const t = parseRfc3339(rec.time);
      if (t !== undefined && t < this.opts.sinceMs) return Buffer.alloc(0);
    }
    let out = Buffer.from((this.opts.timestamps ? fixedNano(rec.time) + ' ' : '') + rec.content + (rec.partial ? '' : '\n'));
    if (out.length > this.remain) out = out.subarray(0, this.remain);
    this.remain -= out.length;
    if (this.remain <= 0) this.done = true;
    return out;
  }
}

export interface FollowControl {
  clock: Clock;
  /** Aborted when the client went away. */
  signal: AbortSignal;
  /** Whether the container still runs; following stops once it does not. */
  isRunning(): Promise<boolean>;
  /** How often to look for new bytes (ms). */
  pollMs?: number;
}

function write(out: Writable, b: Buffer): Promise<void> {
  if (!b.length) return Promise.resolve();
  return new Promise((resolve) => {
    if (out.write(b)) return resolve();
    // A client that went away never drains: give up then too, or a follow would wait forever.
    const done = () => {
      for (const ev of ['drain', 'close', 'error'] as const) out.off(ev, done);
      resolve();
    };
    for (const ev of ['drain', 'close', 'error'] as const) out.on(ev, done);
  });
}

/** Reads the log at path into out according to opts. Does not end out. */
export async function streamLog(path: string, opts: LogOptions, out: Writable, follow?: FollowControl): Promise<void> {
  let fh: FileHandle = await open(path, 'r');
  try {
    const fmt = new LogFormatter(opts);
    let pos = 0;
    if (opts.tailLines !== undefined) {
      const all = await fh.readFile();
      pos = tailStart(all, opts.tailLines);
    }
    // Tail without follow stops after that many records (upstream's limitedMode).
    let budget = opts.tailLines !== undefined && !opts.follow ? opts.tailLines : Infinity;
    let pending = Buffer.alloc(0);
    const chunk = Buffer.alloc(64 * 1024);
    let lastRunning = true;
    for (;;) {
      const { bytesRead } = await fh.read(chunk, 0, chunk.length, pos);
      if (bytesRead > 0) {
        pos += bytesRead;
        pending = Buffer.concat([pending, chunk.subarray(0, bytesRead)]);
        let nl: number;
        while ((nl = pending.indexOf(0x0a)) >= 0 && budget > 0 && !fmt.done) {
          const line = pending.subarray(0, nl).toString('utf8');
          pending = pending.subarray(nl + 1);
          await write(out, fmt.format(line));
          budget--;
        }
        if (budget <= 0 || fmt.done) return;
        continue;
      }
      // At EOF.
      if (!opts.follow || !follow || follow.signal.aborted || !lastRunning) {
        // An unterminated last line is still a record (upstream parses what it read).
        if (pending.length && budget > 0 && !fmt.done) await write(out, fmt.format(pending.toString('utf8')));
        return;
      }
      lastRunning = await follow.isRunning().catch(() => false);
      if (!lastRunning) continue; // one more pass picks up what the container wrote last
      try {
        await follow.clock.sleep(follow.pollMs ?? 200, follow.signal);
      } catch {
        return;
      }
      // Rotation: the file at path was replaced or truncated; continue with the new one.
      const [now, cur] = await Promise.all([stat(path).catch(() => null), fh.stat()]);
      if (now && (now.ino !== cur.ino || now.size < pos)) {
        await fh.close();
        fh = await open(path, 'r');
        pos = 0;
        pending = Buffer.alloc(0);
      }
    }
  } finally {
    await fh.close().catch(() => {});
  }
}
