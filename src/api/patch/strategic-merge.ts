// The strategic merge patch engine: upstream's StrategicMergeMapPatch (apimachinery
// pkg/util/strategicpatch/patch.go: mergeMap, mergeSlice, mergePatchIntoOriginal, …) with
// MergeParallelList and IgnoreUnmatchedNulls set, as kube-apiserver runs it. Works in place on
// copies made by the caller.
import { badPatch, unprocessable } from './errors.js';
import { goString, goType, goValue } from './go-format.js';
import { isObject, setKey } from './json-value.js';
import type { JsonObject } from './json-value.js';
import type { PatchSchema } from './strategic-schema.js';
import {
  DIRECTIVE, findByKey, normalizeElementOrder, noMergeKey, notAMap, partitionMaps, partitionScalars,
} from './strategic-order.js';
import type { ElemKind } from './strategic-order.js';

const RETAIN_KEYS = '$retainKeys';
const DELETE_FROM_PRIMITIVE_LIST = '$deleteFromPrimitiveList';
const SET_ELEMENT_ORDER = '$setElementOrder';

// mergepatch's sentinel errors; kube-apiserver answers these with 400 (interpretStrategicMergePatchError).
const BAD_PRIMITIVE_LIST = 'invalid patch format of primitive list';
const BAD_RETAIN_KEYS = 'invalid patch format of retainKeys';
const BAD_SET_ELEMENT_ORDER = 'invalid patch format of setElementOrder list';

/** Merges `patch` into `original` (both mutated) following the metadata of `type`. */
export function mergeMap(original: JsonObject | undefined, patch: JsonObject, type: string | undefined, schema: PatchSchema): JsonObject {
  if (Object.hasOwn(patch, DIRECTIVE)) return mapDirective(patch[DIRECTIVE], patch);
  const orig = original ?? {};
  applyRetainKeys(orig, patch);
  mergeSetElementOrder(orig, patch, type, schema);

  for (const [rawKey, patchV] of Object.entries(patch)) {
    let key = rawKey;
    let isDeleteList = false;
    if (rawKey.startsWith(DELETE_FROM_PRIMITIVE_LIST)) {
      key = extractKey(rawKey, DELETE_FROM_PRIMITIVE_LIST, BAD_PRIMITIVE_LIST);
      isDeleteList = true;
    }
    // null deletes; unmatched nulls are dropped rather than kept (IgnoreUnmatchedNulls).
    if (patchV === null) {
      delete orig[key];
      continue;
    }
    const origV = Object.hasOwn(orig, key) ? orig[key] : undefined;
    if (origV === undefined || kindOf(origV) !== kindOf(patchV)) {
      // A new value (or one of another JSON type) is taken from the patch, minus directives and
      // nulls; a deletion list never adds anything.
      if (!isDeleteList) setFresh(orig, key, patchV);
      continue;
    }
    const meta = schema.field(type, key);
    const strategy = baseStrategy(meta?.strategy);
    if (isObject(origV)) {
      setKey(orig, key, strategy === 'replace' ? freshValue(patchV) : mergeMap(origV, patchV as JsonObject, meta?.type, schema));
    } else if (Array.isArray(origV)) {
      setKey(orig, key, strategy === 'merge' || isDeleteList
        ? mergeSlice(origV, patchV as unknown[], meta?.type, meta?.mergeKey ?? '', isDeleteList, schema)
        : freshValue(patchV));
    } else {
      setKey(orig, key, patchV);
    }
  }
  return orig;
}

/** `$patch` on a map: replace → the patch's own content; delete → an empty map (handleDirectiveInMergeMap). */
function mapDirective(directive: unknown, patch: JsonObject): JsonObject {
  if (directive === 'replace') {
    delete patch[DIRECTIVE];
    return freshValue(patch) as JsonObject;
  }
  if (directive === 'delete') return {};
  throw badPatch(`unknown patch type: ${goString(directive)} in map: ${goValue(patch)}`);
}

/** "merge,retainKeys" → "merge"; "retainKeys" → "" (extractRetainKeysPatchStrategy). */
function baseStrategy(s: string | undefined): string {
  if (!s) return '';
  return s.split(',').filter((x) => x !== 'retainKeys')[0] ?? '';
}

type ValueKind = 'map' | 'list' | 'string' | 'number' | 'boolean' | 'null';

/** The Go type a JSON value decodes to, as far as upstream's "types differ → take the patch" test cares. */
function kindOf(v: unknown): ValueKind {
  if (v === null || v === undefined) return 'null';
  if (Array.isArray(v)) return 'list';
  if (isObject(v)) return 'map';
  return typeof v as 'string' | 'number' | 'boolean';
}

/** "$setElementOrder/containers" → "containers" (extractKey). */
function extractKey(key: string, prefix: string, badFormat: string): string {
  const slash = key.indexOf('/');
  if (slash < 0 || key.slice(0, slash) !== prefix) throw badPatch(badFormat);
  return key.slice(slash + 1);
}

