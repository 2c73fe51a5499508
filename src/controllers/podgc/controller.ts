// The pod garbage collector (upstream pkg/controller/podgc/gc_controller.go). Every gcPeriod it:
// - deletes the oldest terminated (Succeeded/Failed) pods beyond terminatedPodGCThreshold;
// - deletes pods bound to nodes that no longer exist — a node missing from the cache is quarantined
//   for quarantineMs and then confirmed gone with a live GET, so a slow informer never costs pods;
// - force-deletes terminating pods that were never scheduled;
// - force-deletes terminating pods on NotReady nodes tainted node.kubernetes.io/out-of-service.
// A pod that is not yet terminal is first marked Failed with a DisruptionTarget condition
// (reason DeletionByPodGC), as upstream does before deleting.
import type { KubeObject } from '../../api/types.js';
import { refs, type Client, type SharedIndexInformer } from '../../client/index.js';
import { realClock, type Clock } from '../../util/clock.js';
import { isReason } from '../../util/errors.js';
import { logger, type Logger } from '../../util/log.js';
import type { Controller } from '../types.js';

export interface PodGCConfig {
  client: Client;
  pods: SharedIndexInformer;
  nodes: SharedIndexInformer;
  /** Terminated pods kept before the oldest are deleted; <= 0 disables (upstream default 12500). */
  terminatedPodThreshold: number;
  /** How often to collect (upstream 20 s). */
  gcPeriodMs?: number;
  /** How long a node must be missing before its pods go (upstream 40 s). */
  quarantineMs?: number;
  clock?: Clock;
  log?: Logger;
}

interface PodLike extends KubeObject {
  spec?: { nodeName?: string };
  status?: { phase?: string; reason?: string; conditions?: { type: string; status: string }[] };
}

const OUT_OF_SERVICE_TAINT = 'node.kubernetes.io/out-of-service';

export class PodGCController implements Controller {
  private readonly clock: Clock;
  private readonly log: Logger;
  private readonly gcPeriodMs: number;
  private readonly quarantineMs: number;
  /** Node name → when we first saw pods bound to it while it was missing from the cache. */
  private readonly missingSince = new Map<string, number>();

  constructor(private readonly cfg: PodGCConfig) {
    if (!cfg.client || !cfg.pods || !cfg.nodes) throw new TypeError('pod-garbage-collector: client and informers are required');
    this.clock = cfg.clock ?? realClock;
    this.log = cfg.log ?? logger('pod-garbage-collector');
    this.gcPeriodMs = cfg.gcPeriodMs ?? 20_000;
    this.quarantineMs = cfg.quarantineMs ?? 40_000;
  }

  async run(_workers: number, signal: AbortSignal): Promise<void> {
    while (!signal.aborted) {
      try {
        await this.gc();
      } catch (err) {
        this.log.warn('pod garbage collection failed', { err });
      }
      try {
        await this.clock.sleep(this.gcPeriodMs, signal);
      } catch {
        return;
      }
    }
  }

  /** One collection pass. */
  async gc(): Promise<void> {
    const pods = this.cfg.pods.lister.list() as PodLike[];
    await this.gcTerminating(pods);
    if (this.cfg.terminatedPodThreshold > 0) await this.gcTerminated(pods);
    await this.gcOrphaned(pods);
    await this.gcUnscheduledTerminating(pods);
  }

  private async gcTerminated(pods: PodLike[]): Promise<void> {
    const terminated = pods.filter((p) => isTerminal(p) && !p.metadata.deletionTimestamp);
    const excess = terminated.length - this.cfg.terminatedPodThreshold;
    if (excess <= 0) return;
    // Evicted pods go first, then the oldest (upstream byEvictionAndCreationTimestamp).
    terminated.sort((a, b) => Number(b.status?.reason === 'Evicted') - Number(a.status?.reason === 'Evicted')
      || Date.parse(a.metadata.creationTimestamp ?? '') - Date.parse(b.metadata.creationTimestamp ?? '')
      || (a.metadata.name ?? '').localeCompare(b.metadata.name ?? ''));
    this.log.info('garbage collecting terminated pods', { count: excess, threshold: this.cfg.terminatedPodThreshold });
    for (const p of terminated.slice(0, excess)) await this.deletePod(p, 'PodGC: terminated pods beyond the threshold');
  }

