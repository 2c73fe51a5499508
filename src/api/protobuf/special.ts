// Types whose JSON form is not "an object of their fields": Time, MicroTime, Duration, Quantity,
// IntOrString, RawExtension, FieldsV1 and ExtraValue-like string lists. Each converter gets a
// Reader over the message's bytes and returns the JSON value, or undefined for "unset" (the field is
// then left out, as it would be in a JSON request).

import { WireType, expectWireType, int32Of, malformed } from './wire.js';
import type { Reader } from './wire.js';
import type { SpecialType } from './schema.js';

// Go's metav1.Time marshals with RFC3339 and refuses years outside [0, 9999].
const MIN_SECONDS = -62167219200n; // 0000-01-01T00:00:00Z
const MAX_SECONDS = 253402300799n; // 9999-12-31T23:59:59Z

/** Converts the special message in `r` to its JSON value (undefined = unset). */
export function decodeSpecial(type: SpecialType, r: Reader): unknown {
  switch (type) {
    case 'Time': return decodeTime(r, false);
    case 'MicroTime': return decodeTime(r, true);
    case 'Duration': return decodeDuration(r);
    case 'Quantity': return decodeQuantity(r);
    case 'IntOrString': return decodeIntOrString(r);
    case 'RawExtension':
    case 'FieldsV1': return decodeRawJSON(r, type);
    case 'StringList': return decodeStringList(r);
  }
}

/** {1 seconds, 2 nanos}. An empty message is the zero Time (JSON null → unset). Time keeps whole
 *  seconds only, as upstream's Unmarshal does; MicroTime keeps microseconds. */
function decodeTime(r: Reader, micro: boolean): string | undefined {
  if (r.done()) return undefined;
  let seconds = 0n;
  let nanos = 0;
  while (!r.done()) {
    const tag = r.tag();
    if (tag.field === 1) { expectWireType(tag, WireType.Varint, 'Time'); seconds = BigInt.asIntN(64, r.varint()); }
    else if (tag.field === 2) { expectWireType(tag, WireType.Varint, 'Time'); nanos = int32Of(r.varint()); }
    else r.skip(tag);
  }
  let micros = 0n;
  if (micro) {
    // Truncate toward zero to microseconds, then normalise a negative or oversized remainder.
    const total = seconds * 1_000_000n + BigInt(Math.trunc(nanos / 1000));
    seconds = total / 1_000_000n;
    micros = total % 1_000_000n;
    if (micros < 0n) { micros += 1_000_000n; seconds -= 1n; }
  }
  if (seconds < MIN_SECONDS || seconds > MAX_SECONDS) malformed('time outside of the years 0 to 9999');
  const base = new Date(Number(seconds) * 1000).toISOString().slice(0, 19);
  return micro ? `${base}.${micros.toString().padStart(6, '0')}Z` : `${base}Z`;
}

/** {1 duration (int64 nanoseconds)} → Go's Duration.String(), e.g. "1h0m0s", "1.5s", "300ms". */
function decodeDuration(r: Reader): string {
  let ns = 0n;
  while (!r.done()) {
    const tag = r.tag();
    if (tag.field === 1) { expectWireType(tag, WireType.Varint, 'Duration'); ns = BigInt.asIntN(64, r.varint()); }
    else r.skip(tag);
  }
  return goDuration(ns);
}

/** Formats nanoseconds exactly as Go's time.Duration.String does. */
export function goDuration(d: bigint): string {
  if (d === 0n) return '0s';
  const sign = d < 0n ? '-' : '';
  const u = d < 0n ? -d : d;
  if (u < 1000n) return `${sign}${u}ns`;
  if (u < 1_000_000n) return sign + withFraction(u, 3) + 'µs';
  if (u < 1_000_000_000n) return sign + withFraction(u, 6) + 'ms';
  const frac = fractionDigits(u, 9);
  const secs = u / 1_000_000_000n;
  let out = `${secs % 60n}${frac}s`;
  const mins = secs / 60n;
  if (mins > 0n) {
    out = `${mins % 60n}m${out}`;
    const hours = mins / 60n;
    if (hours > 0n) out = `${hours}h${out}`;
  }
  return sign + out;
}

function withFraction(v: bigint, digits: number): string {
  return `${v / 10n ** BigInt(digits)}${fractionDigits(v, digits)}`;
}

/** ".5" for v=1500, digits=3; "" when the fraction is zero (trailing zeros dropped, as Go does). */
function fractionDigits(v: bigint, digits: number): string {
  const f = v % 10n ** BigInt(digits);
  return f === 0n ? '' : '.' + f.toString().padStart(digits, '0').replace(/0+$/, '');
}

/** {1 string}. The zero Quantity prints as "0". The string is passed through for validation to judge. */
function decodeQuantity(r: Reader): string {
  let s = '';
  while (!r.done()) {
    const tag = r.tag();
    if (tag.field === 1) { expectWireType(tag, WireType.Bytes, 'Quantity'); s = r.string(); }
    else r.skip(tag);
  }
  return s === '' ? '0' : s;
}

/** {1 type (0 int, 1 string), 2 intVal, 3 strVal} → number or string, like intstr's MarshalJSON. */
function decodeIntOrString(r: Reader): number | string {
  let type = 0n;
  let intVal = 0;
  let strVal = '';
  while (!r.done()) {
    const tag = r.tag();
    if (tag.field === 1) { expectWireType(tag, WireType.Varint, 'IntOrString'); type = BigInt.asIntN(64, r.varint()); }
    else if (tag.field === 2) { expectWireType(tag, WireType.Varint, 'IntOrString'); intVal = int32Of(r.varint()); }
    else if (tag.field === 3) { expectWireType(tag, WireType.Bytes, 'IntOrString'); strVal = r.string(); }
    else r.skip(tag);
  }
  if (type === 0n) return intVal;
  if (type === 1n) return strVal;
  return malformed(`IntOrString has impossible type ${type}`);
}

/** {1 raw bytes} holding JSON (what kubectl puts there). Empty raw is null in Go's JSON → unset.
 *  Raw that is not JSON (e.g. a nested protobuf object) is refused rather than guessed at. */
function decodeRawJSON(r: Reader, type: string): unknown {
  let raw: Buffer | undefined;
  while (!r.done()) {
    const tag = r.tag();
    if (tag.field === 1) { expectWireType(tag, WireType.Bytes, type); raw = r.bytes(); }
    else r.skip(tag);
  }
  if (raw === undefined || raw.length === 0) return undefined;
  try {
    return JSON.parse(raw.toString('utf8')) as unknown;
  } catch {
    return malformed(`${type} does not hold JSON`);
  }
}

/** {1 repeated string items} → a JSON string array (authentication's ExtraValue). */
function decodeStringList(r: Reader): string[] {
  const items: string[] = [];
  while (!r.done()) {
    const tag = r.tag();
    if (tag.field === 1) { expectWireType(tag, WireType.Bytes, 'ExtraValue'); items.push(r.string()); }
    else r.skip(tag);
  }
  return items;
}
