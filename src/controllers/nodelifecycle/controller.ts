// The node lifecycle controller (upstream pkg/controller/nodelifecycle/node_lifecycle_controller.go).
// Every monitor period it judges each node's health from its kube-node-lease Lease and Ready
// heartbeat; a node silent for the grace period (40 s) gets its kubelet conditions set to Unknown
// (NodeStatusUnknown, "Kubelet stopped posting node status.") and its pods marked not Ready. Nodes
// whose Ready is Unknown get node.kubernetes.io/unreachable:NoExecute, False gets
// node.kubernetes.io/not-ready:NoExecute, added at a per-zone rate (upstream --node-eviction-rate)
// and removed as soon as the node is Ready again. On every node change, the NoSchedule taints that
// mirror its conditions (and spec.unschedulable) are kept in step.
import type { KubeObject } from '../../api/types.js';
import {
  RateLimitingQueue, TokenBucket, deletedObject, refs, runWorkers, type Client, type EventRecorder, type SharedIndexInformer,
} from '../../client/index.js';
import { realClock, type Clock } from '../../util/clock.js';
import { isReason } from '../../util/errors.js';
import { logger, type Logger } from '../../util/log.js';
import type { Controller } from '../types.js';
import { observe, unknownConditions, type NodeHealth } from './health.js';
import {
  TAINT_NOT_READY, TAINT_UNREACHABLE, desiredNoScheduleTaints, sameTaint, withNoScheduleTaints,
  type NodeCondition, type Taint,
} from './taints.js';

export const LEASE_NAMESPACE = 'kube-node-lease';
const ZONE_LABEL = 'topology.kubernetes.io/zone';
const REGION_LABEL = 'topology.kubernetes.io/region';
export const NODE_POD_INDEX = 'nodelifecycle-pods-by-node';

export interface NodeLifecycleConfig {
  client: Client;
  nodes: SharedIndexInformer;
  leases: SharedIndexInformer;
  pods: SharedIndexInformer;
  /** --node-monitor-grace-period (default 40 s). */
  gracePeriodMs?: number;
  /** --node-startup-grace-period (default 60 s). */
  startupGracePeriodMs?: number;
  /** --node-monitor-period (default 5 s). */
  monitorPeriodMs?: number;
  /** NoExecute taints added per second per zone (--node-eviction-rate, default 0.1). */
  evictionRate?: number;
  recorder?: EventRecorder;
  clock?: Clock;
  log?: Logger;
}

interface NodeObj extends KubeObject {
  spec?: { taints?: Taint[]; unschedulable?: boolean };
  status?: { conditions?: NodeCondition[] };
}
interface PodObj extends KubeObject { spec?: { nodeName?: string }; status?: { phase?: string; conditions?: { type: string; status: string; lastTransitionTime?: string }[] } }

export class NodeLifecycleController implements Controller {
  /** Node names whose NoSchedule taints need a look. */
  readonly queue: RateLimitingQueue<string>;
  private readonly clock: Clock;
  private readonly log: Logger;
  private readonly grace: number;
  private readonly startupGrace: number;
  private readonly period: number;
  private readonly evictionRate: number;
  private readonly health = new Map<string, NodeHealth>();
  private readonly zoneLimiters = new Map<string, TokenBucket>();

  constructor(private readonly cfg: NodeLifecycleConfig) {
    if (!cfg.client || !cfg.nodes || !cfg.leases || !cfg.pods) throw new TypeError('node-lifecycle: client and informers are required');
    this.clock = cfg.clock ?? realClock;
    this.log = cfg.log ?? logger('node-lifecycle-controller');
    this.grace = cfg.gracePeriodMs ?? 40_000;
    this.startupGrace = cfg.startupGracePeriodMs ?? 60_000;
    this.period = cfg.monitorPeriodMs ?? 5_000;
    this.evictionRate = cfg.evictionRate ?? 0.1;
    if (!(this.evictionRate > 0)) throw new RangeError('node-lifecycle: evictionRate must be > 0');
    this.queue = new RateLimitingQueue<string>({ clock: this.clock, name: 'node_lifecycle_controller' });
    cfg.pods.addIndexers({ [NODE_POD_INDEX]: (p) => ((p.spec as { nodeName?: string } | undefined)?.nodeName ? [(p.spec as { nodeName: string }).nodeName] : []) });
    const key = (o: KubeObject) => this.queue.add(o.metadata.name!);
    cfg.nodes.addEventHandler({ add: key, update: (_o, n) => key(n), delete: (o) => this.queue.add(deletedObject(o).metadata.name!) });
  }

  async run(workers: number, signal: AbortSignal): Promise<void> {
    signal.addEventListener('abort', () => this.queue.shutDown(), { once: true });
    if (signal.aborted) return;
    const monitor = (async () => {
      while (!signal.aborted) {
        try {
          await this.monitorNodeHealth();
        } catch (err) {
          this.log.warn('monitoring node health failed', { err });
        }
        try {
          await this.clock.sleep(this.period, signal);
        } catch {
          return;
        }
      }
    })();
    await Promise.all([monitor, runWorkers(this.queue, workers, (k) => this.syncNoSchedule(k), { log: this.log })]);
  }

  /** One monitor pass over every node (upstream monitorNodeHealth). */
  async monitorNodeHealth(): Promise<void> {
    for (const node of this.cfg.nodes.lister.list() as NodeObj[]) {
      try {
        await this.monitorNode(node);
      } catch (err) {
        if (!isReason(err, 'NotFound')) this.log.warn('node health update failed', { node: node.metadata.name, err });
      }
    }
  }

