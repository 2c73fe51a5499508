// Element order of merged lists, as upstream strategicpatch does it (patch.go: normalizeElementOrder,
// mergeSortedSlice, partition*ByPresentInList; design: "preserve order in strategic merge patch"):
// items named by the patch (or by $setElementOrder) keep the patch's order, items only the server
// has keep the live order, and the two runs are interleaved using the live order where both are known.
import { badPatch } from './errors.js';
import { goType, goValue } from './go-format.js';
import { isObject } from './json-value.js';
import type { JsonObject } from './json-value.js';

export const DIRECTIVE = '$patch';

/** "map" for lists of objects, else "scalar": how items are identified (merge key vs value). */
export type ElemKind = 'map' | 'scalar';

/** mergepatch.ErrNoMergeKey. */
export function noMergeKey(m: JsonObject, key: string): Error {
  return badPatch(`map: ${goValue(m)} does not contain declared merge key: ${key}`);
}

/** mergepatch.ErrBadArgType for an expected map. */
export function notAMap(v: unknown): Error {
  return badPatch(`expected a map[string]interface {}, but received a ${goType(v)}`);
}

/** The identity of an item for ordering: its merge key value, or the item itself for scalars (Go's index()). */
function identity(item: unknown, mergeKey: string, kind: ElemKind): unknown {
  if (kind !== 'map') return item;
  return isObject(item) ? item[mergeKey] : undefined;
}

/** Position of `item` in `list` by identity, or -1. */
export function indexIn(list: readonly unknown[], item: unknown, mergeKey: string, kind: ElemKind): number {
  const id = identity(item, mergeKey, kind);
  return list.findIndex((x) => identity(x, mergeKey, kind) === id);
}

/** The first map in `list` whose `key` equals `value` (findMapInSliceBasedOnKeyValue). */
export function findByKey(list: readonly unknown[], key: string, value: unknown): number {
  for (const [i, v] of list.entries()) {
    if (!isObject(v)) throw badPatch(`value for key ${i} is not a map`);
    if (Object.hasOwn(v, key) && v[key] === value) return i;
  }
  return -1;
}

/** Splits scalars into those present in `by` and the rest, keeping order. */
export function partitionScalars(items: readonly unknown[], by: readonly unknown[]): [unknown[], unknown[]] {
  const set = new Set(by);
  return [items.filter((v) => set.has(v)), items.filter((v) => !set.has(v))];
}

/** Splits maps into those whose merge key value appears in `by` and the rest, keeping order. */
export function partitionMaps(items: readonly unknown[], by: readonly unknown[], mergeKey: string): [unknown[], unknown[]] {
  const inPatch: unknown[] = [];
  const serverOnly: unknown[] = [];
  for (const v of items) {
    if (!isObject(v)) throw notAMap(v);
    if (!Object.hasOwn(v, mergeKey)) throw noMergeKey(v, mergeKey);
    (findByKey(by, mergeKey, v[mergeKey]) >= 0 ? inPatch : serverOnly).push(v);
  }
  return [inPatch, serverOnly];
}

/**
 * Orders the patch's items by `patchOrder` and the server-only items by `serverOrder`, then
 * interleaves them (normalizeElementOrder).
 */
export function normalizeElementOrder(patchItems: unknown[], serverOnly: unknown[], patchOrder: readonly unknown[],
  serverOrder: readonly unknown[], mergeKey: string, kind: ElemKind): unknown[] {
  const p = normalizeSliceOrder(patchItems, patchOrder, mergeKey, kind);
  const s = normalizeSliceOrder(serverOnly, serverOrder, mergeKey, kind);
  return mergeSortedSlice(s, p, serverOrder, mergeKey, kind);
}

/** Stable-sorts `toSort` by position in `order`; `$patch: delete` items go last (normalizeSliceOrder). */
function normalizeSliceOrder(toSort: unknown[], order: readonly unknown[], mergeKey: string, kind: ElemKind): unknown[] {
  let keep = toSort;
  let toDelete: unknown[] = [];
  if (kind === 'map') {
    for (const list of [toSort, order]) {
      for (const v of list) {
        if (!isObject(v)) throw notAMap(v);
        if (!Object.hasOwn(v, mergeKey)) throw noMergeKey(v, mergeKey);
      }
    }
    keep = toSort.filter((v) => (v as JsonObject)[DIRECTIVE] !== 'delete');
    toDelete = toSort.filter((v) => (v as JsonObject)[DIRECTIVE] === 'delete');
  }
  // Upstream uses Go's sort.SliceStable with "less = both known and earlier, else true". Every
  // caller passes items that all appear in `order`, so that is a consistent order and any stable
  // sort agrees with it; insertion sort is what Go itself runs for lists of up to 20 items.
  const out = keep.map((item) => ({ item, at: indexIn(order, item, mergeKey, kind) }));
  const less = (a: { at: number }, b: { at: number }): boolean => (a.at >= 0 && b.at >= 0 ? a.at < b.at : true);
  for (let i = 1; i < out.length; i++) {
    for (let j = i; j > 0 && less(out[j]!, out[j - 1]!); j--) [out[j - 1], out[j]] = [out[j]!, out[j - 1]!];
  }
  return [...out.map((x) => x.item), ...toDelete];
}

/**
 * Merges two sorted runs (mergeSortedSlice): an item of `left` (server-only) goes before the next
 * item of `right` (from the patch) only when both are in the live list and it comes first there.
 */
function mergeSortedSlice(left: unknown[], right: unknown[], serverOrder: readonly unknown[], mergeKey: string, kind: ElemKind): unknown[] {
  const out: unknown[] = [];
  let i = 0;
  let j = 0;
  while (i < left.length || j < right.length) {
    if (i >= left.length) out.push(right[j++]);
    else if (j >= right.length) out.push(left[i++]);
    else {
      const li = indexIn(serverOrder, left[i], mergeKey, kind);
      const ri = indexIn(serverOrder, right[j], mergeKey, kind);
      if (li >= 0 && ri >= 0 && li < ri) out.push(left[i++]);
      else out.push(right[j++]);
    }
  }
  return out;
}
