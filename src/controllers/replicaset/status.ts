// ReplicaSet status (upstream replica_set_utils.go calculateStatus / updateReplicaSetStatus).
import type { ReplicaSetStatus } from 'kubernetes-types/apps/v1.js';
import type { ResourceOps } from '../../client/index.js';
import { labelSelectorFromSet } from '../../api/selectors/index.js';
import { errText, formatTime, isPodAvailable, isPodReady, type Pod, type ReplicaSetCondition } from '../controller-utils/index.js';
import type { ReplicaSetKind, ReplicaSetLike } from './kind.js';

export const REPLICA_FAILURE = 'ReplicaFailure';

/** Upstream statusUpdateRetries: one retry on a fresh copy. */
const STATUS_UPDATE_RETRIES = 1;

/** The status the pods say the ReplicaSet has; manageErr sets or clears the ReplicaFailure condition. */
export function calculateStatus(rs: ReplicaSetLike, kind: ReplicaSetKind, pods: readonly Pod[], manageErr: unknown, now: number): ReplicaSetStatus {
  const status: ReplicaSetStatus = structuredClone(rs.status ?? { replicas: 0 });
  const templateLabels = labelSelectorFromSet(kind.templateOf(rs)?.metadata?.labels);
  let fully = 0;
  let ready = 0;
  let available = 0;
  const minReady = rs.spec?.minReadySeconds ?? 0;
  for (const pod of pods) {
    if (templateLabels.matches(pod.metadata.labels)) fully++;
    if (isPodReady(pod)) {
      ready++;
      if (isPodAvailable(pod, minReady, now)) available++;
    }
  }
  const failure = status.conditions?.find((c) => c.type === REPLICA_FAILURE);
  if (manageErr !== undefined && !failure) {
    const diff = pods.length - (rs.spec?.replicas ?? 1);
    const reason = diff < 0 ? 'FailedCreate' : diff > 0 ? 'FailedDelete' : '';
    const cond: ReplicaSetCondition = { type: REPLICA_FAILURE, status: 'True', lastTransitionTime: formatTime(now), reason, message: errText(manageErr) };
    status.conditions = [...(status.conditions ?? []), cond];
  } else if (manageErr === undefined && failure) {
    status.conditions = status.conditions!.filter((c) => c.type !== REPLICA_FAILURE);
    if (status.conditions.length === 0) delete status.conditions;
  }
  status.replicas = pods.length;
  status.fullyLabeledReplicas = fully;
  status.readyReplicas = ready;
  status.availableReplicas = available;
  return status;
}

/**
 * Writes status when it differs (or observedGeneration lags); retries once on a fresh copy, as
 * upstream. Returns the object as it now is.
 */
export async function updateStatus<T extends ReplicaSetLike>(ops: ResourceOps<T>, rs: T, status: ReplicaSetStatus): Promise<T> {
  const cur = rs.status;
  if (cur && cur.replicas === status.replicas && (cur.fullyLabeledReplicas ?? 0) === (status.fullyLabeledReplicas ?? 0)
    && (cur.readyReplicas ?? 0) === (status.readyReplicas ?? 0) && (cur.availableReplicas ?? 0) === (status.availableReplicas ?? 0)
    && cur.observedGeneration === rs.metadata.generation
    && JSON.stringify(cur.conditions ?? []) === JSON.stringify(status.conditions ?? [])) return rs;
  const next = { ...status, observedGeneration: rs.metadata.generation };
  let obj: T = rs;
  for (let i = 0; ; i++) {
    try {
      return await ops.updateStatus({ ...obj, status: next });
    } catch (err) {
      if (i >= STATUS_UPDATE_RETRIES) throw err;
      obj = await ops.get(rs.metadata.name!);
    }
  }
}
