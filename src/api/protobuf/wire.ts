// A bounds-checked reader for the protobuf wire format (proto2 as gogo-protobuf writes it for
// Kubernetes). It knows nothing about schemas: it hands out tags, varints, fixed-width words and
// length-delimited slices, and rejects anything malformed with a 400 BadRequest, so a hostile
// request body can never read out of bounds or make the decoder throw a non-Status error.

import { errors } from '../../util/errors.js';

/** Wire types of the protobuf encoding. */
export const WireType = {
  Varint: 0,
  Fixed64: 1,
  Bytes: 2,
  StartGroup: 3,
  EndGroup: 4,
  Fixed32: 5,
} as const;

/** Largest field number protobuf allows (2^29 - 1). */
const MAX_FIELD = 0x1fffffff;
/** Groups are obsolete and never written by Kubernetes; nesting is bounded so skipping stays cheap. */
const MAX_GROUP_DEPTH = 32;

/** Throws the 400 every malformed body gets; `what` says where decoding stopped. */
export function malformed(what: string): never {
  throw errors.badRequest(`unable to decode protobuf body: ${what}`);
}

export interface Tag {
  field: number;
  wireType: number;
}

/** Reads one window [pos, end) of a buffer; sub-messages get their own Reader over their slice. */
export class Reader {
  private pos: number;

  constructor(readonly buf: Buffer, start = 0, private readonly end = buf.length) {
    this.pos = start;
  }

  /** True when every byte of the window has been consumed. */
  done(): boolean {
    return this.pos >= this.end;
  }

  /** Reads a field key; rejects field number 0, huge field numbers and wire types 6/7. */
  tag(): Tag {
    const key = this.uvarintNumber();
    const field = Math.floor(key / 8);
    const wireType = key % 8;
    if (field < 1 || field > MAX_FIELD) malformed(`illegal field number ${field}`);
    if (wireType > 5) malformed(`illegal wire type ${wireType} for field ${field}`);
    return { field, wireType };
  }

  /** Reads a varint as the unsigned 64-bit value Go would see (bits past 64 are dropped, as Go does). */
  varint(): bigint {
    let b = this.byte();
    if (b < 0x80) return BigInt(b);
    // Up to 4 bytes fit in a small integer; beyond that switch to bigint arithmetic.
    let small = b & 0x7f;
    let shift = 7;
    for (; shift < 28; shift += 7) {
      b = this.byte();
      small |= (b & 0x7f) << shift;
      if (b < 0x80) return BigInt(small);
    }
    let big = BigInt(small);
    for (; shift < 70; shift += 7) {
      b = this.byte();
      big |= BigInt(b & 0x7f) << BigInt(shift);
      if (b < 0x80) return BigInt.asUintN(64, big);
    }
    return malformed('varint longer than 10 bytes');
  }

  /** Reads a little-endian 64-bit word (wire type 1) as raw bytes' unsigned value. */
  fixed64(): bigint {
    this.need(8);
    const v = this.buf.readBigUInt64LE(this.pos);
    this.pos += 8;
    return v;
  }

  /** Reads a little-endian 64-bit IEEE double (wire type 1). */
  double(): number {
    this.need(8);
    const v = this.buf.readDoubleLE(this.pos);
    this.pos += 8;
    return v;
  }

  /** Reads a little-endian 32-bit word (wire type 5), unsigned. */
  fixed32(): number {
    this.need(4);
    const v = this.buf.readUInt32LE(this.pos);
    this.pos += 4;
    return v;
  }

  /** Reads a length prefix and returns a Reader over exactly that many following bytes. */
  sub(): Reader {
    const len = this.uvarintNumber();
    if (len > this.end - this.pos) malformed(`length ${len} runs past the end of the message`);
    const r = new Reader(this.buf, this.pos, this.pos + len);
    this.pos += len;
    return r;
  }

  /** Reads a length-delimited field as a copy-free view of its bytes. */
  bytes(): Buffer {
    const r = this.sub();
    return r.rest();
  }

  /** Reads a length-delimited field as UTF-8; invalid sequences become U+FFFD, as Go's JSON encoder does. */
  string(): string {
    const r = this.sub();
    return r.buf.toString('utf8', r.pos, r.end);
  }

  /** The unread remainder of the window (consumes it). */
  rest(): Buffer {
    const b = this.buf.subarray(this.pos, this.end);
    this.pos = this.end;
    return b;
  }

  /** Skips the value of a field this schema does not know (forward compatibility). */
  skip(tag: Tag): void {
    switch (tag.wireType) {
      case WireType.Varint: this.varint(); return;
      case WireType.Fixed64: this.need(8); this.pos += 8; return;
      case WireType.Bytes: this.sub(); return;
      case WireType.Fixed32: this.need(4); this.pos += 4; return;
      case WireType.StartGroup: this.skipGroup(tag.field); return;
      default: malformed(`unexpected end-group for field ${tag.field}`);
    }
  }

  /** Skips a (deprecated) group iteratively, tracking the open group numbers on a small stack. */
  private skipGroup(field: number): void {
    const open = [field];
    while (open.length > 0) {
      if (this.done()) malformed(`unterminated group ${open[open.length - 1]}`);
      const t = this.tag();
      if (t.wireType === WireType.EndGroup) {
        if (open.pop() !== t.field) malformed(`mismatched end-group ${t.field}`);
      } else if (t.wireType === WireType.StartGroup) {
        if (open.length >= MAX_GROUP_DEPTH) malformed('groups nested too deeply');
        open.push(t.field);
      } else {
        this.skip(t);
      }
    }
  }

  /** A varint used as a key or length: must fit a safe JS integer. */
  private uvarintNumber(): number {
    let value = 0;
    let scale = 1;
    for (let i = 0; i < 10; i++) {
      const b = this.byte();
      value += (b & 0x7f) * scale;
      if (b < 0x80) {
        if (!Number.isSafeInteger(value)) malformed('length or key out of range');
        return value;
      }
      scale *= 128;
    }
    return malformed('varint longer than 10 bytes');
  }

  private byte(): number {
    if (this.pos >= this.end) malformed('unexpected end of data');
    return this.buf[this.pos++]!;
  }

  private need(n: number): void {
    if (this.end - this.pos < n) malformed('unexpected end of data');
  }
}

/** Rejects a known field that arrives with the wrong wire type (gogo's "wrong wireType" error). */
export function expectWireType(tag: Tag, wireType: number, where: string): void {
  if (tag.wireType !== wireType) malformed(`wrong wire type ${tag.wireType} for field ${tag.field} of ${where}`);
}

/** A varint as Go's int32 sees it: the low 32 bits, signed. */
export function int32Of(v: bigint): number {
  return Number(BigInt.asIntN(32, v));
}

/** A varint as Go's int64 sees it, as a JS number (exact up to 2^53, like every JSON number). */
export function int64Of(v: bigint): number {
  return Number(BigInt.asIntN(64, v));
}
