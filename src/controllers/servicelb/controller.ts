// The service load balancer controller (k3s ServiceLB's role, without its per-service DaemonSet):
// every LoadBalancer Service without a loadBalancerClass gets the addresses of the Ready,
// schedulable nodes in status.loadBalancer.ingress, and every node's service proxy serves the
// Service's port on its own address (the proxies treat ingress IPs as load-balancer IPs). A node
// that goes away or stops being Ready leaves the list; a Service that stops being a LoadBalancer
// has its ingress cleared.
import type { KubeObject } from '../../api/types.js';
import type { Client, EventRecorder, SharedIndexInformer, SharedInformerFactory } from '../../client/index.js';
import { RateLimitingQueue, deletedObject, objectKey, refs, runWorkers, splitKey } from '../../client/index.js';
import { realClock, type Clock } from '../../util/clock.js';
import { isReason } from '../../util/errors.js';
import { compareIPv4 } from '../../util/ipv4.js';
import { logger, type Logger } from '../../util/log.js';
import type { Controller } from '../types.js';

type Service = KubeObject & {
  spec?: { type?: string; loadBalancerClass?: string };
  status?: { loadBalancer?: { ingress?: { ip?: string; hostname?: string; ipMode?: string }[] } };
};
type Node = KubeObject & {
  spec?: { unschedulable?: boolean };
  status?: { addresses?: { type: string; address: string }[]; conditions?: { type: string; status: string }[] };
};

export interface ServiceLBOptions {
  client: Client;
  informers: SharedInformerFactory;
  recorder?: EventRecorder;
  clock?: Clock;
  log?: Logger;
}

/** The address a node is published under: ExternalIP if it has one, else InternalIP (as k3s). */
export function nodeAddress(n: Node): string | undefined {
  const a = n.status?.addresses ?? [];
  return a.find((x) => x.type === 'ExternalIP')?.address ?? a.find((x) => x.type === 'InternalIP')?.address;
}

function nodeUsable(n: Node): boolean {
  return !n.spec?.unschedulable && !n.metadata.deletionTimestamp
    && (n.status?.conditions ?? []).some((c) => c.type === 'Ready' && c.status === 'True');
}

export function managed(s: Service): boolean {
  return s.spec?.type === 'LoadBalancer' && !s.spec.loadBalancerClass;
}

export class ServiceLBController implements Controller {
  readonly queue: RateLimitingQueue<string>;
  private readonly client: Client;
  private readonly log: Logger;
  private readonly recorder: EventRecorder | undefined;
  private readonly services: SharedIndexInformer<Service>;
  private readonly nodes: SharedIndexInformer<Node>;

  constructor(o: ServiceLBOptions) {
    this.client = o.client;
    this.log = o.log ?? logger('service-lb-controller');
    this.recorder = o.recorder;
    this.queue = new RateLimitingQueue<string>({ clock: o.clock ?? realClock, name: 'service_lb' });
    this.services = o.informers.forResource<Service>(refs.services);
    this.nodes = o.informers.forResource<Node>(refs.nodes);
    const svc = (s: Service) => { if (managed(s) || s.status?.loadBalancer?.ingress?.length) this.queue.add(objectKey(s)); };
    this.services.addEventHandler({ add: svc, update: (_a, s) => svc(s), delete: () => undefined });
    const allLB = () => { for (const s of this.services.lister.list()) if (managed(s)) this.queue.add(objectKey(s)); };
    this.nodes.addEventHandler({
      add: allLB,
      update: (a, b) => { if (nodeUsable(a) !== nodeUsable(b) || nodeAddress(a) !== nodeAddress(b)) allLB(); },
      delete: (n) => { deletedObject(n); allLB(); },
    });
  }

  async run(workers: number, signal: AbortSignal): Promise<void> {
    signal.addEventListener('abort', () => this.queue.shutDown(), { once: true });
    await runWorkers(this.queue, workers, (k) => this.sync(k), { log: this.log });
  }

  /** The ingress list the Service should have. */
  desired(s: Service): { ip: string; ipMode: string }[] {
    if (!managed(s)) return [];
    const ips = [...new Set(this.nodes.lister.list().filter(nodeUsable).map(nodeAddress).filter((a): a is string => !!a))].sort(compareIPv4);
    // ipMode VIP: traffic to the address is handled by the node's proxy (upstream LoadBalancerIPMode).
    return ips.map((ip) => ({ ip, ipMode: 'VIP' }));
  }

  async sync(key: string): Promise<void> {
    const { namespace, name } = splitKey(key);
    const s = this.services.lister.get(namespace, name);
    if (!s) return;
    if (!managed(s) && s.spec?.type === 'LoadBalancer') return; // another implementation's class
    const want = this.desired(s);
    const have = s.status?.loadBalancer?.ingress ?? [];
    if (JSON.stringify(have) === JSON.stringify(want)) return;
    try {
      await this.client.resource<Service>(refs.services).namespace(namespace).updateStatus({
        ...s, status: { ...s.status, loadBalancer: want.length ? { ingress: want } : {} },
      });
    } catch (err) {
      if (isReason(err, 'NotFound')) return;
      throw err;
    }
    if (want.length) this.recorder?.record(s, 'Normal', 'UpdatedLoadBalancer', 'Update', `Updated LoadBalancer with new IPs: [${have.map((i) => i.ip).join(' ')}] -> [${want.map((i) => i.ip).join(' ')}]`);
  }
}
