// SPDY/3.1 framing (the subset a server of kubectl's remotecommand/port-forward streams needs).
// All integers big-endian. Control frame: C=1, version 3, type, flags, 24-bit length, payload.
// Data frame: C=0, 31-bit stream id, flags (0x01 FIN), 24-bit length, data.

export const SPDY_VERSION = 3;
export const FLAG_FIN = 0x01;

export const SYN_STREAM = 1;
export const SYN_REPLY = 2;
export const RST_STREAM = 3;
export const SETTINGS = 4;
export const PING = 6;
export const GOAWAY = 7;
export const HEADERS = 8;
export const WINDOW_UPDATE = 9;

/** RST_STREAM status codes used here. */
export const RST_PROTOCOL_ERROR = 1;
export const RST_CANCEL = 5;

/** Largest data payload we put in one frame (the format allows 2^24-1; smaller keeps latency low). */
export const MAX_DATA_CHUNK = 32 * 1024;

export type Frame =
  | { kind: 'data'; streamId: number; flags: number; data: Buffer }
  | { kind: 'control'; type: number; flags: number; payload: Buffer; raw: Buffer };

/**
 * Incremental frame parser: kubectl writes every field of a frame separately, so frames arrive
 * split over many small reads (kubectl-wire §12.1); push() returns the frames completed so far.
 */
export class FrameReader {
  private buf: Buffer = Buffer.alloc(0);

  push(chunk: Buffer): Frame[] {
    this.buf = this.buf.length ? Buffer.concat([this.buf, chunk]) : chunk;
    const out: Frame[] = [];
    while (this.buf.length >= 8) {
      const len = this.buf.readUIntBE(5, 3);
      if (this.buf.length < 8 + len) break;
      const raw = this.buf.subarray(0, 8 + len);
      const flags = raw[4]!;
      const payload = raw.subarray(8);
      if (raw[0]! & 0x80) {
        const version = raw.readUInt16BE(0) & 0x7fff;
        if (version !== SPDY_VERSION) throw new Error(`unsupported SPDY version ${version}`);
        out.push({ kind: 'control', type: raw.readUInt16BE(2), flags, payload, raw: Buffer.from(raw) });
      } else {
        out.push({ kind: 'data', streamId: raw.readUInt32BE(0) & 0x7fffffff, flags, data: Buffer.from(payload) });
      }
      this.buf = this.buf.subarray(8 + len);
    }
    return out;
  }
}

export function controlFrame(type: number, flags: number, payload: Buffer): Buffer {
  const head = Buffer.alloc(8);
  head.writeUInt16BE(0x8000 | SPDY_VERSION, 0);
  head.writeUInt16BE(type, 2);
  head[4] = flags;
  head.writeUIntBE(payload.length, 5, 3);
  return Buffer.concat([head, payload]);
}

export function dataFrame(streamId: number, data: Buffer, fin: boolean): Buffer {
  const head = Buffer.alloc(8);
  head.writeUInt32BE(streamId & 0x7fffffff, 0);
  head[4] = fin ? FLAG_FIN : 0;
  head.writeUIntBE(data.length, 5, 3);
  return Buffer.concat([head, data]);
}

export function synReplyFrame(streamId: number, headerBlock: Buffer, fin = false): Buffer {
  const p = Buffer.alloc(4);
  p.writeUInt32BE(streamId & 0x7fffffff, 0);
  return controlFrame(SYN_REPLY, fin ? FLAG_FIN : 0, Buffer.concat([p, headerBlock]));
}

export function rstStreamFrame(streamId: number, status: number): Buffer {
  const p = Buffer.alloc(8);
  p.writeUInt32BE(streamId & 0x7fffffff, 0);
  p.writeUInt32BE(status, 4);
  return controlFrame(RST_STREAM, 0, p);
}

export function goAwayFrame(lastGoodStreamId: number, status = 0): Buffer {
  const p = Buffer.alloc(8);
  p.writeUInt32BE(lastGoodStreamId & 0x7fffffff, 0);
  p.writeUInt32BE(status, 4);
  return controlFrame(GOAWAY, 0, p);
}

/** SYN_STREAM payload: stream id, associated id, priority, slot, then the header block. */
export function parseSynStream(payload: Buffer): { streamId: number; associatedId: number; headerBlock: Buffer } {
  return {
    streamId: payload.readUInt32BE(0) & 0x7fffffff,
    associatedId: payload.readUInt32BE(4) & 0x7fffffff,
    headerBlock: payload.subarray(10),
  };
}

/** Uncompressed header block: count, then (name length, name, value length, value) — 32-bit lengths. */
export function encodeHeaderBlock(headers: Record<string, string>): Buffer {
  const parts: Buffer[] = [];
  const entries = Object.entries(headers);
  const count = Buffer.alloc(4);
  count.writeUInt32BE(entries.length, 0);
  parts.push(count);
  for (const [k, v] of entries) {
    for (const s of [k.toLowerCase(), v]) {
      const b = Buffer.from(s);
      const l = Buffer.alloc(4);
      l.writeUInt32BE(b.length, 0);
      parts.push(l, b);
    }
  }
  return Buffer.concat(parts);
}

/** Decodes an uncompressed header block; multiple values (NUL-separated) are kept joined by NUL. */
export function decodeHeaderBlock(block: Buffer): Record<string, string> {
  const out: Record<string, string> = {};
  let off = 0;
  const need = (n: number) => {
    if (off + n > block.length) throw new Error('truncated SPDY header block');
  };
  need(4);
  const count = block.readUInt32BE(off);
  off += 4;
  for (let i = 0; i < count; i++) {
    need(4);
    const nl = block.readUInt32BE(off);
    off += 4;
    need(nl);
    const name = block.subarray(off, off + nl).toString('utf8').toLowerCase();
    off += nl;
    need(4);
    const vl = block.readUInt32BE(off);
    off += 4;
    need(vl);
    out[name] = block.subarray(off, off + vl).toString('utf8');
    off += vl;
  }
  return out;
}
