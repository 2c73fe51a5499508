// The node's side of the API (upstream kubelet_node_status.go and nodelease/): register the Node,
// renew its Lease in kube-node-lease every 10 s (40 s duration), and post status — computed every
// 10 s, written when it changed and at least every minute.
import os from 'node:os';
import type { KubeObject } from '../../api/types.js';
import { formatMicroTime, refs, type Client } from '../../client/index.js';
import type { Clock, Timer } from '../../util/clock.js';
import { isReason } from '../../util/errors.js';
import type { Logger } from '../../util/log.js';
import type { RuntimeStatus, VersionInfo } from '../runtime/index.js';
import { rfc3339 } from '../status/generate.js';
import type { Obj } from '../types.js';
import { nodeConditions, type Pressure } from './conditions.js';
import { allocatable, fsBytes, type HostFacts } from './host.js';

export const KUBELET_VERSION = 'v1.32.0';
export const LEASE_DURATION_SECONDS = 40;
export const LEASE_RENEW_MS = 10_000;
export const STATUS_COMPUTE_MS = 10_000;
export const STATUS_REPORT_MS = 60_000;

export interface NodeAgentOptions {
  client: Client;
  nodeName: string;
  clock: Clock;
  log: Logger;
  facts: HostFacts;
  dataDir: string;
  reserved?: Record<string, string>;
  labels?: Record<string, string>;
  taints?: Obj[];
  /** The kubelet API port (status.daemonEndpoints.kubeletEndpoint.Port); default 10250. */
  kubeletPort?: number;
  /** Runtime facts, read at each status computation. */
  runtimeStatus(): Promise<RuntimeStatus | undefined>;
  runtimeVersion(): Promise<VersionInfo | undefined>;
  /** Images on the node (optional in status). */
  images?(): Promise<Obj[]>;
  /** Pressure signals (default: from the host's free memory and data dir filesystem). */
  pressure?(): Promise<Pressure>;
}

async function hostPressure(dataDir: string): Promise<Pressure> {
  const fs = await fsBytes(dataDir).catch(() => ({ total: 1, available: 1 }));
  return { memory: os.freemem() < 100 * 1024 * 1024, disk: fs.total > 0 && fs.available / fs.total < 0.1, pid: false };
}

/** What counts as a change worth writing at once: condition statuses and messages, node info, allocatable. */
function signature(status: Obj): string {
  return JSON.stringify([(status.conditions ?? []).map((c: Obj) => [c.type, c.status, c.message]), status.nodeInfo, status.allocatable]);
}

export class NodeAgent {
  node?: Obj;
  private lease?: KubeObject;
  private timers: Timer[] = [];
  private lastReport = 0;
  private lastSent = '';
  private stopped = false;
  /** Lease renewals and status writes (tests). */
  readonly counts = { leaseRenewals: 0, statusWrites: 0 };

  constructor(private readonly o: NodeAgentOptions) {}

  get allocatable(): Record<string, string> {
    return allocatable(this.o.facts.capacity, this.o.reserved);
  }

  get hostIP(): string {
    return this.o.facts.internalIP;
  }

  /** spec.podCIDR as the node-ipam controller set it (undefined until then). */
  get podCIDR(): string | undefined {
    return this.node?.spec?.podCIDR;
  }

  private async status(prev: Obj | undefined): Promise<Obj> {
    const now = rfc3339(this.o.clock.now());
    const [rs, ver, pressure, images] = await Promise.all([
      this.o.runtimeStatus().catch(() => undefined), this.o.runtimeVersion().catch(() => undefined),
      (this.o.pressure ?? (() => hostPressure(this.o.dataDir)))(), this.o.images?.().catch(() => undefined),
    ]);
    const f = this.o.facts;
    const status: Obj = {
      capacity: f.capacity,
      allocatable: this.allocatable,
      conditions: nodeConditions(now, prev?.conditions, rs, pressure),
      addresses: [{ type: 'InternalIP', address: f.internalIP }, { type: 'Hostname', address: this.o.nodeName }],
      daemonEndpoints: { kubeletEndpoint: { Port: this.o.kubeletPort ?? 10250 } },
      nodeInfo: {
        ...f.nodeInfo,
        containerRuntimeVersion: ver ? `${ver.runtimeName.replace(/^skiff-/, '')}://${ver.runtimeVersion}` : '',
        kubeletVersion: KUBELET_VERSION,
        kubeProxyVersion: KUBELET_VERSION,
      },
    };
    if (images) status.images = images;
    return status;
  }

