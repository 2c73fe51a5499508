// Protobuf encoding of a Swagger 2.0 document as gnostic's openapi_v2.Document (the
// application/com.github.proto-openapi.spec.v2@v1.0+protobuf form kubectl 1.27/1.28 ask for).
// Only what Skiff publishes is encoded: swagger, info, empty paths and definitions. Field numbers
// are those of gnostic's OpenAPIv2.proto; vendor extensions travel as YAML text in Any.yaml, as
// gnostic writes them (JSON is valid YAML).
import type { Schema } from './catalog.js';

function varint(n: number): number[] {
  const out: number[] = [];
  while (n > 0x7f) {
    out.push((n & 0x7f) | 0x80);
    n >>>= 7;
  }
  out.push(n);
  return out;
}

/** A length-delimited field (wire type 2): tag, length, bytes. */
export function field(num: number, bytes: Buffer): Buffer {
  return Buffer.concat([Buffer.from([...varint((num << 3) | 2), ...varint(bytes.length)]), bytes]);
}

function boolField(num: number, v: boolean): Buffer {
  return Buffer.from([...varint(num << 3), v ? 1 : 0]);
}

const str = (num: number, s: string): Buffer => field(num, Buffer.from(s, 'utf8'));

// Schema field numbers (gnostic openapi_v2.Schema).
const S = { ref: 1, format: 2, title: 3, description: 4, required: 19, additionalProperties: 21, type: 22, items: 23, allOf: 24, properties: 25, vendorExtension: 31 };

function namedAny(name: string, value: unknown): Buffer {
  // NamedAny { name = 1; value = 2 (Any { yaml = 2 }) }
  return Buffer.concat([str(1, name), field(2, str(2, JSON.stringify(value)))]);
}

/** Encodes one v2 schema object as openapi_v2.Schema. */
export function encodeSchema(s: Schema): Buffer {
  const parts: Buffer[] = [];
  if (typeof s.$ref === 'string') parts.push(str(S.ref, s.$ref));
  if (typeof s.format === 'string') parts.push(str(S.format, s.format));
  if (typeof s.title === 'string') parts.push(str(S.title, s.title));
  if (typeof s.description === 'string') parts.push(str(S.description, s.description));
  if (Array.isArray(s.required)) for (const r of s.required as string[]) parts.push(str(S.required, r));
  if (s.additionalProperties !== undefined) {
    // AdditionalPropertiesItem { schema = 1 | boolean = 2 }
    const inner = typeof s.additionalProperties === 'boolean' ? boolField(2, s.additionalProperties) : field(1, encodeSchema(s.additionalProperties as Schema));
    parts.push(field(S.additionalProperties, inner));
  }
  if (typeof s.type === 'string') parts.push(field(S.type, str(1, s.type)));
  if (s.items && typeof s.items === 'object') parts.push(field(S.items, field(1, encodeSchema(s.items as Schema))));
  if (Array.isArray(s.allOf)) for (const a of s.allOf as Schema[]) parts.push(field(S.allOf, encodeSchema(a)));
  if (s.properties && typeof s.properties === 'object') {
    const named = Object.entries(s.properties as Record<string, Schema>).map(([n, p]) => field(1, Buffer.concat([str(1, n), field(2, encodeSchema(p))])));
    parts.push(field(S.properties, Buffer.concat(named)));
  }
  for (const [k, v] of Object.entries(s)) if (k.startsWith('x-')) parts.push(field(S.vendorExtension, namedAny(k, v)));
  return Buffer.concat(parts);
}

/**
 * Encodes a Document with swagger (1), info (2: title 1, version 2), empty paths (8) and
 * definitions (9: repeated NamedSchema). With no definitions, title "k" and version "v1" this is
 * exactly the 16 bytes first verified against kubectl 1.27.
 */
export function encodeV2Document(title: string, infoVersion: string, definitions: Record<string, Schema> = {}): Buffer {
  const info = Buffer.concat([str(1, title), str(2, infoVersion)]);
  const parts = [str(1, '2.0'), field(2, info), field(8, Buffer.alloc(0))];
  const named = Object.entries(definitions).map(([n, s]) => field(1, Buffer.concat([str(1, n), field(2, encodeSchema(s))])));
  if (named.length) parts.push(field(9, Buffer.concat(named)));
  return Buffer.concat(parts);
}
