// OpenAPI v2, which only kubectl 1.27/1.28 ask for — in protobuf (gnostic openapi_v2.Document), and
// only as a precondition before they use v3 (kubectl-wire §7.4). A minimal document is what they were
// observed to accept; it also keeps kubectl's v2 patch path from finding partial schemas (see
// SCHEMAS_COMPLETE), so paths stay empty in both encodings.
import { version } from '../../cli/version.js';
import { schemaCatalog } from './schemas/catalog.js';

function varint(n: number): number[] {
  const out: number[] = [];
  while (n > 0x7f) {
    out.push((n & 0x7f) | 0x80);
    n >>>= 7;
  }
  out.push(n);
  return out;
}

// A length-delimited protobuf field (wire type 2): tag, length, bytes.
function field(num: number, bytes: Buffer): Buffer {
  return Buffer.concat([Buffer.from([...varint((num << 3) | 2), ...varint(bytes.length)]), bytes]);
}

const str = (s: string): Buffer => Buffer.from(s, 'utf8');

/**
 * Encodes a gnostic Document with swagger (1), info (2: title 1, version 2) and empty paths (8).
 * With the title "k" and version "v1" this is exactly the 16 bytes verified against kubectl.
 */
export function encodeMinimalV2(title: string, infoVersion: string): Buffer {
  const info = Buffer.concat([field(1, str(title)), field(2, str(infoVersion))]);
  return Buffer.concat([field(1, str('2.0')), field(2, info), field(8, Buffer.alloc(0))]);
}

const protobuf = encodeMinimalV2('k', 'v1');

/** GET /openapi/v2 with Accept application/com.github.proto-openapi.spec.v2@v1.0+protobuf (a fresh copy). */
export function openapiV2Protobuf(): Buffer {
  return Buffer.from(protobuf);
}

let json: object | undefined;

/** GET /openapi/v2 as JSON: swagger 2.0 with every definition (for humans and tools) and no paths. */
export function openapiV2Json(): object {
  if (json) return json;
  const definitions = JSON.parse(
    JSON.stringify(Object.fromEntries([...schemaCatalog()].sort(([a], [b]) => a.localeCompare(b)))).replaceAll('#/components/schemas/', '#/definitions/'),
  ) as object;
  json = { swagger: '2.0', info: { title: 'Kubernetes', version: version.gitVersion }, paths: {}, definitions };
  return json;
}
