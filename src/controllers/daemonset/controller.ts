// The DaemonSet controller (upstream pkg/controller/daemon): one pod per eligible node, pinned to the
// node by a metadata.name node-affinity term so the scheduler binds it there; RollingUpdate
// (maxUnavailable / maxSurge) or OnDelete updates; ControllerRevisions for history; status counts.
import { labelSelectorFromObject } from '../../api/selectors/index.js';
import type { KubeObject } from '../../api/types.js';
import type { Client, EventRecorder, SharedIndexInformer, SharedInformerFactory } from '../../client/index.js';
import { RateLimitingQueue, deletedObject, objectKey, refs, runWorkers, splitKey } from '../../client/index.js';
import { realClock, type Clock } from '../../util/clock.js';
import { isReason } from '../../util/errors.js';
import { logger, type Logger } from '../../util/log.js';
import {
  ControllerExpectations, ControllerRefManager, PodControl, getControllerOf, isPodAvailable, newControllerRef,
  recheckDeletionTimestamp, slowStartBatch, type Pod,
} from '../controller-utils/index.js';
import { CONTROLLER_REVISION_HASH_LABEL } from '../history/index.js';
import type { Controller } from '../types.js';
import { DaemonSetHistory } from './history.js';
import { daemonPodTolerations, nodeShouldRunDaemonPod, pinToNode, targetNodeOf, type Node } from './predicates.js';
import { computeStatus } from './status.js';
import { rollingUpdatePlan } from './update.js';

type Obj = Record<string, any>;
export type DaemonSet = KubeObject & { spec: Obj; status?: Obj };

export const DS_KIND = { apiVersion: 'apps/v1', kind: 'DaemonSet' };
/** Upstream BurstReplicas for daemon sets. */
const BURST = 250;
/** Deprecated label upstream still writes on daemon pods. */
export const TEMPLATE_GENERATION_LABEL = 'pod-template-generation';

/** Upstream failedPodsBackoff: 1 s doubling to 15 min per daemon set and node. */
const FAILED_POD_BACKOFF_MS = 1000;
const FAILED_POD_BACKOFF_MAX_MS = 15 * 60_000;

const noRecorder: EventRecorder = { record: () => {} };

export interface DaemonSetControllerOptions {
  client: Client;
  informers: SharedInformerFactory;
  recorder?: EventRecorder;
  clock?: Clock;
  log?: Logger;
}

export class DaemonSetController implements Controller {
  readonly queue: RateLimitingQueue<string>;
  private readonly client: Client;
  private readonly clock: Clock;
  private readonly log: Logger;
  private readonly recorder: EventRecorder;
  private readonly podControl: PodControl;
  private readonly expectations: ControllerExpectations;
  private readonly history: DaemonSetHistory;
  private readonly dsInf: SharedIndexInformer<DaemonSet>;
  private readonly podInf: SharedIndexInformer<Pod>;
  private readonly nodeInf: SharedIndexInformer<Node>;
  private readonly backoffs = new Map<string, { delay: number; until: number }>();

