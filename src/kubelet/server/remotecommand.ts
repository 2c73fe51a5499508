// Runs one exec/attach conversation between a client transport (WebSocket channels or SPDY
// streams) and a runtime StreamSession, as upstream's remotecommand server does: copy stdin in,
// stdout/stderr out, apply resizes, and when the process is done and its output drained, write one
// Status on the error channel (exit code as NonZeroExitCode) and end.
import { PassThrough, type Readable, type Writable } from 'node:stream';
import { realClock, type Clock } from '../../util/clock.js';
import type { StreamSession, TerminalSize } from '../runtime/index.js';
import { exitStatus, type ExitStatus } from './channel.js';

/** What a transport offers the command: the client's side of each stream. */
export interface CommandStreams {
  /** Bytes the client types; ends at the client's stdin EOF. */
  stdin?: Readable;
  stdout?: Writable;
  stderr?: Writable;
  /** Subscribes to terminal resizes. */
  onResize(fn: (size: TerminalSize) => void): void;
  /** Subscribes to the client going away before the end. */
  onGone(fn: () => void): void;
  /** Writes the Status on the error stream and ends the conversation. */
  finish(status: ExitStatus): void;
}

export interface CommandRequest {
  kind: 'exec' | 'attach';
  stdin: boolean;
  stdout: boolean;
  stderr: boolean;
  tty: boolean;
}

/**
 * How long output may keep flowing after the process exited (a background child still holding the
 * pipe must not keep the client waiting forever).
 */
const DRAIN_AFTER_EXIT_MS = 2000;

/** Waits for a readable to end (or error / close). */
function ended(r: Readable): Promise<void> {
  return new Promise((resolve) => {
    if (r.readableEnded || r.destroyed) return resolve();
    r.once('end', resolve);
    r.once('close', resolve);
    r.once('error', () => resolve());
  });
}

/** Copies r into w chunk by chunk, honouring backpressure, without ending w. */
function copy(r: Readable, w: Writable): void {
  r.on('data', (c: Buffer) => {
    if (!w.write(c)) {
      r.pause();
      w.once('drain', () => r.resume());
    }
  });
}

/**
 * Takes hold of a session's output at once. Node resumes (and so discards) a child's unread stdio
 * when it exits, so output of a quick command would be lost while the client is still opening its
 * streams; PassThroughs keep it (with backpressure) until the transport is ready.
 */
export function holdOutput(session: StreamSession): StreamSession {
  const hold = (r: Readable | undefined): Readable | undefined => {
    if (!r) return undefined;
    const p = new PassThrough();
    r.on('error', (err) => p.destroy(err));
    r.pipe(p);
    return p;
  };
  const stdout = hold(session.stdout);
  const stderr = hold(session.stderr);
  return {
    ...(session.stdin ? { stdin: session.stdin } : {}),
    ...(stdout ? { stdout } : {}),
    ...(stderr ? { stderr } : {}),
    resize: (size) => session.resize(size),
    exitCode: session.exitCode,
    close: () => session.close(),
  };
}

export async function runCommand(
  open: () => Promise<StreamSession>, streams: CommandStreams, req: CommandRequest, clock: Clock = realClock,
): Promise<void> {
  let session: StreamSession;
  try {
    session = await open();
  } catch (err) {
    streams.finish(exitStatus({ error: err instanceof Error ? err.message : String(err) }));
    return;
  }
  let gone = false;
  streams.onGone(() => {
    gone = true;
    session.close();
  });
  streams.onResize((s) => session.resize(s));

  if (streams.stdin && session.stdin) {
    const sin = session.stdin;
    sin.on('error', () => {});
    streams.stdin.on('data', (c: Buffer) => {
      if (!sin.writableEnded && !sin.destroyed) sin.write(c);
    });
    streams.stdin.on('end', () => {
      if (!sin.writableEnded && !sin.destroyed) sin.end();
    });
  }
  const outputs: Promise<void>[] = [];
  const pairs: [Readable | undefined, Writable | undefined][] = [[session.stdout, streams.stdout], [session.stderr, streams.stderr]];
  for (const [from, to] of pairs) {
    if (!from) continue;
    if (to) copy(from, to);
    else from.resume();
    outputs.push(ended(from));
  }

  const code = await session.exitCode.catch(() => -1);
  await Promise.race([
    Promise.all(outputs),
    new Promise<void>((resolve) => clock.setTimer(DRAIN_AFTER_EXIT_MS, resolve)),
  ]);
  if (gone) return;
  session.close();
  // Attach reports how the attachment ended, not the container's exit code (upstream's attach
  // returns nil when the streams close).
  streams.finish(exitStatus({ exitCode: req.kind === 'attach' || code < 0 ? 0 : code }));
}
