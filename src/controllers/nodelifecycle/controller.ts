// The node lifecycle controller (upstream pkg/controller/nodelifecycle/node_lifecycle_controller.go).
// Every monitor period it judges each node's health from its kube-node-lease Lease and Ready
// heartbeat; a node silent for the grace period (40 s) gets its kubelet conditions set to Unknown
// (NodeStatusUnknown, "Kubelet stopped posting node status.") and its pods marked not Ready. Nodes
// whose Ready is Unknown get node.kubernetes.io/unreachable:NoExecute, False gets
// node.kubernetes.io/not-ready:NoExecute, added at a per-zone rate (upstream --node-eviction-rate)
// and removed as soon as the node is Ready again. Zone states pace this as upstream: a partially
// disrupted zone (>= 55% not Ready, more than 2) slows to the secondary rate when large and pauses
// when small; when every zone is fully down no node is tainted (the control plane is the likelier
// culprit) and existing NoExecute health taints are lifted. On every node change, the NoSchedule taints that
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
  /** The rate in a partially disrupted zone larger than largeClusterSizeThreshold (--secondary-node-eviction-rate, 0.01). */
  secondaryEvictionRate?: number;
  /** --large-cluster-size-threshold (50): smaller partially disrupted zones get no new taints at all. */
  largeClusterSizeThreshold?: number;
  /** --unhealthy-zone-threshold (0.55): share of not-Ready nodes (and more than 2) making a zone partially disrupted. */
  unhealthyZoneThreshold?: number;
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
  private readonly secondaryRate: number;
  private readonly largeClusterThreshold: number;
  private readonly unhealthyZoneThreshold: number;
  /** zone → its current tainting rate and bucket (none when the rate is 0). */
  private readonly zoneLimiters = new Map<string, { rate: number; bucket?: TokenBucket }>();

  constructor(private readonly cfg: NodeLifecycleConfig) {
    if (!cfg.client || !cfg.nodes || !cfg.leases || !cfg.pods) throw new TypeError('node-lifecycle: client and informers are required');
    this.clock = cfg.clock ?? realClock;
    this.log = cfg.log ?? logger('node-lifecycle-controller');
    this.grace = cfg.gracePeriodMs ?? 40_000;
    this.startupGrace = cfg.startupGracePeriodMs ?? 60_000;
    this.period = cfg.monitorPeriodMs ?? 5_000;
    this.evictionRate = cfg.evictionRate ?? 0.1;
    if (!(this.evictionRate > 0)) throw new RangeError('node-lifecycle: evictionRate must be > 0');
    this.secondaryRate = cfg.secondaryEvictionRate ?? 0.01;
    this.largeClusterThreshold = cfg.largeClusterSizeThreshold ?? 50;
    this.unhealthyZoneThreshold = cfg.unhealthyZoneThreshold ?? 0.55;
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

  /** One monitor pass over every node (upstream monitorNodeHealth): health first, then zone states, then taints. */
  async monitorNodeHealth(): Promise<void> {
    const observed: { node: NodeObj; ready?: NodeCondition }[] = [];
    for (const node of this.cfg.nodes.lister.list() as NodeObj[]) {
      try {
        observed.push(await this.updateHealth(node));
      } catch (err) {
        if (!isReason(err, 'NotFound')) this.log.warn('node health update failed', { node: node.metadata.name, err });
      }
    }
    const zones = zoneStates(observed.map((o) => ({ zone: zoneOf(o.node), ready: o.ready?.status })), this.unhealthyZoneThreshold);
    const allFull = zones.size > 0 && [...zones.values()].every((z) => z.state === 'FullDisruption');
    for (const [zone, z] of zones) this.setZoneRate(zone, allFull ? 0 : this.rateFor(z));
    for (const o of observed) {
      try {
        await this.handleTaints(o.node, o.ready, allFull);
      } catch (err) {
        if (!isReason(err, 'NotFound')) this.log.warn('node taint update failed', { node: o.node.metadata.name, err });
      }
    }
  }

  /** Judges one node's health and writes Unknown conditions when it went silent; returns the node and its Ready condition. */
  private async updateHealth(cached: NodeObj): Promise<{ node: NodeObj; ready?: NodeCondition }> {
    const name = cached.metadata.name!;
    const now = this.clock.now();
    const lease = this.cfg.leases.lister.get(LEASE_NAMESPACE, name);
    const leaseRenew = (lease?.spec as { renewTime?: string } | undefined)?.renewTime;
    const ready = cached.status?.conditions?.find((c) => c.type === 'Ready');
    const { health, overdue } = observe(this.health.get(name), now, { creationTimestamp: cached.metadata.creationTimestamp, ready, leaseRenew }, this.grace, this.startupGrace);
    this.health.set(name, health);
    if (!overdue) return { node: cached, ready };
    const conditions = unknownConditions(cached.status?.conditions, iso(now), cached.metadata.creationTimestamp);
    if (!conditions) return { node: cached, ready };
    this.log.info('node stopped posting status; conditions set to Unknown', { node: name });
    const node = await this.cfg.client.resource<NodeObj>(refs.nodes).updateStatus({ ...cached, status: { ...cached.status, conditions } });
    this.cfg.recorder?.record(cached, 'Normal', 'NodeNotReady', 'NodeNotReady', `Node ${name} status is now: NodeNotReady`);
    return { node, ready: conditions.find((c) => c.type === 'Ready') };
  }

  private async handleTaints(node: NodeObj, ready: NodeCondition | undefined, allFull: boolean): Promise<void> {
    const health = this.health.get(node.metadata.name!)!;
    const status = ready?.status ?? 'Unknown';
    if (status === 'True') {
      health.podsMarked = false;
      await this.setNoExecute(node, undefined);
      return;
    }
    if (!health.podsMarked) health.podsMarked = await this.markPodsNotReady(node.metadata.name!);
    // No Ready condition yet and still within the startup grace: nothing to taint.
    if (!ready) return;
    // Every zone is down: more likely the control plane lost the nodes than the nodes died; evict nothing.
    if (allFull) {
      await this.setNoExecute(node, undefined);
      return;
    }
    await this.setNoExecute(node, status === 'False' ? TAINT_NOT_READY : TAINT_UNREACHABLE);
  }

  /** Upstream: normal rate; partial disruption slows to the secondary rate in large zones, stops in small ones. */
  private rateFor(z: ZoneState): number {
    if (z.state === 'PartialDisruption') return z.size > this.largeClusterThreshold ? this.secondaryRate : 0;
    return this.evictionRate;
  }

  private setZoneRate(zone: string, rate: number): void {
    const cur = this.zoneLimiters.get(zone);
    if (cur?.rate === rate) return;
    this.zoneLimiters.set(zone, { rate, bucket: rate > 0 ? new TokenBucket(rate, 1, this.clock) : undefined });
  }

  /**
   * Makes the node carry exactly `key` among the two NoExecute health taints (adds are rate limited
   * per zone). A Conflict — typically the NoSchedule worker patching the same node right after its
   * conditions went Unknown — is retried on a fresh copy, as upstream's SwapNodeControllerTaint
   * (AddOrUpdateTaintOnNode under RetryOnConflict) does, so the taint lands in this pass and the
   * zone's token is not spent on a lost write.
   */
  private async setNoExecute(node: NodeObj, key: string | undefined): Promise<void> {
    let next = healthTaintChange(node, key, this.clock.now());
    if (!next) return;
    // Adding the first taint evicts pods, so it is paced per zone; swapping or removing is not.
    if (next.adding && !this.zoneLimiters.get(zoneOf(node))?.bucket?.tryAccept()) return;
    this.log.info(key ? 'tainting node NoExecute' : 'removing NoExecute taints from node', { node: node.metadata.name, taint: key });
    for (let attempt = 1; ; attempt++) {
      try {
        await this.patchTaints(node, next.taints);
        return;
      } catch (err) {
        if (!isReason(err, 'Conflict') || attempt >= TAINT_UPDATE_ATTEMPTS) throw err;
      }
      node = await this.cfg.client.resource<NodeObj>(refs.nodes).get(node.metadata.name!);
      next = healthTaintChange(node, key, this.clock.now());
      if (!next) return;
    }
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

export type ZoneStateName = 'Normal' | 'PartialDisruption' | 'FullDisruption';
export interface ZoneState { state: ZoneStateName; size: number }

/** The zone a node counts in (region and zone labels, upstream utilnode.GetZoneKey). */
export function zoneOf(node: KubeObject): string {
  const l = node.metadata.labels ?? {};
  return `${l[REGION_LABEL] ?? ''}:\u0000:${l[ZONE_LABEL] ?? ''}`;
}

/** Each zone's disruption state from its nodes' Ready statuses (upstream ComputeZoneState); nodes without Ready do not count. */
export function zoneStates(nodes: { zone: string; ready?: string }[], unhealthyThreshold: number): Map<string, ZoneState> {
  const counts = new Map<string, { ready: number; notReady: number }>();
  for (const n of nodes) {
    if (n.ready === undefined) continue;
    const c = counts.get(n.zone) ?? { ready: 0, notReady: 0 };
    if (n.ready === 'True') c.ready++;
    else c.notReady++;
    counts.set(n.zone, c);
  }
  const out = new Map<string, ZoneState>();
  for (const [zone, c] of counts) {
    const size = c.ready + c.notReady;
    let state: ZoneStateName = 'Normal';
    if (c.ready === 0 && c.notReady > 0) state = 'FullDisruption';
    else if (c.notReady > 2 && c.notReady / size >= unhealthyThreshold) state = 'PartialDisruption';
    out.set(zone, { state, size });
  }
  return out;
}

function iso(ms: number): string {
  return new Date(ms).toISOString().replace(/\.\d+Z$/, 'Z');
}

/** Upstream UpdateTaintBackoff allows 5 steps. */
const TAINT_UPDATE_ATTEMPTS = 5;

/**
 * The taints the node should carry so that `key` (or none) is its only NoExecute health taint;
 * undefined when it already does. `adding` marks a first health taint (the rate-limited case).
 */
function healthTaintChange(node: NodeObj, key: string | undefined, now: number): { taints: Taint[]; adding: boolean } | undefined {
  const taints = node.spec?.taints ?? [];
  const health = taints.filter((t) => t.effect === 'NoExecute' && (t.key === TAINT_NOT_READY || t.key === TAINT_UNREACHABLE));
  if (key && health.length === 1 && health[0]!.key === key) return undefined;
  if (!key && !health.length) return undefined;
  const others = taints.filter((t) => !health.includes(t));
  if (!key) return { taints: others, adding: false };
  return { taints: [...others, { key, effect: 'NoExecute', timeAdded: iso(now) }], adding: health.length === 0 };
}
