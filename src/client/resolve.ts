// Turns a ResourceRef or KindRef into the resource's URL parts, through the kinds registry
// (src/api/registry.ts). Unknown group/version/resources (CRDs) pass through with what the ref says.
import { lookupKind, lookupResource } from '../api/registry.js';
import { parseApiVersion } from '../api/types.js';
import type { KindRef, ResolvedResource, ResourceRef } from './interfaces.js';

/** The resource a ref names; a KindRef must name a kind the registry knows. */
export function resolveResource(ref: ResourceRef | KindRef): ResolvedResource {
  if ('apiVersion' in ref) {
    const { group, version } = parseApiVersion(ref.apiVersion);
    const r = lookupKind(group, version, ref.kind);
    if (!r) throw new Error(`client: no resource is known for kind ${ref.kind} in ${ref.apiVersion}; pass {group, version, resource}`);
    return { group, version, resource: r.resource, kind: r.kind, namespaced: r.namespaced };
  }
  const r = lookupResource(ref.group, ref.version, ref.resource);
  if (r) return { group: r.group, version: r.version, resource: r.resource, kind: r.kind, namespaced: r.namespaced };
  return { group: ref.group, version: ref.version, resource: ref.resource, kind: ref.kind ?? '', namespaced: ref.namespaced ?? true };
}

/** "ns/name" for namespaced objects, "name" otherwise (client-go's MetaNamespaceKeyFunc). */
export function objectKey(obj: { metadata: { namespace?: string; name?: string } }): string {
  const ns = obj.metadata.namespace;
  return ns ? `${ns}/${obj.metadata.name ?? ''}` : (obj.metadata.name ?? '');
}

/** Splits a "ns/name" or "name" key (client-go's SplitMetaNamespaceKey). */
export function splitKey(key: string): { namespace: string; name: string } {
  const i = key.indexOf('/');
  return i < 0 ? { namespace: '', name: key } : { namespace: key.slice(0, i), name: key.slice(i + 1) };
}
