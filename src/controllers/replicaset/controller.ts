// The ReplicaSet controller (upstream pkg/controller/replicaset/replica_set.go), also run for
// ReplicationControllers: keeps spec.replicas active pods matching the selector, adopting orphans
// and releasing pods that stopped matching, and reports status.
import type { LabelSelector } from '../../api/selectors/index.js';
import {
  RateLimitingQueue, deletedObject, objectKey, refs, runWorkers, splitKey,
  type DeletedFinalStateUnknown, type Lister, type ResourceClient, type SharedIndexInformer,
} from '../../client/index.js';
import type { Clock } from '../../util/clock.js';
import type { Logger } from '../../util/log.js';
import {
  ControllerRefManager, PodControl, UIDTrackingControllerExpectations, getControllerOf, isPodActive, isPodReady,
  recheckDeletionTimestamp, refersToKind, resolveControllerRef, BURST_REPLICAS, type Pod,
} from '../controller-utils/index.js';
import type { Controller, ControllerContext } from '../types.js';
import type { ReplicaSetKind, ReplicaSetLike } from './kind.js';
import { manageReplicas } from './manage.js';
import { calculateStatus, updateStatus } from './status.js';

/**
 * Pods indexed by the UID of their controller (upstream controllerUIDIndex); orphans under
 * orphanIndexValue(namespace), so a sync looks only at its own pods and the orphans it may adopt.
 */
export const POD_CONTROLLER_UID_INDEX = 'controllerUID';
export const orphanIndexValue = (namespace: string): string => `orphan/${namespace}`;

export interface ReplicaSetControllerOptions {
  kind: ReplicaSetKind;
  /** Most pods created or deleted per sync (upstream BurstReplicas, 500). */
  burstReplicas?: number;
}

export class ReplicaSetController implements Controller {
  readonly queue: RateLimitingQueue<string>;
  readonly expectations: UIDTrackingControllerExpectations;
  private readonly kind: ReplicaSetKind;
  private readonly rsLister: Lister<ReplicaSetLike>;
  private readonly podLister: Lister<Pod>;
  private readonly podInformer: SharedIndexInformer<Pod>;
  private readonly rsClient: ResourceClient<ReplicaSetLike>;
  private readonly pods: ResourceClient<Pod>;
  private readonly podControl: PodControl;
  private readonly clock: Clock;
  private readonly log: Logger;
  private readonly burst: number;

  constructor(ctx: ControllerContext, opts: ReplicaSetControllerOptions) {
    this.kind = opts.kind;
    this.burst = opts.burstReplicas ?? BURST_REPLICAS;
    if (!(this.burst >= 1)) throw new RangeError('replicaset controller: burstReplicas must be at least 1');
    this.clock = ctx.clock;
    this.log = ctx.log.with({ controller: this.kind.queueName });
    this.queue = new RateLimitingQueue<string>({ clock: ctx.clock, name: this.kind.queueName });
    this.expectations = new UIDTrackingControllerExpectations(ctx.clock);
    this.rsClient = ctx.client.resource<ReplicaSetLike>(this.kind.ref);
    this.pods = ctx.client.resource<Pod>(refs.pods);
    this.podControl = new PodControl(ctx.client, ctx.recorder(this.kind.eventSource));
    const rsInformer = ctx.informers.forResource<ReplicaSetLike>(this.kind.ref);
    this.podInformer = ctx.informers.forResource<Pod>(refs.pods, {
      [POD_CONTROLLER_UID_INDEX]: (p) => {
        const ref = getControllerOf(p);
        return [ref ? ref.uid : orphanIndexValue(p.metadata.namespace ?? '')];
      },
    });
    this.rsLister = rsInformer.lister;
    this.podLister = this.podInformer.lister;
    rsInformer.addEventHandler({
      add: (rs) => this.enqueue(rs),
      update: (_old, cur) => this.enqueue(cur),
      delete: (obj) => {
        const rs = deletedObject(obj);
        this.expectations.delete(objectKey(rs));
        this.enqueue(rs);
      },
    });
    this.podInformer.addEventHandler({
      add: (pod) => this.addPod(pod),
      update: (old, cur) => this.updatePod(old, cur),
      delete: (pod) => this.deletePod(pod),
    });
  }

  async run(workers: number, signal: AbortSignal): Promise<void> {
    const stop = () => this.queue.shutDown();
    if (signal.aborted) stop();
    signal.addEventListener('abort', stop, { once: true });
    await runWorkers(this.queue, workers, (key) => this.sync(key), { log: this.log });
  }

  enqueue(rs: ReplicaSetLike, afterMs = 0): void {
    const key = objectKey(rs);
    if (afterMs > 0) this.queue.addAfter(key, afterMs);
    else this.queue.add(key);
  }