  constructor(opts: DaemonSetControllerOptions) {
    this.client = opts.client;
    this.clock = opts.clock ?? realClock;
    this.log = opts.log ?? logger('daemonset-controller');
    this.recorder = opts.recorder ?? noRecorder;
    this.podControl = new PodControl(this.client, this.recorder);
    this.expectations = new ControllerExpectations(this.clock);
    this.queue = new RateLimitingQueue<string>({ clock: this.clock, name: 'daemonset' });
    this.dsInf = opts.informers.forResource<DaemonSet>(refs.daemonsets);
    this.podInf = opts.informers.forResource<Pod>(refs.pods);
    this.nodeInf = opts.informers.forResource<Node>(refs.nodes);
    this.history = new DaemonSetHistory(this.client, opts.informers.forResource(refs.controllerrevisions));
    this.dsInf.addEventHandler({
      add: (d) => this.queue.add(objectKey(d)),
      update: (_o, d) => this.queue.add(objectKey(d)),
      delete: (d) => {
        const o = deletedObject(d);
        this.expectations.delete(objectKey(o));
        this.queue.add(objectKey(o));
      },
    });
    this.podInf.addEventHandler({
      add: (p) => {
        const key = this.ownerKey(p);
        if (key) {
          this.expectations.creationObserved(key);
          this.queue.add(key);
        } else this.enqueueSelecting(p);
      },
      update: (o, p) => {
        const oldKey = this.ownerKey(o);
        const key = this.ownerKey(p);
        if (oldKey && oldKey !== key) this.queue.add(oldKey);
        if (key) this.queue.add(key);
        else this.enqueueSelecting(p);
      },
      delete: (d) => {
        const key = this.ownerKey(deletedObject(d));
        if (!key) return;
        this.expectations.deletionObserved(key);
        this.queue.add(key);
      },
    });
    // Node changes can change which daemon sets belong on a node: resync them all.
    const allSets = () => { for (const d of this.dsInf.lister.list()) this.queue.add(objectKey(d)); };
    this.nodeInf.addEventHandler({
      add: allSets,
      update: (o, n) => {
        if (o.metadata.resourceVersion === n.metadata.resourceVersion) return;
        const relevant = (x: Node) => JSON.stringify([x.metadata.labels, x.spec?.taints, x.spec?.unschedulable, (x.status?.conditions ?? []).map((c: Obj) => [c.type, c.status])]);
        if (relevant(o) !== relevant(n)) allSets();
      },
      delete: allSets,
    });
  }

  async run(workers: number, signal: AbortSignal): Promise<void> {
    signal.addEventListener('abort', () => this.queue.shutDown(), { once: true });
    await runWorkers(this.queue, workers, (k) => this.sync(k), { log: this.log });
  }

  private ownerKey(p: Pod): string | undefined {
    const ref = getControllerOf(p);
    if (ref?.kind !== 'DaemonSet') return undefined;
    const ds = this.dsInf.lister.get(p.metadata.namespace ?? '', ref.name);
    return ds && ds.metadata.uid === ref.uid ? objectKey(ds) : undefined;
  }

  // An orphan pod: wake the daemon sets whose selector matches so one can adopt it.
  private enqueueSelecting(p: Pod): void {
    if (getControllerOf(p)) return;
    for (const ds of this.dsInf.lister.listNamespace(p.metadata.namespace ?? '')) {
      if (labelSelectorFromObject(ds.spec.selector).matches(p.metadata.labels)) this.queue.add(objectKey(ds));
    }
  }

  /** One upstream syncDaemonSet. */
  async sync(key: string): Promise<void> {
    const { namespace, name } = splitKey(key);
    const ds = this.dsInf.lister.get(namespace, name);
    if (!ds) {
      this.expectations.delete(key);
      return;
    }
    if (ds.metadata.deletionTimestamp) return;
    const nodes = this.nodeInf.lister.list();
    const pods = await this.claimPods(ds);
    const { current, old } = await this.history.construct(ds, pods);
    const hash = current.metadata.labels?.[CONTROLLER_REVISION_HASH_LABEL] ?? '';
    if (!this.expectations.satisfied(key)) {
      await this.writeStatus(ds, nodes, pods, hash, false);
      return;
    }
    await this.manage(ds, nodes, pods, hash);
    if (this.expectations.satisfied(key) && (ds.spec.updateStrategy?.type ?? 'RollingUpdate') === 'RollingUpdate') {
      const plan = rollingUpdatePlan(ds, nodes, groupByNode(pods), hash, this.clock.now());
      if (plan.toDelete.length || plan.toCreate.length) await this.syncNodes(ds, plan.toDelete, plan.toCreate, hash);
    }
    await this.history.cleanup(ds, old, pods);
    await this.writeStatus(ds, nodes, pods, hash, true);
  }

