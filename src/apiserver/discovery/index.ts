// Discovery documents, all derived from the kinds registry (src/api/registry.ts). Pure functions: the
// HTTP layer caches the results, since the registry is static for a server's lifetime.
export { versionInfo } from './version.js';
export { apiVersions, apiGroupList, apiGroup, apiResourceList } from './legacy.js';
export { aggregatedDiscovery } from './aggregated.js';
export { negotiateDiscovery, aggregatedContentType } from './negotiate.js';
export type { DiscoveryChoice } from './negotiate.js';