  /** Converges one ReplicaSet; throws to be retried with backoff. */
  async sync(key: string): Promise<void> {
    const { namespace, name } = splitKey(key);
    const cached = this.rsLister.get(namespace, name);
    if (!cached) {
      this.expectations.delete(key);
      return;
    }
    const needsSync = this.expectations.satisfied(key);
    let selector: LabelSelector;
    try {
      selector = this.kind.selectorOf(cached);
    } catch (err) {
      // A selector the API server let through but we cannot parse: nothing to do until it changes.
      this.log.error('invalid selector', { key, err });
      return;
    }
    // Active pods only: finished or terminating pods neither count nor get adopted. Upstream lists
    // the whole namespace; pods of other controllers would be skipped by the claim anyway.
    const candidates = [...this.podLister.byIndex(POD_CONTROLLER_UID_INDEX, cached.metadata.uid!), ...this.podLister.byIndex(POD_CONTROLLER_UID_INDEX, orphanIndexValue(namespace))];
    const active = candidates.filter(isPodActive);
    const pods = await this.claimPods(cached, selector, active);
    let manageErr: unknown;
    if (needsSync && !cached.metadata.deletionTimestamp) {
      try {
        await manageReplicas({
          kind: this.kind, podControl: this.podControl, expectations: this.expectations, log: this.log,
          burstReplicas: this.burst, now: () => this.clock.now(), relatedPods: (rs) => this.relatedPods(rs),
        }, key, { ...cached, apiVersion: this.kind.ownerKind.apiVersion, kind: this.kind.ownerKind.kind }, pods);
      } catch (err) {
        manageErr = err;
      }
    }
    const now = this.clock.now();
    const status = calculateStatus(cached, this.kind, pods, manageErr, now);
    const updated = await updateStatus(this.rsClient.namespace(namespace), cached, status);
    // Pods become available minReadySeconds after turning ready: look again then.
    const want = updated.spec?.replicas ?? 1;
    const minReady = updated.spec?.minReadySeconds ?? 0;
    if (manageErr === undefined && minReady > 0 && updated.status?.readyReplicas === want && updated.status?.availableReplicas !== want) {
      this.queue.addAfter(key, minReady * 1000);
    }
    if (manageErr !== undefined) throw manageErr;
  }

  private claimPods(rs: ReplicaSetLike, selector: LabelSelector, pods: Pod[]): Promise<Pod[]> {
    const ops = this.rsClient.namespace(rs.metadata.namespace!);
    const m = new ControllerRefManager<Pod>({
      controller: { ...rs, apiVersion: this.kind.ownerKind.apiVersion, kind: this.kind.ownerKind.kind },
      controllerKind: this.kind.ownerKind, selector,
      ops: this.pods.namespace(rs.metadata.namespace!),
      canAdopt: recheckDeletionTimestamp(rs, () => ops.get(rs.metadata.name!)),
    });
    return m.claim(pods);
  }

  /** Pods controlled by any ReplicaSet that shares rs's controller (upstream getIndirectlyRelatedPods). */
  private relatedPods(rs: ReplicaSetLike): Pod[] {
    const owner = getControllerOf(rs);
    if (!owner) return this.podLister.byIndex(POD_CONTROLLER_UID_INDEX, rs.metadata.uid!);
    const out: Pod[] = [];
    for (const other of this.rsLister.listNamespace(rs.metadata.namespace!)) {
      if (getControllerOf(other)?.uid === owner.uid) out.push(...this.podLister.byIndex(POD_CONTROLLER_UID_INDEX, other.metadata.uid!));
    }
    return out;
  }

  /** ReplicaSets in pod's namespace whose selector matches it (for orphans). */
  private matchingOwners(pod: Pod): ReplicaSetLike[] {
    return this.rsLister.listNamespace(pod.metadata.namespace!).filter((rs) => {
      try {
        const sel = this.kind.selectorOf(rs);
        return !sel.empty() && sel.matches(pod.metadata.labels);
      } catch {
        return false;
      }
    });
  }

  private ownerOf(pod: Pod): ReplicaSetLike | undefined {
    return resolveControllerRef(pod.metadata.namespace!, getControllerOf(pod), this.kind.ownerKind, this.rsLister);
  }

  private addPod(pod: Pod): void {
    if (pod.metadata.deletionTimestamp) {
      // Restarted controller seeing a pod already being deleted: count it as a deletion.
      this.deletePod(pod);
      return;
    }
    const ref = getControllerOf(pod);
    if (ref) {
      const rs = this.ownerOf(pod);
      if (!rs) return;
      this.expectations.creationObserved(objectKey(rs));
      this.enqueue(rs);
      return;
    }
    for (const rs of this.matchingOwners(pod)) this.enqueue(rs);
  }

  private updatePod(old: Pod, cur: Pod): void {
    if (old.metadata.resourceVersion === cur.metadata.resourceVersion) return;
    const labelsChanged = JSON.stringify(old.metadata.labels ?? {}) !== JSON.stringify(cur.metadata.labels ?? {});
    if (cur.metadata.deletionTimestamp) {
      // Graceful deletion started: the pod stops counting now, not when it is finally removed.
      this.deletePod(cur);
      if (labelsChanged) this.deletePod(old);
      return;
    }
    const curRef = getControllerOf(cur);
    const oldRef = getControllerOf(old);
    const refChanged = JSON.stringify(curRef ?? null) !== JSON.stringify(oldRef ?? null);
    if (refChanged && oldRef) {
      const prev = resolveControllerRef(old.metadata.namespace!, oldRef, this.kind.ownerKind, this.rsLister);
      if (prev) this.enqueue(prev);
    }
    if (curRef) {
      const rs = this.ownerOf(cur);
      if (!rs) return;
      this.enqueue(rs);
      // Becoming ready starts the minReadySeconds clock: look again when it may be available.
      const minReady = rs.spec?.minReadySeconds ?? 0;
      if (!isPodReady(old) && isPodReady(cur) && minReady > 0) this.enqueue(rs, (minReady + 1) * 1000);
      return;
    }
    if (labelsChanged || refChanged) for (const rs of this.matchingOwners(cur)) this.enqueue(rs);
  }

  private deletePod(obj: Pod | DeletedFinalStateUnknown<Pod>): void {
    const pod = deletedObject(obj);
    const ref = getControllerOf(pod);
    if (!ref || !refersToKind(ref, this.kind.ownerKind)) return;
    const rs = this.ownerOf(pod);
    if (!rs) return;
    const key = objectKey(rs);
    this.expectations.deletionObservedOf(key, objectKey(pod));
    this.enqueue(rs);
  }
}
