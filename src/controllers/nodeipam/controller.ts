// The node IPAM controller with upstream's RangeAllocator (pkg/controller/nodeipam/ipam/range_allocator.go):
// every node gets spec.podCIDR/podCIDRs, one /nodeCIDRMaskSize subnet of the cluster CIDR. The
// allocation is rebuilt from the nodes' existing podCIDRs when the controller starts and a subnet is
// released when its node goes. Exhaustion records a CIDRNotAvailable event on the node.
import type { KubeObject } from '../../api/types.js';
import {
  RateLimitingQueue, deletedObject, refs, runWorkers, type Client, type EventRecorder, type SharedIndexInformer,
} from '../../client/index.js';
import { realClock, type Clock } from '../../util/clock.js';
import { isReason } from '../../util/errors.js';
import { logger, type Logger } from '../../util/log.js';
import type { Controller } from '../types.js';
import { CidrSet, parseCidr } from './cidrset.js';

export interface NodeIpamConfig {
  client: Client;
  nodes: SharedIndexInformer;
  clusterCIDR: string;
  nodeCIDRMaskSize: number;
  recorder?: EventRecorder;
  clock?: Clock;
  log?: Logger;
}

interface NodeObj extends KubeObject { spec?: { podCIDR?: string; podCIDRs?: string[] } }

export class NodeIpamController implements Controller {
  readonly queue: RateLimitingQueue<string>;
  readonly cidrs: CidrSet;
  private readonly log: Logger;
  /** node name → the subnet we know it holds. */
  private readonly byNode = new Map<string, string>();
  private started = false;

  constructor(private readonly cfg: NodeIpamConfig) {
    if (!cfg.client || !cfg.nodes) throw new TypeError('node-ipam: client and nodes informer are required');
    this.cidrs = new CidrSet(parseCidr(cfg.clusterCIDR), cfg.nodeCIDRMaskSize);
    this.log = cfg.log ?? logger('node-ipam-controller');
    this.queue = new RateLimitingQueue<string>({ clock: cfg.clock ?? realClock, name: 'node_ipam' });
    const key = (o: KubeObject) => this.queue.add(o.metadata.name!);
    cfg.nodes.addEventHandler({ add: key, update: (_o, n) => key(n), delete: (o) => key(deletedObject(o)) });
  }

  /** Marks every cached node's podCIDR as taken (call once the node cache has synced). */
  rebuild(): void {
    if (this.started) return;
    this.started = true;
    for (const n of this.cfg.nodes.lister.list() as NodeObj[]) {
      const cidr = n.spec?.podCIDRs?.[0] ?? n.spec?.podCIDR;
      if (!cidr) continue;
      if (this.cidrs.occupy(cidr)) this.byNode.set(n.metadata.name!, cidr);
      else this.log.warn('node podCIDR is outside the cluster CIDR; left as is', { node: n.metadata.name, podCIDR: cidr });
    }
  }

  async run(workers: number, signal: AbortSignal): Promise<void> {
    signal.addEventListener('abort', () => this.queue.shutDown(), { once: true });
    if (signal.aborted) return;
    this.rebuild();
    await runWorkers(this.queue, workers, (k) => this.sync(k), { log: this.log });
  }

  async sync(name: string): Promise<void> {
    this.rebuild();
    const node = this.cfg.nodes.lister.get('', name) as NodeObj | undefined;
    if (!node || node.metadata.deletionTimestamp) {
      const held = this.byNode.get(name);
      if (held) {
        this.cidrs.release(held);
        this.byNode.delete(name);
        this.log.v(2).info('released node CIDR', { node: name, podCIDR: held });
      }
      return;
    }
    const has = node.spec?.podCIDRs?.[0] ?? node.spec?.podCIDR;
    if (has) {
      if (!this.byNode.has(name) && this.cidrs.occupy(has)) this.byNode.set(name, has);
      return;
    }
    // A replaced node with the same name may have left our record behind: reuse it.
    let cidr = this.byNode.get(name);
    if (!cidr) {
      cidr = this.cidrs.allocateNext();
      if (!cidr) {
        this.cfg.recorder?.record(node, 'Normal', 'CIDRNotAvailable', 'Allocate', `Node ${name} status is now: CIDRNotAvailable`);
        throw new Error(`node-ipam: no CIDR left in ${this.cfg.clusterCIDR} for node ${name}`);
      }
      this.byNode.set(name, cidr);
    }
    try {
      await this.cfg.client.resource(refs.nodes).patch(name, 'merge', { spec: { podCIDR: cidr, podCIDRs: [cidr] } });
      this.log.info('assigned node CIDR', { node: name, podCIDR: cidr });
    } catch (err) {
      if (isReason(err, 'NotFound')) {
        this.cidrs.release(cidr);
        this.byNode.delete(name);
        return;
      }
      this.cfg.recorder?.record(node, 'Normal', 'CIDRAssignmentFailed', 'Allocate', `Node ${name} status is now: CIDRAssignmentFailed`);
      throw err;
    }
  }
}
