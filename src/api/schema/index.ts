// The Kubernetes type schemas generated at build time (scripts/gen-schemas.mjs) and what is derived
// from them: lookups by kind for OpenAPI and `kubectl explain`, and strict field validation
// (unknown and duplicate fields) as upstream's decoders report it.
export { definitions, definitionNameFor, resolveSchema, schemaFor, schemaSources, REF_PREFIX, SCHEMAS_FILE } from './load.js';
export type { GroupVersionKind, Schema } from './load.js';
export { unknownFields, MAX_STRICT_ERRORS } from './unknown.js';
export { typeMismatch } from './types.js';
export { jsonDuplicateFields, yamlDuplicateKeyMessage } from './duplicates.js';
export type { YamlKeyError } from './duplicates.js';
