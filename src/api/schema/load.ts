// The generated Kubernetes type schemas (generated/k8s-schemas.json, written by
// scripts/gen-schemas.mjs from @kubernetes/client-node and kubernetes-types), loaded once on first
// use. The path is resolved from this module so it works from src/ under tsx and from dist/.
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/** An OpenAPI v3 schema object as upstream publishes it (plain JSON). */
export type Schema = Record<string, any>;

export interface GroupVersionKind {
  group: string;
  version: string;
  kind: string;
}

/** Where the generated file lives: <repo>/generated/k8s-schemas.json (src/api/schema and dist/api/schema are both three levels down). */
export const SCHEMAS_FILE = fileURLToPath(new URL('../../../generated/k8s-schemas.json', import.meta.url));

/** The `$ref` prefix of component schemas in OpenAPI v3 documents. */
export const REF_PREFIX = '#/components/schemas/';

interface Loaded {
  schemas: ReadonlyMap<string, Schema>;
  byGvk: ReadonlyMap<string, string>;
  sources: Record<string, string>;
}

let loaded: Loaded | undefined;

const gvkKey = (g: GroupVersionKind): string => `${g.group}/${g.version}/${g.kind}`;

function load(): Loaded {
  if (loaded) return loaded;
  let text: string;
  try {
    text = readFileSync(SCHEMAS_FILE, 'utf8');
  } catch (err) {
    throw new Error(`Kubernetes type schemas not found at ${SCHEMAS_FILE} (${(err as Error).message}); run: node scripts/gen-schemas.mjs`);
  }
  const doc = JSON.parse(text) as { schemas: Record<string, Schema>; sources?: Record<string, string> };
  const schemas = new Map(Object.entries(doc.schemas));
  const byGvk = new Map<string, string>();
  for (const [name, s] of schemas) {
    for (const g of (s['x-kubernetes-group-version-kind'] ?? []) as GroupVersionKind[]) byGvk.set(gvkKey(g), name);
  }
  loaded = { schemas, byGvk, sources: doc.sources ?? {} };
  return loaded;
}

/** Every definition by upstream name (io.k8s.api.core.v1.Pod). Callers must not mutate the schemas. */
export function definitions(): ReadonlyMap<string, Schema> {
  return load().schemas;
}

/** The definition name of a kind (from its x-kubernetes-group-version-kind), or undefined. */
export function definitionNameFor(gvk: GroupVersionKind): string | undefined {
  return load().byGvk.get(gvkKey(gvk));
}

/** The schema of a kind, or undefined when the generated schemas do not know it. */
export function schemaFor(gvk: GroupVersionKind): Schema | undefined {
  const name = definitionNameFor(gvk);
  return name === undefined ? undefined : load().schemas.get(name);
}

/** Package versions the schemas were generated from. */
export function schemaSources(): Readonly<Record<string, string>> {
  return load().sources;
}

/** Follows `$ref` and the single-element `allOf: [{$ref}]` wrapper upstream uses for described references. */
export function resolveSchema(s: Schema | undefined): Schema | undefined {
  let cur = s;
  for (let i = 0; cur && i < 16; i++) {
    const ref: unknown = cur.$ref ?? (Array.isArray(cur.allOf) && cur.allOf.length === 1 ? cur.allOf[0]?.$ref : undefined);
    if (typeof ref !== 'string' || !ref.startsWith(REF_PREFIX)) return cur;
    cur = load().schemas.get(ref.slice(REF_PREFIX.length));
  }
  return cur;
}
