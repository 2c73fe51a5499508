// RFC 6902 JSON patch, with the behaviour of evanphx/json-patch v4 — the library kube-apiserver
// applies `application/json-patch+json` bodies with (handlers/patch.go, applyJSPatch). Where v4 is
// more lenient than the RFC and clients may rely on it, we follow v4 (and say so below); where v4
// would produce garbage (copying a missing value as null) we refuse as the RFC says.
import { errors } from '../../util/errors.js';
import { badPatch, unprocessable } from './errors.js';
import { cloneJson, deepEqual, isObject, setKey } from './json-value.js';
import type { JsonObject } from './json-value.js';
import { parseIndex, parsePointer } from './json-pointer.js';

/** kube-apiserver refuses longer patches with 413 (maxJSONPatchOperations). */
export const MAX_JSON_PATCH_OPERATIONS = 10000;

type Container = JsonObject | unknown[];
/** Where a pointer lands: the parent container and the final token; undefined target = the root. */
type Location = { parent: Container; token: string } | { parent: undefined; token: '' };

/** A holder for the document, so operations on the root ("" pointer) can swap it. */
interface Doc { root: unknown }

/**
 * Applies an RFC 6902 patch (a JSON array of operations) to a copy of `doc` and returns the copy.
 * Throws 400 when `patch` is not an array of objects, 413 past 10000 operations, and 422 (upstream's
 * generic Invalid message, detail in `cause`) when an operation does not apply or a "test" fails.
 */
export function applyJsonPatch(doc: unknown, patch: unknown): unknown {
  const ops = decodePatch(patch);
  const d: Doc = { root: cloneJson(doc) };
  for (const op of ops) applyOperation(d, op);
  return d.root;
}

function decodePatch(patch: unknown): JsonObject[] {
  // Upstream decodes into jsonpatch.Patch ([]map[string]*json.RawMessage); these are encoding/json's messages.
  if (!Array.isArray(patch)) {
    throw badPatch(`json: cannot unmarshal ${jsonKind(patch)} into Go value of type jsonpatch.Patch`);
  }
  for (const op of patch) {
    if (!isObject(op) && op !== null) {
      throw badPatch(`json: cannot unmarshal ${jsonKind(op)} into Go value of type jsonpatch.Operation`);
    }
  }
  if (patch.length > MAX_JSON_PATCH_OPERATIONS) {
    throw errors.tooLarge(`The allowed maximum operations in a JSON patch is ${MAX_JSON_PATCH_OPERATIONS}, got ${patch.length}`);
  }
  // A null element decodes to an empty operation in Go, which then fails as an unknown kind.
  return patch.map((op) => (isObject(op) ? op : {}));
}

function jsonKind(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'array';
  if (typeof v === 'object') return 'object';
  return typeof v === 'boolean' ? 'bool' : typeof v;
}

function applyOperation(d: Doc, op: JsonObject): void {
  const kind = typeof op.op === 'string' ? op.op : 'unknown';
  switch (kind) {
    case 'add': return add(d, pathOf(op, 'add', 'path'), valueOf(op, 'add'), 'add');
    case 'remove': return void remove(d, pathOf(op, 'remove', 'path'), 'remove');
    case 'replace': return replace(d, pathOf(op, 'replace', 'path'), valueOf(op, 'replace'));
    case 'move': return move(d, pathOf(op, 'move', 'from'), pathOf(op, 'move', 'path'));
    case 'copy': return copy(d, pathOf(op, 'copy', 'from'), pathOf(op, 'copy', 'path'));
    case 'test': return test(d, pathOf(op, 'test', 'path'), op);
    default: throw unprocessable(`Unexpected kind: ${kind}`);
  }
}

function pathOf(op: JsonObject, kind: string, field: 'path' | 'from'): string {
  const p = op[field];
  if (typeof p !== 'string') throw unprocessable(`${kind} operation failed to decode ${field}: missing value`);
  return p;
}

function valueOf(op: JsonObject, kind: string): unknown {
  // RFC 6902 §4.1/4.3: "value" is required. (v4 would silently use null.)
  if (!Object.hasOwn(op, 'value')) throw unprocessable(`${kind} operation, missing value field: missing value`);
  return cloneJson(op.value);
}

/** Resolves all but the last token of a pointer; undefined when an intermediate value is missing. */
function locate(d: Doc, pointer: string): Location | undefined {
  const tokens = parsePointer(pointer);
  if (tokens === undefined) return undefined;
  if (tokens.length === 0) return { parent: undefined, token: '' };
  let cur: unknown = d.root;
  for (const t of tokens.slice(0, -1)) {
    cur = child(cur, t);
    if (cur === undefined) return undefined;
  }
  if (!isObject(cur) && !Array.isArray(cur)) return undefined;
  return { parent: cur, token: tokens[tokens.length - 1]! };
}

/** The value under one token, or undefined (null counts as missing, as in v4's findObject). */
function child(cur: unknown, token: string): unknown {
  if (Array.isArray(cur)) {
    const i = arrayIndex(cur, token, cur.length);
    return i === undefined ? undefined : (cur[i] ?? undefined);
  }
  if (isObject(cur)) return Object.hasOwn(cur, token) ? (cur[token] ?? undefined) : undefined;
  return undefined;
}

