// Hollow nodes (kubemark's hollow kubelet, kwok's fake nodes): one process simulating many nodes
// through the API server only. Each node registers its Node and Lease, renews the Lease every
// renewInterval and posts status every statusInterval (both staggered over the nodes so load is
// even), and acts as the kubelet for pods bound to it: Running and Ready with a pod IP, scripted
// exits for pods that ask, and the final delete of pods being gracefully deleted.
import type { KubeObject } from '../api/types.js';
import {
  RateLimitingQueue, SharedInformerFactory, formatMicroTime, objectKey, refs, runWorkers, splitKey,
  type Client, type ResourceClient,
} from '../client/index.js';
import { isReason } from '../util/errors.js';
import { realClock, type Clock, type Timer } from '../util/clock.js';
import { logger, type Logger } from '../util/log.js';
import { fakePodCIDR, leaseObject, nodeAddress, nodeConditions, nodeObject, type HollowNodeSpec } from './node-object.js';
import { exitedStatus, runningStatus, scriptedExit } from './pod-status.js';
import { Pool } from './pool.js';

export interface HollowNodesOptions {
  client: Client;
  count: number;
  /** Node names are `${prefix}${index}` (default "hollow-node-"). */
  prefix?: string;
  /** First index (several processes can share a cluster with disjoint ranges). */
  startIndex?: number;
  capacity?: HollowNodeSpec['capacity'];
  labels?: Record<string, string>;
  /** Spread the nodes over this many zones: topology.kubernetes.io/zone=zone-<index % zones>. */
  zones?: number;
  taints?: HollowNodeSpec['taints'];
  leaseDurationSeconds?: number;
  renewIntervalMs?: number;
  /** How often each node posts its (unchanged) status; default 5 min, the kubelet's nodeStatusReportFrequency. */
  statusIntervalMs?: number;
  /** API calls in flight at once for registration, leases and status (default 64). */
  concurrency?: number;
  /** Pod status workers (default 16). */
  podWorkers?: number;
  kubeletVersion?: string;
  clock?: Clock;
  log?: Logger;
}

interface NodeState {
  spec: HollowNodeSpec;
  lease?: KubeObject;
  nextRenew: number;
  nextStatus: number;
  podCIDR: string;
  nextIP: number;
  /** When the conditions last changed (they never do for a hollow node after registration). */
  since?: string;
}

export interface HollowStats {
  nodes: number;
  leaseRenewals: number;
  leaseFailures: number;
  /** Worst delay of a lease renewal past its due time since the last call (ms). */
  maxRenewLagMs: number;
  podsStarted: number;
  podsDeleted: number;
}

const TICK_MS = 100;

export class HollowNodes {
  private readonly nodes = new Map<string, NodeState>();
  private readonly clock: Clock;
  private readonly log: Logger;
  private readonly pool: Pool;
  private readonly leases: ResourceClient;
  private readonly nodeClient: ResourceClient;
  private readonly pods: ResourceClient;
  private readonly queue: RateLimitingQueue<string>;
  private readonly exits = new Map<string, Timer>();
  private readonly ac = new AbortController();
  private ticker?: Timer;
  private workers?: Promise<void>;
  private informers?: SharedInformerFactory;
  private nodeInformers?: SharedInformerFactory;
  private readonly stats: HollowStats = { nodes: 0, leaseRenewals: 0, leaseFailures: 0, maxRenewLagMs: 0, podsStarted: 0, podsDeleted: 0 };
  private readonly renewMs: number;
  private readonly statusMs: number;
  private readonly leaseSeconds: number;
  private readonly version: string;

  constructor(private readonly opts: HollowNodesOptions) {
    if (!(opts.count >= 1)) throw new RangeError('hollow nodes: count must be at least 1');
    this.clock = opts.clock ?? realClock;
    this.log = opts.log ?? logger('hollow-nodes');
    this.pool = new Pool(opts.concurrency ?? 64);
    this.leases = opts.client.resource(refs.leases);
    this.nodeClient = opts.client.resource(refs.nodes);
    this.pods = opts.client.resource(refs.pods);
    this.renewMs = opts.renewIntervalMs ?? 10_000;
    // The kubelet posts an unchanged status every nodeStatusReportFrequency (5 min); the Lease is
    // the heartbeat in between.
    this.statusMs = opts.statusIntervalMs ?? 300_000;
    this.leaseSeconds = opts.leaseDurationSeconds ?? 40;
    this.version = opts.kubeletVersion ?? 'v1.32.0';
    this.queue = new RateLimitingQueue<string>({ clock: this.clock, name: 'hollow-pods' });
    const prefix = opts.prefix ?? 'hollow-node-';
    const start = opts.startIndex ?? 0;
    const now = this.clock.now();
    for (let i = start; i < start + opts.count; i++) {
      const spec: HollowNodeSpec = {
        name: `${prefix}${i}`, index: i,
        labels: opts.zones ? { ...opts.labels, 'topology.kubernetes.io/zone': `zone-${i % opts.zones}` } : opts.labels ?? {},
        capacity: opts.capacity ?? { cpu: '32', memory: '256Gi', pods: '110' },
        ...(opts.taints ? { taints: opts.taints } : {}),
      };
      // Stagger renewals and status posts evenly over their intervals.
      const frac = (i - start) / opts.count;
      this.nodes.set(spec.name, { spec, nextRenew: now + frac * this.renewMs, nextStatus: now + frac * this.statusMs, podCIDR: fakePodCIDR(i), nextIP: 2 });
    }
  }

