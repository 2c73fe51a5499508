// merge: an applied configuration laid over the live object (upstream typed.TypedValue.Merge).
// Leaves take the configuration's value; maps merge per key; map and set lists merge per element,
// keeping the live order for elements only the live object has and the configuration's order for
// the ones it names. removeItems drops the fields of a set from a value (typed.RemoveItems).
import type { FieldSet } from './fieldset.js';
import { ElementError, elementOf, isMap } from './elements.js';
import { fieldElement, pathString, type PathElement } from './path.js';
import type { NodeInfo, TypeInfo } from './typeinfo.js';
import { cloneJson } from './values.js';

/** The configuration merged into the live object; neither argument is modified. */
export function merge(live: Record<string, unknown>, config: Record<string, unknown>, info: TypeInfo): Record<string, unknown> {
  return (mergeNode(live, config, info.root, [], info) ?? {}) as Record<string, unknown>;
}

function mergeNode(l: unknown, r: unknown, n: NodeInfo, path: PathElement[], info: TypeInfo): unknown {
  if (Array.isArray(l) && Array.isArray(r) && n.list.kind !== 'atomic' && (l.length || r.length)) {
    return mergeList(l, r, n, path, info);
  }
  if (isMap(l) && isMap(r) && !n.atomicMap && (!isEmptyMap(l) || !isEmptyMap(r))) {
    const out: Record<string, unknown> = {};
    const visit = (key: string) => {
      path.push(fieldElement(key));
      const v = mergeNode(l[key], r[key], info.field(n, key), path, info);
      path.pop();
      // A null in the configuration owns the field and leaves it unset.
      if (v !== undefined && v !== null) out[key] = v;
    };
    for (const key of Object.keys(l)) visit(key);
    for (const key of Object.keys(r)) if (!Object.hasOwn(l, key)) visit(key);
    return out;
  }
  // A leaf: the configuration wins.
  return r !== undefined ? cloneJson(r) : cloneJson(l);
}

function isEmptyMap(m: Record<string, unknown>): boolean {
  for (const _ in m) return false;
  return true;
}

const DUPLICATE = Symbol('duplicate');

function mergeList(l: unknown[], r: unknown[], n: NodeInfo, path: PathElement[], info: TypeInfo): unknown[] {
  const kind = n.list;
  if (kind.kind === 'atomic') return cloneJson(r);
  const elem = info.element(n);
  const name = (items: unknown[], allowDuplicates: boolean) => {
    const pes: PathElement[] = [];
    const seen = new Map<PathElement, unknown>();
    items.forEach((item, i) => {
      let pe: PathElement;
      try {
        pe = elementOf(kind, item);
      } catch (err) {
        throw new ElementError(`${pathString(path)}: element ${i}: ${(err as Error).message}`);
      }
      if (seen.has(pe)) {
        if (!allowDuplicates) throw new ElementError(`${pathString(path)}: duplicate entries for key ${pathString([pe])}`);
        seen.set(pe, DUPLICATE);
      } else seen.set(pe, item);
      pes.push(pe);
    });
    return { pes, seen };
  };
  const { pes: rPes, seen: rSeen } = name(r, false);
  const { pes: lPes, seen: lSeen } = name(l, true);
  const value = (m: Map<PathElement, unknown>, pe: PathElement) => {
    const v = m.get(pe);
    return v === DUPLICATE ? undefined : v;
  };
  const out: unknown[] = [];
  const item = (pe: PathElement, lv: unknown, rv: unknown): void => {
    path.push(pe);
    const v = mergeNode(lv, rv, elem, path, info);
    path.pop();
    if (v !== undefined) out.push(v);
  };

  // The elements both sides have, in the configuration's order.
  const shared = rPes.filter((pe) => lSeen.has(pe));
  let nextShared = shared.shift();
  const mergedFromConfig = new Set<PathElement>();
  let li = 0;
  let ri = 0;
  while (li < lPes.length || ri < rPes.length) {
    if (li < lPes.length && ri < rPes.length) {
      const pe = lPes[li]!;
      if (pe === rPes[ri]) {
        mergedFromConfig.add(pe);
        item(pe, value(lSeen, pe), rSeen.get(pe));
        li++;
        ri++;
        nextShared = shared.shift();
        continue;
      }
      // A live element the configuration also names, but later: skip it here.
      if (rSeen.has(pe) && nextShared !== undefined && nextShared !== pe) {
        li++;
        continue;
      }
    }
    if (li < lPes.length) {
      const pe = lPes[li]!;
      if (!rSeen.has(pe)) {
        item(pe, l[li], undefined);
        li++;
        continue;
      } else if (mergedFromConfig.has(pe)) li++;
    }
    if (ri < rPes.length) {
      const pe = rPes[ri]!;
      mergedFromConfig.add(pe);
      item(pe, value(lSeen, pe), rSeen.get(pe));
      ri++;
      if (nextShared === pe) nextShared = shared.shift();
    }
  }
  return out;
}

/**
 * value without the fields of toRemove: a removed member goes with everything beneath it; a
 * map or list left empty by the removal goes too (undefined), as upstream's typed conversion drops it.
 */
export function removeItems(value: Record<string, unknown>, toRemove: FieldSet, info: TypeInfo): Record<string, unknown> {
  return (removeNode(value, toRemove, info.root, info) ?? {}) as Record<string, unknown>;
}

function removeNode(v: unknown, toRemove: FieldSet, n: NodeInfo, info: TypeInfo): unknown {
  if (Array.isArray(v)) {
    if (v.length === 0 || n.list.kind === 'atomic') return undefined;
    const kind = n.list;
    const elem = info.element(n);
    const out: unknown[] = [];
    for (const item of v) {
      const pe = elementOf(kind, item);
      if (toRemove.hasMember(pe)) continue;
      const next = toRemove.hasPrefix(pe) ? removeNode(item, toRemove.withPrefix(pe), elem, info) : item;
      if (next !== undefined) out.push(next);
    }
    return out.length ? out : undefined;
  }
  if (isMap(v)) {
    if (isEmptyMap(v) || n.atomicMap) return undefined;
    const out: Record<string, unknown> = {};
    for (const [k, child] of Object.entries(v)) {
      const pe = fieldElement(k);
      if (toRemove.hasMember(pe)) continue;
      const next = toRemove.hasPrefix(pe) ? removeNode(child, toRemove.withPrefix(pe), info.field(n, k), info) : child;
      if (next !== undefined) out[k] = next;
    }
    return isEmptyMap(out) ? undefined : out;
  }
  return v;
}