  private async claimPods(ds: DaemonSet): Promise<Pod[]> {
    const ns = ds.metadata.namespace!;
    const mgr = new ControllerRefManager<Pod>({
      controller: ds, controllerKind: DS_KIND, selector: labelSelectorFromObject(ds.spec.selector),
      ops: this.client.resource<Pod>(refs.pods).namespace(ns),
      canAdopt: recheckDeletionTimestamp(ds, () => this.client.resource(refs.daemonsets).namespace(ns).get(ds.metadata.name!)),
    });
    return mgr.claim(this.podInf.lister.listNamespace(ns));
  }

  // Creates missing daemon pods and deletes the ones that must go (upstream manage + podsShouldBeOnNode).
  private async manage(ds: DaemonSet, nodes: Node[], pods: Pod[], hash: string): Promise<void> {
    const byNode = groupByNode(pods);
    const surge = surgeEnabled(ds);
    const toCreate: string[] = [];
    const toDelete: Pod[] = [];
    const now = this.clock.now();
    const minReady = ds.spec.minReadySeconds ?? 0;
    for (const node of nodes) {
      const nodeName = node.metadata.name!;
      const { shouldRun, shouldContinueRunning } = nodeShouldRunDaemonPod(node, ds);
      const here = byNode.get(nodeName) ?? [];
      if (shouldRun && here.length === 0) {
        toCreate.push(nodeName);
      } else if (shouldContinueRunning) {
        const running: Pod[] = [];
        for (const p of here) {
          if (p.metadata.deletionTimestamp) continue;
          if (p.status?.phase === 'Failed') {
            // Upstream failedPodsBackoff: a pod failing over and over on a node is replaced ever more slowly.
            const wait = this.failedBackoff(`${objectKey(ds)}/${nodeName}`, now);
            if (wait > 0) {
              this.queue.addAfter(objectKey(ds), wait);
              continue;
            }
            this.recorder.record(ds, 'Warning', 'FailedDaemonPod', 'Sync', `Found failed daemon pod ${p.metadata.namespace}/${p.metadata.name} on node ${nodeName}, will try to kill it`);
            toDelete.push(p);
          } else running.push(p);
        }
        const byAge = (xs: Pod[]) => [...xs].sort(olderFirst);
        if (!surge) {
          // More than one: keep the oldest.
          toDelete.push(...byAge(running).slice(1));
        } else {
          // Surge: two pods only while the new one is not yet available and the old one is.
          const updated = byAge(running.filter((p) => p.metadata.labels?.[CONTROLLER_REVISION_HASH_LABEL] === hash));
          const others = byAge(running.filter((p) => p.metadata.labels?.[CONTROLLER_REVISION_HASH_LABEL] !== hash));
          if (!updated.length) toDelete.push(...others.slice(1));
          else {
            toDelete.push(...updated.slice(1));
            const keepOld = !isPodAvailable(updated[0]!, minReady, now) && others.length > 0 && isPodAvailable(others[0]!, minReady, now);
            toDelete.push(...(keepOld ? others.slice(1) : others));
          }
        }
      } else {
        toDelete.push(...here.filter((p) => !p.metadata.deletionTimestamp));
      }
    }
    // Unbound pods pinned to nodes that no longer exist (upstream getUnscheduledPodsWithoutNode).
    const known = new Set(nodes.map((n) => n.metadata.name));
    for (const [nodeName, ps] of byNode) {
      if (known.has(nodeName)) continue;
      toDelete.push(...ps.filter((p) => !p.spec?.nodeName && !p.metadata.deletionTimestamp));
    }
    await this.syncNodes(ds, toDelete, toCreate, hash);
  }

  // Milliseconds still to wait before replacing a failed pod under key (0 = go ahead, and back off more next time).
  private failedBackoff(key: string, now: number): number {
    const b = this.backoffs.get(key);
    if (b && now < b.until) return b.until - now;
    const delay = b ? Math.min(b.delay * 2, FAILED_POD_BACKOFF_MAX_MS) : FAILED_POD_BACKOFF_MS;
    this.backoffs.set(key, { delay, until: now + delay });
    return 0;
  }

