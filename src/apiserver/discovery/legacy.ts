// The legacy (non-aggregated) discovery documents: /api, /apis, /apis/<group> and the per
// group-version APIResourceLists. They work for every client version (kubectl-wire §2.2), and
// client-node resolves kind → plural through the per-GV list even when aggregated discovery is used.
import { groupVersions, resourcesIn, storageVersionHash } from '../../api/registry.js';
import type { ResourceInfo, SubresourceInfo } from '../../api/registry.js';
import { groupVersion } from '../../api/types.js';

interface GroupVersionForDiscovery {
  groupVersion: string;
  version: string;
}

function versionsOf(group: string): GroupVersionForDiscovery[] | undefined {
  const g = groupVersions().find((x) => x.group === group);
  return g?.versions.map((v) => ({ groupVersion: groupVersion(group, v), version: v }));
}

function groupBody(name: string, versions: GroupVersionForDiscovery[]): object {
  // The registry lists a group's preferred version first (autoscaling: v2, then v1).
  return { name, versions, preferredVersion: versions[0] };
}

/** GET /api: the legacy APIVersions object; `serverAddress` is host:port as clients reach us. */
export function apiVersions(serverAddress: string): object {
  return {
    kind: 'APIVersions',
    versions: versionsOf('')?.map((v) => v.version) ?? [],
    serverAddressByClientCIDRs: [{ clientCIDR: '0.0.0.0/0', serverAddress }],
  };
}

/** GET /apis: every non-core group in registry order (kubectl prefers earlier groups on name clashes). */
export function apiGroupList(): object {
  const groups = groupVersions()
    .filter((g) => g.group !== '')
    .map((g) => groupBody(g.group, versionsOf(g.group) ?? []));
  return { kind: 'APIGroupList', apiVersion: 'v1', groups };
}

/** GET /apis/<group>: one APIGroup, or undefined when the group is not served (→ 404). */
export function apiGroup(group: string): object | undefined {
  if (group === '') return undefined;
  const versions = versionsOf(group);
  if (!versions) return undefined;
  return { kind: 'APIGroup', apiVersion: 'v1', ...groupBody(group, versions) };
}

function resourceEntry(r: ResourceInfo): object {
  const entry: Record<string, unknown> = {
    name: r.resource,
    singularName: r.singular,
    namespaced: r.namespaced,
    kind: r.kind,
    verbs: [...r.verbs],
  };
  // Upstream omits empty shortNames/categories, and virtual resources (reviews, bindings) carry no
  // storageVersionHash because nothing is stored for them.
  if (r.shortNames.length) entry.shortNames = [...r.shortNames];
  if (r.categories.length) entry.categories = [...r.categories];
  if (r.stored) entry.storageVersionHash = storageVersionHash(r);
  return entry;
}

function subresourceEntry(r: ResourceInfo, s: SubresourceInfo): object {
  const entry: Record<string, unknown> = { name: `${r.resource}/${s.name}`, singularName: '', namespaced: r.namespaced };
  // group/version appear only when the subresource speaks another group's kind (deployments/scale →
  // autoscaling/v1 Scale, pods/eviction → policy/v1 Eviction).
  if (s.kind.group !== r.group || s.kind.version !== r.version) {
    entry.group = s.kind.group;
    entry.version = s.kind.version;
  }
  entry.kind = s.kind.kind;
  entry.verbs = [...s.verbs];
  return entry;
}

/** GET /api/v1 or /apis/<group>/<version>: resources then their subresources, or undefined if not served. */
export function apiResourceList(group: string, version: string): object | undefined {
  const rs = resourcesIn(group, version);
  if (rs.length === 0) return undefined;
  const resources: object[] = [];
  for (const r of rs) {
    resources.push(resourceEntry(r));
    for (const s of r.subresources) resources.push(subresourceEntry(r, s));
  }
  return { kind: 'APIResourceList', apiVersion: 'v1', groupVersion: groupVersion(group, version), resources };
}
