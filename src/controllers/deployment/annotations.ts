// The annotations the Deployment controller keeps on ReplicaSets and Deployments (upstream
// pkg/controller/deployment/util/deployment_util.go).
import type { Deployment, ReplicaSet } from '../controller-utils/index.js';

export const REVISION = 'deployment.kubernetes.io/revision';
export const REVISION_HISTORY = 'deployment.kubernetes.io/revision-history';
export const DESIRED_REPLICAS = 'deployment.kubernetes.io/desired-replicas';
export const MAX_REPLICAS = 'deployment.kubernetes.io/max-replicas';
export const ROLLBACK_TO = 'deprecated.deployment.rollback.to';
export const LAST_APPLIED = 'kubectl.kubernetes.io/last-applied-configuration';
/** The label that tells a Deployment's ReplicaSets (and their pods) apart. */
export const POD_TEMPLATE_HASH = 'pod-template-hash';
/** Upstream caps revision-history at this many characters. */
export const MAX_REV_HISTORY_CHARS = 2000;

/** Deployment annotations never copied onto ReplicaSets (upstream annotationsToSkip). */
const SKIP = new Set([LAST_APPLIED, REVISION, REVISION_HISTORY, DESIRED_REPLICAS, MAX_REPLICAS, ROLLBACK_TO]);

export function skipAnnotation(key: string): boolean {
  return SKIP.has(key);
}

/** The revision number of an object (0 when absent or unparsable). */
export function revisionOf(obj: { metadata: { annotations?: Record<string, string> } }): number {
  const v = obj.metadata.annotations?.[REVISION];
  if (v === undefined) return 0;
  const n = Number(v);
  return Number.isSafeInteger(n) ? n : 0;
}

export function maxRevision(rss: readonly ReplicaSet[]): number {
  let m = 0;
  for (const rs of rss) m = Math.max(m, revisionOf(rs));
  return m;
}

function intAnnotation(rs: ReplicaSet, key: string): number | undefined {
  const v = rs.metadata.annotations?.[key];
  if (v === undefined) return undefined;
  const n = Number(v);
  return Number.isSafeInteger(n) && v.trim() !== '' ? n : undefined;
}

export const desiredReplicasOf = (rs: ReplicaSet) => intAnnotation(rs, DESIRED_REPLICAS);
export const maxReplicasOf = (rs: ReplicaSet) => intAnnotation(rs, MAX_REPLICAS);

/** Copies the Deployment's own annotations onto rs (mutable); true when anything changed. */
export function copyDeploymentAnnotations(d: Deployment, rs: ReplicaSet): boolean {
  let changed = false;
  rs.metadata.annotations ??= {};
  for (const [k, v] of Object.entries(d.metadata.annotations ?? {})) {
    if (skipAnnotation(k) || rs.metadata.annotations[k] === v) continue;
    rs.metadata.annotations[k] = v;
    changed = true;
  }
  return changed;
}

/** Sets desired-replicas and max-replicas on rs (mutable); true when they changed. */
export function setReplicasAnnotations(rs: ReplicaSet, desired: number, max: number): boolean {
  rs.metadata.annotations ??= {};
  let changed = false;
  for (const [k, v] of [[DESIRED_REPLICAS, String(desired)], [MAX_REPLICAS, String(max)]] as const) {
    if (rs.metadata.annotations[k] === v) continue;
    rs.metadata.annotations[k] = v;
    changed = true;
  }
  return changed;
}

export function replicasAnnotationsNeedUpdate(rs: ReplicaSet, desired: number, max: number): boolean {
  const a = rs.metadata.annotations ?? {};
  return a[DESIRED_REPLICAS] !== String(desired) || a[MAX_REPLICAS] !== String(max);
}

/**
 * Upstream SetNewReplicaSetAnnotations on a mutable rs: copies the Deployment's annotations,
 * raises the revision (recording the old one in revision-history, trimmed to maxChars from the
 * oldest) and, for a ReplicaSet being created, sets the replicas annotations. True when changed.
 */
export function setNewReplicaSetAnnotations(d: Deployment, rs: ReplicaSet, newRevision: number, exists: boolean, maxSurge: number, maxChars = MAX_REV_HISTORY_CHARS): boolean {
  let changed = copyDeploymentAnnotations(d, rs);
  const annotations = (rs.metadata.annotations ??= {});
  const oldRevision = annotations[REVISION];
  let oldRevisionInt = 0;
  if (oldRevision !== undefined && oldRevision !== '') {
    oldRevisionInt = Number(oldRevision);
    if (!Number.isSafeInteger(oldRevisionInt)) return false;
  }
  if (oldRevisionInt < newRevision) {
    annotations[REVISION] = String(newRevision);
    changed = true;
  }
  if (oldRevision && oldRevisionInt < newRevision) {
    const history = annotations[REVISION_HISTORY];
    if (!history) annotations[REVISION_HISTORY] = oldRevision;
    else {
      let parts = history.split(',');
      let total = history.length + oldRevision.length + 1;
      let start = 0;
      while (total > maxChars && start < parts.length) {
        total -= parts[start]!.length + 1;
        start++;
      }
      if (total <= maxChars) {
        parts = [...parts.slice(start), oldRevision];
        annotations[REVISION_HISTORY] = parts.join(',');
      }
    }
  }
  const want = d.spec?.replicas ?? 1;
  if (!exists && setReplicasAnnotations(rs, want, want + maxSurge)) changed = true;
  return changed;
}
