// The DNS message codec (RFC 1035 §4, EDNS0 OPT from RFC 6891). Decoding rejects anything malformed
// with a WireFormatError (truncated fields, over-long names, compression pointers that do not point
// strictly backwards — which is what makes pointer loops impossible); encoding compresses names.
import { formatIPv6, parseIPv4, parseIPv6 } from './ip.js';
import { labelToText, nameToLabels } from './names.js';

export const RRType = {
  A: 1, NS: 2, CNAME: 5, SOA: 6, PTR: 12, MX: 15, TXT: 16, AAAA: 28, SRV: 33, OPT: 41,
  IXFR: 251, AXFR: 252, ANY: 255,
} as const;

export const RRClass = { IN: 1, CH: 3, HS: 4, NONE: 254, ANY: 255 } as const;

export const Rcode = { NOERROR: 0, FORMERR: 1, SERVFAIL: 2, NXDOMAIN: 3, NOTIMP: 4, REFUSED: 5, BADVERS: 16 } as const;

export const Opcode = { QUERY: 0 } as const;

const TYPE_NAMES = new Map<number, string>(Object.entries(RRType).map(([k, v]) => [v, k]));
/** Mnemonic of a type number ("A", "SRV", …) or TYPEnnn (RFC 3597). */
export function typeName(t: number): string {
  return TYPE_NAMES.get(t) ?? `TYPE${t}`;
}
const RCODE_NAMES = new Map<number, string>(Object.entries(Rcode).map(([k, v]) => [v, k]));
export function rcodeName(r: number): string {
  return RCODE_NAMES.get(r) ?? `RCODE${r}`;
}

export class WireFormatError extends Error {
  override readonly name = 'WireFormatError';
}

export interface Question {
  name: string;
  type: number;
  class: number;
}

export interface SrvData { priority: number; weight: number; port: number; target: string }
export interface SoaData { mname: string; rname: string; serial: number; refresh: number; retry: number; expire: number; minimum: number }
export interface MxData { preference: number; exchange: string }

/**
 * Record data by type: A/AAAA an address string; NS/CNAME/PTR a name; TXT strings; SRV, SOA, MX
 * objects; anything else the raw RDATA bytes.
 */
export type RData = string | string[] | SrvData | SoaData | MxData | Uint8Array;

export interface ResourceRecord {
  name: string;
  type: number;
  class: number;
  ttl: number;
  data: RData;
}

export interface Edns {
  /** Requestor's UDP payload size. */
  udpSize: number;
  /** Upper 8 bits of the 12-bit rcode. */
  extRcode: number;
  version: number;
  /** The DO bit (DNSSEC OK). */
  dnssecOk: boolean;
  /** EDNS options, raw (code + value). */
  options: { code: number; data: Uint8Array }[];
}

export interface Flags {
  qr: boolean;
  opcode: number;
  aa: boolean;
  tc: boolean;
  rd: boolean;
  ra: boolean;
  ad: boolean;
  cd: boolean;
  /** The full rcode (header's 4 bits plus the OPT extension). */
  rcode: number;
}

export interface Message {
  id: number;
  flags: Flags;
  questions: Question[];
  answers: ResourceRecord[];
  authority: ResourceRecord[];
  additional: ResourceRecord[];
  edns?: Edns;
}

export function emptyFlags(): Flags {
  return { qr: false, opcode: 0, aa: false, tc: false, rd: false, ra: false, ad: false, cd: false, rcode: 0 };
}

// ---------------------------------------------------------------------------------------- decoding

const MAX_NAME = 255;

class Reader {
  off = 0;
  constructor(readonly buf: Uint8Array) {}
  need(n: number): void {
    if (this.off + n > this.buf.length) throw new WireFormatError(`message truncated at ${this.off} (need ${n} more bytes)`);
  }
  u8(): number {
    this.need(1);
    return this.buf[this.off++]!;
  }
  u16(): number {
    this.need(2);
    const v = (this.buf[this.off]! << 8) | this.buf[this.off + 1]!;
    this.off += 2;
    return v;
  }
  u32(): number {
    this.need(4);
    const b = this.buf;
    const v = ((b[this.off]! << 24) >>> 0) + (b[this.off + 1]! << 16) + (b[this.off + 2]! << 8) + b[this.off + 3]!;
    this.off += 4;
    return v;
  }
  bytes(n: number): Uint8Array {
    this.need(n);
    const v = this.buf.subarray(this.off, this.off + n);
    this.off += n;
    return v;
  }
  /** A possibly compressed name starting at this.off; advances past its in-place part. */
  name(): string {
    const { name, end } = readName(this.buf, this.off);
    this.off = end;
    return name;
  }
}