/**
 * `$retainKeys: [..]` keeps only the listed keys of the original map; every non-null key of the
 * patch must be listed (applyRetainKeysDirective).
 */
function applyRetainKeys(original: JsonObject, patch: JsonObject): void {
  if (!Object.hasOwn(patch, RETAIN_KEYS)) return;
  const list = patch[RETAIN_KEYS];
  delete patch[RETAIN_KEYS];
  if (!Array.isArray(list)) throw badPatch(BAD_RETAIN_KEYS);
  const keep = new Set<unknown>(list);
  for (const [k, v] of Object.entries(patch)) {
    if (v === null || k.startsWith(DELETE_FROM_PRIMITIVE_LIST) || k.startsWith(SET_ELEMENT_ORDER)) continue;
    if (!keep.has(k)) throw badPatch(BAD_RETAIN_KEYS);
  }
  for (const k of Object.keys(original)) if (!keep.has(k)) delete original[k];
}

/**
 * Handles each `$setElementOrder/<list>` together with the patch's `<list>`: merges them, then
 * orders the result by the directive (mergePatchIntoOriginal). Both keys leave the patch.
 */
function mergeSetElementOrder(original: JsonObject, patch: JsonObject, type: string | undefined, schema: PatchSchema): void {
  for (const [key, order] of Object.entries(patch)) {
    if (!key.startsWith(SET_ELEMENT_ORDER)) continue;
    delete patch[key];
    if (!Array.isArray(order)) throw badPatch(`expected a []interface {}, but received a ${goType(order)}`);
    const listKey = extractKey(key, SET_ELEMENT_ORDER, BAD_SET_ELEMENT_ORDER);
    const foundOriginal = Object.hasOwn(original, listKey);
    const foundPatch = Object.hasOwn(patch, listKey);
    const originalList = foundOriginal ? asList(original[listKey]) : [];
    const patchList = foundPatch ? asList(patch[listKey]) : [];
    const meta = schema.field(type, listKey);
    const mergeKey = meta?.mergeKey ?? '';
    validateOrder(patchList, order, mergeKey);

    let merged: unknown[];
    if (foundOriginal && foundPatch) {
      merged = baseStrategy(meta?.strategy) === 'merge'
        ? mergeSlice(originalList, patchList, meta?.type, mergeKey, false, schema)
        : (freshValue(patchList) as unknown[]);
    } else if (foundPatch) {
      merged = freshValue(patchList) as unknown[];
    } else if (foundOriginal) {
      merged = originalList;
    } else {
      continue;
    }
    const [inOrder, serverOnly] = mergeKey ? partitionMaps(merged, order, mergeKey) : partitionScalars(merged, order);
    const kind = elementKind(originalList, patchList);
    setKey(original, listKey, normalizeElementOrder(inOrder, serverOnly, order, originalList, mergeKey, kind));
    delete patch[listKey];
  }
}

function asList(v: unknown): unknown[] {
  if (!Array.isArray(v)) throw badPatch(`expected a []interface {}, but received a ${goType(v)}`);
  return v;
}

/**
 * The patch list's items (deletions aside) must appear in the $setElementOrder list, in the same
 * relative order (validatePatchWithSetOrderList).
 */
function validateOrder(patchList: unknown[], order: unknown[], mergeKey: string): void {
  if (order.length === 0 || patchList.length === 0) return;
  let items = patchList;
  if (mergeKey) {
    for (const v of patchList) if (!isObject(v)) throw notAMap(v);
    items = patchList.filter((v) => (v as JsonObject)[DIRECTIVE] !== 'delete');
  }
  let p = 0;
  let o = 0;
  while (p < items.length && o < order.length) {
    const item = items[p];
    if (isObject(item) && Object.hasOwn(item, DIRECTIVE)) {
      p++;
      continue;
    }
    if (mergeKeyEqual(item, order[o], mergeKey)) p++;
    o++;
  }
  if (p < items.length && o >= order.length) {
    throw badPatch(`The order in patch list:\n${goValue(patchList)}\n doesn't match ${SET_ELEMENT_ORDER} list:\n${goValue(order)}\n`);
  }
}

function mergeKeyEqual(left: unknown, right: unknown, mergeKey: string): boolean {
  if (!mergeKey) return left === right;
  if (!isObject(left)) throw notAMap(left);
  if (!isObject(right)) throw notAMap(right);
  if (!Object.hasOwn(left, mergeKey)) throw noMergeKey(left, mergeKey);
  if (!Object.hasOwn(right, mergeKey)) throw noMergeKey(right, mergeKey);
  return left[mergeKey] === right[mergeKey];
}

/** The common element kind of lists (sliceElementType): all items must be of one JSON type, and not lists. */
function elementKind(...lists: unknown[][]): ElemKind {
  let first: ValueKind | undefined;
  for (const list of lists) {
    for (const v of list) {
      const k = kindOf(v);
      if (first === undefined) {
        if (k === 'list') throw unprocessable('lists of lists are not supported');
        first = k;
      } else if (k !== first) {
        throw badPatch(`list element types are not identical: ${goValue(lists)}`);
      }
    }
  }
  if (first === undefined) throw badPatch('no elements in any of the given slices');
  return first === 'map' ? 'map' : 'scalar';
}

