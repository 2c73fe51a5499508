// Client side of a CRI runtime's streaming server (containerd 1.6 serves k8s.io/kubelet's
// pkg/cri/streaming on 127.0.0.1:<random>): the URLs that CRI Exec, Attach and PortForward return
// are single-use and speak remotecommand/portforward over WebSocket, subprotocol
// `v4.channel.k8s.io` (runtime-spike §6).
//
// Framing (apiserver wsstream/conn.go): every binary message starts with one channel byte.
//   exec/attach: 0 stdin, 1 stdout, 2 stderr, 3 error (a v1 Status JSON once the process ends),
//                4 resize (JSON {"Width","Height"}). The server sends an empty frame on the lowest
//                writable channel once the session is ready.
//   port-forward: per requested port i, channel 2i data and 2i+1 error; the first frame the server
//                sends on each carries the port, uint16 little endian (portforward/websocket.go).
// v4 WebSocket has no way to half-close (that arrived with v5, which containerd 1.6 refuses with
// 403), so by default a session with stdin, and port-forward, go over SPDY/3.1 instead (the same
// channels as SPDY streams named by a `streamType` header; ending our side sends FIN): see
// spdyclient.ts and CriStreamsOptions.transport.
import { Duplex, PassThrough, Writable } from 'node:stream';
import WebSocket from 'ws';
import type { AttachRequest, ExecRequest, StreamSession, TerminalSize } from '../interface.js';
import { errors, StatusError } from '../../../util/errors.js';
import type { Logger } from '../../../util/log.js';
import { SpdyConnection } from './spdyclient.js';

export interface CriStreams {
  exec(url: string, req: ExecRequest): Promise<StreamSession>;
  attach(url: string, req: AttachRequest): Promise<StreamSession>;
  /** A byte stream to `port` of the sandbox whose PortForward returned url (CRI request with that port). */
  portForward(url: string, port: number): Promise<Duplex>;
}

const CHANNEL_PROTOCOL = 'v4.channel.k8s.io';
const PORT_FORWARD_PROTOCOL = 'portforward.k8s.io';
const STDIN = 0;
const STDOUT = 1;
const STDERR = 2;
const ERROR = 3;
const RESIZE = 4;

/** http(s)://… → ws(s)://… (the streaming server answers the upgrade on the same URL). */
export function wsUrl(url: string): string {
  const u = new URL(url);
  if (u.protocol === 'http:') u.protocol = 'ws:';
  else if (u.protocol === 'https:') u.protocol = 'wss:';
  else if (u.protocol !== 'ws:' && u.protocol !== 'wss:') throw errors.badRequest(`streaming URL ${url}: unsupported scheme ${u.protocol}`);
  return u.toString();
}

/**
 * Exit code from the error channel's v1 Status (remotecommand v4): Success → 0, NonZeroExitCode
 * → its ExitCode cause; any other failure (exec could not start, …) is thrown as a StatusError.
 */
export function exitCodeFromStatus(text: string): number {
  let st: { status?: string; reason?: string; message?: string; details?: { causes?: Array<{ reason?: string; message?: string }> } };
  try {
    st = JSON.parse(text) as typeof st;
  } catch {
    // v1-v3 servers wrote a plain error message on this channel.
    throw errors.internal(`stream error: ${text}`);
  }
  if (st.status === 'Success') return 0;
  if (st.reason === 'NonZeroExitCode') {
    const cause = st.details?.causes?.find((c) => c.reason === 'ExitCode');
    const code = Number(cause?.message);
    if (Number.isInteger(code)) return code;
  }
  throw new StatusError(500, 'InternalError', st.message ?? `stream failed: ${text}`);
}

function frame(channel: number, data: Uint8Array | string): Buffer {
  const body = typeof data === 'string' ? Buffer.from(data) : data;
  const out = Buffer.allocUnsafe(body.length + 1);
  out[0] = channel;
  out.set(body, 1);
  return out;
}

function toBuffer(data: WebSocket.RawData): Buffer {
  if (Buffer.isBuffer(data)) return data;
  if (Array.isArray(data)) return Buffer.concat(data);
  return Buffer.from(data);
}

