// JSON type checking against the type schemas, as upstream's decoding into Go structs reports it
// (encoding/json via sigs.k8s.io/json): the first value whose JSON type the Go field cannot hold is
// `json: cannot unmarshal <value> into Go struct field <Struct>.<path> of type <GoType>`, where
// Struct is the innermost struct's name and path the field names from the root (no list indexes).
// null fits every field (Go leaves the zero value); free-form values (RawExtension, FieldsV1, JSON,
// x-kubernetes-preserve-unknown-fields) take anything, as their Go types do.
import { definitions, REF_PREFIX, schemaFor } from './load.js';
import type { GroupVersionKind, Schema } from './load.js';

/** Go types that decode any JSON value. */
const FREE_FORM = new Set(['RawExtension', 'FieldsV1', 'JSON', 'JSONSchemaPropsOrBool', 'JSONSchemaPropsOrArray', 'JSONSchemaPropsOrStringArray']);

const INT_RANGES: Record<string, [number, number]> = {
  int32: [-2147483648, 2147483647],
  int64: [Number.MIN_SAFE_INTEGER, Number.MAX_SAFE_INTEGER],
  int: [Number.MIN_SAFE_INTEGER, Number.MAX_SAFE_INTEGER],
};

interface Resolved { schema: Schema; goType: string; name?: string }

/** The first type mismatch in `obj` for the kind's schema, or undefined (also for kinds without one). */
export function typeMismatch(obj: unknown, gvk: GroupVersionKind): string | undefined {
  const root = schemaFor(gvk);
  if (!root) return undefined;
  return check(obj, { schema: root, goType: gvk.kind, name: gvk.kind }, gvk.kind, undefined);
}

/** The field names down to a value, built into a path only for the message. */
interface Trail { key: string; up: Trail | undefined }

function pathOf(t: Trail | undefined): string {
  const keys: string[] = [];
  for (let c = t; c; c = c.up) keys.push(c.key);
  return keys.reverse().join('.');
}

function check(value: unknown, r: Resolved, struct: string, path: Trail | undefined): string | undefined {
  if (value === null || value === undefined) return undefined;
  const s = r.schema;
  if (r.name && FREE_FORM.has(r.name)) return undefined;
  if (s['x-kubernetes-preserve-unknown-fields'] === true && !s.properties) return undefined;
  if (Array.isArray(s.oneOf)) {
    // Quantity (string|number), IntOrString (integer|string).
    const ok = s.oneOf.some((alt: Schema) => fits(value, alt.type as string | undefined));
    return ok ? undefined : mismatchMessage(value, r, struct, path);
  }
  const type = s.type as string | undefined;
  switch (type) {
    case 'string':
      return typeof value === 'string' ? undefined : mismatchMessage(value, r, struct, path);
    case 'boolean':
      return typeof value === 'boolean' ? undefined : mismatchMessage(value, r, struct, path);
    case 'number':
      return typeof value === 'number' ? undefined : mismatchMessage(value, r, struct, path);
    case 'integer': {
      if (typeof value !== 'number' || !Number.isInteger(value)) return mismatchMessage(value, r, struct, path);
      const [min, max] = INT_RANGES[r.goType] ?? INT_RANGES.int!;
      return value < min || value > max ? mismatchMessage(value, r, struct, path) : undefined;
    }
    case 'array': {
      if (!Array.isArray(value)) return mismatchMessage(value, r, struct, path);
      const items = resolve(s.items as Schema | undefined);
      if (!items) return undefined;
      for (const v of value) {
        const e = check(v, items, struct, path);
        if (e) return e;
      }
      return undefined;
    }
    case 'object':
    case undefined: {
      if (type === undefined && !s.properties && !s.additionalProperties) return undefined;
      if (typeof value !== 'object' || Array.isArray(value)) return mismatchMessage(value, r, struct, path);
      const rec = value as Record<string, unknown>;
      const props = s.properties as Record<string, Schema> | undefined;
      if (props) {
        const here = r.name ?? struct;
        for (const k in rec) {
          const v = rec[k];
          if (v === null || !Object.prototype.hasOwnProperty.call(props, k)) continue;
          const sub = resolve(props[k]);
          if (!sub) continue;
          const e = check(v, sub, here, { key: k, up: path });
          if (e) return e;
        }
        return undefined;
      }
      const add = resolve(s.additionalProperties as Schema | undefined);
      if (!add) return undefined;
      for (const k in rec) {
        const e = check(rec[k], add, struct, path);
        if (e) return e;
      }
      return undefined;
    }
    default:
      return undefined;
  }
}

function fits(value: unknown, type: string | undefined): boolean {
  switch (type) {
    case 'string': return typeof value === 'string';
    case 'number': return typeof value === 'number';
    case 'integer': return typeof value === 'number' && Number.isInteger(value);
    case 'boolean': return typeof value === 'boolean';
    default: return true;
  }
}

/** Follows `$ref`/`allOf: [{$ref}]`, remembering the Go type's name and package for the message. */
function resolve(s: Schema | undefined): Resolved | undefined {
  if (!s) return undefined;
  // Schemas are immutable once loaded: remember each resolution (this runs on every write).
  let r = resolved.get(s);
  if (r === undefined) {
    r = resolveUncached(s) ?? null;
    resolved.set(s, r);
  }
  return r ?? undefined;
}

const resolved = new WeakMap<Schema, Resolved | null>();

function resolveUncached(s: Schema): Resolved | undefined {
  let cur: Schema | undefined = s;
  let def: string | undefined;
  for (let i = 0; cur && i < 16; i++) {
    const ref: unknown = cur.$ref ?? (Array.isArray(cur.allOf) && cur.allOf.length === 1 ? cur.allOf[0]?.$ref : undefined);
    if (typeof ref !== 'string' || !ref.startsWith(REF_PREFIX)) break;
    def = ref.slice(REF_PREFIX.length);
    cur = definitions().get(def);
  }
  if (!cur) return undefined;
  if (def) {
    const parts = def.split('.');
    const name = parts[parts.length - 1]!;
    return { schema: cur, goType: `${parts[parts.length - 2]}.${name}`, name };
  }
  return { schema: cur, goType: goTypeOf(cur) };
}

function goTypeOf(s: Schema): string {
  switch (s.type) {
    case 'string': return 'string';
    case 'boolean': return 'bool';
    case 'number': return 'float64';
    case 'integer': return s.format === 'int32' || s.format === 'int64' ? s.format : 'int';
    case 'array': return `[]${resolve(s.items as Schema | undefined)?.goType ?? 'interface {}'}`;
    case 'object': return `map[string]${resolve(s.additionalProperties as Schema | undefined)?.goType ?? 'interface {}'}`;
    default: return 'interface {}';
  }
}

function mismatchMessage(value: unknown, r: Resolved, struct: string, path: Trail | undefined): string {
  return `json: cannot unmarshal ${jsonValue(value, r.goType)} into Go struct field ${struct}.${pathOf(path)} of type ${r.goType}`;
}

/** How Go names the offending JSON value: numbers that miss an integer type carry their text. */
function jsonValue(v: unknown, goType: string): string {
  if (Array.isArray(v)) return 'array';
  if (typeof v === 'number') return goType in INT_RANGES ? `number ${String(v)}` : 'number';
  if (typeof v === 'boolean') return 'bool';
  return typeof v === 'object' ? 'object' : 'string';
}
