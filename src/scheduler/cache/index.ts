// Public surface of the scheduler cache.
export { Cache } from './cache.js';
export type { CacheOptions } from './cache.js';
export { Snapshot } from './snapshot.js';
export { NodeTree, zoneKey } from './node-tree.js';