  /** Registers every node and its lease, starts the loops; resolves once all are registered. */
  async start(): Promise<void> {
    const t0 = this.clock.now();
    let done = 0;
    await Promise.all([...this.nodes.values()].map((n) => this.pool.run(async () => {
      await this.register(n);
      if (++done % 1000 === 0) this.log.info('registering hollow nodes', { done, of: this.nodes.size });
    })));
    this.stats.nodes = this.nodes.size;
    this.log.info('hollow nodes registered', { nodes: this.nodes.size, seconds: Math.round((this.clock.now() - t0) / 100) / 10 });
    // As the kubelet's node informer: spec.podCIDR (node-ipam assigns it after registration) arrives
    // by watch, not by a read of the node when its first pod starts.
    this.nodeInformers = new SharedInformerFactory(this.opts.client, { clock: this.clock });
    const learnCIDR = (node: KubeObject): void => {
      const cidr = (node.spec as { podCIDR?: string } | undefined)?.podCIDR;
      const n = this.nodes.get(node.metadata.name ?? '');
      if (n && cidr) n.podCIDR = cidr;
    };
    this.nodeInformers.forResource(refs.nodes).addEventHandler({ add: learnCIDR, update: (_o, node) => learnCIDR(node), delete: () => undefined });
    this.nodeInformers.start(this.ac.signal);
    await this.nodeInformers.waitForCacheSync(this.ac.signal);
    this.informers = new SharedInformerFactory(this.opts.client, { fieldSelector: 'spec.nodeName!=', clock: this.clock });
    const pods = this.informers.forResource(refs.pods);
    pods.addEventHandler({
      add: (p) => this.enqueue(p),
      update: (_o, p) => this.enqueue(p),
      delete: () => undefined,
    });
    this.informers.start(this.ac.signal);
    this.workers = runWorkers(this.queue, this.opts.podWorkers ?? 16, (key) => this.syncPod(key, pods.indexer.getByKey(key)), { log: this.log });
    // Stagger from now, not from construction: registering thousands of nodes takes seconds, and
    // everything that fell due meanwhile would otherwise go out in one burst.
    const now = this.clock.now();
    let i = 0;
    for (const n of this.nodes.values()) {
      const frac = i++ / this.nodes.size;
      n.nextRenew = now + frac * this.renewMs;
      n.nextStatus = now + frac * this.statusMs;
    }
    this.tick();
  }

  async stop(): Promise<void> {
    this.ac.abort();
    this.ticker?.cancel();
    for (const t of this.exits.values()) t.cancel();
    this.queue.shutDown();
    await this.workers;
  }

  /** Counters since start; maxRenewLagMs is reset by each call. */
  snapshot(): HollowStats {
    const s = { ...this.stats };
    this.stats.maxRenewLagMs = 0;
    return s;
  }

  private async register(n: NodeState): Promise<void> {
    const now = rfc3339(this.clock);
    const obj = nodeObject(n.spec, now, this.version);
    n.since = now;
    let node: KubeObject;
    try {
      node = await this.nodeClient.create(obj);
    } catch (err) {
      if (!isReason(err, 'AlreadyExists')) throw err;
      // A restarted hollow process takes its nodes back: refresh their status.
      node = await this.nodeClient.patch(n.spec.name, 'merge', { status: obj.status }, { subresource: 'status' });
    }
    const cidr = (node.spec as { podCIDR?: string } | undefined)?.podCIDR;
    if (cidr) n.podCIDR = cidr;
    const lease = leaseObject(n.spec.name, microNow(this.clock), this.leaseSeconds, node.metadata.uid);
    try {
      n.lease = await this.leases.namespace('kube-node-lease').create(lease);
    } catch (err) {
      if (!isReason(err, 'AlreadyExists')) throw err;
      n.lease = await this.leases.namespace('kube-node-lease').get(n.spec.name);
    }
  }

  /** One scheduler tick: renew due leases and post due statuses, never more than the pool allows. */
  private tick(): void {
    if (this.ac.signal.aborted) return;
    const now = this.clock.now();
    for (const n of this.nodes.values()) {
      if (n.nextRenew <= now) {
        const lag = now - n.nextRenew;
        if (lag > this.stats.maxRenewLagMs) this.stats.maxRenewLagMs = lag;
        n.nextRenew = now + this.renewMs;
        void this.pool.run(() => this.renew(n));
      }
      if (n.nextStatus <= now) {
        n.nextStatus = now + this.statusMs;
        void this.pool.run(() => this.postStatus(n));
      }
    }
    this.ticker = this.clock.setTimer(TICK_MS, () => this.tick());
  }