  private async gcOrphaned(pods: PodLike[]): Promise<void> {
    const now = this.clock.now();
    const bound = new Set(pods.map((p) => p.spec?.nodeName).filter((n): n is string => !!n));
    for (const n of [...this.missingSince.keys()]) if (!bound.has(n) || this.cfg.nodes.lister.get('', n)) this.missingSince.delete(n);
    const deleted = new Set<string>();
    for (const n of bound) {
      if (this.cfg.nodes.lister.get('', n)) continue;
      const since = this.missingSince.get(n);
      if (since === undefined) {
        this.missingSince.set(n, now);
        continue;
      }
      if (now - since < this.quarantineMs) continue;
      // Confirm with the API: the cache may simply be behind.
      try {
        await this.cfg.client.resource(refs.nodes).get(n);
        this.missingSince.delete(n);
      } catch (err) {
        if (!isReason(err, 'NotFound')) throw err;
        deleted.add(n);
      }
    }
    for (const p of pods) {
      const n = p.spec?.nodeName;
      if (!n || !deleted.has(n)) continue;
      this.log.info('deleting orphaned pod', { pod: `${p.metadata.namespace}/${p.metadata.name}`, node: n });
      await this.deletePod(p, 'PodGC: node no longer exists');
    }
    for (const n of deleted) this.missingSince.delete(n);
  }

  private async gcUnscheduledTerminating(pods: PodLike[]): Promise<void> {
    for (const p of pods) {
      if (!p.metadata.deletionTimestamp || p.spec?.nodeName) continue;
      await this.deletePod(p, 'PodGC: unscheduled pod is terminating');
    }
  }

  private async gcTerminating(pods: PodLike[]): Promise<void> {
    const outOfService = new Set<string>();
    for (const n of this.cfg.nodes.lister.list()) {
      const spec = n.spec as { taints?: { key: string; effect: string }[] } | undefined;
      const ready = (n.status as { conditions?: { type: string; status: string }[] } | undefined)?.conditions?.find((c) => c.type === 'Ready');
      if (spec?.taints?.some((t) => t.key === OUT_OF_SERVICE_TAINT) && ready?.status !== 'True') outOfService.add(n.metadata.name!);
    }
    if (!outOfService.size) return;
    for (const p of pods) {
      if (p.metadata.deletionTimestamp && p.spec?.nodeName && outOfService.has(p.spec.nodeName)) {
        await this.deletePod(p, 'PodGC: node is out of service');
      }
    }
  }

  /** Marks a running pod Failed (DisruptionTarget), then deletes it with no grace period. */
  private async deletePod(p: PodLike, message: string): Promise<void> {
    const api = this.cfg.client.resource(refs.pods).namespace(p.metadata.namespace!);
    try {
      if (!isTerminal(p)) {
        const conditions = [
          ...(p.status?.conditions ?? []).filter((c) => c.type !== 'DisruptionTarget'),
          { type: 'DisruptionTarget', status: 'True', reason: 'DeletionByPodGC', message, lastTransitionTime: new Date(this.clock.now()).toISOString().replace(/\.\d+Z$/, 'Z') },
        ];
        await api.patch(p.metadata.name!, 'merge', { status: { phase: 'Failed', conditions } }, { subresource: 'status' });
      }
      await api.delete(p.metadata.name!, { gracePeriodSeconds: 0, preconditions: { uid: p.metadata.uid } });
    } catch (err) {
      if (isReason(err, 'NotFound') || isReason(err, 'Conflict')) return;
      throw err;
    }
  }
}

function isTerminal(p: PodLike): boolean {
  return p.status?.phase === 'Succeeded' || p.status?.phase === 'Failed';
}
