// Unknown-field detection against the type schemas, as upstream's strict decoding reports it
// (k8s.io/apimachinery strict JSON decoding, sigs.k8s.io/json): one path per field the kind's Go
// struct does not have, dotted for struct fields and indexed for list items —
// `spec.containers[0].foo`. Maps, free-form objects (RawExtension, FieldsV1) and schemas marked
// x-kubernetes-preserve-unknown-fields are not descended, since Go decodes those without a struct.
import { resolveSchema, schemaFor } from './load.js';
import type { GroupVersionKind, Schema } from './load.js';

/** Upstream stops collecting strict errors after 100 (sigs.k8s.io/json saveStrictError). */
export const MAX_STRICT_ERRORS = 100;

/**
 * Paths of the fields in `obj` that the kind's schema does not declare (at most MAX_STRICT_ERRORS);
 * [] for kinds without a schema. With `prune`, those fields are also deleted from `obj`, as
 * upstream's decoding into Go structs drops them whatever fieldValidation says.
 */
export function unknownFields(obj: unknown, gvk: GroupVersionKind, opts: { prune?: boolean } = {}): string[] {
  const root = schemaFor(gvk);
  if (!root) return [];
  const out: string[] = [];
  walk(obj, root, '', out, opts.prune === true);
  return out;
}

function walk(value: unknown, schemaIn: Schema, path: string, out: string[], prune: boolean): void {
  if (value === null || typeof value !== 'object') return;
  if (!prune && out.length >= MAX_STRICT_ERRORS) return;
  const schema = resolveSchema(schemaIn);
  if (!schema) return;
  if (Array.isArray(value)) {
    const items = schema.items as Schema | undefined;
    if (!items) return;
    for (let i = 0; i < value.length; i++) walk(value[i], items, `${path}[${i}]`, out, prune);
    return;
  }
  const props = schema.properties as Record<string, Schema> | undefined;
  if (!props || schema['x-kubernetes-preserve-unknown-fields'] === true) return;
  const rec = value as Record<string, unknown>;
  for (const key of Object.keys(rec)) {
    const p = path === '' ? key : `${path}.${key}`;
    const sub = Object.prototype.hasOwnProperty.call(props, key) ? props[key] : undefined;
    if (sub === undefined) {
      if (out.length < MAX_STRICT_ERRORS) out.push(p);
      if (prune) delete rec[key];
      else if (out.length >= MAX_STRICT_ERRORS) return;
    } else {
      walk(rec[key], sub, p, out, prune);
    }
  }
}
