// Aggregated discovery (apidiscovery.k8s.io v2 and v2beta1, kubectl-wire §2.3): /api and /apis in one
// round trip each. The two versions share one shape; only `apiVersion` differs.
import { groupVersions, resourcesIn } from '../../api/registry.js';
import type { ResourceInfo } from '../../api/registry.js';

function resourceDiscovery(r: ResourceInfo): object {
  const entry: Record<string, unknown> = {
    resource: r.resource,
    // client-go silently drops any resource or subresource without responseKind.
    responseKind: { group: r.group, version: r.version, kind: r.kind },
    scope: r.namespaced ? 'Namespaced' : 'Cluster',
    singularResource: r.singular,
    verbs: [...r.verbs],
  };
  if (r.shortNames.length) entry.shortNames = [...r.shortNames];
  if (r.categories.length) entry.categories = [...r.categories];
  if (r.subresources.length) {
    entry.subresources = r.subresources.map((s) => ({
      subresource: s.name,
      responseKind: { ...s.kind },
      verbs: [...s.verbs],
    }));
  }
  return entry;
}

function groupDiscovery(group: string, versions: string[]): object {
  return {
    metadata: { name: group, creationTimestamp: null },
    // The first non-stale version is the preferred one, so registry order (v2 before v1) matters.
    versions: versions.map((v) => ({
      version: v,
      resources: resourcesIn(group, v).map(resourceDiscovery),
      freshness: 'Current',
    })),
  };
}

/** The APIGroupDiscoveryList for /api (the core group only) or /apis (every other group, registry order). */
export function aggregatedDiscovery(scope: 'api' | 'apis', version: 'v2' | 'v2beta1'): object {
  const items = groupVersions()
    .filter((g) => (scope === 'api' ? g.group === '' : g.group !== ''))
    .map((g) => groupDiscovery(g.group, g.versions));
  return { kind: 'APIGroupDiscoveryList', apiVersion: `apidiscovery.k8s.io/${version}`, metadata: {}, items };
}
