// Unknown-field detection against the type schemas, as upstream's strict decoding reports it
// (k8s.io/apimachinery strict JSON decoding, sigs.k8s.io/json): one path per field the kind's Go
// struct does not have, dotted for struct fields and indexed for list items —
// `spec.containers[0].foo`. Maps, free-form objects (RawExtension, FieldsV1) and schemas marked
// x-kubernetes-preserve-unknown-fields are not descended, since Go decodes those without a struct.
import { resolveSchema, schemaFor } from './load.js';
import type { GroupVersionKind, Schema } from './load.js';

/** Upstream stops collecting strict errors after 100 (sigs.k8s.io/json saveStrictError). */
export const MAX_STRICT_ERRORS = 100;

/** Paths of the fields in `obj` that the kind's schema does not declare; [] for kinds without a schema. */
export function unknownFields(obj: unknown, gvk: GroupVersionKind): string[] {
  const root = schemaFor(gvk);
  if (!root) return [];
  const out: string[] = [];
  walk(obj, root, '', out);
  return out;
}

function walk(value: unknown, schemaIn: Schema, path: string, out: string[]): void {
  if (out.length >= MAX_STRICT_ERRORS || value === null || typeof value !== 'object') return;
  const schema = resolveSchema(schemaIn);
  if (!schema) return;
  if (Array.isArray(value)) {
    const items = schema.items as Schema | undefined;
    if (!items) return;
    for (let i = 0; i < value.length; i++) walk(value[i], items, `${path}[${i}]`, out);
    return;
  }
  const props = schema.properties as Record<string, Schema> | undefined;
  if (!props || schema['x-kubernetes-preserve-unknown-fields'] === true) return;
  for (const key of Object.keys(value)) {
    const p = path === '' ? key : `${path}.${key}`;
    const sub = Object.prototype.hasOwnProperty.call(props, key) ? props[key] : undefined;
    if (sub === undefined) {
      out.push(p);
      if (out.length >= MAX_STRICT_ERRORS) return;
    } else {
      walk((value as Record<string, unknown>)[key], sub, p, out);
    }
  }
}
