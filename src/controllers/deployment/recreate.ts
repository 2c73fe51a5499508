// The Recreate strategy (upstream recreate.go): scale every old ReplicaSet to zero, wait until none
// of their pods is left running, then scale the new one up.
import type { Pod, ReplicaSet } from '../controller-utils/index.js';
import { deploymentComplete } from './conditions.js';
import { getAllReplicaSetsAndSyncRevision } from './newrs.js';
import { cleanupDeployment } from './scale.js';
import type { DeploymentSync } from './state.js';
import { syncRolloutStatus } from './status.js';
import { activeReplicaSets, actualReplicas, desiredOf } from './util.js';

/** podMap: the Deployment's pods by the UID of the ReplicaSet controlling them. */
export async function rolloutRecreate(s: DeploymentSync, rsList: readonly ReplicaSet[], podMap: Map<string, Pod[]>): Promise<void> {
  let { newRS, oldRSs } = await getAllReplicaSetsAndSyncRevision(s, rsList, false);
  let all = [...oldRSs, newRS];
  let scaledDown = false;
  for (const rs of activeReplicaSets(oldRSs)) {
    if ((await s.scaleReplicaSetAndRecordEvent(rs, 0)).scaled) scaledDown = true;
  }
  if (scaledDown) return syncRolloutStatus(s, all, newRS);
  if (oldPodsRunning(newRS, oldRSs, podMap)) return syncRolloutStatus(s, all, newRS);
  if (!newRS) {
    ({ newRS, oldRSs } = await getAllReplicaSetsAndSyncRevision(s, rsList, true));
    all = [...oldRSs, newRS];
  }
  await s.scaleReplicaSetAndRecordEvent(newRS!, desiredOf(s.d));
  if (deploymentComplete(s.d, s.d.status ?? { replicas: 0 })) await cleanupDeployment(s, oldRSs);
  return syncRolloutStatus(s, all, newRS);
}

/** Any old ReplicaSet still reports pods, or any pod not of the new ReplicaSet has not finished. */
export function oldPodsRunning(newRS: ReplicaSet | undefined, oldRSs: readonly ReplicaSet[], podMap: Map<string, Pod[]>): boolean {
  if (actualReplicas(oldRSs) > 0) return true;
  for (const [uid, pods] of podMap) {
    if (newRS && newRS.metadata.uid === uid) continue;
    for (const p of pods) if (p.status?.phase !== 'Failed' && p.status?.phase !== 'Succeeded') return true;
  }
  return false;
}
