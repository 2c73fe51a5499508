// The CRI container log format (kubernetes/design-proposals "kubelet-cri-logging"; containerd's
// pkg/cri/io/logger.go): one line per record,
//   2016-10-06T00:17:09.669794202Z stdout F message
// with tag F for a full line and P for a partial one (a line longer than maxLineBytes, or cut by a
// flush). The trailing newline of a full line is not part of the message.
import { createWriteStream, mkdirSync, type WriteStream } from 'node:fs';
import { dirname } from 'node:path';
import type { Clock } from '../../util/clock.js';

export type LogStream = 'stdout' | 'stderr';

/** containerd's default max_container_log_line_size. */
export const DEFAULT_MAX_LINE_BYTES = 16 * 1024;

/** RFC 3339 with nine fractional digits, UTC (Go's RFC3339Nano reads it; we only know milliseconds). */
export function criTimestamp(ms: number): string {
  const iso = new Date(ms).toISOString(); // 2016-10-06T00:17:09.669Z
  return iso.slice(0, 23) + '000000Z';
}

/** Formats one record. */
export function formatCriLine(ms: number, stream: LogStream, partial: boolean, content: Buffer | string): Buffer {
  const head = Buffer.from(`${criTimestamp(ms)} ${stream} ${partial ? 'P' : 'F'} `);
  const body = typeof content === 'string' ? Buffer.from(content) : content;
  return Buffer.concat([head, body, Buffer.from('\n')]);
}

export interface CriLogRecord {
  time: string;
  stream: LogStream;
  partial: boolean;
  content: string;
}

/** Parses one record; null when the line is not in CRI format. */
export function parseCriLine(line: string): CriLogRecord | null {
  const m = /^(\S+) (stdout|stderr) ([PF]) (.*)$/s.exec(line);
  if (!m) return null;
  return { time: m[1]!, stream: m[2] as LogStream, partial: m[3] === 'P', content: m[4]! };
}

/** Parses a whole log file and joins partial records into the messages the program wrote. */
export function readCriLog(text: string): { stream: LogStream; message: string }[] {
  const out: { stream: LogStream; message: string }[] = [];
  const pending: Record<LogStream, string> = { stdout: '', stderr: '' };
  for (const line of text.split('\n')) {
    if (!line) continue;
    const r = parseCriLine(line);
    if (!r) continue;
    if (r.partial) {
      pending[r.stream] += r.content;
      continue;
    }
    out.push({ stream: r.stream, message: pending[r.stream] + r.content });
    pending[r.stream] = '';
  }
  return out;
}

/**
 * Writes a container's stdout/stderr to a CRI log file, splitting chunks into records. A chunk's
 * unterminated tail waits for its newline; end(stream) flushes it as a full record, as containerd
 * does at EOF.
 */
export class CriLogWriter {
  private out: WriteStream | null = null;
  private readonly pending: Record<LogStream, Buffer> = { stdout: Buffer.alloc(0), stderr: Buffer.alloc(0) };

  constructor(
    readonly path: string,
    private readonly clock: Clock,
    private readonly maxLineBytes = DEFAULT_MAX_LINE_BYTES,
  ) {
    this.open();
  }

  write(stream: LogStream, chunk: Buffer): void {
    let buf = this.pending[stream].length ? Buffer.concat([this.pending[stream], chunk]) : chunk;
    const now = this.clock.now();
    const records: Buffer[] = [];
    for (;;) {
      const nl = buf.indexOf(0x0a);
      if (nl >= 0 && nl <= this.maxLineBytes) {
        records.push(formatCriLine(now, stream, false, buf.subarray(0, nl)));
        buf = buf.subarray(nl + 1);
      } else if (buf.length > this.maxLineBytes) {
        records.push(formatCriLine(now, stream, true, buf.subarray(0, this.maxLineBytes)));
        buf = buf.subarray(this.maxLineBytes);
      } else break;
    }
    this.pending[stream] = Buffer.from(buf);
    if (records.length) this.out?.write(Buffer.concat(records));
  }

  /** The stream reached EOF: its unterminated tail becomes a full record. */
  end(stream: LogStream): void {
    const rest = this.pending[stream];
    if (!rest.length) return;
    this.pending[stream] = Buffer.alloc(0);
    this.out?.write(formatCriLine(this.clock.now(), stream, false, rest));
  }

  /** Reopens the file (after the kubelet rotated it away). */
  reopen(): void {
    this.out?.end();
    this.open();
  }

  /** Flushes tails and closes; resolves once everything is on disk. */
  async close(): Promise<void> {
    this.end('stdout');
    this.end('stderr');
    const out = this.out;
    this.out = null;
    if (!out) return;
    await new Promise<void>((resolve) => out.end(resolve));
  }

  private open(): void {
    mkdirSync(dirname(this.path), { recursive: true });
    const out = createWriteStream(this.path, { flags: 'a' });
    // A log disk error must not take the kubelet down; the container keeps running.
    out.on('error', () => {});
    this.out = out;
  }
}
