// The channel protocols of k8s.io/apimachinery/pkg/util/remotecommand and wsstream: every
// WebSocket message is binary, byte 0 names the channel and the rest is payload.
// exec/attach: 0 stdin, 1 stdout, 2 stderr, 3 error (one Status JSON), 4 resize; v5 adds the
// client's close signal [255, channel] (half-close of one stream, e.g. stdin EOF).
import type { TerminalSize } from '../runtime/index.js';

export const STDIN = 0;
export const STDOUT = 1;
export const STDERR = 2;
export const ERROR = 3;
export const RESIZE = 4;
/** v5 only: [255, channel] = the sender will write nothing more on that channel. */
export const CLOSE = 255;

export const V5 = 'v5.channel.k8s.io';
export const V4 = 'v4.channel.k8s.io';
/** kubectl 1.31+ port-forward: SPDY/3.1 frames carried in WebSocket binary messages. */
export const SPDY_PORTFORWARD_TUNNEL = 'SPDY/3.1+portforward.k8s.io';
export const PORTFORWARD = 'portforward.k8s.io';

/** exec/attach protocols we speak over WebSocket, most preferred first. */
export const EXEC_WS_PROTOCOLS = [V5, V4];
/** port-forward protocols over WebSocket (the channel form is what client-node speaks). */
export const PORTFORWARD_WS_PROTOCOLS = [SPDY_PORTFORWARD_TUNNEL, V4];

/**
 * Picks the protocol: the first one the client offered that the server supports, as
 * httpstream/wsstream negotiate. undefined when nothing matches.
 */
export function negotiate(offered: Iterable<string>, supported: readonly string[]): string | undefined {
  for (const p of offered) if (supported.includes(p.trim())) return p.trim();
  return undefined;
}

/** One message: channel byte + payload. */
export function encodeFrame(channel: number, payload: Buffer | string = Buffer.alloc(0)): Buffer {
  const body = typeof payload === 'string' ? Buffer.from(payload) : payload;
  const out = Buffer.allocUnsafe(body.length + 1);
  out[0] = channel;
  body.copy(out, 1);
  return out;
}

/** Splits a message; null for an empty message (no channel byte), which peers ignore. */
export function decodeFrame(msg: Buffer): { channel: number; payload: Buffer } | null {
  if (msg.length === 0) return null;
  return { channel: msg[0]!, payload: msg.subarray(1) };
}

/** The resize channel carries `{"Width":w,"Height":h}` (remotecommand.TerminalSize), newline-ended. */
export function parseResize(payload: Buffer | string): TerminalSize | null {
  try {
    const o = JSON.parse(payload.toString()) as { Width?: unknown; Height?: unknown };
    if (typeof o.Width !== 'number' || typeof o.Height !== 'number') return null;
    return { width: o.Width, height: o.Height };
  } catch {
    return null;
  }
}

/** Several resize messages may arrive in one payload (SPDY resize stream): one JSON per line/object. */
export function splitResizes(text: string): TerminalSize[] {
  const out: TerminalSize[] = [];
  for (const m of text.matchAll(/\{[^{}]*\}/g)) {
    const s = parseResize(m[0]);
    if (s) out.push(s);
  }
  return out;
}

/** The port-forward channel protocol's first message on a channel: the port, uint16 little-endian. */
export function encodePortPrefix(channel: number, port: number): Buffer {
  const b = Buffer.alloc(3);
  b[0] = channel;
  b.writeUInt16LE(port, 1);
  return b;
}

/** Status JSON on the error channel: what client-go's v4 error decoder reads. */
export type ExitStatus = Record<string, unknown>;

/**
 * The Status for a finished command, as upstream's remotecommand server writes it: Success for 0;
 * Failure/NonZeroExitCode with an ExitCode cause otherwise; a plain Failure for other errors.
 */
export function exitStatus(result: { exitCode: number } | { error: string }): ExitStatus {
  if ('error' in result) {
    return { metadata: {}, status: 'Failure', message: result.error, reason: 'InternalError', code: 500,
      details: { causes: [{ message: result.error }] } };
  }
  if (result.exitCode === 0) return { metadata: {}, status: 'Success' };
  return {
    metadata: {}, status: 'Failure',
    message: `command terminated with non-zero exit code: exit status ${result.exitCode}`,
    reason: 'NonZeroExitCode',
    details: { causes: [{ reason: 'ExitCode', message: String(result.exitCode) }] },
  };
}
