// exec/attach over plain SPDY/3.1 (kubectl ≤ 1.29, and the fallback of newer ones): the client opens
// one stream per channel, named by the `streamtype` header — error, stdin, stdout, stderr (not with
// a tty), resize (with a tty). Output goes as DATA on stdout/stderr followed by FIN, then the Status
// JSON on the error stream and FIN (kubectl-wire §11.5; upstream remotecommand v4 server).
import { Writable } from 'node:stream';
import type { TerminalSize } from '../runtime/index.js';
import { splitResizes } from './channel.js';
import type { CommandRequest, CommandStreams } from './remotecommand.js';
import type { SpdyStream } from './spdy/connection.js';

function streamWriter(s: SpdyStream): Writable {
  return new Writable({
    write(chunk: Buffer, _enc, cb) {
      if (s.write(chunk)) cb();
      else s.onceDrain(() => cb());
    },
    final(cb) {
      s.end();
      cb();
    },
  });
}

/** The stream types the client will open for this request. */
export function expectedStreamTypes(req: CommandRequest): string[] {
  const want = ['error'];
  if (req.stdin) want.push('stdin');
  if (req.stdout) want.push('stdout');
  if (req.stderr && !req.tty) want.push('stderr');
  if (req.tty) want.push('resize');
  return want;
}

/**
 * Collects the client's streams; resolves once every expected one arrived (upstream waits up to
 * its stream-creation timeout, then fails the request).
 */
export class SpdyStreamCollector {
  private readonly got = new Map<string, SpdyStream>();
  private resolveAll?: (m: Map<string, SpdyStream>) => void;
  readonly all: Promise<Map<string, SpdyStream>>;

  constructor(private readonly want: string[]) {
    this.all = new Promise((r) => (this.resolveAll = r));
  }

  add(s: SpdyStream): void {
    const t = s.headers['streamtype'] ?? '';
    if (!this.want.includes(t)) {
      s.cancel();
      return;
    }
    this.got.set(t, s);
    if (this.want.every((w) => this.got.has(w))) this.resolveAll?.(this.got);
  }
}

export function spdyCommandStreams(streams: Map<string, SpdyStream>, req: CommandRequest, onGoneHook: (fn: () => void) => void, onFinished: () => void): CommandStreams {
  const error = streams.get('error')!;
  const resize = streams.get('resize');
  const resizeFns: ((s: TerminalSize) => void)[] = [];
  if (resize) {
    let text = '';
    resize.data.on('data', (c: Buffer) => {
      text += c.toString();
      const end = text.lastIndexOf('}');
      if (end < 0) return;
      for (const size of splitResizes(text.slice(0, end + 1))) for (const fn of resizeFns) fn(size);
      text = text.slice(end + 1);
    });
  }
  const stdinStream = streams.get('stdin');
  const stdoutStream = streams.get('stdout');
  const stderrStream = streams.get('stderr');
  return {
    ...(req.stdin && stdinStream ? { stdin: stdinStream.data } : {}),
    ...(stdoutStream ? { stdout: streamWriter(stdoutStream) } : {}),
    ...(stderrStream ? { stderr: streamWriter(stderrStream) } : {}),
    onResize: (fn) => resizeFns.push(fn),
    onGone: onGoneHook,
    finish(status) {
      stdoutStream?.end();
      stderrStream?.end();
      error.write(Buffer.from(JSON.stringify(status)));
      error.end();
      // The client resets its streams and sends GOAWAY once it has read everything; the caller
      // closes the session then (or after a grace period).
      onFinished();
    },
  };
}
