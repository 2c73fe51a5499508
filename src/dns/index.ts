// Cluster DNS (the Kubernetes DNS-based service discovery spec, CoreDNS's kubernetes plugin as the
// reference): startDNS serves Services from informer caches over UDP and TCP and forwards the rest.
export { startDNS, syncService } from './start.js';
export type { DNSOptions, DNSServer } from './start.js';
export type { ListenAddress } from './server.js';
export type { Upstream } from './forward.js';
export { ClusterZone, SCHEMA_VERSION } from './zone.js';
export type { Resolution, ZoneOptions } from './zone.js';
export { serviceRecords, sliceServiceKey } from './records.js';
export { QueryHandler, encodeWithin, udpLimit } from './handler.js';
export { DNSMetrics } from './metrics.js';
export { parseResolvConf, parseUpstream } from './resolvconf.js';
export * as wire from './wire.js';