/** An existing-element index; v4 also accepts negative indices counted from the end. */
function arrayIndex(arr: unknown[], token: string, limit: number): number | undefined {
  const i = parseIndex(token);
  if (i === undefined) return undefined;
  const j = i < 0 ? i + arr.length : i;
  return j >= 0 && j < limit ? j : undefined;
}

function add(d: Doc, path: string, value: unknown, kind: string): void {
  const loc = locate(d, path);
  if (!loc) throw unprocessable(`${kind} operation does not apply: doc is missing path: "${path}": missing value`);
  if (loc.parent === undefined) {
    d.root = value; // RFC 6902 §4.1: adding at the root replaces the whole document.
    return;
  }
  if (!Array.isArray(loc.parent)) {
    setKey(loc.parent, loc.token, value);
    return;
  }
  const arr = loc.parent;
  if (loc.token === '-') {
    arr.push(value);
    return;
  }
  const i = parseIndex(loc.token);
  if (i === undefined) throw unprocessable(`error in ${kind} for path: '${path}': value was not a proper array index: '${loc.token}'`);
  // The insertion point may be one past the end; negative counts from the end of the grown array.
  const j = i < 0 ? i + arr.length + 1 : i;
  if (j < 0 || j > arr.length) throw unprocessable(`error in ${kind} for path: '${path}': Unable to access invalid index: ${i}: invalid index referenced`);
  arr.splice(j, 0, value);
}

/** Removes and returns the value at path. */
function remove(d: Doc, path: string, kind: string): unknown {
  const loc = locate(d, path);
  if (!loc || loc.parent === undefined) throw unprocessable(`${kind} operation does not apply: doc is missing path: "${path}": missing value`);
  if (Array.isArray(loc.parent)) {
    const i = arrayIndex(loc.parent, loc.token, loc.parent.length);
    if (i === undefined) throw unprocessable(`error in ${kind} for path: '${path}': Unable to access invalid index: ${loc.token}: invalid index referenced`);
    return loc.parent.splice(i, 1)[0];
  }
  if (!Object.hasOwn(loc.parent, loc.token)) {
    throw unprocessable(`error in ${kind} for path: '${path}': Unable to remove nonexistent key: ${loc.token}: missing value`);
  }
  const v = loc.parent[loc.token];
  delete loc.parent[loc.token];
  return v;
}

function replace(d: Doc, path: string, value: unknown): void {
  const loc = locate(d, path);
  if (!loc) throw unprocessable(`replace operation does not apply: doc is missing path: ${path}: missing value`);
  if (loc.parent === undefined) {
    d.root = value;
    return;
  }
  if (Array.isArray(loc.parent)) {
    const i = arrayIndex(loc.parent, loc.token, loc.parent.length);
    if (i === undefined) throw unprocessable(`replace operation does not apply: doc is missing key: ${path}: missing value`);
    loc.parent[i] = value;
    return;
  }
  // v4 (and so kube-apiserver) lets "replace" create a missing object member, unlike RFC 6902 §4.3.
  setKey(loc.parent, loc.token, value);
}

function move(d: Doc, from: string, path: string): void {
  // RFC 6902 §4.4: a location cannot be moved into one of its children.
  if (path.startsWith(from + '/')) throw unprocessable(`move operation does not apply: from "${from}" is a proper prefix of path "${path}"`);
  if (from === path) {
    if (!exists(d, from)) throw unprocessable(`move operation does not apply: doc is missing from path: ${from}: missing value`);
    return;
  }
  if (!exists(d, from)) throw unprocessable(`move operation does not apply: doc is missing from path: ${from}: missing value`);
  const v = remove(d, from, 'move');
  add(d, path, v, 'move');
}

function copy(d: Doc, from: string, path: string): void {
  if (!exists(d, from)) throw unprocessable(`copy operation does not apply: doc is missing from path: ${from}: missing value`);
  add(d, path, cloneJson(get(d, from)), 'copy');
}

function test(d: Doc, path: string, op: JsonObject): void {
  const expected = op.value === undefined ? null : op.value;
  if (path === '') {
    if (!deepEqual(d.root, expected)) throw unprocessable(`testing value ${path} failed: test failed`);
    return;
  }
  const loc = locate(d, path);
  if (!loc) throw unprocessable(`test operation does not apply: is missing path: ${path}: missing value`);
  const actual = get(d, path);
  // v4 treats an absent member as null, so testing a missing member against null passes.
  if (!deepEqual(actual ?? null, expected)) throw unprocessable(`testing value ${path} failed: test failed`);
}

function exists(d: Doc, pointer: string): boolean {
  const loc = locate(d, pointer);
  if (!loc) return false;
  if (loc.parent === undefined) return true;
  if (Array.isArray(loc.parent)) return arrayIndex(loc.parent, loc.token, loc.parent.length) !== undefined;
  return Object.hasOwn(loc.parent, loc.token);
}

function get(d: Doc, pointer: string): unknown {
  const loc = locate(d, pointer);
  if (!loc) return undefined;
  if (loc.parent === undefined) return d.root;
  if (Array.isArray(loc.parent)) {
    const i = arrayIndex(loc.parent, loc.token, loc.parent.length);
    return i === undefined ? undefined : loc.parent[i];
  }
  return Object.hasOwn(loc.parent, loc.token) ? loc.parent[loc.token] : undefined;
}