/**
 * Reads a name at off. Every compression pointer must point strictly before the label that holds
 * it, so a chain of pointers always moves backwards and ends: loops are rejected, not followed.
 */
export function readName(buf: Uint8Array, off: number): { name: string; end: number } {
  const parts: string[] = [];
  let wireLen = 1;
  let end = -1;
  let pos = off;
  let limit = off; // a pointer must target an offset below the start of the current label sequence
  for (;;) {
    if (pos >= buf.length) throw new WireFormatError('name runs past the end of the message');
    const len = buf[pos]!;
    if (len === 0) {
      if (end < 0) end = pos + 1;
      break;
    }
    const kind = len & 0xc0;
    if (kind === 0xc0) {
      if (pos + 1 >= buf.length) throw new WireFormatError('truncated compression pointer');
      const target = ((len & 0x3f) << 8) | buf[pos + 1]!;
      if (end < 0) end = pos + 2;
      if (target >= limit) throw new WireFormatError(`compression pointer to ${target} does not point backwards`);
      pos = target;
      limit = target;
      continue;
    }
    if (kind !== 0) throw new WireFormatError(`unsupported label type 0x${kind.toString(16)}`);
    if (pos + 1 + len > buf.length) throw new WireFormatError('label runs past the end of the message');
    wireLen += len + 1;
    if (wireLen > MAX_NAME) throw new WireFormatError('name longer than 255 bytes');
    parts.push(labelToText(buf, pos + 1, pos + 1 + len));
    pos += 1 + len;
  }
  return { name: parts.join('.'), end };
}

function readRData(r: Reader, type: number, rdlen: number): RData {
  const end = r.off + rdlen;
  r.need(rdlen);
  let data: RData;
  switch (type) {
    case RRType.A:
      if (rdlen !== 4) throw new WireFormatError('A record RDATA is not 4 bytes');
      data = Array.from(r.bytes(4)).join('.');
      break;
    case RRType.AAAA: {
      if (rdlen !== 16) throw new WireFormatError('AAAA record RDATA is not 16 bytes');
      data = formatIPv6(r.bytes(16));
      break;
    }
    case RRType.NS: case RRType.CNAME: case RRType.PTR:
      data = r.name();
      break;
    case RRType.MX:
      data = { preference: r.u16(), exchange: r.name() };
      break;
    case RRType.SRV:
      data = { priority: r.u16(), weight: r.u16(), port: r.u16(), target: r.name() };
      break;
    case RRType.SOA:
      data = { mname: r.name(), rname: r.name(), serial: r.u32(), refresh: r.u32(), retry: r.u32(), expire: r.u32(), minimum: r.u32() };
      break;
    case RRType.TXT: {
      const strings: string[] = [];
      while (r.off < end) {
        const n = r.u8();
        strings.push(Buffer.from(r.bytes(n)).toString('latin1'));
      }
      data = strings;
      break;
    }
    default:
      data = r.bytes(rdlen);
  }
  if (r.off !== end) throw new WireFormatError(`${typeName(type)} RDATA length mismatch`);
  return data;
}

function readRR(r: Reader): ResourceRecord & { rdlen: number } {
  const name = r.name();
  const type = r.u16();
  const klass = r.u16();
  const ttl = r.u32();
  const rdlen = r.u16();
  if (type === RRType.OPT) return { name, type, class: klass, ttl, data: r.bytes(rdlen), rdlen };
  return { name, type, class: klass, ttl, data: readRData(r, type, rdlen), rdlen };
}

function decodeOpt(rr: ResourceRecord): Edns {
  if (rr.name !== '') throw new WireFormatError('OPT record owner is not the root');
  const raw = rr.data as Uint8Array;
  const options: Edns['options'] = [];
  for (let i = 0; i < raw.length;) {
    if (i + 4 > raw.length) throw new WireFormatError('truncated EDNS option');
    const code = (raw[i]! << 8) | raw[i + 1]!;
    const len = (raw[i + 2]! << 8) | raw[i + 3]!;
    if (i + 4 + len > raw.length) throw new WireFormatError('EDNS option runs past its record');
    options.push({ code, data: raw.subarray(i + 4, i + 4 + len) });
    i += 4 + len;
  }
  return { udpSize: rr.class, extRcode: rr.ttl >>> 24, version: (rr.ttl >>> 16) & 0xff, dnssecOk: (rr.ttl & 0x8000) !== 0, options };
}

