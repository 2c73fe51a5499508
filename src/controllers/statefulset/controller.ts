// The StatefulSet controller (upstream pkg/controller/statefulset/stateful_set.go): claims pods,
// resolves the current and update ControllerRevisions, runs the update algorithm (control.ts),
// writes status and trims history.
import { labelSelectorFromObject } from '../../api/selectors/index.js';
import type { KubeObject } from '../../api/types.js';
import type { Client, EventRecorder, SharedIndexInformer, SharedInformerFactory } from '../../client/index.js';
import { RateLimitingQueue, deletedObject, objectKey, refs, runWorkers, splitKey } from '../../client/index.js';
import { realClock, type Clock } from '../../util/clock.js';
import { logger, type Logger } from '../../util/log.js';
import { ControllerRefManager, getControllerOf, recheckDeletionTimestamp, type Pod } from '../controller-utils/index.js';
import {
  CONTROLLER_REVISION_HASH_LABEL, RevisionStore, findEqualRevisions, newRevision, nextRevisionNumber, sortRevisions, templatePatch,
  type ControllerRevision,
} from '../history/index.js';
import type { Controller } from '../types.js';
import { StatefulSetControl, completeRollingUpdate, type SetStatus } from './control.js';
import { SET_KIND, ordinalOf, type StatefulSet } from './pods.js';

const noRecorder: EventRecorder = { record: () => {} };

export interface StatefulSetControllerOptions {
  client: Client;
  informers: SharedInformerFactory;
  recorder?: EventRecorder;
  clock?: Clock;
  log?: Logger;
}

export class StatefulSetController implements Controller {
  readonly queue: RateLimitingQueue<string>;
  private readonly client: Client;
  private readonly clock: Clock;
  private readonly log: Logger;
  private readonly control: StatefulSetControl;
  private readonly store: RevisionStore;
  private readonly sets: SharedIndexInformer<StatefulSet>;
  private readonly pods: SharedIndexInformer<Pod>;
  private readonly revisions: SharedIndexInformer<KubeObject>;

  constructor(opts: StatefulSetControllerOptions) {
    this.client = opts.client;
    this.clock = opts.clock ?? realClock;
    this.log = opts.log ?? logger('statefulset-controller');
    this.control = new StatefulSetControl(this.client, opts.recorder ?? noRecorder);
    this.store = new RevisionStore(this.client);
    this.queue = new RateLimitingQueue<string>({ clock: this.clock, name: 'statefulset' });
    this.sets = opts.informers.forResource<StatefulSet>(refs.statefulsets);
    this.pods = opts.informers.forResource<Pod>(refs.pods);
    this.revisions = opts.informers.forResource(refs.controllerrevisions);
    this.sets.addEventHandler({
      add: (s) => this.queue.add(objectKey(s)),
      update: (_o, s) => this.queue.add(objectKey(s)),
      delete: (s) => this.queue.add(objectKey(deletedObject(s))),
    });
    const onPod = (p: Pod) => {
      const ref = getControllerOf(p);
      if (ref) {
        if (ref.kind !== 'StatefulSet') return;
        const set = this.sets.lister.get(p.metadata.namespace ?? '', ref.name);
        if (set && set.metadata.uid === ref.uid) this.queue.add(objectKey(set));
        return;
      }
      // An orphan: the sets selecting it may adopt it.
      for (const s of this.sets.lister.listNamespace(p.metadata.namespace ?? '')) {
        if (labelSelectorFromObject(s.spec.selector).matches(p.metadata.labels)) this.queue.add(objectKey(s));
      }
    };
    this.pods.addEventHandler({
      add: onPod,
      update: (o, n) => {
        onPod(n);
        if (getControllerOf(o)?.uid !== getControllerOf(n)?.uid) onPod(o);
      },
      delete: (p) => onPod(deletedObject(p)),
    });
  }

  async run(workers: number, signal: AbortSignal): Promise<void> {
    signal.addEventListener('abort', () => this.queue.shutDown(), { once: true });
    await runWorkers(this.queue, workers, (k) => this.sync(k), { log: this.log });
  }

