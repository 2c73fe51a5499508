// The StatefulSet update algorithm (upstream stateful_set_control.go updateStatefulSet): create missing
// ordinals (in order, one at a time, waiting for Running+Ready, under OrderedReady; all at once under
// Parallel), delete condemned ordinals highest first, then roll pods not at the update revision from
// the highest ordinal down to the partition.
import type { Client, EventRecorder } from '../../client/index.js';
import { refs } from '../../client/index.js';
import { isReason } from '../../util/errors.js';
import { isPodAvailable, type Pod } from '../controller-utils/index.js';
import type { ControllerRevision } from '../history/index.js';
import {
  applyIdentity, applyStorage, claimsFor, identityMatches, isCreated, isHealthy, isRunningAndReady, isTerminating, newStatefulPod,
  ordinalOf, podRevision, startOrdinal, storageMatches, type StatefulSet,
} from './pods.js';

type Obj = Record<string, any>;

export interface SetStatus {
  observedGeneration?: number;
  replicas: number;
  readyReplicas: number;
  currentReplicas: number;
  updatedReplicas: number;
  availableReplicas: number;
  currentRevision: string;
  updateRevision: string;
  collisionCount: number;
}

export interface ControlResult {
  status: SetStatus;
  /** Re-sync after this long (pods becoming available after minReadySeconds). */
  requeueAfterMs?: number;
}

/** The pod template a revision recorded (upstream ApplyRevision). */
export function templateOf(rev: ControllerRevision): Obj {
  const t = structuredClone(((rev.data as Obj | undefined)?.spec?.template ?? {}) as Obj);
  delete t.$patch;
  return t;
}

export class StatefulSetControl {
  constructor(private readonly client: Client, private readonly recorder: EventRecorder) {}

  async update(set: StatefulSet, pods: Pod[], current: ControllerRevision, update: ControllerRevision, collisionCount: number, now: number): Promise<ControlResult> {
    const minReady = set.spec.minReadySeconds ?? 0;
    const status: SetStatus = {
      observedGeneration: set.metadata.generation ?? 0, replicas: 0, readyReplicas: 0, currentReplicas: 0, updatedReplicas: 0, availableReplicas: 0,
      currentRevision: current.metadata.name!, updateRevision: update.metadata.name!, collisionCount,
    };
    const count = set.spec.replicas ?? 1;
    const start = startOrdinal(set);
    const replicas: (Pod | undefined)[] = new Array(count).fill(undefined);
    const condemned: Pod[] = [];
    for (const p of pods) {
      status.replicas++;
      if (isRunningAndReady(p)) {
        status.readyReplicas++;
        if (isPodAvailable(p, minReady, now)) status.availableReplicas++;
      }
      if (isCreated(p) && !isTerminating(p)) {
        if (podRevision(p) === status.currentRevision) status.currentReplicas++;
        if (podRevision(p) === status.updateRevision) status.updatedReplicas++;
      }
      const ord = ordinalOf(p, set.metadata.name);
      if (ord >= start && ord < start + count) replicas[ord - start] = p;
      else if (ord >= 0) condemned.push(p);
    }
    const currentTemplate = templateOf(current);
    const updateTemplate = templateOf(update);
    const strategy = set.spec.updateStrategy ?? { type: 'RollingUpdate' };
    const partition: number | undefined = strategy.rollingUpdate ? (strategy.rollingUpdate.partition ?? 0) : undefined;
    // Upstream newVersionedStatefulSetPod: ordinals below the partition are recreated at the current revision.
    const versioned = (ord: number): Pod => {
      const atCurrent = (strategy.type === 'RollingUpdate' && partition === undefined && ord < (set.status?.currentReplicas ?? 0))
        || (partition !== undefined && ord < partition);
      return atCurrent ? newStatefulPod(set, currentTemplate, status.currentRevision, ord) : newStatefulPod(set, updateTemplate, status.updateRevision, ord);
    };
    for (let i = 0; i < count; i++) replicas[i] ??= versioned(start + i);
    condemned.sort((a, b) => ordinalOf(b) - ordinalOf(a));
    const firstUnhealthy = [...(replicas as Pod[]), ...[...condemned].reverse()].find((p) => !isHealthy(p));
    if (set.metadata.deletionTimestamp) return { status };
    const monotonic = (set.spec.podManagementPolicy ?? 'OrderedReady') !== 'Parallel';
    const done = (extra: Partial<ControlResult> = {}): ControlResult => ({ status, ...extra });

    for (let i = 0; i < count; i++) {
      const pod = replicas[i]!;
      const ord = start + i;
      const phase = pod.status?.phase;
      if (phase === 'Failed' || phase === 'Succeeded') {
        // A finished pod is deleted and recreated on a later sync, once it is gone.
        if (!pod.metadata.deletionTimestamp) await this.deletePod(set, pod, `StatefulSet ${set.metadata.namespace}/${set.metadata.name} is recreating ${phase === 'Failed' ? 'failed' : 'succeeded'} Pod ${pod.metadata.name}`);
        if (podRevision(pod) === status.currentRevision) status.currentReplicas--;
        if (podRevision(pod) === status.updateRevision) status.updatedReplicas--;
        status.replicas--;
        if (monotonic) return done();
        continue;
      }
      if (!isCreated(pod)) {
        await this.createPod(set, pod, ord);
        status.replicas++;
        if (podRevision(pod) === status.currentRevision) status.currentReplicas++;
        if (podRevision(pod) === status.updateRevision) status.updatedReplicas++;
        if (monotonic) return done();
        continue;
      }
      if (phase === 'Pending') await this.createClaims(set, ord);
      if (isTerminating(pod) && monotonic) return done();
      if (!isRunningAndReady(pod) && monotonic) return done();
      if (!isPodAvailable(pod, minReady, now) && monotonic) return done({ requeueAfterMs: minReady * 1000 });
      if (identityMatches(set, pod) && storageMatches(set, pod)) continue;
      const fixed = structuredClone(pod) as Pod;
      applyIdentity(set, fixed, ord);
      applyStorage(set, fixed, ord);
      await this.createClaims(set, ord);
      await this.client.resource<Pod>(refs.pods).namespace(set.metadata.namespace!).update(fixed);
    }

    // Scale down: highest ordinal first; under OrderedReady one at a time and only when healthy.
    for (const pod of condemned) {
      if (isTerminating(pod)) {
        if (monotonic) return done();
        continue;
      }
      if (!isRunningAndReady(pod) && monotonic && pod !== firstUnhealthy) return done();
      if (!isPodAvailable(pod, minReady, now) && monotonic && pod !== firstUnhealthy) return done({ requeueAfterMs: minReady * 1000 });
      await this.ownClaimsByPod(set, pod);
      await this.deletePod(set, pod);
      if (monotonic) return done();
    }

    if (strategy.type === 'OnDelete') return done();
    const updateMin = partition ?? 0;
    for (let target = count - 1; target >= updateMin - start && target >= 0; target--) {
      const pod = replicas[target]!;
      if (podRevision(pod) !== status.updateRevision && !isTerminating(pod)) {
        await this.deletePod(set, pod);
        status.currentReplicas--;
        return done();
      }
      // Wait for the updated pod to become healthy before the next.
      if (!isHealthy(pod)) return done();
    }
    return done();
  }

