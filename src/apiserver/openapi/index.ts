// OpenAPI documents derived from the kinds registry and the generated type schemas: v3 per
// group-version (what kubectl 1.27+ validates against and explains from) and v2 for kubectl
// 1.27/1.28, in JSON and gnostic protobuf.
export { openapiV3Index, openapiV3Document, documentHash, servedDefinitionNames } from './document.js';
export { openapiV2Protobuf, openapiV2Json } from './v2.js';
export { schemaCatalog, kindSchemaName } from './catalog.js';
export { PATCH_TYPES } from './paths.js';