/**
 * Opens the WebSocket and resolves to setup(ws) once the server accepted the upgrade. setup runs
 * inside the 'open' event: the server writes its first frames (and may even close) right after the
 * 101, possibly in the same TCP segment, and ws emits them before any awaiting code could listen.
 */
function open<T>(url: string, protocols: string[], setup: (ws: WebSocket) => T, log?: Logger): Promise<T> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(wsUrl(url), protocols, { perMessageDeflate: false, handshakeTimeout: 10_000 });
    let refused = false;
    ws.once('open', () => {
      ws.removeAllListeners('error');
      resolve(setup(ws));
    });
    ws.once('unexpected-response', (req, res) => {
      // 404: token unknown or already used (tokens are single-use); 403: no common subprotocol.
      refused = true;
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (d: string) => { body += d; });
      res.on('end', () => {
        const msg = `streaming server answered ${res.statusCode}${body.trim() ? `: ${body.trim()}` : ''}`;
        log?.v(4).info('stream upgrade refused', { url, status: res.statusCode });
        reject(res.statusCode === 404 ? errors.notFoundPath(msg) : errors.internal(msg));
        req.destroy();
      });
    });
    ws.on('error', (e) => {
      if (!refused) reject(errors.internal(`streaming connection to ${url}: ${e.message}`));
    });
  });
}

interface SessionOptions {
  tty: boolean;
  stdin: boolean;
  stdout: boolean;
  stderr: boolean;
  /** exec: a missing status is an error; attach: the container ended or we detached. */
  kind: 'exec' | 'attach';
}

function session(ws: WebSocket, o: SessionOptions, log?: Logger): StreamSession {
  const stdout = o.stdout ? new PassThrough() : undefined;
  // With a tty the server merges stderr into stdout and has no stderr channel.
  const stderr = o.stderr && !o.tty ? new PassThrough() : undefined;
  let statusText = '';
  let closedByUs = false;

  const readers = [stdout, stderr].filter((s): s is PassThrough => !!s);
  // Backpressure: stop reading the socket while a consumer is behind.
  for (const r of readers) r.on('drain', () => ws.resume());

  ws.on('message', (raw) => {
    const data = toBuffer(raw);
    if (data.length === 0) return;
    const payload = data.subarray(1);
    const target = data[0] === STDOUT ? stdout : data[0] === STDERR ? stderr : undefined;
    if (target) {
      if (payload.length > 0 && !target.write(payload)) ws.pause();
    } else if (data[0] === ERROR) {
      statusText += payload.toString('utf8');
    }
  });

  const exitCode = new Promise<number>((resolve, reject) => {
    const finish = (err?: Error) => {
      for (const r of readers) r.end();
      if (err) return reject(err);
      if (statusText) {
        try {
          return resolve(exitCodeFromStatus(statusText));
        } catch (e) {
          return reject(e as Error);
        }
      }
      // No status: we closed the session (attach: detached), or the server went away.
      if (closedByUs || o.kind === 'attach') return resolve(-1);
      reject(errors.internal('stream closed before the process reported its exit status'));
    };
    ws.once('close', () => finish());
    ws.on('error', (e) => {
      log?.v(4).info('stream error', { error: e });
      ws.terminate();
    });
  });
  // Callers that only read output must not crash the process with an unhandled rejection.
  exitCode.catch(() => undefined);

  let stdin: Writable | undefined;
  if (o.stdin) {
    stdin = new Writable({
      write(chunk: Buffer, _enc, cb) {
        if (ws.readyState !== WebSocket.OPEN) return cb();
        ws.send(frame(STDIN, chunk), { binary: true }, () => cb());
      },
      // No half-close in v4 (see the file comment): the end of stdin is not sent.
      final(cb) { cb(); },
    });
  }

  return {
    stdin,
    stdout,
    stderr,
    exitCode,
    resize(size: TerminalSize) {
      if (!o.tty || ws.readyState !== WebSocket.OPEN) return;
      ws.send(frame(RESIZE, JSON.stringify({ Width: size.width, Height: size.height })), { binary: true });
    },
    close() {
      closedByUs = true;
      if (ws.readyState === WebSocket.OPEN || ws.readyState === WebSocket.CONNECTING) ws.close(1000);
    },
  };
}

