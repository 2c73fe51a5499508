// The per-field strategic merge metadata of built-in kinds: which lists merge (and by which key),
// which maps are replaced or keep only $retainKeys, and the named type to descend into. Upstream
// reads this from Go struct tags by reflection (strategicpatch.PatchMetaFromStruct); we keep a table
// of the fields that differ from the default (strategic-types-*.ts) and a map from kind to its type.
import { lookupKind, resources } from '../registry.js';
import { APPS_TYPES, BATCH_TYPES, OTHER_TYPES } from './strategic-types-groups.js';
import { CORE_TYPES, META_TYPES } from './strategic-types-core.js';

export type PatchStrategy = 'merge' | 'replace' | 'retainKeys' | 'merge,retainKeys';
export type ListType = 'atomic' | 'set' | 'map';

/** What upstream's struct tags say about one field. */
export interface FieldMeta {
  strategy?: PatchStrategy;
  mergeKey?: string;
  listType?: ListType;
  /** Named type of the value (of each element, for lists) when it has listed fields. */
  type?: string;
  /**
   * Server-side apply only (ignored by strategic merge): the list's map keys when they differ from
   * the merge key (`x-kubernetes-list-map-keys`), with defaults for keys an element may omit.
   */
  mapKeys?: string[];
  keyDefaults?: Record<string, string>;
  /** Server-side apply only: the value is atomic (`+structType=atomic`, `+listType=atomic`). */
  ssaAtomic?: boolean;
  /** Server-side apply only: each element of the list is atomic (an element type with `+structType=atomic`). */
  ssaAtomicElements?: boolean;
  /**
   * Server-side apply only: the field is never absent from a typed Go object (a non-pointer struct,
   * or a list without omitempty), so an Update that fills it owns what it put inside, not the field.
   * Fields with a named struct type are taken as such without this marker.
   */
  ssaPresent?: boolean;
}

/** Type name → field notation strings (see strategic-types-core.ts). */
export type TypeTable = Readonly<Record<string, readonly string[]>>;

/** Field lookups for the merge engine; `type` undefined means "no metadata": every field is default. */
export interface PatchSchema {
  field(type: string | undefined, key: string): FieldMeta | undefined;
  /** True when the schema defines the named type. */
  has(type: string): boolean;
}

const STRATEGIES = new Set<string>(['merge', 'replace', 'retainKeys', 'merge,retainKeys']);
const LIST_TYPES = new Set<string>(['atomic', 'set', 'map']);

/** Parses one field's notation; throws a plain Error on a typo (a programming error, caught by tests at load). */
export function parseField(notation: string): [string, FieldMeta] {
  const [head, ...rest] = notation.split(' ');
  const [name, type] = (head ?? '').split(':');
  if (!name || !/^[A-Za-z][A-Za-z0-9]*$/.test(name)) throw new Error(`strategic schema: bad field "${notation}"`);
  const meta: FieldMeta = {};
  if (type) meta.type = type;
  for (const tok of rest) {
    const [word, key] = tok.split(':');
    if (word && STRATEGIES.has(word)) {
      meta.strategy = word as PatchStrategy;
      if (key) meta.mergeKey = key;
    } else if (word && LIST_TYPES.has(word) && key === undefined) {
      meta.listType = word as ListType;
    } else if (word === 'keys' && key) {
      // keys:containerPort,protocol=TCP — server-side apply map keys, a default after '='.
      meta.mapKeys = [];
      for (const k of key.split(',')) {
        const [kname, def] = k.split('=');
        if (!kname) throw new Error(`strategic schema: bad keys in "${notation}"`);
        meta.mapKeys.push(kname);
        if (def !== undefined) (meta.keyDefaults ??= {})[kname] = def;
      }
    } else if (word === 'ssa' && key === 'atomic') {
      meta.ssaAtomic = true;
    } else if (word === 'ssa' && key === 'atomic-elements') {
      meta.ssaAtomicElements = true;
    } else if (word === 'ssa' && key === 'present') {
      meta.ssaPresent = true;
    } else {
      throw new Error(`strategic schema: bad token "${tok}" in "${notation}"`);
    }
  }
  return [name, meta];
}

/** Builds a schema from type tables; every `type` a field names must be defined. */
export function buildSchema(...tables: TypeTable[]): PatchSchema {
  const types = new Map<string, Map<string, FieldMeta>>();
  for (const table of tables) {
    for (const [name, fields] of Object.entries(table)) {
      if (types.has(name)) throw new Error(`strategic schema: type ${name} defined twice`);
      types.set(name, new Map(fields.map(parseField)));
    }
  }
  for (const [name, fields] of types) {
    for (const [f, meta] of fields) {
      if (meta.type && !types.has(meta.type)) throw new Error(`strategic schema: ${name}.${f} names unknown type ${meta.type}`);
    }
  }
  return {
    has: (type) => types.has(type),
    field(type, key) {
      if (type === undefined) return undefined;
      const meta = types.get(type)?.get(key);
      if (meta) return meta;
      // Every kind embeds ObjectMeta as "metadata" (kinds are listed without it to stay short).
      return key === 'metadata' && KIND_TYPES.has(type) ? OBJECT_META : undefined;
    },
  };
}

const OBJECT_META: FieldMeta = { type: 'ObjectMeta' };

