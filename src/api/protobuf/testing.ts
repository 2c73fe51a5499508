// Test-only protobuf encoder: just enough to build request bodies field by field, the way gogo
// would write them. Production code never encodes (responses are JSON).

/** Encodes an unsigned varint; negative numbers are written as 10-byte two's complement, as Go does. */
export function varintBytes(value: number | bigint): Buffer {
  let v = BigInt.asUintN(64, BigInt(value));
  const out: number[] = [];
  while (v >= 0x80n) {
    out.push(Number(v & 0x7fn) | 0x80);
    v >>= 7n;
  }
  out.push(Number(v));
  return Buffer.from(out);
}

function key(field: number, wireType: number): Buffer {
  return varintBytes(field * 8 + wireType);
}

/** A varint field (int32, int64, bool, enum). */
export function vint(field: number, value: number | bigint | boolean): Buffer {
  return Buffer.concat([key(field, 0), varintBytes(typeof value === 'boolean' ? (value ? 1 : 0) : value)]);
}

/** A length-delimited field holding raw bytes (bytes, or an already-encoded message). */
export function bytes(field: number, value: Uint8Array): Buffer {
  return Buffer.concat([key(field, 2), varintBytes(value.length), value]);
}

/** A string field. */
export function str(field: number, value: string): Buffer {
  return bytes(field, Buffer.from(value, 'utf8'));
}

/** A message field whose body is the concatenation of `parts`. */
export function msg(field: number, ...parts: Buffer[]): Buffer {
  return bytes(field, Buffer.concat(parts));
}

/** One map<string, string> entry. */
export function mapEntry(field: number, k: string, v: string): Buffer {
  return msg(field, str(1, k), str(2, v));
}

/** One map entry whose value is bytes or an encoded message. */
export function mapEntryBytes(field: number, k: string, v: Uint8Array): Buffer {
  return msg(field, str(1, k), bytes(2, v));
}

/** A 64-bit fixed field. */
export function fixed64(field: number, value: bigint): Buffer {
  const b = Buffer.alloc(8);
  b.writeBigUInt64LE(BigInt.asUintN(64, value));
  return Buffer.concat([key(field, 1), b]);
}

/** A 32-bit fixed field. */
export function fixed32(field: number, value: number): Buffer {
  const b = Buffer.alloc(4);
  b.writeUInt32LE(value >>> 0);
  return Buffer.concat([key(field, 5), b]);
}

/** The "k8s\0" + runtime.Unknown envelope around an encoded object, as kubectl sends it. */
export function envelope(apiVersion: string, kind: string, raw: Buffer): Buffer {
  return Buffer.concat([
    Buffer.from('k8s\0', 'latin1'),
    msg(1, str(1, apiVersion), str(2, kind)),
    bytes(2, raw),
    str(3, ''),
    str(4, ''),
  ]);
}

/** ObjectMeta as gogo writes it: every non-pointer scalar present even when empty. */
export function objectMeta(name: string, extra: Buffer[] = []): Buffer {
  return Buffer.concat([
    str(1, name), str(2, ''), str(3, ''), str(4, ''), str(5, ''), str(6, ''), vint(7, 0), msg(8),
    ...extra,
  ]);
}
