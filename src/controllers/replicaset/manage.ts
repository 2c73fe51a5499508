// Converging the number of pods (upstream ReplicaSetController.manageReplicas): create the missing
// ones in slow-start batches, delete the surplus least valuable first, at most 500 per sync, and
// record expectations so the next sync waits until the informer saw these writes.
import { isReason } from '../../util/errors.js';
import type { Logger } from '../../util/log.js';
import {
  BURST_REPLICAS, SLOW_START_INITIAL_BATCH, isNamespaceTerminating, newControllerRef, rankByRelatedPodsOnSameNode, slowStartBatch,
  sortPodsForDeletion, type Pod, type PodControl, type UIDTrackingControllerExpectations,
} from '../controller-utils/index.js';
import type { ReplicaSetKind, ReplicaSetLike } from './kind.js';

export interface ManageDeps {
  kind: ReplicaSetKind;
  podControl: PodControl;
  expectations: UIDTrackingControllerExpectations;
  /** Pods of every ReplicaSet sharing rs's controller (for co-location ranking). */
  relatedPods(rs: ReplicaSetLike): Pod[];
  now(): number;
  log: Logger;
  burstReplicas: number;
}

/** Throws the first create/delete error (after recording what happened). */
export async function manageReplicas(d: ManageDeps, key: string, rs: ReplicaSetLike, pods: readonly Pod[]): Promise<void> {
  const want = rs.spec?.replicas ?? 1;
  let diff = pods.length - want;
  const ns = rs.metadata.namespace!;
  if (diff < 0) {
    diff = Math.min(-diff, d.burstReplicas);
    // Expect every creation before making any, so an informer event racing ahead is counted.
    d.expectations.expectCreations(key, diff);
    d.log.v(2).info('too few replicas', { key, need: want, creating: diff });
    const ref = newControllerRef(rs, d.kind.ownerKind);
    const res = await slowStartBatch(diff, SLOW_START_INITIAL_BATCH, async () => {
      try {
        await d.podControl.createPod(ns, d.kind.templateOf(rs), rs, ref);
      } catch (err) {
        // Pods in a terminating namespace would be deleted anyway: not a failure.
        if (isNamespaceTerminating(err)) return;
        throw err;
      }
    });
    // Creations that failed or were never tried will not be observed: stop expecting them.
    for (let i = res.successes; i < diff; i++) d.expectations.creationObserved(key);
    if (res.error !== undefined) throw res.error;
    return;
  }
  if (diff > 0) {
    diff = Math.min(diff, d.burstReplicas);
    d.log.v(2).info('too many replicas', { key, need: want, deleting: diff });
    const victims = podsToDelete(pods, d.relatedPods(rs), diff, d.now());
    const keys = victims.map((p) => `${p.metadata.namespace}/${p.metadata.name}`);
    d.expectations.expectDeletionsOf(key, keys);
    const results = await Promise.allSettled(victims.map(async (p, i) => {
      try {
        await d.podControl.deletePod(ns, p.metadata.name!, rs);
      } catch (err) {
        // Never going to see this delete: lower the expectation now.
        d.expectations.deletionObservedOf(key, keys[i]!);
        if (!isReason(err, 'NotFound')) throw err;
      }
    }));
    const failed = results.find((r): r is PromiseRejectedResult => r.status === 'rejected');
    if (failed) throw failed.reason;
  }
}

/** The n least valuable pods (upstream getPodsToDelete: ranking only needed when not all go). */
export function podsToDelete(pods: readonly Pod[], related: readonly Pod[], n: number, now: number): Pod[] {
  if (n >= pods.length) return [...pods];
  return sortPodsForDeletion(rankByRelatedPodsOnSameNode(pods, related), now).slice(0, n).map((r) => r.pod);
}

export { BURST_REPLICAS };