/** "group/Kind" → its type in the tables (kinds absent here have nothing but ObjectMeta to merge specially). */
const ROOTS: Readonly<Record<string, string>> = {
  '/Pod': 'Pod', '/PodTemplate': 'PodTemplate', '/ReplicationController': 'ReplicationController',
  '/Service': 'Service', '/ServiceAccount': 'ServiceAccount', '/Endpoints': 'Endpoints', '/Node': 'Node',
  '/Namespace': 'Namespace', '/PersistentVolumeClaim': 'PersistentVolumeClaim',
  '/PersistentVolume': 'PersistentVolume', '/ComponentStatus': 'ComponentStatus',
  'apps/Deployment': 'Deployment', 'apps/ReplicaSet': 'ReplicaSet', 'apps/DaemonSet': 'DaemonSet',
  'apps/StatefulSet': 'StatefulSet',
  'batch/Job': 'Job', 'batch/CronJob': 'CronJob',
  'autoscaling/HorizontalPodAutoscaler': 'HorizontalPodAutoscaler',
  'policy/PodDisruptionBudget': 'PodDisruptionBudget',
  'admissionregistration.k8s.io/ValidatingWebhookConfiguration': 'ValidatingWebhookConfiguration',
  'admissionregistration.k8s.io/MutatingWebhookConfiguration': 'MutatingWebhookConfiguration',
  'admissionregistration.k8s.io/ValidatingAdmissionPolicy': 'ValidatingAdmissionPolicy',
  'admissionregistration.k8s.io/MutatingAdmissionPolicy': 'MutatingAdmissionPolicy',
  'storage.k8s.io/CSINode': 'CSINode',
  'resource.k8s.io/ResourceClaim': 'ResourceClaim',
  'resource.k8s.io/DeviceTaintRule': 'Conditioned',
  'flowcontrol.apiserver.k8s.io/FlowSchema': 'Conditioned',
  'flowcontrol.apiserver.k8s.io/PriorityLevelConfiguration': 'Conditioned',
  'networking.k8s.io/ServiceCIDR': 'Conditioned',
  'certificates.k8s.io/PodCertificateRequest': 'Conditioned',
  'storagemigration.k8s.io/StorageVersionMigration': 'Conditioned',
};

/** A kind with no table of its own still has ObjectMeta (finalizers, ownerReferences). */
const PLAIN_KIND = 'PlainKind';
const KIND_TYPES = new Set<string>([...Object.values(ROOTS), PLAIN_KIND]);

/** The schema of all built-in kinds. */
export const builtinSchema: PatchSchema = buildSchema(META_TYPES, CORE_TYPES, APPS_TYPES, BATCH_TYPES, OTHER_TYPES, { [PLAIN_KIND]: [] });
for (const [kind, type] of Object.entries(ROOTS)) {
  if (!builtinSchema.has(type)) throw new Error(`strategic schema: kind ${kind} names unknown type ${type}`);
}

/**
 * The root type to merge a built-in kind with, or undefined when the kind is not built in (a custom
 * resource): upstream has no struct tags for those and does not accept strategic merge patches.
 */
export function rootTypeFor(gvk: { group: string; version: string; kind: string }): string | undefined {
  const root = ROOTS[`${gvk.group}/${gvk.kind}`];
  if (root) return root;
  if (lookupKind(gvk.group, gvk.version, gvk.kind) || isSubresourceKind(gvk)) return PLAIN_KIND;
  return undefined;
}

function isSubresourceKind(gvk: { group: string; version: string; kind: string }): boolean {
  return resources.some((r) => r.subresources.some((s) =>
    s.kind.group === gvk.group && s.kind.version === gvk.version && s.kind.kind === gvk.kind));
}

/** Served in any version, as a resource or a subresource's kind (e.g. autoscaling Scale). */
function isServedKind(group: string, kind: string): boolean {
  return resources.some((r) => (r.group === group && r.kind === kind) ||
    r.subresources.some((s) => s.kind.group === group && s.kind.kind === kind));
}

/**
 * The merge strategy metadata for a path inside a kind, e.g. ('', 'Pod', ['spec','containers']) →
 * { strategy: 'merge', mergeKey: 'name', listType: 'map' }. A list field's path continues into its
 * element type without an index (['spec','containers','env']). Undefined for fields with default
 * behaviour (maps merge, lists are replaced) and for kinds that are not built in.
 */
export function fieldStrategy(group: string, kind: string, path: string[]):
  { strategy?: PatchStrategy; mergeKey?: string; listType?: ListType } | undefined {
  let type: string | undefined = ROOTS[`${group}/${kind}`] ?? (isServedKind(group, kind) ? PLAIN_KIND : undefined);
  let meta: FieldMeta | undefined;
  for (const [i, seg] of path.entries()) {
    meta = builtinSchema.field(type, seg);
    if (!meta) return undefined;
    if (i < path.length - 1) type = meta.type;
  }
  if (!meta) return undefined;
  const out: { strategy?: PatchStrategy; mergeKey?: string; listType?: ListType } = {};
  if (meta.strategy) out.strategy = meta.strategy;
  if (meta.mergeKey) out.mergeKey = meta.mergeKey;
  if (meta.listType) out.listType = meta.listType;
  return Object.keys(out).length > 0 ? out : undefined;
}