/** Decodes the 12-byte header's id and flags only (cheap; for the hot path and for FORMERR replies). */
export function decodeHeader(buf: Uint8Array): { id: number; flags: Flags; qdcount: number; ancount: number; nscount: number; arcount: number } {
  if (buf.length < 12) throw new WireFormatError('message shorter than a header');
  const b2 = buf[2]!;
  const b3 = buf[3]!;
  return {
    id: (buf[0]! << 8) | buf[1]!,
    flags: {
      qr: (b2 & 0x80) !== 0, opcode: (b2 >> 3) & 0xf, aa: (b2 & 0x4) !== 0, tc: (b2 & 0x2) !== 0, rd: (b2 & 0x1) !== 0,
      ra: (b3 & 0x80) !== 0, ad: (b3 & 0x20) !== 0, cd: (b3 & 0x10) !== 0, rcode: b3 & 0xf,
    },
    qdcount: (buf[4]! << 8) | buf[5]!,
    ancount: (buf[6]! << 8) | buf[7]!,
    nscount: (buf[8]! << 8) | buf[9]!,
    arcount: (buf[10]! << 8) | buf[11]!,
  };
}

/** Decodes a whole message; throws WireFormatError on anything malformed (including trailing bytes). */
export function decode(buf: Uint8Array): Message {
  const h = decodeHeader(buf);
  const r = new Reader(buf);
  r.off = 12;
  const msg: Message = { id: h.id, flags: h.flags, questions: [], answers: [], authority: [], additional: [] };
  for (let i = 0; i < h.qdcount; i++) msg.questions.push({ name: r.name(), type: r.u16(), class: r.u16() });
  for (let i = 0; i < h.ancount; i++) msg.answers.push(stripLen(readRR(r)));
  for (let i = 0; i < h.nscount; i++) msg.authority.push(stripLen(readRR(r)));
  for (let i = 0; i < h.arcount; i++) {
    const rr = stripLen(readRR(r));
    if (rr.type === RRType.OPT) {
      if (msg.edns) throw new WireFormatError('more than one OPT record');
      msg.edns = decodeOpt(rr);
      msg.flags.rcode |= msg.edns.extRcode << 4;
    } else {
      msg.additional.push(rr);
    }
  }
  if (r.off !== buf.length) throw new WireFormatError(`${buf.length - r.off} trailing bytes after the message`);
  return msg;
}

function stripLen(rr: ResourceRecord & { rdlen: number }): ResourceRecord {
  return { name: rr.name, type: rr.type, class: rr.class, ttl: rr.ttl, data: rr.data };
}

/**
 * Offsets of the TTL field of every record except OPT (to age a cached upstream answer in place)
 * and the end of the question section. Throws WireFormatError when the message is malformed.
 */
export function scanRecords(buf: Uint8Array): { questionEnd: number; ttlOffsets: number[]; ttls: number[] } {
  const h = decodeHeader(buf);
  const r = new Reader(buf);
  r.off = 12;
  for (let i = 0; i < h.qdcount; i++) {
    r.name();
    r.bytes(4);
  }
  const questionEnd = r.off;
  const ttlOffsets: number[] = [];
  const ttls: number[] = [];
  const total = h.ancount + h.nscount + h.arcount;
  for (let i = 0; i < total; i++) {
    r.name();
    const type = r.u16();
    r.u16();
    const at = r.off;
    const ttl = r.u32();
    r.bytes(r.u16());
    if (type !== RRType.OPT) {
      ttlOffsets.push(at);
      ttls.push(ttl);
    }
  }
  return { questionEnd, ttlOffsets, ttls };
}

// ---------------------------------------------------------------------------------------- encoding

class Writer {
  buf = Buffer.allocUnsafe(512);
  off = 0;
  /** Canonical suffix → offset of its first occurrence (RFC 1035 §4.1.4 compression). */
  private readonly names = new Map<string, number>();

