// The RollingUpdate strategy (upstream rolling.go): scale the new ReplicaSet up within maxSurge,
// the old ones down within maxUnavailable — unhealthy old pods first — until the new one has all.
import type { ReplicaSet } from '../controller-utils/index.js';
import { deploymentComplete } from './conditions.js';
import { getAllReplicaSetsAndSyncRevision } from './newrs.js';
import { cleanupDeployment } from './scale.js';
import type { DeploymentSync } from './state.js';
import { syncRolloutStatus } from './status.js';
import { activeReplicaSets, availableReplicas, byCreation, desiredOf, maxUnavailable, newRSNewReplicas, replicasOf, specReplicas } from './util.js';

export async function rolloutRolling(s: DeploymentSync, rsList: readonly ReplicaSet[]): Promise<void> {
  const { newRS, oldRSs } = await getAllReplicaSetsAndSyncRevision(s, rsList, true);
  const all = [...oldRSs, newRS];
  if (await reconcileNewReplicaSet(s, all, newRS!)) return syncRolloutStatus(s, all, newRS);
  if (await reconcileOldReplicaSets(s, all, activeReplicaSets(oldRSs), newRS!)) return syncRolloutStatus(s, all, newRS);
  if (deploymentComplete(s.d, s.d.status ?? { replicas: 0 })) await cleanupDeployment(s, oldRSs);
  return syncRolloutStatus(s, all, newRS);
}

async function reconcileNewReplicaSet(s: DeploymentSync, all: (ReplicaSet | undefined)[], newRS: ReplicaSet): Promise<boolean> {
  const want = desiredOf(s.d);
  if (replicasOf(newRS) === want) return false;
  if (replicasOf(newRS) > want) return (await s.scaleReplicaSetAndRecordEvent(newRS, want)).scaled;
  return (await s.scaleReplicaSetAndRecordEvent(newRS, newRSNewReplicas(s.d, all, newRS))).scaled;
}

async function reconcileOldReplicaSets(s: DeploymentSync, all: (ReplicaSet | undefined)[], oldRSs: ReplicaSet[], newRS: ReplicaSet): Promise<boolean> {
  if (specReplicas(oldRSs) === 0) return false;
  const minAvailable = desiredOf(s.d) - maxUnavailable(s.d);
  const newUnavailable = replicasOf(newRS) - (newRS.status?.availableReplicas ?? 0);
  // How far the total may shrink without going below minAvailable, counting the new RS's unavailable pods.
  const maxScaledDown = specReplicas(all) - minAvailable - newUnavailable;
  if (maxScaledDown <= 0) return false;
  const cleaned = await cleanupUnhealthyReplicas(s, oldRSs, maxScaledDown);
  const scaledDown = await scaleDownOldForRollingUpdate(s, [...cleaned.oldRSs, newRS], cleaned.oldRSs);
  return cleaned.count + scaledDown > 0;
}

/** Scales old ReplicaSets down by their unavailable replicas first: removing those costs nothing. */
async function cleanupUnhealthyReplicas(s: DeploymentSync, oldRSs: ReplicaSet[], maxCleanup: number): Promise<{ oldRSs: ReplicaSet[]; count: number }> {
  const rss = [...oldRSs].sort(byCreation);
  let total = 0;
  for (let i = 0; i < rss.length; i++) {
    if (total >= maxCleanup) break;
    const rs = rss[i]!;
    const unavailable = replicasOf(rs) - (rs.status?.availableReplicas ?? 0);
    if (replicasOf(rs) === 0 || unavailable <= 0) continue;
    const down = Math.min(maxCleanup - total, unavailable);
    rss[i] = (await s.scaleReplicaSetAndRecordEvent(rs, replicasOf(rs) - down)).rs;
    total += down;
  }
  return { oldRSs: rss, count: total };
}

/** Scales old ReplicaSets down, oldest first, as far as availability above minAvailable allows. */
async function scaleDownOldForRollingUpdate(s: DeploymentSync, all: (ReplicaSet | undefined)[], oldRSs: ReplicaSet[]): Promise<number> {
  const minAvailable = desiredOf(s.d) - maxUnavailable(s.d);
  const available = availableReplicas(all);
  if (available <= minAvailable) return 0;
  const budget = available - minAvailable;
  let total = 0;
  for (const rs of [...oldRSs].sort(byCreation)) {
    if (total >= budget) break;
    if (replicasOf(rs) === 0) continue;
    const down = Math.min(replicasOf(rs), budget - total);
    await s.scaleReplicaSetAndRecordEvent(rs, replicasOf(rs) - down);
    total += down;
  }
  return total;
}
