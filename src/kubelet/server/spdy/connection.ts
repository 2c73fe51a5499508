// A server-side SPDY/3.1 session over any byte transport (a raw upgraded socket, or the byte stream
// inside WebSocket binary messages for kubectl 1.31+ port-forward). The client opens every stream
// (SYN_STREAM with headers such as `streamtype`); we answer each with SYN_REPLY, move DATA, echo
// PINGs, and ignore SETTINGS/WINDOW_UPDATE (kubectl sends none and works without flow control).
import { PassThrough } from 'node:stream';
import { logger } from '../../../util/log.js';
import {
  FLAG_FIN, FrameReader, GOAWAY, HEADERS, MAX_DATA_CHUNK, PING, RST_CANCEL, RST_STREAM, SYN_REPLY, SYN_STREAM,
  dataFrame, goAwayFrame, parseSynStream, rstStreamFrame, synReplyFrame, type Frame,
} from './frames.js';
import { HeaderCompressor, HeaderDecompressor } from './headers.js';

const log = logger('kubelet-spdy');

/** Output buffered per session before producers are paused. */
const HIGH_WATER = 1024 * 1024;

/** The byte transport under a session. */
export interface SpdyTransport {
  /** Writes bytes; `flushed` runs once they left our buffers (for backpressure). */
  write(buf: Buffer, flushed: () => void): void;
  /** Ends the transport (after everything written so far). */
  end(): void;
}

/** One client-opened stream. `data` carries the client's bytes and ends at its FIN. */
export class SpdyStream {
  readonly data = new PassThrough();
  private localClosed = false;
  reset = false;
  private readonly resetListeners: (() => void)[] = [];

  constructor(
    readonly id: number,
    readonly headers: Record<string, string>,
    private readonly conn: SpdySession,
  ) {}

  /** Sends bytes to the client; false when the session's output buffer is full (wait for onceDrain). */
  write(buf: Buffer): boolean {
    if (this.localClosed || this.reset) return true;
    for (let off = 0; off < buf.length; off += MAX_DATA_CHUNK) {
      this.conn.send(dataFrame(this.id, buf.subarray(off, off + MAX_DATA_CHUNK), false));
    }
    return !this.conn.needsDrain;
  }

  /** Runs fn once the session's output buffer has room again. */
  onceDrain(fn: () => void): void {
    this.conn.onceDrain(fn);
  }

  /** Half-closes our side (empty DATA with FIN). Idempotent. */
  end(): void {
    if (this.localClosed || this.reset) return;
    this.localClosed = true;
    this.conn.send(dataFrame(this.id, Buffer.alloc(0), true));
    this.conn.forgetIfDone(this);
  }

  get closedLocally(): boolean {
    return this.localClosed;
  }

  /** Aborts the stream (RST_STREAM CANCEL). */
  cancel(): void {
    if (this.reset) return;
    this.localClosed = true;
    this.conn.send(rstStreamFrame(this.id, RST_CANCEL));
    this.markReset();
  }

  onReset(fn: () => void): void {
    if (this.reset) fn();
    else this.resetListeners.push(fn);
  }

  /** The client's side has ended (FIN received or reset). */
  get remoteEnded(): boolean {
    return this.data.writableEnded;
  }

  /** @internal the client reset the stream or the session ended. */
  markReset(): void {
    if (this.reset) return;
    this.reset = true;
    if (!this.data.writableEnded) this.data.end();
    for (const fn of this.resetListeners.splice(0)) fn();
  }
}

export interface SpdySessionEvents {
  /** A new stream, already answered with SYN_REPLY. */
  onStream(stream: SpdyStream): void;
  /** The session is over (transport closed, our close(), or a protocol error). */
  onClose?(): void;
  /** The client sent GOAWAY: it opens nothing more. */
  onGoAway?(): void;
}

export class SpdySession {
  private readonly reader = new FrameReader();
  private readonly inflater = new HeaderDecompressor();
  private readonly deflater = new HeaderCompressor();
  private readonly streams = new Map<number, SpdyStream>();
  /** Incoming frames are handled strictly in order (header decoding is asynchronous). */
  private inChain: Promise<void> = Promise.resolve();
  /** Outgoing frames keep their order even when a SYN_REPLY waits for its header block. */
  private outChain: Promise<void> = Promise.resolve();
  private closed = false;
  private lastStreamId = 0;
  /** Bytes handed to the transport and not yet flushed. */
  private pendingBytes = 0;
  private drainFns: (() => void)[] = [];

