// A compact notation for schema tables, so that hand-written type descriptions stay readable and
// short: each field is [type, description, mergeKey?]. Types are primitives (string, integer,
// int64, int32, number, boolean), `object` (free-form), `[]T`, `map[T]`, or a definition name —
// short names resolve to the declaring package first, then to the shared fallbacks (meta, core…).

export type Schema = Record<string, unknown>;

/** One field: its type expression, a one-line description, and optionally its strategic-merge key. */
export type FieldDef = [type: string, description: string, mergeKey?: string];

/** An object type with fields, or a raw schema for scalars such as Time or Quantity. */
export type TypeDef =
  | { description: string; fields: Record<string, FieldDef>; required?: string[] }
  | { description: string; raw: Schema };

/** A Go package's types, keyed by short name, e.g. { prefix: 'io.k8s.api.core.v1', types: { Pod: … } }. */
export interface Package {
  prefix: string;
  types: Record<string, TypeDef>;
}

const PRIMITIVES: Record<string, Schema> = {
  string: { type: 'string' },
  integer: { type: 'integer', format: 'int32' },
  int32: { type: 'integer', format: 'int32' },
  int64: { type: 'integer', format: 'int64' },
  number: { type: 'number', format: 'double' },
  boolean: { type: 'boolean' },
  byte: { type: 'string', format: 'byte' },
  object: { type: 'object' },
};

/** A `$ref` to a component schema. */
export function ref(name: string): Schema {
  return { $ref: `#/components/schemas/${name}` };
}

/** Compiles packages into OpenAPI v3 component schemas; throws on an unresolvable type name. */
export function compile(packages: Package[], fallbacks: string[]): Map<string, Schema> {
  const known = new Set<string>();
  for (const p of packages) for (const t of Object.keys(p.types)) known.add(`${p.prefix}.${t}`);

  const resolve = (name: string, prefix: string): string => {
    if (name.includes('.') && known.has(name)) return name;
    for (const candidate of [prefix, ...fallbacks]) if (known.has(`${candidate}.${name}`)) return `${candidate}.${name}`;
    throw new Error(`openapi schemas: unknown type ${name} (in ${prefix})`);
  };

  // Object-valued references use allOf so that the field's own description can sit beside the $ref
  // (OpenAPI 3.0 ignores siblings of a bare $ref); kubectl explain follows allOf[0].
  const typeExpr = (t: string, prefix: string, top: boolean): Schema => {
    if (t.startsWith('[]')) return { type: 'array', items: typeExpr(t.slice(2), prefix, false) };
    if (t.startsWith('map[') && t.endsWith(']')) return { type: 'object', additionalProperties: typeExpr(t.slice(4, -1), prefix, false) };
    const p = PRIMITIVES[t];
    if (p) return { ...p };
    const target = ref(resolve(t, prefix));
    return top ? { allOf: [target] } : target;
  };

  const out = new Map<string, Schema>();
  for (const p of packages) {
    for (const [short, def] of Object.entries(p.types)) {
      const name = `${p.prefix}.${short}`;
      if ('raw' in def) {
        out.set(name, { description: def.description, ...def.raw });
        continue;
      }
      const properties: Record<string, Schema> = {};
      for (const [field, [type, description, mergeKey]] of Object.entries(def.fields)) {
        const s: Schema = { ...typeExpr(type, p.prefix, true), description };
        if (mergeKey !== undefined) {
          // '' marks a merged list of scalars (finalizers); otherwise a list of objects keyed by mergeKey.
          if (mergeKey) s['x-kubernetes-patch-merge-key'] = mergeKey;
          s['x-kubernetes-patch-strategy'] = 'merge';
        }
        properties[field] = s;
      }
      const schema: Schema = { description: def.description, type: 'object', properties };
      if (def.required?.length) schema.required = [...def.required];
      out.set(name, schema);
    }
  }
  return out;
}
