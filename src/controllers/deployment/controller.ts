// The Deployment controller (upstream pkg/controller/deployment/deployment_controller.go): watches
// Deployments, their ReplicaSets and (for Recreate) pods; sync(key) adopts/releases ReplicaSets and
// then pauses, scales or rolls out.
import { labelSelectorFromObject, type LabelSelector } from '../../api/selectors/index.js';
import {
  RateLimitingQueue, deletedObject, objectKey, refs, runWorkers, splitKey,
  type DeletedFinalStateUnknown, type EventRecorder, type Lister, type ResourceClient,
} from '../../client/index.js';
import type { Clock } from '../../util/clock.js';
import type { Logger } from '../../util/log.js';
import {
  ControllerRefManager, getControllerOf, recheckDeletionTimestamp, resolveControllerRef,
  type Deployment, type Pod, type ReplicaSet,
} from '../controller-utils/index.js';
import type { Controller, ControllerContext } from '../types.js';
import { DEPLOYMENT_KIND } from './newrs.js';
import { rolloutRecreate } from './recreate.js';
import { rolloutRolling } from './rolling.js';
import { isScalingEvent, syncScaleOnly, syncStatusOnly } from './scale.js';
import { DeploymentSync } from './state.js';
import { checkPausedConditions } from './status.js';

const RS_KIND = { apiVersion: 'apps/v1', kind: 'ReplicaSet' } as const;
/** Upstream maxRetries: a Deployment failing this often is dropped until its next event. */
const MAX_RETRIES = 15;

export class DeploymentController implements Controller {
  readonly queue: RateLimitingQueue<string>;
  private readonly dLister: Lister<Deployment>;
  private readonly rsLister: Lister<ReplicaSet>;
  private readonly podLister: Lister<Pod>;
  private readonly deployments: ResourceClient<Deployment>;
  private readonly replicaSets: ResourceClient<ReplicaSet>;
  private readonly recorder: EventRecorder;
  private readonly clock: Clock;
  private readonly log: Logger;

  constructor(ctx: ControllerContext) {
    this.clock = ctx.clock;
    this.log = ctx.log.with({ controller: 'deployment' });
    this.queue = new RateLimitingQueue<string>({ clock: ctx.clock, name: 'deployment' });
    this.recorder = ctx.recorder('deployment-controller');
    this.deployments = ctx.client.resource<Deployment>(refs.deployments);
    this.replicaSets = ctx.client.resource<ReplicaSet>(refs.replicasets);
    const dInf = ctx.informers.forResource<Deployment>(refs.deployments);
    const rsInf = ctx.informers.forResource<ReplicaSet>(refs.replicasets);
    const podInf = ctx.informers.forResource<Pod>(refs.pods);
    this.dLister = dInf.lister;
    this.rsLister = rsInf.lister;
    this.podLister = podInf.lister;
    dInf.addEventHandler({
      add: (d) => this.enqueue(d),
      update: (_o, d) => this.enqueue(d),
      delete: (d) => this.enqueue(deletedObject(d)),
    });
    rsInf.addEventHandler({
      add: (rs) => this.addReplicaSet(rs),
      update: (o, rs) => this.updateReplicaSet(o, rs),
      delete: (rs) => this.deleteReplicaSet(rs),
    });
    podInf.addEventHandler({ delete: (p) => this.deletePod(p) });
  }

  async run(workers: number, signal: AbortSignal): Promise<void> {
    const stop = () => this.queue.shutDown();
    if (signal.aborted) stop();
    signal.addEventListener('abort', stop, { once: true });
    await runWorkers(this.queue, workers, (key) => this.sync(key), { log: this.log, maxRetries: MAX_RETRIES });
  }

  enqueue(d: Deployment): void {
    this.queue.add(objectKey(d));
  }

  async sync(key: string): Promise<void> {
    const { namespace, name } = splitKey(key);
    const cached = this.dLister.get(namespace, name);
    if (!cached) return;
    const s = new DeploymentSync({
      deployments: (ns) => this.deployments.namespace(ns),
      replicaSets: (ns) => this.replicaSets.namespace(ns),
      cachedReplicaSet: (ns, n) => this.rsLister.get(ns, n),
      recorder: this.recorder,
      now: () => this.clock.now(),
      enqueueAfter: (k, ms) => this.queue.addAfter(k, ms),
      enqueueRateLimited: (k) => this.queue.addRateLimited(k),
      log: this.log,
    }, key, cached);
    const d = s.d;
    const sel = d.spec?.selector;
    if (!sel || (Object.keys(sel.matchLabels ?? {}).length === 0 && (sel.matchExpressions ?? []).length === 0)) {
      this.recorder.record(d, 'Warning', 'SelectingAll', 'Sync', 'This deployment is selecting all pods. A non-empty selector is required.');
      if ((d.status?.observedGeneration ?? 0) < (d.metadata.generation ?? 0)) {
        d.status = { replicas: 0, ...d.status, observedGeneration: d.metadata.generation };
        await s.writeStatus();
      }
      return;
    }
    let selector: LabelSelector;
    try {
      selector = labelSelectorFromObject(sel);
    } catch (err) {
      this.log.error('invalid selector', { key, err });
      return;
    }
    const rsList = await this.claimReplicaSets(cached, selector);
    if (d.metadata.deletionTimestamp) return syncStatusOnly(s, rsList);
    await checkPausedConditions(s);
    if (d.spec?.paused) return syncScaleOnly(s, rsList);
    // apps/v1 has no spec.rollbackTo: `kubectl rollout undo` patches the template client-side.
    if (isScalingEvent(s, rsList)) return syncScaleOnly(s, rsList);
    if (d.spec?.strategy?.type === 'Recreate') return rolloutRecreate(s, rsList, this.podMap(d, selector, rsList));
    return rolloutRolling(s, rsList);
  }