function portForwardStream(ws: WebSocket, port: number): Duplex {
  // The first frame on each channel carries the port (2 bytes); strip it once per channel.
  const prefixSeen = [false, false];
  let errText = '';
  const duplex = new Duplex({
    read() { ws.resume(); },
    write(chunk: Buffer, _enc, cb) {
      if (ws.readyState !== WebSocket.OPEN) return cb(new Error('port-forward stream is closed'));
      ws.send(frame(0, chunk), { binary: true }, (err) => cb(err ?? null));
    },
    // WebSocket port-forward cannot half-close: the remote sees EOF when the stream is destroyed.
    final(cb) { cb(); },
    destroy(err, cb) {
      if (ws.readyState === WebSocket.OPEN || ws.readyState === WebSocket.CONNECTING) ws.close(1000);
      cb(err);
    },
  });
  ws.on('message', (raw) => {
    let data = toBuffer(raw);
    if (data.length === 0) return;
    const ch = data[0]!;
    if (ch > 1) return;
    data = data.subarray(1);
    if (!prefixSeen[ch]) {
      prefixSeen[ch] = true;
      if (data.length >= 2 && data.readUInt16LE(0) === port) data = data.subarray(2);
    }
    if (data.length === 0) return;
    if (ch === 0) {
      if (!duplex.push(data)) ws.pause();
    } else errText += data.toString('utf8');
  });
  ws.once('close', () => {
    if (errText) duplex.destroy(errors.internal(errText.trim()));
    else duplex.push(null);
  });
  ws.on('error', (e) => duplex.destroy(e));
  return duplex;
}

/** remotecommand v4 over SPDY/3.1: one SPDY stream per channel, named by its streamType header. */
async function spdySession(url: string, o: SessionOptions, log?: Logger): Promise<StreamSession> {
  const { conn, protocol } = await SpdyConnection.connect(url, [CHANNEL_PROTOCOL]);
  if (protocol !== CHANNEL_PROTOCOL) {
    conn.close();
    throw errors.internal(`streaming server chose protocol ${JSON.stringify(protocol)}, want ${CHANNEL_PROTOCOL}`);
  }
  // The order client-go uses; the server waits until every stream its options expect has arrived.
  const error = conn.createStream({ streamType: 'error' });
  const stdinS = o.stdin ? conn.createStream({ streamType: 'stdin' }) : undefined;
  const stdoutS = o.stdout ? conn.createStream({ streamType: 'stdout' }) : undefined;
  const stderrS = o.stderr && !o.tty ? conn.createStream({ streamType: 'stderr' }) : undefined;
  const resizeS = o.tty ? conn.createStream({ streamType: 'resize' }) : undefined;
  try {
    await Promise.all([error, stdinS, stdoutS, stderrS, resizeS].map((s) => s?.replied));
  } catch (e) {
    conn.close();
    throw errors.internal(`streaming server refused the session: ${(e as Error).message}`);
  }
  let statusText = '';
  error.incoming.setEncoding('utf8').on('data', (d: string) => { statusText += d; });
  let closedByUs = false;
  const exitCode = conn.closed.then(() => {
    if (statusText) return exitCodeFromStatus(statusText);
    if (closedByUs || o.kind === 'attach') return -1;
    throw errors.internal('stream closed before the process reported its exit status');
  });
  exitCode.catch((e: unknown) => log?.v(4).info('stream ended with an error', { error: e }));
  const stdin = stdinS && new Writable({
    write(chunk: Buffer, _enc, cb) { stdinS.write(chunk); cb(); },
    final(cb) { stdinS.end(); cb(); },
  });
  return {
    stdin,
    stdout: stdoutS?.incoming,
    stderr: stderrS?.incoming,
    exitCode,
    resize(size: TerminalSize) {
      resizeS?.write(Buffer.from(JSON.stringify({ Width: size.width, Height: size.height })));
    },
    close() {
      closedByUs = true;
      conn.close();
    },
  };
}

