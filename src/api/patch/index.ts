// The three classic PATCH bodies kube-apiserver accepts besides server-side apply:
// application/json-patch+json (RFC 6902), application/merge-patch+json (RFC 7396) and
// application/strategic-merge-patch+json (Kubernetes' own, driven by per-field merge metadata).
// Every function returns a new document and leaves its arguments untouched; failures are
// StatusErrors worded as kube-apiserver words them.
export { applyJsonPatch, MAX_JSON_PATCH_OPERATIONS } from './json-patch.js';
export { applyMergePatch } from './merge-patch.js';
export { applyStrategicMergePatch } from './strategic.js';
export { fieldStrategy } from './strategic-schema.js';
export type { ListType, PatchStrategy } from './strategic-schema.js';
export { GENERIC_INVALID_MESSAGE } from './errors.js';