  /** Creates the Node (or takes over an existing one) and its Lease. */
  async register(): Promise<Obj> {
    const nodes = this.o.client.resource(refs.nodes);
    const arch = this.o.facts.nodeInfo.architecture ?? 'amd64';
    const labels = {
      'kubernetes.io/hostname': this.o.nodeName, 'kubernetes.io/os': 'linux', 'kubernetes.io/arch': arch,
      'beta.kubernetes.io/os': 'linux', 'beta.kubernetes.io/arch': arch, ...this.o.labels,
    };
    const status = await this.status(undefined);
    const obj: KubeObject = {
      apiVersion: 'v1', kind: 'Node',
      metadata: { name: this.o.nodeName, labels, annotations: { 'node.alpha.kubernetes.io/ttl': '0', 'volumes.kubernetes.io/controller-managed-attach-detach': 'true' } },
      spec: this.o.taints?.length ? { taints: this.o.taints } : {},
      status,
    };
    try {
      this.node = await nodes.create(obj);
    } catch (err) {
      if (!isReason(err, 'AlreadyExists')) throw err;
      // Re-registration after a restart: keep the object, refresh labels and status (upstream reconcile).
      const cur = await nodes.get(this.o.nodeName);
      await nodes.patch(this.o.nodeName, 'strategic', { metadata: { labels } });
      this.node = await nodes.patch(this.o.nodeName, 'strategic', { status: await this.status((cur as Obj).status) }, { subresource: 'status' });
    }
    this.lastSent = signature(this.node?.status ?? {});
    this.lastReport = this.o.clock.now();
    await this.renewLease();
    return this.node!;
  }

  /** Re-reads the Node (e.g. to see spec.podCIDR set after registration). */
  async refresh(): Promise<Obj | undefined> {
    try {
      this.node = await this.o.client.resource(refs.nodes).get(this.o.nodeName);
    } catch (err) {
      this.o.log.v(2).info('node get failed', { err });
    }
    return this.node;
  }

  start(): void {
    const loop = (ms: number, fn: () => Promise<void>) => {
      const tick = () => {
        if (this.stopped) return;
        void fn().catch((err: unknown) => this.o.log.warn('node loop failed', { err })).finally(() => {
          if (!this.stopped) this.timers.push(this.o.clock.setTimer(ms, tick));
        });
      };
      this.timers.push(this.o.clock.setTimer(ms, tick));
    };
    loop(LEASE_RENEW_MS, () => this.renewLease());
    loop(STATUS_COMPUTE_MS, () => this.syncStatus(false));
  }

  stop(): void {
    this.stopped = true;
    for (const t of this.timers) t.cancel();
  }

  /** Computes status; writes when changed or when the report interval passed (or force). */
  async syncStatus(force: boolean): Promise<void> {
    const nodes = this.o.client.resource(refs.nodes);
    let current: Obj;
    try {
      current = await nodes.get(this.o.nodeName);
    } catch (err) {
      if (isReason(err, 'NotFound')) {
        await this.register();
        return;
      }
      throw err;
    }
    this.node = current;
    const status = await this.status(current.status);
    const sig = signature(status);
    const due = this.o.clock.now() - this.lastReport >= STATUS_REPORT_MS;
    if (!force && !due && sig === this.lastSent) return;
    this.node = await nodes.patch(this.o.nodeName, 'strategic', { status }, { subresource: 'status' });
    this.lastSent = sig;
    this.lastReport = this.o.clock.now();
    this.counts.statusWrites++;
  }

  async renewLease(): Promise<void> {
    const leases = this.o.client.resource(refs.leases).namespace('kube-node-lease');
    const spec = { holderIdentity: this.o.nodeName, leaseDurationSeconds: LEASE_DURATION_SECONDS, renewTime: formatMicroTime(this.o.clock.now()) };
    try {
      if (this.lease) {
        this.lease = await leases.update({ ...this.lease, spec: { ...(this.lease.spec as Obj), ...spec } });
      } else {
        const owner = this.node?.metadata?.uid ? [{ apiVersion: 'v1', kind: 'Node', name: this.o.nodeName, uid: this.node.metadata.uid }] : undefined;
        try {
          this.lease = await leases.create({ apiVersion: 'coordination.k8s.io/v1', kind: 'Lease', metadata: { name: this.o.nodeName, namespace: 'kube-node-lease', ...(owner ? { ownerReferences: owner } : {}) }, spec });
        } catch (err) {
          if (!isReason(err, 'AlreadyExists')) throw err;
          const cur = await leases.get(this.o.nodeName);
          this.lease = await leases.update({ ...cur, spec: { ...(cur.spec as Obj), ...spec } });
        }
      }
      this.counts.leaseRenewals++;
    } catch (err) {
      this.lease = undefined; // read it again next time
      this.o.log.v(2).info('lease renewal failed', { err });
    }
  }
}