  ensure(n: number): void {
    if (this.off + n <= this.buf.length) return;
    let size = this.buf.length * 2;
    while (size < this.off + n) size *= 2;
    const next = Buffer.allocUnsafe(size);
    this.buf.copy(next, 0, 0, this.off);
    this.buf = next;
  }
  u8(v: number): void {
    this.ensure(1);
    this.buf[this.off++] = v & 0xff;
  }
  u16(v: number): void {
    this.ensure(2);
    this.buf.writeUInt16BE(v & 0xffff, this.off);
    this.off += 2;
  }
  u32(v: number): void {
    this.ensure(4);
    this.buf.writeUInt32BE(v >>> 0, this.off);
    this.off += 4;
  }
  bytes(b: Uint8Array): void {
    this.ensure(b.length);
    this.buf.set(b, this.off);
    this.off += b.length;
  }
  name(name: string, compress = true): void {
    const labels = nameToLabels(name);
    let wire = 1;
    for (const l of labels) wire += l.length + 1;
    if (wire > MAX_NAME) throw new RangeError(`name longer than 255 bytes: ${name}`);
    for (let i = 0; i < labels.length; i++) {
      const key = labels.slice(i).map((l) => l.toString('latin1').toLowerCase()).join('.');
      const at = compress ? this.names.get(key) : undefined;
      if (at !== undefined) {
        this.u16(0xc000 | at);
        return;
      }
      if (this.off < 0x4000 && !this.names.has(key)) this.names.set(key, this.off);
      this.u8(labels[i]!.length);
      this.bytes(labels[i]!);
    }
    this.u8(0);
  }
  result(): Buffer {
    return this.buf.subarray(0, this.off);
  }
}

function writeRData(w: Writer, rr: ResourceRecord): void {
  const d = rr.data;
  switch (rr.type) {
    case RRType.A:
      w.bytes(parseIPv4(d as string));
      return;
    case RRType.AAAA:
      w.bytes(parseIPv6(d as string));
      return;
    case RRType.NS: case RRType.CNAME: case RRType.PTR:
      w.name(d as string);
      return;
    case RRType.MX: {
      const mx = d as MxData;
      w.u16(mx.preference);
      w.name(mx.exchange);
      return;
    }
    case RRType.SRV: {
      const s = d as SrvData;
      w.u16(s.priority);
      w.u16(s.weight);
      w.u16(s.port);
      w.name(s.target, false); // RFC 2782: the target is not compressed
      return;
    }
    case RRType.SOA: {
      const s = d as SoaData;
      w.name(s.mname);
      w.name(s.rname);
      for (const v of [s.serial, s.refresh, s.retry, s.expire, s.minimum]) w.u32(v);
      return;
    }
    case RRType.TXT:
      for (const s of d as string[]) {
        const b = Buffer.from(s, 'latin1');
        if (b.length > 255) throw new RangeError('TXT string longer than 255 bytes');
        w.u8(b.length);
        w.bytes(b);
      }
      return;
    default:
      w.bytes(d as Uint8Array);
  }
}

function writeRR(w: Writer, rr: ResourceRecord): void {
  w.name(rr.name);
  w.u16(rr.type);
  w.u16(rr.class);
  w.u32(rr.ttl);
  const lenAt = w.off;
  w.u16(0);
  writeRData(w, rr);
  w.buf.writeUInt16BE(w.off - lenAt - 2, lenAt);
}

function writeOpt(w: Writer, e: Edns, rcode: number): void {
  w.u8(0);
  w.u16(RRType.OPT);
  w.u16(e.udpSize);
  w.u32((((rcode >> 4) & 0xff) << 24) | ((e.version & 0xff) << 16) | (e.dnssecOk ? 0x8000 : 0));
  let len = 0;
  for (const o of e.options) len += 4 + o.data.length;
  w.u16(len);
  for (const o of e.options) {
    w.u16(o.code);
    w.u16(o.data.length);
    w.bytes(o.data);
  }
}

/** Encodes a message, compressing names. An rcode above 15 needs msg.edns to carry its upper bits. */
export function encode(msg: Message): Buffer {
  const w = new Writer();
  const f = msg.flags;
  w.u16(msg.id);
  w.u8((f.qr ? 0x80 : 0) | ((f.opcode & 0xf) << 3) | (f.aa ? 0x4 : 0) | (f.tc ? 0x2 : 0) | (f.rd ? 0x1 : 0));
  w.u8((f.ra ? 0x80 : 0) | (f.ad ? 0x20 : 0) | (f.cd ? 0x10 : 0) | (f.rcode & 0xf));
  w.u16(msg.questions.length);
  w.u16(msg.answers.length);
  w.u16(msg.authority.length);
  w.u16(msg.additional.length + (msg.edns ? 1 : 0));
  for (const q of msg.questions) {
    w.name(q.name);
    w.u16(q.type);
    w.u16(q.class);
  }
  for (const rr of msg.answers) writeRR(w, rr);
  for (const rr of msg.authority) writeRR(w, rr);
  for (const rr of msg.additional) writeRR(w, rr);
  if (msg.edns) writeOpt(w, msg.edns, f.rcode);
  return w.result();
}

export { formatIPv6, parseIPv4, parseIPv6 };
