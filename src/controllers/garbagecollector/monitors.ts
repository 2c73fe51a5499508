// Which resources the garbage collector watches (upstream GetDeletableResources minus its ignored
// resources): every stored resource that serves list, watch and delete, once per storage location,
// except events, which never own anything and churn the most.
import { resources } from '../../api/registry.js';
import type { ResourceRef } from '../../client/index.js';

const IGNORED = new Set(['/events', 'events.k8s.io/events']);

export interface MonitoredResource extends ResourceRef {
  kind: string;
  namespaced: boolean;
}

export function deletableResources(): MonitoredResource[] {
  const seen = new Set<string>();
  const out: MonitoredResource[] = [];
  for (const r of resources) {
    if (!r.stored || !['list', 'watch', 'delete'].every((v) => r.verbs.includes(v as never))) continue;
    if (IGNORED.has(`${r.group}/${r.resource}`)) continue;
    const storage = `${r.storage.group}/${r.storage.resource}`;
    if (seen.has(storage)) continue;
    seen.add(storage);
    out.push({ group: r.group, version: r.version, resource: r.resource, kind: r.kind, namespaced: r.namespaced });
  }
  return out;
}