  private async syncNodes(ds: DaemonSet, toDelete: Pod[], toCreate: string[], hash: string): Promise<void> {
    const key = objectKey(ds);
    const creates = toCreate.slice(0, BURST);
    const deletes = toDelete.slice(0, BURST);
    this.expectations.set(key, creates.length, deletes.length);
    const template = this.podTemplate(ds, hash);
    const ref = newControllerRef(ds, DS_KIND);
    const ns = ds.metadata.namespace!;
    const errs: unknown[] = [];
    const res = await slowStartBatch(creates.length, 1, async (i) => {
      const t = structuredClone(template);
      t.spec.affinity = pinToNode(t.spec.affinity, creates[i]!);
      try {
        await this.podControl.createPod(ns, t, ds, ref);
      } catch (err) {
        this.expectations.creationObserved(key);
        throw err;
      }
    });
    if (res.error) errs.push(res.error);
    if (res.skipped) this.expectations.lower(key, res.skipped, 0);
    await Promise.all(deletes.map(async (p) => {
      try {
        await this.podControl.deletePod(ns, p.metadata.name!, ds);
      } catch (err) {
        this.expectations.deletionObserved(key);
        if (!isReason(err, 'NotFound')) errs.push(err);
      }
    }));
    if (errs.length) throw errs[0];
  }

  // The template daemon pods are made from: revision hash and generation labels, daemon tolerations.
  private podTemplate(ds: DaemonSet, hash: string): Obj {
    const t = structuredClone(ds.spec.template ?? {}) as Obj;
    t.metadata ??= {};
    t.metadata.labels = { ...(t.metadata.labels ?? {}) };
    if (ds.metadata.generation !== undefined) t.metadata.labels[TEMPLATE_GENERATION_LABEL] = String(ds.metadata.generation);
    if (hash) t.metadata.labels[CONTROLLER_REVISION_HASH_LABEL] = hash;
    t.spec ??= {};
    t.spec.tolerations = daemonPodTolerations(t.spec);
    return t;
  }

  private async writeStatus(ds: DaemonSet, nodes: Node[], pods: Pod[], hash: string, observed: boolean): Promise<void> {
    const now = this.clock.now();
    const next = computeStatus(ds, nodes, groupByNode(pods), hash, now);
    if (observed) next.observedGeneration = ds.metadata.generation ?? 0;
    else if (ds.status?.observedGeneration !== undefined) next.observedGeneration = ds.status.observedGeneration;
    const cur = ds.status ?? {};
    const same = Object.keys(next).every((k) => cur[k] === next[k]);
    if (!same) {
      const body = { ...ds, status: { ...cur, ...next } } as DaemonSet;
      await this.client.resource<DaemonSet>(refs.daemonsets).namespace(ds.metadata.namespace!).updateStatus(body);
    }
    // Pods become available minReadySeconds after ready: look again then.
    const minReady = ds.spec.minReadySeconds ?? 0;
    if (minReady > 0 && next.numberReady !== next.numberAvailable) this.queue.addAfter(objectKey(ds), minReady * 1000);
  }
}

/** Pods per node they are bound or pinned to. */
export function groupByNode(pods: Pod[]): Map<string, Pod[]> {
  const m = new Map<string, Pod[]>();
  for (const p of pods) {
    const n = targetNodeOf(p as { spec?: Obj });
    if (!n) continue;
    m.set(n, [...(m.get(n) ?? []), p]);
  }
  return m;
}

export function olderFirst(a: Pod, b: Pod): number {
  return String(a.metadata.creationTimestamp ?? '').localeCompare(String(b.metadata.creationTimestamp ?? ''))
    || String(a.metadata.name).localeCompare(String(b.metadata.name));
}

export function surgeEnabled(ds: DaemonSet): boolean {
  if ((ds.spec.updateStrategy?.type ?? 'RollingUpdate') !== 'RollingUpdate') return false;
  const s = ds.spec.updateStrategy?.rollingUpdate?.maxSurge;
  return s !== undefined && s !== 0 && s !== '0%' && s !== '0';
}

