// metadata.managedFields ⇄ field sets per manager (upstream managedfields/internal/managedfields.go).
// A manager is identified by (manager, operation, apiVersion, subresource); Apply entries are one per
// manager whatever the apiVersion. Entries are written sorted: Apply before Update, then by time,
// manager, apiVersion and subresource.
import type { ManagedFieldsEntry } from '../types.js';
import { FieldSet } from './fieldset.js';

export type Operation = 'Apply' | 'Update';

export interface ManagerId {
  manager: string;
  operation: Operation;
  /** The apiVersion the fields are expressed in. */
  apiVersion: string;
  subresource?: string;
}

/** One manager's fields. */
export interface ManagedSet {
  id: ManagerId;
  set: FieldSet;
  time?: string;
}

/** Managers by identifier (see managerKey). */
export type Managed = Map<string, ManagedSet>;

/**
 * The identifier upstream builds (BuildManagerIdentifier): the entry without time and fields as
 * JSON, apiVersion left out for Apply. It is also what conflict messages are sorted by.
 */
export function managerKey(id: ManagerId): string {
  const o: Record<string, string> = { manager: id.manager, operation: id.operation };
  if (id.operation === 'Update' && id.apiVersion) o.apiVersion = id.apiVersion;
  if (id.subresource) o.subresource = id.subresource;
  return JSON.stringify(o);
}

/** `"kubectl"`, `"kube-controller-manager" with subresource "status" using apps/v1`… (upstream printManager). */
export function describeManager(id: ManagerId): string {
  let s = JSON.stringify(id.manager);
  if (id.subresource) s += ` with subresource ${JSON.stringify(id.subresource)}`;
  if (id.operation === 'Update') s += ` using ${id.apiVersion}`;
  return s;
}

/** Decodes entries; throws a plain Error naming the first bad one (as upstream DecodeManagedFields). */
export function decodeManagedFields(entries: readonly ManagedFieldsEntry[] | undefined): Managed {
  const out: Managed = new Map();
  (entries ?? []).forEach((e, i) => {
    if (!e || typeof e !== 'object') throw new Error(`managed fields entry ${i} is not an object`);
    if (e.operation !== 'Apply' && e.operation !== 'Update') throw new Error('operation must be `Apply` or `Update`');
    if (!e.apiVersion) throw new Error('apiVersion must not be empty');
    if (!e.fieldsType) throw new Error(`missing fieldsType in managed fields entry ${i}`);
    if (e.fieldsType !== 'FieldsV1') throw new Error(`invalid fieldsType ${JSON.stringify(e.fieldsType)} in managed fields entry ${i}`);
    const id: ManagerId = { manager: e.manager ?? '', operation: e.operation, apiVersion: e.apiVersion };
    if (e.subresource) id.subresource = e.subresource;
    let set: FieldSet;
    try {
      set = e.fieldsV1 === undefined || e.fieldsV1 === null ? new FieldSet() : FieldSet.fromFieldsV1(e.fieldsV1);
    } catch (err) {
      throw new Error(`error decoding versioned set from entry ${i}: ${(err as Error).message}`);
    }
    const m: ManagedSet = { id, set };
    if (e.time) m.time = e.time;
    out.set(managerKey(id), m);
  });
  return out;
}

/** The managedFields to store: undefined when no manager owns anything. */
export function encodeManagedFields(managed: Managed): ManagedFieldsEntry[] | undefined {
  const entries: ManagedFieldsEntry[] = [];
  for (const m of managed.values()) {
    if (m.set.empty()) continue;
    const e: ManagedFieldsEntry = { manager: m.id.manager, operation: m.id.operation, apiVersion: m.id.apiVersion };
    if (m.time) e.time = m.time;
    e.fieldsType = 'FieldsV1';
    e.fieldsV1 = m.set.toFieldsV1();
    if (m.id.subresource) e.subresource = m.id.subresource;
    entries.push(e);
  }
  if (entries.length === 0) return undefined;
  const seconds = (t: string | undefined) => (t ? Math.floor(Date.parse(t) / 1000) : 0);
  const cmp = (a: string | undefined, b: string | undefined) => ((a ?? '') < (b ?? '') ? -1 : (a ?? '') > (b ?? '') ? 1 : 0);
  return entries.sort((p, q) => cmp(p.operation, q.operation) || seconds(p.time) - seconds(q.time) ||
    cmp(p.manager, q.manager) || cmp(p.apiVersion, q.apiVersion) || cmp(p.subresource, q.subresource));
}

/** True for `managedFields: []` or `[{}]`: a client asking to clear every entry (upstream isResetManagedFields). */
export function isResetManagedFields(entries: unknown): boolean {
  if (!Array.isArray(entries)) return false;
  if (entries.length === 0) return true;
  return entries.length === 1 && entries[0] !== null && typeof entries[0] === 'object' && Object.keys(entries[0] as object).length === 0;
}

/** A deep copy of the map (sets are copied, so callers may mutate the result). */
export function copyManaged(m: Managed): Managed {
  const out: Managed = new Map();
  for (const [k, v] of m) out.set(k, { ...v, id: { ...v.id }, set: v.set.copy() });
  return out;
}
