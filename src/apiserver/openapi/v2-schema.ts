// OpenAPI v3 component schemas → Swagger 2.0 definitions, the way upstream publishes the same types
// in /openapi/v2: references are bare `$ref`s to #/definitions/ with the field's description and
// extensions beside them (v2 readers such as kubectl's proto models read those siblings), and the
// v3-only oneOf unions collapse to v2's single type (Quantity: string; IntOrString: string with
// format int-or-string).
import type { Schema } from './catalog.js';

const V3 = '#/components/schemas/';
const V2 = '#/definitions/';

/** One v3 schema as its v2 form (a new object; the input is not modified). */
export function toV2Schema(s: Schema): Schema {
  const out: Schema = {};
  for (const [k, v] of Object.entries(s)) {
    if (k === 'allOf' && Array.isArray(v) && v.length === 1 && typeof v[0]?.$ref === 'string') {
      out.$ref = (v[0].$ref as string).replace(V3, V2);
    } else if (k === '$ref' && typeof v === 'string') {
      out.$ref = v.replace(V3, V2);
    } else if (k === 'oneOf') {
      // Quantity and IntOrString: both serialize as a string in v2.
      out.type = 'string';
    } else if (k === 'items' || (k === 'additionalProperties' && typeof v === 'object')) {
      out[k] = toV2Schema(v as Schema);
    } else if (k === 'properties') {
      out.properties = Object.fromEntries(Object.entries(v as Record<string, Schema>).map(([n, p]) => [n, toV2Schema(p)]));
    } else {
      out[k] = v;
    }
  }
  return out;
}