/** Merges a list with `merge` strategy, or applies a `$deleteFromPrimitiveList` (mergeSlice). */
function mergeSlice(original: unknown[], patch: unknown[], type: string | undefined, mergeKey: string,
  isDeleteList: boolean, schema: PatchSchema): unknown[] {
  if (original.length === 0 && patch.length === 0) return original;
  const kind = elementKind(original, patch);
  let base = original;
  let items = patch;
  let merged: unknown[];
  if (kind !== 'map') {
    if (isDeleteList) {
      const del = new Set(patch);
      return original.filter((v) => !del.has(v));
    }
    merged = [...new Set([...original, ...patch])];
  } else {
    if (!mergeKey) throw badPatch(`cannot merge lists without merge key for ${type ?? 'string'}`);
    [base, items] = applyListDirectives(original, patch, mergeKey);
    merged = mergeByKey(base, items, mergeKey, type, schema);
  }
  const [inPatch, serverOnly] = mergeKey ? partitionMaps(merged, items, mergeKey) : partitionScalars(merged, items);
  return normalizeElementOrder(inPatch, serverOnly, items, base, mergeKey, kind);
}

/**
 * Elements carrying `$patch` (mergeSliceWithSpecialElements): delete removes every original item with
 * that merge key value; replace makes the rest of the patch list the whole list; merge is refused.
 * Returns the new original and the patch without those elements.
 */
function applyListDirectives(original: unknown[], patch: unknown[], mergeKey: string): [unknown[], unknown[]] {
  let base = original;
  const plain: unknown[] = [];
  let replace = false;
  for (const v of patch) {
    const m = v as JsonObject;
    if (!Object.hasOwn(m, DIRECTIVE)) {
      plain.push(v);
      continue;
    }
    const directive = m[DIRECTIVE];
    if (directive === 'delete') {
      if (!Object.hasOwn(m, mergeKey)) throw noMergeKey(m, mergeKey);
      for (const x of base) if (!isObject(x)) throw badPatch(`value for key ${base.indexOf(x)} is not a map`);
      base = base.filter((x) => !(Object.hasOwn(x as JsonObject, mergeKey) && (x as JsonObject)[mergeKey] === m[mergeKey]));
    } else if (directive === 'replace') {
      replace = true; // keep scanning: later $patch elements are dropped too
    } else if (directive === 'merge') {
      throw badPatch('merging lists cannot yet be specified in the patch');
    } else {
      throw badPatch(`unknown patch type: ${goString(directive)} in map: ${goValue(m)}`);
    }
  }
  if (replace) return [plain.map(freshValue), []];
  return [base, plain];
}

/** Merges each patch item into the original item with the same merge key value, or appends it (mergeSliceWithoutSpecialElements). */
function mergeByKey(original: unknown[], patch: unknown[], mergeKey: string, type: string | undefined, schema: PatchSchema): unknown[] {
  const out = [...original];
  for (const v of patch) {
    const m = v as JsonObject;
    if (!Object.hasOwn(m, mergeKey)) throw noMergeKey(m, mergeKey);
    const i = findByKey(out, mergeKey, m[mergeKey]);
    if (i >= 0) out[i] = mergeMap(out[i] as JsonObject, m, type, schema);
    else out.push(freshValue(m));
  }
  return out;
}

/**
 * A patch value taken as-is: upstream drops maps carrying `$patch` and null members
 * (removeDirectives, discardNullValuesFromPatch). We also drop the parallel-list and $retainKeys
 * directive keys, which upstream's typed decoding would drop (or reject) afterwards.
 */
export function freshValue(v: unknown): unknown {
  if (Array.isArray(v)) {
    const out: unknown[] = [];
    for (const x of v) {
      if (isObject(x) && Object.hasOwn(x, DIRECTIVE)) continue;
      out.push(freshValue(x));
    }
    return out;
  }
  if (!isObject(v)) return v;
  const out: JsonObject = {};
  for (const [k, x] of Object.entries(v)) {
    if (x === null || isDirectiveKey(k)) continue;
    if (isObject(x) && Object.hasOwn(x, DIRECTIVE)) continue;
    setKey(out, k, freshValue(x));
  }
  return out;
}

function isDirectiveKey(k: string): boolean {
  return k === DIRECTIVE || k === RETAIN_KEYS || k.startsWith(DELETE_FROM_PRIMITIVE_LIST) || k.startsWith(SET_ELEMENT_ORDER);
}

/** Stores a new value from the patch; a map that is itself a `$patch` directive is not kept (removeDirectives). */
function setFresh(obj: JsonObject, key: string, v: unknown): void {
  if (isObject(v) && Object.hasOwn(v, DIRECTIVE)) delete obj[key];
  else setKey(obj, key, freshValue(v));
}
