// Skiff's client library (client-go style). Components hold a `Client` (REST or fake), build
// informers from a SharedInformerFactory, drive controllers with a RateLimitingQueue and runWorkers,
// elect a leader on a Lease and report Events. See interfaces.ts for the contract.
export type {
  Client, ResourceClient, ResourceOps, ResourceRef, KindRef, ResolvedResource, Watch, WatchEvent, WatchEventType,
  CallOptions, GetOptions, ListOptions, WatchOptions, WriteOptions, PatchOptions, PatchType, DeleteOptions, DeleteCollectionOptions,
} from './interfaces.js';
export { refs } from './refs.js';
export { resolveResource, objectKey, splitKey } from './resolve.js';
export { formatMicroTime, parseMicroTime } from './microtime.js';
export { loadKubeconfig, renderKubeconfig, writeKubeconfig } from './kubeconfig.js';
export type { LoadedKubeconfig, KubeconfigCluster, KubeconfigUser } from './kubeconfig.js';
export { TokenBucket, unlimited } from './flowcontrol/index.js';
export type { RateLimiter } from './flowcontrol/index.js';
export * from './rest/index.js';
export * from './informer/index.js';
export * from './workqueue/index.js';
export * from './leaderelection/index.js';
export * from './events/index.js';
export { FakeClient, ObjectTracker, FakeWatch } from './fake/index.js';
export type { Action, FakeClientOptions, Reactor, Verb } from './fake/index.js';
