// The component schemas the OpenAPI documents draw from: the Kubernetes type schemas generated at
// build time from maintained packages (src/api/schema, scripts/gen-schemas.mjs). They are complete
// — every field of every served kind, with upstream's descriptions and strategic-merge extensions —
// so kubectl can explain any field and compute strategic merge patches from them.
import { definitionNameFor, definitions } from '../../api/schema/index.js';
import type { GroupVersionKind, Schema } from '../../api/schema/index.js';
import { schemaName } from './names.js';

export type { Schema };

/** All component schemas by definition name (callers must not mutate them). */
export function schemaCatalog(): ReadonlyMap<string, Schema> {
  return definitions();
}

/** The definition name of a kind: the schema carrying its GVK, else upstream's naming rule. */
export function kindSchemaName(gvk: GroupVersionKind): string {
  return definitionNameFor(gvk) ?? schemaName(gvk.group, gvk.version, gvk.kind);
}

/** A `$ref` to a component schema. */
export function ref(name: string): Schema {
  return { $ref: `#/components/schemas/${name}` };
}
