// The store's public surface: the Backend contract, its errors, and openBackend(url).
export type { Backend, KeyValue, WatchEvent, EventType, ListOptions, ListResult } from './backend.js';
export { MAX_VALUE_BYTES } from './backend.js';
export * from './errors.js';
export { openBackend, type OpenOptions } from './open.js';
export type { CompactionPolicy } from './logstructured/compactor.js';