  constructor(private readonly transport: SpdyTransport, private readonly events: SpdySessionEvents) {}

  /** Feeds bytes received from the client. */
  feed(chunk: Buffer): void {
    if (this.closed) return;
    let frames: Frame[];
    try {
      frames = this.reader.push(chunk);
    } catch (err) {
      log.debug('bad SPDY input', { err });
      this.close();
      return;
    }
    for (const f of frames) {
      this.inChain = this.inChain.then(() => this.handle(f)).catch((err: unknown) => {
        log.debug('SPDY frame failed', { err });
        this.close();
      });
    }
  }

  /** Queues raw bytes for the client, after everything queued before. */
  send(buf: Buffer | Promise<Buffer>): void {
    if (this.closed) return;
    if (Buffer.isBuffer(buf)) this.pendingBytes += buf.length;
    this.outChain = this.outChain.then(async () => {
      const b = await buf;
      if (this.closed) return;
      if (!Buffer.isBuffer(buf)) this.pendingBytes += b.length;
      this.transport.write(b, () => this.flushed(b.length));
    }).catch(() => {});
  }

  /** More than HIGH_WATER bytes wait to go out: producers should pause. */
  get needsDrain(): boolean {
    return this.pendingBytes > HIGH_WATER;
  }

  onceDrain(fn: () => void): void {
    if (!this.needsDrain || this.closed) fn();
    else this.drainFns.push(fn);
  }

  private flushed(n: number): void {
    this.pendingBytes -= n;
    if (this.pendingBytes <= HIGH_WATER / 2 || this.closed) for (const fn of this.drainFns.splice(0)) fn();
  }

  get streamCount(): number {
    return this.streams.size;
  }

  /** Sends GOAWAY, resets what is open and ends the transport once queued frames are out. */
  close(): void {
    if (this.closed) return;
    this.send(goAwayFrame(this.lastStreamId));
    const done = this.outChain;
    this.closed = true;
    for (const s of this.streams.values()) s.markReset();
    this.streams.clear();
    for (const fn of this.drainFns.splice(0)) fn();
    void done.then(() => {
      this.transport.end();
      this.inflater.close();
      this.deflater.close();
    });
    this.events.onClose?.();
  }

  /** The transport went away underneath us. */
  transportClosed(): void {
    if (this.closed) return;
    this.closed = true;
    for (const s of this.streams.values()) s.markReset();
    this.streams.clear();
    for (const fn of this.drainFns.splice(0)) fn();
    this.inflater.close();
    this.deflater.close();
    this.events.onClose?.();
  }

  private async handle(f: Frame): Promise<void> {
    if (this.closed) return;
    if (f.kind === 'data') {
      const s = this.streams.get(f.streamId);
      if (!s) return;
      if (f.data.length) s.data.write(f.data);
      if (f.flags & FLAG_FIN) s.data.end();
      return;
    }
    switch (f.type) {
      case SYN_STREAM: {
        const { streamId, headerBlock } = parseSynStream(f.payload);
        const headers = await this.inflater.decode(headerBlock);
        this.lastStreamId = Math.max(this.lastStreamId, streamId);
        const s = new SpdyStream(streamId, headers, this);
        this.streams.set(streamId, s);
        s.data.on('finish', () => this.forgetIfDone(s));
        this.send(this.deflater.encode({}).then((block) => synReplyFrame(streamId, block)));
        if (f.flags & FLAG_FIN) s.data.end();
        this.events.onStream(s);
        return;
      }
      case HEADERS:
        // Keep the shared decompression state in step even though we need none of these headers.
        await this.inflater.decode(f.payload.subarray(4));
        return;
      case RST_STREAM: {
        const id = f.payload.readUInt32BE(0) & 0x7fffffff;
        const s = this.streams.get(id);
        if (s) {
          this.streams.delete(id);
          s.markReset();
        }
        return;
      }
      case PING:
        // Echo unchanged (kubectl pings every few seconds; an answer keeps it pinging).
        this.send(f.raw);
        return;
      case GOAWAY:
        // The client will open nothing more; streams already open finish normally.
        this.events.onGoAway?.();
        return;
      case SYN_REPLY:
      default:
        // SETTINGS, WINDOW_UPDATE and anything unknown: ignored (SPDY/3 says skip unknown control frames).
        return;
    }
  }

  /** @internal drops a stream both sides have finished. */
  forgetIfDone(s: SpdyStream): void {
    if (s.closedLocally && s.remoteEnded) this.streams.delete(s.id);
  }
}
