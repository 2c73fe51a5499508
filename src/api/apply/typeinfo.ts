// What server-side apply needs to know about a field: whether a list is atomic, a set, or a map
// keyed by some of its elements' fields, and whether a map is atomic. Upstream reads this from the
// OpenAPI schema (x-kubernetes-list-type, -list-map-keys, -map-type); Skiff reads it from the
// strategic-merge tables (src/api/patch/strategic-types-*.ts): a merge key makes a map list (keyed by
// the merge key unless the table names other keys), `set` makes a set, and anything the tables do
// not describe is treated as upstream's "deduced" type: maps are granular per key, lists atomic.
import { builtinSchema, rootTypeFor, type PatchSchema } from '../patch/strategic-schema.js';

export type ListKind =
  | { kind: 'atomic' }
  | { kind: 'set' }
  | { kind: 'map'; keys: readonly string[]; defaults: Readonly<Record<string, unknown>> };

/** How one value (a field's value, or a list element) merges. */
export interface NodeInfo {
  /** The named type whose fields this value has (for maps, and for elements of lists). */
  readonly type?: string;
  /** For list values: how elements are identified. */
  readonly list: ListKind;
  /** For map values: the whole map is one field (`+structType=atomic`). */
  readonly atomicMap: boolean;
  /** For list values: each element is atomic. */
  readonly atomicElements: boolean;
  /**
   * Never absent in a typed Go object (a non-pointer struct, a list without omitempty), so an absent
   * value compares as an empty one: an Update that fills `spec` owns what it set inside, not `.spec`.
   */
  readonly alwaysPresent: boolean;
}

/** The field semantics of one kind. */
export interface TypeInfo {
  readonly root: NodeInfo;
  /** The child `key` of a map value described by `parent`. */
  field(parent: NodeInfo, key: string): NodeInfo;
  /** An element of a list value described by `parent`. */
  element(parent: NodeInfo): NodeInfo;
}

const ATOMIC: ListKind = { kind: 'atomic' };
const DEDUCED: NodeInfo = { list: ATOMIC, atomicMap: false, atomicElements: false, alwaysPresent: false };
const ATOMIC_NODE: NodeInfo = { list: ATOMIC, atomicMap: true, atomicElements: false, alwaysPresent: false };

/** Type info from a strategic schema and a root type (undefined: a kind with no tables, all deduced). */
export function typeInfoFromSchema(schema: PatchSchema, rootType: string | undefined): TypeInfo {
  const cache = new Map<string, NodeInfo>();
  const root: NodeInfo = rootType ? { ...DEDUCED, type: rootType } : DEDUCED;
  return {
    root,
    field(parent, key) {
      if (parent.type === undefined) return DEDUCED;
      const ck = parent.type + '\u0000' + key;
      const hit = cache.get(ck);
      if (hit) return hit;
      const meta = schema.field(parent.type, key);
      let info: NodeInfo = DEDUCED;
      if (meta) {
        let list: ListKind = ATOMIC;
        if (meta.ssaAtomic || meta.listType === 'atomic') list = ATOMIC;
        else if (meta.listType === 'set') list = { kind: 'set' };
        else if (meta.mapKeys?.length) list = { kind: 'map', keys: meta.mapKeys, defaults: meta.keyDefaults ?? {} };
        else if (meta.mergeKey) list = { kind: 'map', keys: [meta.mergeKey], defaults: {} };
        info = {
          ...(meta.type ? { type: meta.type } : {}),
          list,
          atomicMap: !!meta.ssaAtomic,
          atomicElements: !!meta.ssaAtomicElements,
          alwaysPresent: !!meta.ssaPresent || (!!meta.type && !meta.listType && !meta.mergeKey && !meta.ssaAtomic),
        };
      }
      cache.set(ck, info);
      return info;
    },
    element(parent) {
      if (parent.atomicElements) return ATOMIC_NODE;
      return parent.type ? { ...DEDUCED, type: parent.type } : DEDUCED;
    },
  };
}

const byKind = new Map<string, TypeInfo>();

/** The type info of a built-in kind (custom kinds get the deduced type: maps granular, lists atomic). */
export function typeInfoFor(gvk: { group: string; version: string; kind: string }): TypeInfo {
  const k = `${gvk.group}/${gvk.version}/${gvk.kind}`;
  let t = byKind.get(k);
  if (!t) {
    t = typeInfoFromSchema(builtinSchema, rootTypeFor(gvk));
    byKind.set(k, t);
  }
  return t;
}
