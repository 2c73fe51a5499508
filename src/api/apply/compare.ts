// compare: which fields one object adds, changes or removes relative to another (upstream
// typed.TypedValue.Compare). Leaves (scalars, atomic lists and maps, and empty maps or lists) are
// compared by value; a map, list element or struct that appears or disappears as a whole is also
// reported itself, which is why an Update that adds `labels` owns `.metadata.labels` too.
import { FieldSet } from './fieldset.js';
import { elementOf, isMap } from './elements.js';
import { fieldElement, type PathElement } from './path.js';
import type { NodeInfo, TypeInfo } from './typeinfo.js';
import { deepEqual } from './values.js';

export interface Comparison {
  added: FieldSet;
  modified: FieldSet;
  removed: FieldSet;
}

export function isSame(c: Comparison): boolean {
  return c.added.empty() && c.modified.empty() && c.removed.empty();
}

/** Compares lhs (before) with rhs (after). */
export function compare(lhs: Record<string, unknown>, rhs: Record<string, unknown>, info: TypeInfo): Comparison {
  const c: Comparison = { added: new FieldSet(), modified: new FieldSet(), removed: new FieldSet() };
  node(lhs, rhs, info.root, [], c, info);
  return c;
}

/** Compares the values at one position (undefined: absent on that side). */
function node(l: unknown, r: unknown, n: NodeInfo, path: PathElement[], c: Comparison, info: TypeInfo): void {
  // A typed Go object always has these: an absent one is an empty one.
  if (n.alwaysPresent) {
    if (l === undefined) l = isMap(r) ? {} : Array.isArray(r) ? [] : l;
    else if (r === undefined) r = isMap(l) ? {} : Array.isArray(l) ? [] : r;
  }
  let leaf = false;
  if (Array.isArray(l) || Array.isArray(r)) {
    const la = Array.isArray(l) ? l : undefined;
    const ra = Array.isArray(r) ? r : undefined;
    const mixed = (l !== undefined && la === undefined) || (r !== undefined && ra === undefined);
    if (mixed || n.list.kind === 'atomic' || (!la?.length && !ra?.length)) leaf = true;
    else list(la ?? [], ra ?? [], n, path, c, info);
  } else if (isMap(l) || isMap(r)) {
    const lm = isMap(l) ? l : undefined;
    const rm = isMap(r) ? r : undefined;
    const mixed = (l !== undefined && lm === undefined) || (r !== undefined && rm === undefined);
    const empty = (!lm || isEmpty(lm)) && (!rm || isEmpty(rm));
    if (mixed || n.atomicMap || empty) leaf = true;
    else map(lm ?? {}, rm ?? {}, n, path, c, info);
  } else leaf = true;

  if (leaf) {
    if (l === undefined) c.added.insert(path);
    else if (r === undefined) c.removed.insert(path);
    else if (!deepEqual(l, r)) c.modified.insert(path);
    return;
  }
  if (l === undefined) c.added.insert(path);
  else if (r === undefined) c.removed.insert(path);
}

function isEmpty(m: Record<string, unknown>): boolean {
  for (const _ in m) return false;
  return true;
}

function map(l: Record<string, unknown>, r: Record<string, unknown>, n: NodeInfo, path: PathElement[], c: Comparison, info: TypeInfo): void {
  const visit = (key: string, lv: unknown, rv: unknown) => {
    if (lv === undefined && rv === undefined) return;
    path.push(fieldElement(key));
    node(lv, rv, info.field(n, key), path, c, info);
    path.pop();
  };
  for (const key of Object.keys(l)) visit(key, l[key], r[key]);
  for (const key of Object.keys(r)) if (!Object.hasOwn(l, key)) visit(key, undefined, r[key]);
}

function list(l: unknown[], r: unknown[], n: NodeInfo, path: PathElement[], c: Comparison, info: TypeInfo): void {
  const kind = n.list;
  if (kind.kind === 'atomic') return;
  const elem = info.element(n);
  const index = (items: unknown[]) => {
    const m = new Map<PathElement, unknown[]>();
    for (const item of items) {
      const pe = elementOf(kind, item);
      const prev = m.get(pe);
      if (prev) prev.push(item);
      else m.set(pe, [item]);
    }
    return m;
  };
  const lv = index(l);
  const rv = index(r);
  const all = new Set<PathElement>([...lv.keys(), ...rv.keys()]);
  for (const pe of all) {
    const ll = lv.get(pe) ?? [];
    const rl = rv.get(pe) ?? [];
    path.push(pe);
    if (ll.length <= 1 && rl.length <= 1) {
      node(ll[0], rl[0], elem, path, c, info);
    } else if (ll.length >= 2 && rl.length >= 2) {
      // Duplicates before and after: compared as one atomic value.
      if (!deepEqual(ll, rl)) c.modified.insert(path);
    } else if (ll.length >= 2) {
      // Duplicates that are gone: the single new element is added, the duplicate marker removed.
      if (rl.length) node(undefined, rl[0], elem, path, c, info);
      c.removed.insert(path);
    } else {
      if (ll.length) node(ll[0], undefined, elem, path, c, info);
      c.added.insert(path);
    }
    path.pop();
  }
}
