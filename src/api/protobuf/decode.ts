// Schema-driven conversion of one protobuf message into the JSON object the REST API would have
// received. The walk is iterative over fields and recursive only along the schema's own nesting
// (bounded by MAX_DEPTH), and every read goes through the bounds-checked Reader.

import { Reader, WireType, expectWireType, int32Of, int64Of, malformed } from './wire.js';
import type { Tag } from './wire.js';
import { decodeSpecial } from './special.js';
import type { FieldSpec, MessageSpec, ScalarType, ValueType } from './schema.js';

/** Deeper than any Kubernetes schema nests (PodTemplate inside CronJob is ~12); a guard, not a limit. */
const MAX_DEPTH = 48;

type JSONObject = Record<string, unknown>;

/** Decodes the message in `r` per `spec`, merging into `into` (repeated occurrences of a message
 *  field merge, as in protobuf). Throws StatusError 400 on malformed input. */
export function decodeMessage(r: Reader, spec: MessageSpec, into: JSONObject = {}, depth = 0): JSONObject {
  if (depth > MAX_DEPTH) malformed('message nesting too deep');
  while (!r.done()) {
    const tag = r.tag();
    const field = spec.fields.get(tag.field);
    if (field === undefined) r.skip(tag); // unknown field: forward compatible
    else decodeField(r, tag, field, spec.name, into, depth);
  }
  return into;
}

function decodeField(r: Reader, tag: Tag, f: FieldSpec, where: string, into: JSONObject, depth: number): void {
  if (f.map) {
    expectWireType(tag, WireType.Bytes, where);
    const entry = decodeMapEntry(r.sub(), f.value, `${where}.${f.json}`, depth + 1);
    const map = childObject(into, f.json);
    setOwn(map, entry[0], entry[1]);
    return;
  }
  const v = f.value;
  if (v.kind === 'scalar') {
    if (f.repeated) return decodeRepeatedScalar(r, tag, v.type, `${where}.${f.json}`, list(into, f.json));
    const value = readScalar(r, tag, v.type, `${where}.${f.json}`);
    // Last occurrence wins; a zero of an omitempty field means "unset" (see schema.ts).
    if (!f.keepZero && isZero(value)) delete into[f.json];
    else into[f.json] = value;
    return;
  }
  expectWireType(tag, WireType.Bytes, where);
  const sub = r.sub();
  if (v.kind === 'special') {
    const value = decodeSpecial(v.type, sub);
    if (f.repeated) { if (value !== undefined) list(into, f.json).push(value); }
    else if (value === undefined) delete into[f.json];
    else into[f.json] = value;
    return;
  }
  const spec = v.spec!;
  if (f.json === '') decodeMessage(sub, spec, into, depth + 1); // embedded: fields merge into the parent
  else if (f.repeated) list(into, f.json).push(decodeMessage(sub, spec, {}, depth + 1));
  else decodeMessage(sub, spec, childObject(into, f.json), depth + 1);
}

/** A map entry {1: key, 2: value}; a missing key or value is the zero value, as protobuf has it. */
function decodeMapEntry(r: Reader, v: ValueType, where: string, depth: number): [string, unknown] {
  let key = '';
  let value: unknown;
  while (!r.done()) {
    const tag = r.tag();
    if (tag.field === 1) {
      expectWireType(tag, WireType.Bytes, where);
      key = r.string();
    } else if (tag.field === 2) {
      if (v.kind === 'scalar') value = readScalar(r, tag, v.type, where);
      else {
        expectWireType(tag, WireType.Bytes, where);
        value = v.kind === 'special' ? decodeSpecial(v.type, r.sub()) : decodeMessage(r.sub(), v.spec!, {}, depth + 1);
      }
    } else {
      r.skip(tag);
    }
  }
  if (value === undefined) value = zeroOf(v, where, depth);
  return [key, value];
}

/** The JSON of a map value that was absent from its entry. */
function zeroOf(v: ValueType, where: string, depth: number): unknown {
  if (v.kind === 'scalar') return v.type === 'str' || v.type === 'bytes' ? '' : v.type === 'bool' ? false : 0;
  const empty = new Reader(Buffer.alloc(0));
  if (v.kind === 'special') return decodeSpecial(v.type, empty) ?? null;
  return decodeMessage(empty, v.spec!, {}, depth + 1);
}

/** Repeated scalars arrive one per tag, or packed into one length-delimited run (numbers and bools). */
function decodeRepeatedScalar(r: Reader, tag: Tag, type: ScalarType, where: string, out: unknown[]): void {
  if (tag.wireType === WireType.Bytes && type !== 'str' && type !== 'bytes') {
    const packed = r.sub();
    while (!packed.done()) out.push(scalarFromVarint(packed.varint(), type));
    return;
  }
  out.push(readScalar(r, tag, type, where));
}

function readScalar(r: Reader, tag: Tag, type: ScalarType, where: string): unknown {
  if (type === 'str') { expectWireType(tag, WireType.Bytes, where); return r.string(); }
  // Go's encoding/json writes []byte as standard base64 with padding.
  if (type === 'bytes') { expectWireType(tag, WireType.Bytes, where); return r.bytes().toString('base64'); }
  expectWireType(tag, WireType.Varint, where);
  return scalarFromVarint(r.varint(), type);
}

function scalarFromVarint(v: bigint, type: ScalarType): unknown {
  switch (type) {
    case 'i32': return int32Of(v);
    case 'i64': return int64Of(v);
    case 'bool': return v !== 0n;
    default: return malformed(`a ${type} cannot be packed`);
  }
}

function isZero(v: unknown): boolean {
  return v === '' || v === 0 || v === false;
}

/** The array at obj[key], created on first use. */
function list(obj: JSONObject, key: string): unknown[] {
  const cur = obj[key];
  if (Array.isArray(cur)) return cur;
  const fresh: unknown[] = [];
  obj[key] = fresh;
  return fresh;
}

/** The object at obj[key] (so a repeated message field merges), created on first use. */
function childObject(obj: JSONObject, key: string): JSONObject {
  const cur = obj[key];
  if (cur !== null && typeof cur === 'object' && !Array.isArray(cur)) return cur as JSONObject;
  const fresh: JSONObject = {};
  obj[key] = fresh;
  return fresh;
}

/** Sets a key that came from the wire (a map key) as an own data property, so "__proto__" and
 *  friends are just keys and can never reach a prototype. */
function setOwn(obj: JSONObject, key: string, value: unknown): void {
  Object.defineProperty(obj, key, { value, enumerable: true, writable: true, configurable: true });
}