/**
 * portforward.k8s.io over SPDY: a pair of streams (error, data) named by streamType and tied by
 * port and requestID headers (portforward/httpstream.go). Ending the Duplex sends FIN on the data
 * stream. containerd 1.6 does not half-close its connection to the port on it: it stops copying in
 * that direction and closes the whole forward after a second (sandbox_portforward_linux.go), so
 * the Duplex ends then. Over WebSocket the end is never seen and the forward stays open.
 */
async function spdyPortForward(url: string, port: number, log?: Logger): Promise<Duplex> {
  const { conn, protocol } = await SpdyConnection.connect(url, [PORT_FORWARD_PROTOCOL]);
  if (protocol !== PORT_FORWARD_PROTOCOL) {
    conn.close();
    throw errors.internal(`streaming server chose protocol ${JSON.stringify(protocol)}, want ${PORT_FORWARD_PROTOCOL}`);
  }
  const ids = { port: String(port), requestID: '0' };
  const errorS = conn.createStream({ streamType: 'error', ...ids });
  const dataS = conn.createStream({ streamType: 'data', ...ids });
  try {
    await Promise.all([errorS.replied, dataS.replied]);
  } catch (e) {
    conn.close();
    throw errors.internal(`streaming server refused the port-forward: ${(e as Error).message}`);
  }
  let errText = '';
  const duplex = new Duplex({
    read() { dataS.incoming.resume(); },
    write(chunk: Buffer, _enc, cb) { dataS.write(chunk); cb(); },
    final(cb) { dataS.end(); cb(); },
    destroy(err, cb) { conn.close(); cb(err); },
  });
  dataS.incoming.on('data', (c: Buffer) => { if (!duplex.push(c)) dataS.incoming.pause(); });
  errorS.incoming.setEncoding('utf8').on('data', (d: string) => { errText += d; });
  // The forward is over when the server has finished both streams (or dropped the connection).
  let ended = 0;
  const onEnd = (): void => {
    if (++ended < 2) return;
    if (errText) {
      log?.v(4).info('port-forward failed', { port, error: errText });
      duplex.destroy(errors.internal(errText.trim()));
    } else {
      duplex.push(null);
      conn.close();
    }
  };
  dataS.incoming.once('end', onEnd);
  errorS.incoming.once('end', onEnd);
  return duplex;
}

export interface CriStreamsOptions {
  log?: Logger;
  /**
   * 'auto' (default) uses SPDY wherever the end of our input must reach the other side (only SPDY
   * can half-close): exec/attach with stdin, and port-forward; WebSocket v4 otherwise (exec/attach
   * without stdin).
   */
  transport?: 'auto' | 'websocket' | 'spdy';
}

/** A CriStreams for the runtime's streaming server (remotecommand/portforward v4). */
export function createCriStreams(o: CriStreamsOptions = {}): CriStreams {
  const log = o.log;
  const transport = o.transport ?? 'auto';
  const opts = (r: ExecRequest | AttachRequest, kind: 'exec' | 'attach'): SessionOptions => ({
    kind, tty: !!r.tty, stdin: !!r.stdin, stdout: r.stdout !== false, stderr: r.stderr !== false,
  });
  const start = (url: string, so: SessionOptions): Promise<StreamSession> =>
    transport === 'spdy' || (transport === 'auto' && so.stdin)
      ? spdySession(url, so, log)
      : open(url, [CHANNEL_PROTOCOL], (ws) => session(ws, so, log), log);
  return {
    exec(url, req) {
      return start(url, opts(req, 'exec'));
    },
    attach(url, req) {
      return start(url, opts(req, 'attach'));
    },
    async portForward(url, port) {
      if (!Number.isInteger(port) || port < 1 || port > 65535) throw errors.badRequest(`invalid port ${port}`);
      if (transport !== 'websocket') return spdyPortForward(url, port, log);
      // The WebSocket flavour reads the ports from the query (portforward.NewV4Options).
      const u = new URL(url);
      u.searchParams.set('port', String(port));
      return open(u.toString(), [CHANNEL_PROTOCOL], (ws) => portForwardStream(ws, port), log);
    },
  };
}