  async sync(key: string): Promise<void> {
    const { namespace, name } = splitKey(key);
    const set = this.sets.lister.get(namespace, name);
    if (!set) return;
    const pods = await this.claimPods(set);
    const owned = this.revisions.lister.listNamespace(namespace)
      .filter((r) => r.metadata.ownerReferences?.some((o) => o.controller === true && o.uid === set.metadata.uid)) as ControllerRevision[];
    const revisions = sortRevisions(owned);
    const { current, update, collisionCount } = await this.resolveRevisions(set, revisions);
    const res = await this.control.update(set, pods, current, update, collisionCount, this.clock.now());
    completeRollingUpdate(set, res.status);
    await this.writeStatus(set, res.status);
    // Ready pods become available minReadySeconds later: look again then.
    const minReady = set.spec.minReadySeconds ?? 0;
    const wait = res.requeueAfterMs ?? (minReady > 0 && res.status.readyReplicas !== res.status.availableReplicas ? minReady * 1000 : undefined);
    if (wait) this.queue.addAfter(key, wait);
    await this.truncateHistory(set, pods, revisions, current, update);
  }

  private async claimPods(set: StatefulSet): Promise<Pod[]> {
    const ns = set.metadata.namespace!;
    const mgr = new ControllerRefManager<Pod>({
      controller: set, controllerKind: SET_KIND, selector: labelSelectorFromObject(set.spec.selector),
      ops: this.client.resource<Pod>(refs.pods).namespace(ns),
      canAdopt: recheckDeletionTimestamp(set, () => this.client.resource(refs.statefulsets).namespace(ns).get(set.metadata.name!)),
    });
    // Only pods named like this set's members may be adopted (upstream isMemberOf).
    return mgr.claim(this.pods.lister.listNamespace(ns), (p) => ordinalOf(p, set.metadata.name) >= 0);
  }

  // Upstream getStatefulSetRevisions: the update revision is the current template's (reused, renumbered
  // or created); the current revision is the one status names, else the update revision.
  private async resolveRevisions(set: StatefulSet, revisions: ControllerRevision[]): Promise<{ current: ControllerRevision; update: ControllerRevision; collisionCount: number }> {
    const collision = { count: set.status?.collisionCount ?? 0 };
    const candidate = newRevision(set, SET_KIND, set.spec.template?.metadata?.labels, templatePatch(set.spec.template), nextRevisionNumber(revisions), collision.count);
    const equal = findEqualRevisions(revisions, candidate);
    let update: ControllerRevision;
    if (equal.length && equal.at(-1) === revisions.at(-1)) update = equal.at(-1)!;
    else if (equal.length) update = await this.store.updateRevisionNumber(equal.at(-1)!, candidate.revision);
    else update = await this.store.create(set.metadata.name!, candidate, collision);
    const current = revisions.find((r) => r.metadata.name === set.status?.currentRevision) ?? update;
    return { current, update, collisionCount: collision.count };
  }

  private async writeStatus(set: StatefulSet, s: SetStatus): Promise<void> {
    const cur = set.status ?? {};
    const same = (Object.keys(s) as (keyof SetStatus)[]).every((k) => (cur[k] ?? (typeof s[k] === 'number' ? 0 : '')) === s[k]);
    if (same) return;
    await this.client.resource<StatefulSet>(refs.statefulsets).namespace(set.metadata.namespace!).updateStatus({ ...set, status: { ...cur, ...s } });
  }

  // Keeps revisionHistoryLimit old revisions besides the current and update ones and any a live pod uses.
  private async truncateHistory(set: StatefulSet, pods: Pod[], revisions: ControllerRevision[], current: ControllerRevision, update: ControllerRevision): Promise<void> {
    const live = new Set(pods.map((p) => p.metadata.labels?.[CONTROLLER_REVISION_HASH_LABEL]).filter(Boolean));
    live.add(current.metadata.name);
    live.add(update.metadata.name);
    const history = revisions.filter((r) => !live.has(r.metadata.name));
    const excess = history.length - (set.spec.revisionHistoryLimit ?? 10);
    for (const r of history.slice(0, Math.max(0, excess))) await this.store.delete(r);
  }
}
