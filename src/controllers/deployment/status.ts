// Deployment status and rollout progress (upstream sync.go calculateStatus/syncDeploymentStatus,
// progress.go syncRolloutStatus/requeueStuckDeployment, sync.go checkPausedConditions).
import type { DeploymentStatus } from 'kubernetes-types/apps/v1.js';
import type { DeploymentCondition, ReplicaSet } from '../controller-utils/index.js';
import {
  PROGRESSING, REPLICA_FAILURE, deploymentComplete, deploymentProgressing, deploymentTimedOut, getCondition, newCondition,
  reasons, removeCondition, setAvailability, setCondition,
} from './conditions.js';
import type { DeploymentSync } from './state.js';
import { actualReplicas, availableReplicas, hasProgressDeadline, maxUnavailable, readyReplicas, specReplicas } from './util.js';

type MaybeRS = ReplicaSet | undefined;

export function calculateStatus(s: DeploymentSync, all: readonly MaybeRS[], newRS: MaybeRS): DeploymentStatus {
  const d = s.d;
  const available = availableReplicas(all);
  const status: DeploymentStatus = {
    observedGeneration: d.metadata.generation,
    replicas: actualReplicas(all),
    updatedReplicas: actualReplicas([newRS]),
    readyReplicas: readyReplicas(all),
    availableReplicas: available,
    unavailableReplicas: Math.max(0, specReplicas(all) - available),
  };
  if (d.status?.collisionCount !== undefined) status.collisionCount = d.status.collisionCount;
  if (d.status?.conditions?.length) status.conditions = d.status.conditions.map((c) => ({ ...c }));
  setAvailability(status, d, maxUnavailable(d), s.now);
  return status;
}

/** Writes the computed status when it differs. */
export async function syncDeploymentStatus(s: DeploymentSync, all: readonly MaybeRS[], newRS: MaybeRS): Promise<void> {
  const status = calculateStatus(s, all, newRS);
  if (sameStatus(s.d.status, status)) return;
  s.d.status = status;
  await s.writeStatus();
}

/** Status plus the Progressing condition, and a requeue to notice a missed progress deadline. */
export async function syncRolloutStatus(s: DeploymentSync, all: readonly MaybeRS[], newRS: MaybeRS): Promise<void> {
  const d = s.d;
  const status = calculateStatus(s, all, newRS);
  if (!hasProgressDeadline(d)) removeCondition(status, PROGRESSING);
  const cur = getCondition(d.status, PROGRESSING);
  const complete = status.replicas === status.updatedReplicas && cur?.reason === reasons.newRSAvailable;
  if (hasProgressDeadline(d) && !complete) {
    const what = newRS ? `ReplicaSet "${newRS.metadata.name}"` : `Deployment "${d.metadata.name}"`;
    if (deploymentComplete(d, status)) {
      setCondition(status, newCondition(PROGRESSING, 'True', reasons.newRSAvailable, `${what} has successfully progressed.`, s.now));
    } else if (deploymentProgressing(d, status)) {
      // Progress refreshes lastUpdateTime even when the reason stays the same (setCondition would not).
      const cond = newCondition(PROGRESSING, 'True', reasons.rsUpdated, `${what} is progressing.`, s.now);
      if (cur) {
        if (cur.status === 'True') cond.lastTransitionTime = cur.lastTransitionTime;
        removeCondition(status, PROGRESSING);
      }
      setCondition(status, cond);
    } else if (deploymentTimedOut(d, status, s.now)) {
      setCondition(status, newCondition(PROGRESSING, 'False', reasons.timedOut, `${what} has timed out progressing.`, s.now));
    }
  }
  const failures = replicaFailures(all, newRS);
  if (failures.length) setCondition(status, failures[0]!);
  else removeCondition(status, REPLICA_FAILURE);
  if (status.conditions?.length === 0) delete status.conditions;
  if (sameStatus(d.status, status)) {
    requeueStuckDeployment(s, status);
    return;
  }
  d.status = status;
  await s.writeStatus();
}

/** ReplicaFailure conditions of the new ReplicaSet, else of any (upstream getReplicaFailures). */
function replicaFailures(all: readonly MaybeRS[], newRS: MaybeRS): DeploymentCondition[] {
  const conv = (rs: ReplicaSet) => (rs.status?.conditions ?? []).filter((c) => c.type === REPLICA_FAILURE).map((c): DeploymentCondition => ({
    type: c.type, status: c.status, lastUpdateTime: c.lastTransitionTime, lastTransitionTime: c.lastTransitionTime,
    ...(c.reason !== undefined ? { reason: c.reason } : {}), ...(c.message !== undefined ? { message: c.message } : {}),
  }));
  if (newRS) {
    const own = conv(newRS);
    if (own.length) return own;
  }
  return all.flatMap((rs) => (rs ? conv(rs) : []));
}

/**
 * A rollout that made no progress is looked at again when its deadline passes, so the timeout is
 * reported without waiting for another event (upstream requeueStuckDeployment).
 */
function requeueStuckDeployment(s: DeploymentSync, status: DeploymentStatus): void {
  const d = s.d;
  const cur = getCondition(d.status, PROGRESSING);
  if (!hasProgressDeadline(d) || !cur) return;
  if (deploymentComplete(d, status) || cur.reason === reasons.timedOut) return;
  const from = cur.lastUpdateTime ? Date.parse(cur.lastUpdateTime) : NaN;
  if (Number.isNaN(from)) return;
  const after = from + d.spec!.progressDeadlineSeconds! * 1000 - s.now;
  if (after < 1000) s.deps.enqueueRateLimited(s.key);
  else s.deps.enqueueAfter(s.key, after);
}

/** Progressing=Unknown DeploymentPaused / DeploymentResumed as the paused flag flips. */
export async function checkPausedConditions(s: DeploymentSync): Promise<void> {
  const d = s.d;
  if (!hasProgressDeadline(d)) return;
  const cur = getCondition(d.status, PROGRESSING);
  // A reported timeout is not overwritten by a pause.
  if (cur?.reason === reasons.timedOut) return;
  const pausedCond = cur?.reason === reasons.paused;
  let cond: DeploymentCondition | undefined;
  if (d.spec?.paused && !pausedCond) cond = newCondition(PROGRESSING, 'Unknown', reasons.paused, 'Deployment is paused', s.now);
  else if (!d.spec?.paused && pausedCond) cond = newCondition(PROGRESSING, 'Unknown', reasons.resumed, 'Deployment is resumed', s.now);
  if (!cond) return;
  d.status = { replicas: 0, ...d.status };
  setCondition(d.status, cond);
  await s.writeStatus();
}

function sameStatus(a: DeploymentStatus | undefined, b: DeploymentStatus): boolean {
  return JSON.stringify(normalizeStatus(a)) === JSON.stringify(normalizeStatus(b));
}

/** Field order and zero-valued counters do not make two statuses differ (Go's zero values are omitted). */
function normalizeStatus(s: DeploymentStatus | undefined): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const k of ['observedGeneration', 'replicas', 'updatedReplicas', 'readyReplicas', 'availableReplicas', 'unavailableReplicas', 'collisionCount'] as const) {
    out[k] = s?.[k] ?? 0;
  }
  out.conditions = (s?.conditions ?? []).map((c) => [c.type, c.status, c.reason ?? '', c.message ?? '', c.lastUpdateTime ?? '', c.lastTransitionTime ?? '']);
  return out;
}
