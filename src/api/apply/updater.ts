// The core of field management (upstream sigs.k8s.io/structured-merge-diff merge.Updater), on one
// API version: Update gives the writing manager every field it changed and takes changed or removed
// fields away from everyone else; Apply merges a configuration, prunes what the manager applied
// before and no longer applies (unless someone else owns it), and fails on fields another manager
// owns with a different value unless forced.
import { compare, type Comparison } from './compare.js';
import { fieldsOf } from './fields.js';
import { FieldSet } from './fieldset.js';
import { copyManaged, type Managed, type ManagedSet, type ManagerId } from './managers.js';
import { merge, removeItems } from './merge.js';
import type { Path } from './path.js';
import type { TypeInfo } from './typeinfo.js';

export interface UpdaterOptions {
  info: TypeInfo;
  /** Fields no manager may own through this endpoint (upstream reset fields: status on the main resource…). */
  ignore?: (s: FieldSet) => FieldSet;
}

export interface Conflict {
  manager: ManagedSet['id'];
  key: string;
  path: Path;
}

/** Fields another manager owns with a different value (upstream merge.Conflicts). */
export class ConflictsError extends Error {
  constructor(readonly conflicts: Conflict[]) {
    super(`${conflicts.length} conflict(s)`);
  }
}

function filtered(c: Comparison, ignore: UpdaterOptions['ignore']): Comparison {
  if (!ignore) return c;
  return { added: ignore(c.added), modified: ignore(c.modified), removed: ignore(c.removed) };
}

/**
 * Takes from every manager but `workflow` the fields that changed between live and next; without
 * force, a changed field someone else owns is a conflict.
 */
function reconcile(live: Record<string, unknown>, next: Record<string, unknown>, managed: Managed, workflow: string, force: boolean, opts: UpdaterOptions): { managed: Managed; cmp: Comparison } {
  const cmp = filtered(compare(live, next, opts.info), opts.ignore);
  const changed = cmp.modified.union(cmp.added);
  const conflicts = new Map<string, FieldSet>();
  for (const [key, m] of managed) {
    if (key === workflow) continue;
    const c = m.set.intersection(changed);
    if (!c.empty()) conflicts.set(key, c);
  }
  if (!force && conflicts.size) {
    const list: Conflict[] = [];
    for (const key of [...conflicts.keys()].sort()) {
      for (const path of conflicts.get(key)!.paths()) list.push({ manager: managed.get(key)!.id, key, path });
    }
    throw new ConflictsError(list);
  }
  const out = copyManaged(managed);
  for (const [key, m] of out) {
    if (key === workflow) continue;
    const c = conflicts.get(key);
    if (c) m.set = m.set.difference(c);
    if (!cmp.removed.empty()) m.set = m.set.difference(cmp.removed);
    if (m.set.empty()) out.delete(key);
  }
  return { managed: out, cmp };
}

/** Records an Update by `key` (upstream Updater.Update); the object is not changed. */
export function structuredUpdate(live: Record<string, unknown>, next: Record<string, unknown>, managed: Managed, key: string, id: ManagerId, opts: UpdaterOptions): Managed {
  const { managed: out, cmp } = reconcile(live, next, managed, key, true, opts);
  const prev = out.get(key)?.set ?? new FieldSet();
  let set = prev.difference(cmp.removed).union(cmp.modified).union(cmp.added);
  if (opts.ignore) set = opts.ignore(set);
  if (set.empty()) out.delete(key);
  else out.set(key, { id, set });
  return out;
}

/** Applies config as `key` (upstream Updater.Apply). */
export function structuredApply(live: Record<string, unknown>, config: Record<string, unknown>, managed: Managed, key: string, id: ManagerId, force: boolean, opts: UpdaterOptions): { object: Record<string, unknown>; managed: Managed } {
  let merged = merge(live, config, opts.info);
  const last = managed.get(key);
  let set = fieldsOf(config, opts.info, false);
  if (opts.ignore) set = opts.ignore(set);
  const withNew = copyManaged(managed);
  withNew.set(key, { id, set, ...(last?.time ? { time: last.time } : {}) });
  // Nothing applied last time is missing now: pruning would remove nothing.
  if (last && !last.set.difference(set).empty()) merged = prune(merged, withNew, last.set, opts.info);
  const { managed: out } = reconcile(live, merged, withNew, key, force, opts);
  return { object: merged, managed: out };
}

/**
 * Removes what the applier applied last time and not this time, unless another manager (or this
 * apply) owns it; fields nobody owns that hang beneath a pruned one go with it.
 */
function prune(merged: Record<string, unknown>, managed: Managed, last: FieldSet, info: TypeInfo): Record<string, unknown> {
  const lastNamed = last.ensureNamedFieldsAreMembers();
  let pruned = removeItems(merged, lastNamed, info);
  // Add back what anyone still owns.
  const owned = new FieldSet();
  for (const m of managed.values()) owned.addAll(m.set);
  const mergedSet = fieldsOf(merged, info).ensureNamedFieldsAreMembers();
  let prunedSet = fieldsOf(pruned, info).ensureNamedFieldsAreMembers();
  pruned = removeItems(merged, mergedSet.difference(prunedSet.union(owned.ensureNamedFieldsAreMembers())), info);
  // Only remove what this applier owned: unowned fields outside its old set come back.
  prunedSet = fieldsOf(pruned, info).ensureNamedFieldsAreMembers();
  return removeItems(merged, mergedSet.difference(prunedSet).intersection(lastNamed), info);
}
