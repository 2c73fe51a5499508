// OpenAPI v2, which only kubectl 1.27/1.28 ask for — in protobuf (gnostic openapi_v2.Document)
// before they use v3 (kubectl-wire §7.4); their `explain` and client-side `apply` also read the
// definitions from it. Both encodings carry every definition the v3 documents use, converted to
// v2's shape; paths stay empty (kubectl takes operations from v3).
import { version } from '../../util/version.js';
import { schemaCatalog } from './catalog.js';
import type { Schema } from './catalog.js';
import { servedDefinitionNames } from './document.js';
import { encodeV2Document } from './v2-proto.js';
import { toV2Schema } from './v2-schema.js';

let definitions: Record<string, Schema> | undefined;

function v2Definitions(): Record<string, Schema> {
  if (definitions) return definitions;
  const catalog = schemaCatalog();
  definitions = Object.fromEntries(servedDefinitionNames().map((n) => [n, toV2Schema(catalog.get(n)!)]));
  return definitions;
}

let protobuf: Buffer | undefined;

/** GET /openapi/v2 with Accept application/com.github.proto-openapi.spec.v2@v1.0+protobuf (a fresh copy). */
export function openapiV2Protobuf(): Buffer {
  protobuf ??= encodeV2Document('Kubernetes', version.gitVersion, v2Definitions());
  return Buffer.from(protobuf);
}

let json: object | undefined;

/** GET /openapi/v2 as JSON: swagger 2.0 with every served definition and no paths. */
export function openapiV2Json(): object {
  json ??= { swagger: '2.0', info: { title: 'Kubernetes', version: version.gitVersion }, paths: {}, definitions: v2Definitions() };
  return json;
}
