// The taint eviction controller (upstream pkg/controller/tainteviction/taint_eviction.go): pods on a
// node with NoExecute taints are deleted — at once when some taint is not tolerated, otherwise when
// the shortest tolerationSeconds among the tolerations used runs out (counted from when this
// controller first saw the pod need eviction); tolerations without tolerationSeconds keep the pod
// forever. The taint going away cancels a scheduled eviction. Before deleting, the pod gets a
// DisruptionTarget condition (reason DeletionByTaintManager); events say TaintManagerEviction.
// Pods created through the API server carry the DefaultTolerationSeconds tolerations (not-ready and
// unreachable for 300 s), so a pod on an unreachable node goes five minutes after the taint.
import type { KubeObject } from '../../../api/types.js';
import {
  RateLimitingQueue, deletedObject, objectKey, refs, runWorkers, splitKey,
  type Client, type EventRecorder, type SharedIndexInformer,
} from '../../../client/index.js';
import { realClock, type Clock, type Timer } from '../../../util/clock.js';
import { isReason } from '../../../util/errors.js';
import { logger, type Logger } from '../../../util/log.js';
import type { Controller } from '../../types.js';
import { tolerates, type Taint, type Toleration } from '../taints.js';

export const POD_NODE_INDEX = 'tainteviction-pods-by-node';

export interface TaintEvictionConfig {
  client: Client;
  pods: SharedIndexInformer;
  nodes: SharedIndexInformer;
  recorder?: EventRecorder;
  clock?: Clock;
  log?: Logger;
}

interface PodObj extends KubeObject { spec?: { nodeName?: string; tolerations?: Toleration[] }; status?: { phase?: string; conditions?: { type: string }[] } }
interface Scheduled { createdAt: number; fireAt: number; timer: Timer; uid: string }

export class TaintEvictionController implements Controller {
  /** Pods to (re)evaluate. */
  readonly queue: RateLimitingQueue<string>;
  /** Pods whose time is up, to delete. */
  readonly evictions: RateLimitingQueue<string>;
  private readonly clock: Clock;
  private readonly log: Logger;
  private readonly scheduled = new Map<string, Scheduled>();

  constructor(private readonly cfg: TaintEvictionConfig) {
    if (!cfg.client || !cfg.pods || !cfg.nodes) throw new TypeError('taint-eviction: client and informers are required');
    this.clock = cfg.clock ?? realClock;
    this.log = cfg.log ?? logger('taint-eviction-controller');
    this.queue = new RateLimitingQueue<string>({ clock: this.clock, name: 'taint_eviction' });
    this.evictions = new RateLimitingQueue<string>({ clock: this.clock, name: 'taint_eviction_delete' });
    cfg.pods.addIndexers({ [POD_NODE_INDEX]: (p) => ((p.spec as { nodeName?: string } | undefined)?.nodeName ? [(p.spec as { nodeName: string }).nodeName] : []) });
    const podKey = (o: KubeObject) => this.queue.add(objectKey(o));
    cfg.pods.addEventHandler({ add: podKey, update: (_o, n) => podKey(n), delete: (o) => podKey(deletedObject(o)) });
    const nodePods = (n: KubeObject) => {
      for (const p of cfg.pods.lister.byIndex(POD_NODE_INDEX, n.metadata.name!)) this.queue.add(objectKey(p));
    };
    cfg.nodes.addEventHandler({
      add: nodePods,
      update: (o, n) => {
        if (JSON.stringify(noExecute(o)) !== JSON.stringify(noExecute(n))) nodePods(n);
      },
      delete: (o) => nodePods(deletedObject(o)),
    });
  }

  async run(workers: number, signal: AbortSignal): Promise<void> {
    const stop = () => {
      this.queue.shutDown();
      this.evictions.shutDown();
      for (const s of this.scheduled.values()) s.timer.cancel();
    };
    signal.addEventListener('abort', stop, { once: true });
    if (signal.aborted) return;
    await Promise.all([
      runWorkers(this.queue, workers, (k) => this.sync(k), { log: this.log }),
      runWorkers(this.evictions, workers, (k) => this.evict(k), { log: this.log }),
    ]);
  }

