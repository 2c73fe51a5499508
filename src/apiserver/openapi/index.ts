// OpenAPI documents derived from the kinds registry and the schema tables: v3 per group-version (what
// kubectl 1.27+ validates against and explains from) and a minimal v2 for kubectl 1.27/1.28.
export { openapiV3Index, openapiV3Document, documentHash } from './document.js';
export { openapiV2Protobuf, openapiV2Json } from './v2.js';
export { SCHEMAS_COMPLETE, schemaCatalog } from './schemas/catalog.js';