  private claimReplicaSets(d: Deployment, selector: LabelSelector): Promise<ReplicaSet[]> {
    const ops = this.deployments.namespace(d.metadata.namespace!);
    const m = new ControllerRefManager<ReplicaSet>({
      controller: { ...d, ...DEPLOYMENT_KIND }, controllerKind: DEPLOYMENT_KIND, selector,
      ops: this.replicaSets.namespace(d.metadata.namespace!),
      canAdopt: recheckDeletionTimestamp(d, () => ops.get(d.metadata.name!)),
    });
    return m.claim(this.rsLister.listNamespace(d.metadata.namespace!));
  }

  /** The Deployment's pods grouped by the UID of their ReplicaSet (upstream getPodMapForDeployment). */
  private podMap(d: Deployment, selector: LabelSelector, rsList: readonly ReplicaSet[]): Map<string, Pod[]> {
    const map = new Map<string, Pod[]>(rsList.map((rs) => [rs.metadata.uid!, []]));
    for (const pod of this.podLister.listNamespace(d.metadata.namespace!, selector)) {
      const ref = getControllerOf(pod);
      if (ref && map.has(ref.uid)) map.get(ref.uid)!.push(pod);
    }
    return map;
  }

  private ownerOf(rs: ReplicaSet): Deployment | undefined {
    return resolveControllerRef(rs.metadata.namespace!, getControllerOf(rs), DEPLOYMENT_KIND, this.dLister);
  }

  /** Deployments whose selector matches an orphaned ReplicaSet. */
  private matching(rs: ReplicaSet): Deployment[] {
    return this.dLister.listNamespace(rs.metadata.namespace!).filter((d) => {
      try {
        const sel = labelSelectorFromObject(d.spec?.selector);
        return !sel.empty() && sel.matches(rs.metadata.labels);
      } catch {
        return false;
      }
    });
  }

  private addReplicaSet(rs: ReplicaSet): void {
    if (rs.metadata.deletionTimestamp) return this.deleteReplicaSet(rs);
    if (getControllerOf(rs)) {
      const d = this.ownerOf(rs);
      if (d) this.enqueue(d);
      return;
    }
    for (const d of this.matching(rs)) this.enqueue(d);
  }

  private updateReplicaSet(old: ReplicaSet, cur: ReplicaSet): void {
    if (old.metadata.resourceVersion === cur.metadata.resourceVersion) return;
    const oldRef = getControllerOf(old);
    const curRef = getControllerOf(cur);
    const refChanged = JSON.stringify(oldRef ?? null) !== JSON.stringify(curRef ?? null);
    if (refChanged && oldRef) {
      const prev = resolveControllerRef(old.metadata.namespace!, oldRef, DEPLOYMENT_KIND, this.dLister);
      if (prev) this.enqueue(prev);
    }
    if (curRef) {
      const d = this.ownerOf(cur);
      if (d) this.enqueue(d);
      return;
    }
    const labelsChanged = JSON.stringify(old.metadata.labels ?? {}) !== JSON.stringify(cur.metadata.labels ?? {});
    if (labelsChanged || refChanged) for (const d of this.matching(cur)) this.enqueue(d);
  }

  private deleteReplicaSet(obj: ReplicaSet | DeletedFinalStateUnknown<ReplicaSet>): void {
    const d = this.ownerOf(deletedObject(obj));
    if (d) this.enqueue(d);
  }

  /** Recreate waits for old pods to be gone: the last pod's deletion wakes the Deployment. */
  private deletePod(obj: Pod | DeletedFinalStateUnknown<Pod>): void {
    const pod = deletedObject(obj);
    const rs = resolveControllerRef(pod.metadata.namespace!, getControllerOf(pod), RS_KIND, this.rsLister);
    if (!rs) return;
    const d = this.ownerOf(rs);
    if (!d || d.spec?.strategy?.type !== 'Recreate') return;
    const uids = new Set(this.rsLister.listNamespace(d.metadata.namespace!).filter((r) => getControllerOf(r)?.uid === d.metadata.uid).map((r) => r.metadata.uid));
    const remaining = this.podLister.listNamespace(d.metadata.namespace!).filter((p) => uids.has(getControllerOf(p)?.uid));
    if (remaining.length === 0) this.enqueue(d);
  }
}