  private async monitorNode(cached: NodeObj): Promise<void> {
    const name = cached.metadata.name!;
    const now = this.clock.now();
    const lease = this.cfg.leases.lister.get(LEASE_NAMESPACE, name);
    const leaseRenew = (lease?.spec as { renewTime?: string } | undefined)?.renewTime;
    let ready = cached.status?.conditions?.find((c) => c.type === 'Ready');
    const { health, overdue } = observe(this.health.get(name), now, { creationTimestamp: cached.metadata.creationTimestamp, ready, leaseRenew }, this.grace, this.startupGrace);
    this.health.set(name, health);
    let node = cached;
    if (overdue) {
      const conditions = unknownConditions(cached.status?.conditions, iso(now), cached.metadata.creationTimestamp);
      if (conditions) {
        this.log.info('node stopped posting status; conditions set to Unknown', { node: name });
        node = await this.cfg.client.resource<NodeObj>(refs.nodes).updateStatus({ ...cached, status: { ...cached.status, conditions } });
        this.cfg.recorder?.record(cached, 'Normal', 'NodeNotReady', 'NodeNotReady', `Node ${name} status is now: NodeNotReady`);
        ready = conditions.find((c) => c.type === 'Ready');
      }
    }
    const status = ready?.status ?? 'Unknown';
    if (status === 'True') {
      health.podsMarked = false;
      await this.setNoExecute(node, undefined);
      return;
    }
    if (!health.podsMarked) health.podsMarked = await this.markPodsNotReady(name);
    // No Ready condition yet and still within the startup grace: nothing to taint.
    if (!ready) return;
    await this.setNoExecute(node, status === 'False' ? TAINT_NOT_READY : TAINT_UNREACHABLE);
  }

  /** Makes the node carry exactly `key` among the two NoExecute health taints (adds are rate limited per zone). */
  private async setNoExecute(node: NodeObj, key: string | undefined): Promise<void> {
    const taints = node.spec?.taints ?? [];
    const health = taints.filter((t) => t.effect === 'NoExecute' && (t.key === TAINT_NOT_READY || t.key === TAINT_UNREACHABLE));
    if (key && health.length === 1 && health[0]!.key === key) return;
    if (!key && !health.length) return;
    const others = taints.filter((t) => !health.includes(t));
    const swapping = !!key && health.length > 0;
    // Adding the first taint evicts pods, so it is paced per zone; swapping or removing is not.
    if (key && !swapping && !this.limiterFor(node).tryAccept()) return;
    const next = key ? [...others, { key, effect: 'NoExecute', timeAdded: iso(this.clock.now()) }] : others;
    this.log.info(key ? 'tainting node NoExecute' : 'removing NoExecute taints from node', { node: node.metadata.name, taint: key });
    await this.patchTaints(node, next);
  }

  private limiterFor(node: NodeObj): TokenBucket {
    const l = node.metadata.labels ?? {};
    const zone = `${l[REGION_LABEL] ?? ''}:\u0000:${l[ZONE_LABEL] ?? ''}`;
    let b = this.zoneLimiters.get(zone);
    if (!b) this.zoneLimiters.set(zone, (b = new TokenBucket(this.evictionRate, 1, this.clock)));
    return b;
  }

  /** Keeps the condition-driven NoSchedule taints in step with the node (upstream doNoScheduleTaintingPass). */
  async syncNoSchedule(name: string): Promise<void> {
    const node = this.cfg.nodes.lister.get('', name) as NodeObj | undefined;
    if (!node) {
      this.health.delete(name);
      return;
    }
    const desired = desiredNoScheduleTaints(node.status?.conditions, node.spec?.unschedulable === true);
    const next = withNoScheduleTaints(node.spec?.taints, desired);
    if (!next) return;
    await this.patchTaints(node, next);
  }

  private async patchTaints(node: NodeObj, taints: Taint[]): Promise<void> {
    await this.cfg.client.resource(refs.nodes).patch(node.metadata.name!, 'merge', {
      metadata: { resourceVersion: node.metadata.resourceVersion }, spec: { taints },
    });
  }

  /** Sets Ready=False on every pod of the node that says Ready (upstream MarkPodsNotReady); false to retry next pass. */
  private async markPodsNotReady(nodeName: string): Promise<boolean> {
    let done = true;
    const pods = this.cfg.pods.lister.byIndex(NODE_POD_INDEX, nodeName) as PodObj[];
    for (const p of pods) {
      if (p.status?.phase === 'Succeeded' || p.status?.phase === 'Failed') continue;
      const conds = p.status?.conditions ?? [];
      if (!conds.some((c) => c.type === 'Ready' && c.status === 'True')) continue;
      const conditions = conds.map((c) => (c.type === 'Ready' ? { ...c, status: 'False', lastTransitionTime: iso(this.clock.now()) } : c));
      try {
        await this.cfg.client.resource(refs.pods).namespace(p.metadata.namespace!).updateStatus({ ...p, status: { ...p.status, conditions } });
        this.cfg.recorder?.record(p, 'Warning', 'NodeNotReady', 'MarkPodNotReady', 'Node is not ready');
      } catch (err) {
        if (isReason(err, 'Conflict')) done = false;
        else if (!isReason(err, 'NotFound')) throw err;
      }
    }
    return done;
  }

  /** Whether a taint of this key/effect is on the node (for tests and callers). */
  static hasTaint(node: NodeObj, taint: Taint): boolean {
    return (node.spec?.taints ?? []).some((t) => sameTaint(t, taint));
  }
}

function iso(ms: number): string {
  return new Date(ms).toISOString().replace(/\.\d+Z$/, 'Z');
}
