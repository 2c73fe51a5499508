// The smallest SPDY/3.1 client that remotecommand needs (exec/attach over the upgrade
// `Upgrade: SPDY/3.1`): the one transport of containerd 1.6's streaming server that can half-close
// stdin (WebSocket v4 cannot; v5 is refused with 403: runtime-spike §6).
//
// What Go's spdystream (the server side) does and does not need:
// - frames as in the SPDY/3 draft: 8-byte headers, control bit, version 3;
// - header blocks in one zlib stream per direction. Ours is written as uncompressed ("stored")
//   deflate blocks without a preset dictionary: the zlib header's FDICT bit is clear, so Go's
//   zlib.NewReaderDict never asks for the SPDY dictionary. The server's header blocks (SYN_REPLY)
//   are never decoded: remotecommand puts nothing in them we need;
// - no flow control (spdystream neither sends nor honours WINDOW_UPDATE);
// - a stream's data is dropped until the server has replied to it, so writes wait for SYN_REPLY
//   (client-go waits the same way in CreateStream);
// - PINGs with the peer's parity are echoed.
import { request } from 'node:http';
import type { Socket } from 'node:net';
import { PassThrough } from 'node:stream';
import { errors } from '../../../util/errors.js';

const VERSION = 3;
const SYN_STREAM = 1;
const SYN_REPLY = 2;
const RST_STREAM = 3;
const PING = 6;
const GOAWAY = 7;
const FLAG_FIN = 0x01;

export interface SpdyStream {
  readonly id: number;
  /** What the server sends on this stream; ends on its FIN, RST or the connection's end. */
  readonly incoming: PassThrough;
  /** Resolves once the server replied to the SYN_STREAM (rejects on RST before that). */
  readonly replied: Promise<void>;
  write(data: Buffer): void;
  /** Half-closes our side (an empty DATA frame with FIN). */
  end(): void;
}

/** Stored (uncompressed) deflate blocks of one zlib stream, for header blocks (RFC 1950/1951). */
class StoredZlibWriter {
  private started = false;
  wrap(data: Buffer): Buffer {
    const parts: Buffer[] = [];
    if (!this.started) {
      parts.push(Buffer.from([0x78, 0x01]));
      this.started = true;
    }
    for (let off = 0; off === 0 || off < data.length; off += 0xffff) {
      const chunk = data.subarray(off, off + 0xffff);
      const h = Buffer.alloc(5);
      h[0] = 0; // BFINAL 0, BTYPE 00 (stored), padded to the byte boundary
      h.writeUInt16LE(chunk.length, 1);
      h.writeUInt16LE(~chunk.length & 0xffff, 3);
      parts.push(h, chunk);
    }
    // An empty stored block, as zlib's Z_SYNC_FLUSH ends with: Go's inflater hands out a block's
    // bytes only once it has read the next block header, and that must be inside this frame.
    parts.push(Buffer.from([0x00, 0x00, 0x00, 0xff, 0xff]));
    return Buffer.concat(parts);
  }
}

function headerBlock(headers: Record<string, string>): Buffer {
  const entries = Object.entries(headers);
  const parts: Buffer[] = [];
  const u32 = (n: number) => { const b = Buffer.alloc(4); b.writeUInt32BE(n); return b; };
  parts.push(u32(entries.length));
  for (const [k, v] of entries) {
    const name = Buffer.from(k.toLowerCase());
    const value = Buffer.from(v);
    parts.push(u32(name.length), name, u32(value.length), value);
  }
  return Buffer.concat(parts);
}

function controlFrame(type: number, flags: number, payload: Buffer): Buffer {
  const h = Buffer.alloc(8);
  h.writeUInt16BE(0x8000 | VERSION, 0);
  h.writeUInt16BE(type, 2);
  h.writeUInt32BE(((flags & 0xff) << 24 | payload.length) >>> 0, 4);
  return Buffer.concat([h, payload]);
}

function dataFrame(streamId: number, flags: number, data: Buffer): Buffer {
  const h = Buffer.alloc(8);
  h.writeUInt32BE(streamId & 0x7fffffff, 0);
  h.writeUInt32BE(((flags & 0xff) << 24 | data.length) >>> 0, 4);
  return Buffer.concat([h, data]);
}

interface StreamState {
  stream: SpdyStream;
  reply: { resolve: () => void; reject: (e: Error) => void; done: boolean };
}

export class SpdyConnection {
  private nextId = 1;
  private buf = Buffer.alloc(0);
  private readonly streams = new Map<number, StreamState>();
  private readonly zlib = new StoredZlibWriter();
  /** Resolves when the TCP connection has closed (the server closes it when the session ends). */
  readonly closed: Promise<void>;

  private constructor(private readonly socket: Socket, head: Buffer) {
    this.closed = new Promise((resolve) => socket.once('close', () => {
      for (const s of this.streams.values()) this.finish(s, new Error('connection closed'));
      resolve();
    }));
    socket.on('error', () => socket.destroy());
    socket.on('data', (d: Buffer) => this.onData(d));
    if (head.length) this.onData(head);
  }

