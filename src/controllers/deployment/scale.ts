// Scaling without a rollout — proportional scaling of every active ReplicaSet when the Deployment's
// replicas change mid-rollout — and history cleanup (upstream sync.go scale/sync/cleanupDeployment/
// isScalingEvent/syncStatusOnly).
import { isReason } from '../../util/errors.js';
import type { ReplicaSet } from '../controller-utils/index.js';
import { desiredReplicasOf } from './annotations.js';
import { getAllReplicaSetsAndSyncRevision } from './newrs.js';
import type { DeploymentSync } from './state.js';
import { syncDeploymentStatus } from './status.js';
import {
  activeReplicaSets, byRevision, bySizeNewer, bySizeOlder, desiredOf, findActiveOrLatest, hasRevisionHistoryLimit, isRollingUpdate,
  isSaturated, maxSurge, proportion, replicasOf, specReplicas,
} from './util.js';

/** Brings the ReplicaSets to the Deployment's size without starting a rollout. */
export async function scale(s: DeploymentSync, newRS: ReplicaSet | undefined, oldRSs: ReplicaSet[]): Promise<void> {
  const d = s.d;
  const want = desiredOf(d);
  // One active ReplicaSet (or none): it simply gets the desired size.
  const only = findActiveOrLatest(newRS, oldRSs);
  if (only) {
    if (replicasOf(only) !== want) await s.scaleReplicaSetAndRecordEvent(only, want);
    return;
  }
  // The new ReplicaSet is saturated: the old ones go.
  if (isSaturated(d, newRS)) {
    for (const old of activeReplicaSets(oldRSs)) await s.scaleReplicaSetAndRecordEvent(old, 0);
    return;
  }
  if (!isRollingUpdate(d)) return;
  // Mid-rollout: spread the change over the active ReplicaSets in proportion to their size.
  const all = activeReplicaSets([...oldRSs, newRS]);
  const allowed = want > 0 ? want + maxSurge(d) : 0;
  const toAdd = allowed - specReplicas(all);
  let op = '';
  if (toAdd > 0) {
    all.sort(bySizeNewer);
    op = 'up';
  } else if (toAdd < 0) {
    all.sort(bySizeOlder);
    op = 'down';
  }
  const size = new Map<string, number>();
  let added = 0;
  for (const rs of all) {
    if (toAdd === 0) {
      size.set(rs.metadata.name!, replicasOf(rs));
      continue;
    }
    const p = proportion(rs, d, toAdd, added);
    size.set(rs.metadata.name!, replicasOf(rs) + p);
    added += p;
  }
  for (let i = 0; i < all.length; i++) {
    const rs = all[i]!;
    // Leftovers from rounding go to the largest ReplicaSet.
    if (i === 0 && toAdd !== 0) size.set(rs.metadata.name!, Math.max(0, size.get(rs.metadata.name!)! + toAdd - added));
    await s.scaleReplicaSet(rs, size.get(rs.metadata.name!)!, op);
  }
}

/** A replicas change on a Deployment whose active ReplicaSets were sized for another count. */
export function isScalingEvent(s: DeploymentSync, rsList: readonly ReplicaSet[]): boolean {
  // Upstream finds the ReplicaSets through getAllReplicaSetsAndSyncRevision, whose revision writes
  // then conflict with the rollout's own; the answer only needs the active ReplicaSets.
  for (const rs of activeReplicaSets(rsList)) {
    const desired = desiredReplicasOf(rs);
    if (desired !== undefined && desired !== desiredOf(s.d)) return true;
  }
  return false;
}

/** Paused or scaling: resize, clean history when paused, report status (upstream sync). */
export async function syncScaleOnly(s: DeploymentSync, rsList: readonly ReplicaSet[]): Promise<void> {
  const { newRS, oldRSs } = await getAllReplicaSetsAndSyncRevision(s, rsList, false);
  await scale(s, newRS, oldRSs);
  if (s.d.spec?.paused) await cleanupDeployment(s, oldRSs);
  await syncDeploymentStatus(s, [...oldRSs, newRS], newRS);
}

/** A Deployment being deleted: status only. */
export async function syncStatusOnly(s: DeploymentSync, rsList: readonly ReplicaSet[]): Promise<void> {
  const { newRS, oldRSs } = await getAllReplicaSetsAndSyncRevision(s, rsList, false);
  await syncDeploymentStatus(s, [...oldRSs, newRS], newRS);
}

/**
 * Deletes the oldest old ReplicaSets beyond revisionHistoryLimit — only those scaled to zero,
 * settled (observedGeneration current) and not already being deleted.
 */
export async function cleanupDeployment(s: DeploymentSync, oldRSs: readonly ReplicaSet[]): Promise<void> {
  if (!hasRevisionHistoryLimit(s.d)) return;
  const alive = oldRSs.filter((rs) => !rs.metadata.deletionTimestamp);
  const diff = alive.length - s.d.spec!.revisionHistoryLimit!;
  if (diff <= 0) return;
  alive.sort(byRevision);
  for (const rs of alive.slice(0, diff)) {
    if ((rs.status?.replicas ?? 0) !== 0 || replicasOf(rs) !== 0 || (rs.metadata.generation ?? 0) > (rs.status?.observedGeneration ?? 0)) continue;
    try {
      await s.deps.replicaSets(s.ns).delete(rs.metadata.name!);
    } catch (err) {
      if (!isReason(err, 'NotFound')) throw err;
    }
  }
}
