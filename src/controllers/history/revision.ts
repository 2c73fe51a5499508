// ControllerRevisions (upstream pkg/controller/history/controller_history.go): immutable snapshots of
// a DaemonSet's or StatefulSet's pod template, named "<parent>-<hash>" and labelled with the hash,
// numbered by .revision. Shared by the daemonset and statefulset controllers.
import type { KubeObject, OwnerReference } from '../../api/types.js';

type Obj = Record<string, any>;

export const CONTROLLER_REVISION_HASH_LABEL = 'controller-revision-hash';

export interface ControllerRevision extends KubeObject {
  data?: unknown;
  revision: number;
}

/** JSON with object keys sorted at every level (as Go re-marshals a map), so equal data has equal bytes. */
export function canonicalJson(v: unknown): string {
  if (Array.isArray(v)) return `[${v.map(canonicalJson).join(',')}]`;
  if (v && typeof v === 'object') {
    const o = v as Obj;
    return `{${Object.keys(o).filter((k) => o[k] !== undefined).sort().map((k) => `${JSON.stringify(k)}:${canonicalJson(o[k])}`).join(',')}}`;
  }
  return JSON.stringify(v) ?? 'null';
}

// FNV-1 32-bit (Go's hash/fnv New32).
function fnv1(bytes: Uint8Array, h = 0x811c9dc5): number {
  for (const b of bytes) h = (Math.imul(h, 0x01000193) ^ b) >>> 0;
  return h;
}

const SAFE = 'bcdfghjklmnpqrstvwxz2456789';

/** k8s.io/apimachinery rand.SafeEncodeString: no vowels, no look-alike characters. */
export function safeEncode(s: string): string {
  let out = '';
  for (let i = 0; i < s.length; i++) out += SAFE[s.charCodeAt(i) % SAFE.length];
  return out;
}

/** The revision's hash over its data and the collision count (upstream HashControllerRevision). */
export function hashRevision(data: unknown, collisionCount?: number): string {
  let h = fnv1(new TextEncoder().encode(canonicalJson(data ?? null)));
  if (collisionCount !== undefined && collisionCount !== null) h = fnv1(new TextEncoder().encode(String(collisionCount)), h);
  return safeEncode(String(h));
}

/** "<prefix>-<hash>", with the prefix cut to 223 characters as upstream. */
export function revisionName(prefix: string, hash: string): string {
  return `${prefix.length > 223 ? prefix.slice(0, 223) : prefix}-${hash}`;
}

/** A new revision of parent: template labels plus the hash label, controller ref, name from the hash. */
export function newRevision(parent: KubeObject, parentKind: { apiVersion: string; kind: string }, templateLabels: Record<string, string> | undefined,
  data: unknown, revision: number, collisionCount?: number): ControllerRevision {
  const hash = hashRevision(data, collisionCount);
  const ref: OwnerReference = { apiVersion: parentKind.apiVersion, kind: parentKind.kind, name: parent.metadata.name!, uid: parent.metadata.uid!, controller: true, blockOwnerDeletion: true };
  return {
    apiVersion: 'apps/v1', kind: 'ControllerRevision',
    metadata: {
      name: revisionName(parent.metadata.name!, hash), namespace: parent.metadata.namespace,
      labels: { ...(templateLabels ?? {}), [CONTROLLER_REVISION_HASH_LABEL]: hash },
      ownerReferences: [ref],
    },
    data, revision,
  };
}

/** Same data (upstream EqualRevision compares the raw bytes). */
export function equalRevision(a: ControllerRevision, b: ControllerRevision): boolean {
  return canonicalJson(a.data ?? null) === canonicalJson(b.data ?? null);
}

/** Revisions equal to needle (upstream FindEqualRevisions). */
export function findEqualRevisions(revisions: readonly ControllerRevision[], needle: ControllerRevision): ControllerRevision[] {
  return revisions.filter((r) => equalRevision(r, needle));
}

/** Ascending by revision, then creation time, then name (upstream SortControllerRevisions). */
export function sortRevisions(revisions: readonly ControllerRevision[]): ControllerRevision[] {
  return [...revisions].sort((a, b) => (a.revision - b.revision)
    || String(a.metadata.creationTimestamp ?? '').localeCompare(String(b.metadata.creationTimestamp ?? ''))
    || String(a.metadata.name).localeCompare(String(b.metadata.name)));
}

/** One more than the highest revision number (1 for none). */
export function nextRevisionNumber(revisions: readonly ControllerRevision[]): number {
  return revisions.reduce((m, r) => Math.max(m, r.revision ?? 0), 0) + 1;
}

/** The patch a StatefulSet or DaemonSet revision stores: its pod template, replacing on apply. */
export function templatePatch(template: unknown): Obj {
  return { spec: { template: { ...(structuredClone(template ?? {}) as Obj), $patch: 'replace' } } };
}
