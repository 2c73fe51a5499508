// The client-library pieces the garbage collector uses, in one place.
import { groupVersion } from '../../api/types.js';
import type { ResourceRef } from '../../client/index.js';

export { RateLimitingQueue, TokenBucket, deletedObject, runWorkers } from '../../client/index.js';
export type { Client, EventRecorder, SharedIndexInformer } from '../../client/index.js';

/** "apps/v1" for a resource ref. */
export function apiVersionFor(r: ResourceRef): string {
  return groupVersion(r.group, r.version);
}