  /**
   * Upgrades `url` to SPDY/3.1 offering `protocols` (X-Stream-Protocol-Version); resolves with the
   * connection and the protocol the server chose.
   */
  static connect(url: string, protocols: string[]): Promise<{ conn: SpdyConnection; protocol: string }> {
    return new Promise((resolve, reject) => {
      const u = new URL(url);
      if (u.protocol !== 'http:') return reject(errors.badRequest(`SPDY streaming needs an http:// URL, got ${url}`));
      // GET: a body-less POST from Node goes out chunked, and its terminating chunk would be read
      // by the server as the first SPDY frame after the upgrade.
      const req = request(u, {
        method: 'GET',
        headers: { Connection: 'Upgrade', Upgrade: 'SPDY/3.1', 'X-Stream-Protocol-Version': protocols },
        timeout: 10_000,
      });
      req.on('upgrade', (res, socket, head) => {
        socket.setNoDelay(true);
        const protocol = String(res.headers['x-stream-protocol-version'] ?? '');
        resolve({ conn: new SpdyConnection(socket, head), protocol });
      });
      req.on('response', (res) => {
        let body = '';
        res.setEncoding('utf8');
        res.on('data', (d: string) => { body += d; });
        res.on('end', () => {
          const msg = `streaming server answered ${res.statusCode}${body.trim() ? `: ${body.trim()}` : ''}`;
          reject(res.statusCode === 404 ? errors.notFoundPath(msg) : errors.internal(msg));
        });
      });
      req.on('timeout', () => req.destroy(new Error('upgrade timed out')));
      req.on('error', (e) => reject(errors.internal(`streaming connection to ${url}: ${e.message}`)));
      req.end();
    });
  }

  /** Opens a stream (SYN_STREAM with these headers). */
  createStream(headers: Record<string, string>): SpdyStream {
    const id = this.nextId;
    this.nextId += 2;
    const incoming = new PassThrough();
    const reply = { resolve: () => undefined, reject: (_e: Error) => undefined, done: false } as StreamState['reply'];
    const replied = new Promise<void>((resolve, reject) => { reply.resolve = resolve; reply.reject = reject; });
    replied.catch(() => undefined);
    let pending: Promise<void> = replied;
    const send = (frame: Buffer) => {
      // Data before the reply would be dropped by the server; keep order behind the reply.
      pending = pending.then(() => { if (!this.socket.destroyed) this.socket.write(frame); }, () => undefined);
    };
    const stream: SpdyStream = {
      id,
      incoming,
      replied,
      write: (data) => { if (data.length) send(dataFrame(id, 0, data)); },
      end: () => send(dataFrame(id, FLAG_FIN, Buffer.alloc(0))),
    };
    this.streams.set(id, { stream, reply });
    const payload = Buffer.alloc(10);
    payload.writeUInt32BE(id, 0);
    payload.writeUInt32BE(0, 4); // associated-to-stream-id
    payload.writeUInt16BE(0, 8); // priority 0, slot 0
    this.socket.write(controlFrame(SYN_STREAM, 0, Buffer.concat([payload, this.zlib.wrap(headerBlock(headers))])));
    return stream;
  }

  close(): void {
    this.socket.destroy();
  }

  private finish(s: StreamState, err?: Error): void {
    if (!s.reply.done) {
      s.reply.done = true;
      s.reply.reject(err ?? new Error('stream closed before the reply'));
    }
    if (!s.stream.incoming.writableEnded) s.stream.incoming.end();
    this.streams.delete(s.stream.id);
  }

  private onData(d: Buffer): void {
    this.buf = this.buf.length ? Buffer.concat([this.buf, d]) : d;
    while (this.buf.length >= 8) {
      const len = this.buf.readUInt32BE(4) & 0xffffff;
      if (this.buf.length < 8 + len) break;
      const frame = this.buf.subarray(0, 8 + len);
      this.buf = this.buf.subarray(8 + len);
      this.onFrame(frame);
    }
  }

  private onFrame(f: Buffer): void {
    const flags = f[4]!;
    const body = f.subarray(8);
    if (!(f[0]! & 0x80)) {
      const s = this.streams.get(f.readUInt32BE(0) & 0x7fffffff);
      if (!s) return;
      // A slow reader stops the whole connection (as one TCP socket must), not only its stream.
      if (body.length && !s.stream.incoming.writableEnded && !s.stream.incoming.write(Buffer.from(body))) {
        this.socket.pause();
        // 'drain' alone is not enough: a stream ended (FIN) while full never emits it (Node skips
        // drain once a writable is ending), and the connection would stay paused for good; 'finish'
        // comes once its buffered data has been taken.
        const incoming = s.stream.incoming;
        const resume = () => {
          for (const ev of ['drain', 'finish', 'close', 'error'] as const) incoming.off(ev, resume);
          this.socket.resume();
        };
        for (const ev of ['drain', 'finish', 'close', 'error'] as const) incoming.on(ev, resume);
      }
      if (flags & FLAG_FIN) s.stream.incoming.end();
      return;
    }
    const type = f.readUInt16BE(2);
    if (type === SYN_REPLY || type === RST_STREAM) {
      const s = this.streams.get(body.readUInt32BE(0) & 0x7fffffff);
      if (!s) return;
      if (type === RST_STREAM) return this.finish(s, new Error(`stream reset by the server (status ${body.readUInt32BE(4)})`));
      if (!s.reply.done) {
        s.reply.done = true;
        s.reply.resolve();
      }
      if (flags & FLAG_FIN) s.stream.incoming.end();
    } else if (type === PING) {
      // Client pings are odd; echo the server's (even) ones.
      if ((body.readUInt32BE(0) & 1) === 0) this.socket.write(f);
    } else if (type === GOAWAY) {
      this.socket.end();
    }
    // SETTINGS, WINDOW_UPDATE, HEADERS: nothing to do (no flow control, no trailers used).
  }
}
