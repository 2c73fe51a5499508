// The layers upstream wraps around the structured updater for Update operations
// (managedfields/internal: stripmeta, managedfieldsupdater, capmanagers): server-set metadata is
// never owned, the request's fields are merged into its manager's Update entry with a fresh time,
// and at most ten Update entries are kept (older ones fold into "ancient-changes").
import { FieldSet } from './fieldset.js';
import { managerKey, type Managed, type ManagerId } from './managers.js';
import { fieldElement } from './path.js';
import { structuredUpdate, type UpdaterOptions } from './updater.js';

/** Fields no manager owns (upstream stripMetaManager). */
export const STRIPPED = FieldSet.of(
  ...['apiVersion', 'kind', 'metadata'].map((f) => [fieldElement(f)]),
  ...['name', 'namespace', 'creationTimestamp', 'selfLink', 'uid', 'clusterName', 'generation', 'managedFields', 'resourceVersion']
    .map((f) => [fieldElement('metadata'), fieldElement(f)]),
);

export const MAX_UPDATE_MANAGERS = 10;
const ANCIENT = 'ancient-changes';
const SELF = '{"manager":"current-operation"}';

/** Removes server-set metadata from one manager's set; drops the manager when nothing is left. */
export function stripMeta(managed: Managed, key: string): void {
  const m = managed.get(key);
  if (!m) return;
  m.set = m.set.difference(STRIPPED);
  if (m.set.empty()) managed.delete(key);
}

/**
 * Records an Update by `manager` (apiVersion and subresource from id) that turned live into next;
 * returns the new map, `managed` is left untouched.
 */
export function recordUpdate(live: Record<string, unknown>, next: Record<string, unknown>, managed: Managed, id: ManagerId, now: string, opts: UpdaterOptions): Managed {
  const selfId: ManagerId = { ...id, manager: 'current-operation' };
  const out = structuredUpdate(live, next, managed, SELF, selfId, opts);
  stripMeta(out, SELF);
  const mine = out.get(SELF);
  if (mine) {
    out.delete(SELF);
    const key = managerKey(id);
    const prev = out.get(key);
    out.set(key, { id, set: prev ? mine.set.union(prev.set) : mine.set, time: now });
  }
  capUpdateManagers(out);
  return out;
}

function seconds(t: string | undefined): number {
  return t ? Math.floor(Date.parse(t) / 1000) : 0;
}

/** Folds the oldest Update entries of each apiVersion into one "ancient-changes" entry past the cap. */
export function capUpdateManagers(managed: Managed, max = MAX_UPDATE_MANAGERS): void {
  const updaters = [...managed.entries()].filter(([, m]) => m.id.operation === 'Update').map(([k]) => k);
  if (updaters.length <= max) return;
  updaters.sort((a, b) => seconds(managed.get(a)!.time) - seconds(managed.get(b)!.time) || (a < b ? -1 : a > b ? 1 : 0));
  const firstOfVersion = new Map<string, string>();
  let length = updaters.length;
  for (let i = 0; i < updaters.length && length > max; i++) {
    const key = updaters[i]!;
    const m = managed.get(key)!;
    const version = m.id.apiVersion;
    const bucketId: ManagerId = { manager: ANCIENT, operation: 'Update', apiVersion: version };
    const bucket = managerKey(bucketId);
    const first = firstOfVersion.get(version);
    if (first === undefined) {
      firstOfVersion.set(version, key);
      continue;
    }
    if (!managed.has(bucket)) {
      const f = managed.get(first)!;
      managed.delete(first);
      managed.set(bucket, { ...f, id: bucketId });
    }
    const b = managed.get(bucket)!;
    b.set = m.set.union(b.set);
    if (m.time) b.time = m.time;
    managed.delete(key);
    length--;
  }
}