  /** Decides whether and when a pod goes (upstream processPodOnNode). */
  async sync(key: string): Promise<void> {
    const { namespace, name } = splitKey(key);
    const pod = this.cfg.pods.lister.get(namespace, name) as PodObj | undefined;
    const nodeName = pod?.spec?.nodeName;
    if (!pod || !nodeName || pod.status?.phase === 'Succeeded' || pod.status?.phase === 'Failed' || pod.metadata.deletionTimestamp) {
      this.cancel(key, undefined);
      return;
    }
    const node = this.cfg.nodes.lister.get('', nodeName);
    const taints = node ? noExecute(node) : [];
    if (!taints.length) {
      this.cancel(key, pod);
      return;
    }
    const tolerations = pod.spec?.tolerations ?? [];
    const used: Toleration[] = [];
    for (const t of taints) {
      const match = tolerations.filter((tol) => tolerates(tol, t));
      if (!match.length) {
        // Some taint is not tolerated at all: evict now.
        this.schedule(key, pod, 0);
        return;
      }
      used.push(...match);
    }
    const seconds = minTolerationSeconds(used);
    if (seconds < 0) {
      this.cancel(key, pod);
      return;
    }
    this.schedule(key, pod, seconds * 1000);
  }

  private schedule(key: string, pod: PodObj, afterMs: number): void {
    const now = this.clock.now();
    const prev = this.scheduled.get(key);
    const createdAt = prev && prev.uid === pod.metadata.uid ? prev.createdAt : now;
    const fireAt = createdAt + afterMs;
    if (prev && prev.uid === pod.metadata.uid && prev.fireAt === fireAt) return;
    prev?.timer.cancel();
    const due = fireAt <= now;
    const timer = due ? { cancel: () => undefined } : this.clock.setTimer(fireAt - now, () => this.evictions.add(key));
    this.scheduled.set(key, { createdAt, fireAt, timer, uid: pod.metadata.uid ?? '' });
    if (due) this.evictions.add(key);
  }

  private cancel(key: string, pod: PodObj | undefined): void {
    const s = this.scheduled.get(key);
    if (!s) return;
    s.timer.cancel();
    this.scheduled.delete(key);
    if (pod) this.cfg.recorder?.record(pod, 'Normal', 'TaintManagerEviction', 'Cancel', `Cancelling deletion of Pod ${key}`);
  }

  /** Deletes a pod whose time ran out, if it is still the pod that was scheduled. */
  async evict(key: string): Promise<void> {
    const s = this.scheduled.get(key);
    if (!s) return;
    // A timer may fire a little before the wall clock reaches fireAt (timers run on the monotonic
    // clock); come back then, or the eviction would be lost (schedule() keeps an equal deadline).
    const early = s.fireAt - this.clock.now();
    if (early > 0) {
      this.evictions.addAfter(key, early);
      return;
    }
    const { namespace, name } = splitKey(key);
    const pod = this.cfg.pods.lister.get(namespace, name) as PodObj | undefined;
    if (!pod || pod.metadata.uid !== s.uid) {
      this.scheduled.delete(key);
      return;
    }
    this.cfg.recorder?.record(pod, 'Normal', 'TaintManagerEviction', 'Delete', `Marking for deletion Pod ${key}`);
    const api = this.cfg.client.resource(refs.pods).namespace(namespace);
    try {
      if (!pod.status?.conditions?.some((c) => c.type === 'DisruptionTarget')) {
        const conditions = [...(pod.status?.conditions ?? []), {
          type: 'DisruptionTarget', status: 'True', reason: 'DeletionByTaintManager', message: 'Taint manager: deleting due to NoExecute taint',
          lastTransitionTime: new Date(this.clock.now()).toISOString().replace(/\.\d+Z$/, 'Z'),
        }];
        await api.patch(name, 'merge', { status: { conditions } }, { subresource: 'status' });
      }
      await api.delete(name, { preconditions: { uid: s.uid } });
    } catch (err) {
      if (!isReason(err, 'NotFound') && !isReason(err, 'Conflict')) throw err;
    }
    this.scheduled.delete(key);
  }

  /** Pods with an eviction scheduled (for tests and metrics). */
  pending(): string[] {
    return [...this.scheduled.keys()];
  }
}

function noExecute(node: KubeObject): Taint[] {
  return ((node.spec as { taints?: Taint[] } | undefined)?.taints ?? []).filter((t) => t.effect === 'NoExecute');
}

/** The shortest tolerationSeconds among the tolerations; -1 when all tolerate forever (upstream getMinTolerationTime). */
function minTolerationSeconds(tols: Toleration[]): number {
  let min = -1;
  for (const t of tols) {
    if (t.tolerationSeconds === undefined || t.tolerationSeconds === null) continue;
    const s = Math.max(0, t.tolerationSeconds);
    if (min < 0 || s < min) min = s;
  }
  return min;
}