  private async createClaims(set: StatefulSet, ordinal: number): Promise<void> {
    const ops = this.client.resource(refs.persistentvolumeclaims).namespace(set.metadata.namespace!);
    for (const claim of claimsFor(set, ordinal)) {
      try {
        await ops.create(claim);
        this.recorder.record(set, 'Normal', 'SuccessfulCreate', 'Create', `create Claim ${claim.metadata.name} Pod ${set.metadata.name}-${ordinal} in StatefulSet ${set.metadata.name} success`);
      } catch (err) {
        if (isReason(err, 'AlreadyExists')) continue;
        this.recorder.record(set, 'Warning', 'FailedCreate', 'Create', `create Claim ${claim.metadata.name} for Pod ${set.metadata.name}-${ordinal} in StatefulSet ${set.metadata.name} failed error: ${(err as Error).message}`);
        throw err;
      }
    }
  }

  // whenScaled: Delete — the condemned pod becomes an owner of its claims, so the garbage collector
  // deletes them with it (upstream updateClaimOwnerRefForSetAndPod on scale-down).
  private async ownClaimsByPod(set: StatefulSet, pod: Pod): Promise<void> {
    if (set.spec.persistentVolumeClaimRetentionPolicy?.whenScaled !== 'Delete' || !pod.metadata.uid) return;
    const ops = this.client.resource(refs.persistentvolumeclaims).namespace(set.metadata.namespace!);
    const ref = { apiVersion: 'v1', kind: 'Pod', name: pod.metadata.name!, uid: pod.metadata.uid };
    for (const claim of claimsFor(set, ordinalOf(pod))) {
      try {
        await ops.patch(claim.metadata.name!, 'strategic', { metadata: { ownerReferences: [ref] } });
      } catch (err) {
        if (!isReason(err, 'NotFound')) throw err;
      }
    }
  }

  private async createPod(set: StatefulSet, pod: Pod, ordinal: number): Promise<void> {
    await this.createClaims(set, ordinal);
    try {
      await this.client.resource<Pod>(refs.pods).namespace(set.metadata.namespace!).create(pod);
    } catch (err) {
      // Already there (cache lag): not an error, the next sync sees it.
      if (isReason(err, 'AlreadyExists')) return;
      this.recorder.record(set, 'Warning', 'FailedCreate', 'Create', `create Pod ${pod.metadata.name} in StatefulSet ${set.metadata.name} failed error: ${(err as Error).message}`);
      throw err;
    }
    this.recorder.record(set, 'Normal', 'SuccessfulCreate', 'Create', `create Pod ${pod.metadata.name} in StatefulSet ${set.metadata.name} successful`);
  }

  private async deletePod(set: StatefulSet, pod: Pod, why?: string): Promise<void> {
    if (why) this.recorder.record(set, 'Warning', 'RecreatingTerminatedPod', 'Delete', why);
    try {
      await this.client.resource<Pod>(refs.pods).namespace(set.metadata.namespace!).delete(pod.metadata.name!);
    } catch (err) {
      if (isReason(err, 'NotFound')) return;
      this.recorder.record(set, 'Warning', 'FailedDelete', 'Delete', `delete Pod ${pod.metadata.name} in StatefulSet ${set.metadata.name} failed error: ${(err as Error).message}`);
      throw err;
    }
    this.recorder.record(set, 'Normal', 'SuccessfulDelete', 'Delete', `delete Pod ${pod.metadata.name} in StatefulSet ${set.metadata.name} successful`);
  }
}

/** Upstream completeRollingUpdate: once every replica is updated and ready, the update revision becomes current. */
export function completeRollingUpdate(set: StatefulSet, s: SetStatus): void {
  const type = set.spec.updateStrategy?.type ?? 'RollingUpdate';
  if (type === 'RollingUpdate' && s.updatedReplicas === s.replicas && s.readyReplicas === s.replicas) {
    s.currentReplicas = s.updatedReplicas;
    s.currentRevision = s.updateRevision;
  }
}