  private async renew(n: NodeState): Promise<void> {
    if (this.ac.signal.aborted) return;
    const leases = this.leases.namespace('kube-node-lease');
    try {
      if (!n.lease) n.lease = await leases.get(n.spec.name);
      const spec = { ...(n.lease.spec as Record<string, unknown>), holderIdentity: n.spec.name, leaseDurationSeconds: this.leaseSeconds, renewTime: microNow(this.clock) };
      n.lease = await leases.update({ ...n.lease, spec });
      this.stats.leaseRenewals++;
    } catch (err) {
      this.stats.leaseFailures++;
      // Conflict or gone: read it again next time (recreated by register on NotFound).
      n.lease = undefined;
      if (isReason(err, 'NotFound')) await this.register(n).catch(() => undefined);
      else this.log.v(2).info('lease renewal failed', { node: n.spec.name, err });
    }
  }

  private async postStatus(n: NodeState): Promise<void> {
    if (this.ac.signal.aborted) return;
    const now = rfc3339(this.clock);
    try {
      const node = await this.nodeClient.patch(n.spec.name, 'strategic', { status: { conditions: nodeConditions(now, n.since) } }, { subresource: 'status' });
      const cidr = (node.spec as { podCIDR?: string } | undefined)?.podCIDR;
      if (cidr) n.podCIDR = cidr;
    } catch (err) {
      if (isReason(err, 'NotFound')) await this.register(n).catch(() => undefined);
      else this.log.v(2).info('node status update failed', { node: n.spec.name, err });
    }
  }

  private enqueue(p: KubeObject): void {
    const node = (p.spec as { nodeName?: string } | undefined)?.nodeName;
    if (node && this.nodes.has(node)) this.queue.add(objectKey(p));
  }

  /** The hollow kubelet's pod sync: start, exit on script, or finish a graceful deletion. */
  private async syncPod(key: string, pod: KubeObject | undefined): Promise<void> {
    // Stopping: the queue still hands out what it holds; let it drain without API calls.
    if (this.ac.signal.aborted) return;
    if (!pod) {
      this.exits.get(key)?.cancel();
      this.exits.delete(key);
      return;
    }
    const node = this.nodes.get((pod.spec as { nodeName?: string }).nodeName ?? '');
    if (!node) return;
    const { namespace, name } = splitKey(key);
    const pods = this.pods.namespace(namespace);
    const status = (pod.status ?? {}) as Record<string, any>;
    if (pod.metadata.deletionTimestamp) {
      // Containers "stopped": the kubelet's final delete with grace period 0.
      try {
        await pods.delete(name, { gracePeriodSeconds: 0, preconditions: { uid: pod.metadata.uid! } });
        this.stats.podsDeleted++;
      } catch (err) {
        if (!isReason(err, 'NotFound') && !isReason(err, 'Conflict')) throw err;
      }
      return;
    }
    const phase = status.phase as string | undefined;
    const now = rfc3339(this.clock);
    if (phase !== 'Running' && phase !== 'Succeeded' && phase !== 'Failed') {
      const ip = this.allocateIP(node);
      const running = runningStatus(pod, now, nodeAddress(node.spec.index), ip);
      await pods.patch(name, 'merge', { status: running }, { subresource: 'status' });
      this.stats.podsStarted++;
      return;
    }
    const exit = scriptedExit(pod);
    if (phase === 'Running' && exit && !this.exits.has(key)) {
      const started = Date.parse(String(status.startTime ?? now));
      const wait = Math.max(0, started + exit.afterMs - this.clock.now());
      this.exits.set(key, this.clock.setTimer(wait, () => {
        void pods.patch(name, 'merge', { status: exitedStatus(pod, status, rfc3339(this.clock), exit.code) }, { subresource: 'status' })
          .catch((err: unknown) => this.log.v(1).info('pod exit update failed', { pod: key, err }))
          .finally(() => this.exits.delete(key));
      }));
    }
  }

  /** The next address of the node's pod range (a /24: .2–.254, wrapping). */
  private allocateIP(n: NodeState): string {
    const base = n.podCIDR.split('/')[0]!.split('.').slice(0, 3).join('.');
    const ip = `${base}.${n.nextIP}`;
    n.nextIP = n.nextIP >= 254 ? 2 : n.nextIP + 1;
    return ip;
  }
}

/** RFC 3339 to the second, as most API times. */
function rfc3339(clock: Clock): string {
  return new Date(clock.now()).toISOString().replace(/\.\d+Z$/, 'Z');
}

function microNow(clock: Clock): string {
  return formatMicroTime(clock.now());
}
