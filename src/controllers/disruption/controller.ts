// The disruption controller (upstream pkg/controller/disruption/disruption.go): computes each
// PodDisruptionBudget's status — expected pods (from the selected pods' controllers' scale), healthy
// pods, how many are desired healthy and so how many disruptions are allowed — and forgets entries of
// status.disruptedPods whose eviction did not delete the pod within 2 minutes.
import { labelSelectorFromObject } from '../../api/selectors/index.js';
import type { KubeObject } from '../../api/types.js';
import type { Client, EventRecorder, SharedIndexInformer, SharedInformerFactory } from '../../client/index.js';
import { RateLimitingQueue, deletedObject, objectKey, refs, runWorkers, splitKey } from '../../client/index.js';
import { realClock, type Clock } from '../../util/clock.js';
import { logger, type Logger } from '../../util/log.js';
import { getControllerOf, isPodReady, type Pod } from '../controller-utils/index.js';
import type { Controller } from '../types.js';

type Obj = Record<string, any>;
type PDB = KubeObject & { spec?: Obj; status?: Obj };
type Workload = KubeObject & { spec?: Obj; status?: Obj };

/** Upstream DeletionTimeout: an evicted pod not deleted within this long is no longer counted as disrupted. */
export const DELETION_TIMEOUT_MS = 2 * 60_000;
const noRecorder: EventRecorder = { record: () => {} };

export interface DisruptionControllerOptions {
  client: Client;
  informers: SharedInformerFactory;
  recorder?: EventRecorder;
  clock?: Clock;
  log?: Logger;
}

/** An int-or-percent of total, rounded up (upstream GetScaledValueFromIntOrPercent(…, true)). */
export function scaledUp(v: number | string, total: number): number {
  if (typeof v === 'number') return v;
  const m = /^(\d+)%$/.exec(v);
  if (!m) throw new Error(`invalid value for IntOrString: invalid value ${JSON.stringify(v)}`);
  return Math.ceil((Number(m[1]) * total) / 100);
}

export class DisruptionController implements Controller {
  readonly queue: RateLimitingQueue<string>;
  private readonly client: Client;
  private readonly clock: Clock;
  private readonly log: Logger;
  private readonly recorder: EventRecorder;
  private readonly pdbs: SharedIndexInformer<PDB>;
  private readonly pods: SharedIndexInformer<Pod>;
  private readonly rcs: SharedIndexInformer<Workload>;
  private readonly rss: SharedIndexInformer<Workload>;
  private readonly deployments: SharedIndexInformer<Workload>;
  private readonly statefulsets: SharedIndexInformer<Workload>;

  constructor(opts: DisruptionControllerOptions) {
    this.client = opts.client;
    this.clock = opts.clock ?? realClock;
    this.log = opts.log ?? logger('disruption-controller');
    this.recorder = opts.recorder ?? noRecorder;
    this.queue = new RateLimitingQueue<string>({ clock: this.clock, name: 'disruption' });
    this.pdbs = opts.informers.forResource<PDB>(refs.poddisruptionbudgets);
    this.pods = opts.informers.forResource<Pod>(refs.pods);
    this.rcs = opts.informers.forResource<Workload>(refs.replicationcontrollers);
    this.rss = opts.informers.forResource<Workload>(refs.replicasets);
    this.deployments = opts.informers.forResource<Workload>(refs.deployments);
    this.statefulsets = opts.informers.forResource<Workload>(refs.statefulsets);
    this.pdbs.addEventHandler({
      add: (p) => this.queue.add(objectKey(p)),
      update: (_o, p) => this.queue.add(objectKey(p)),
      delete: (p) => this.queue.add(objectKey(deletedObject(p))),
    });
    const onPod = (p: Pod) => {
      for (const pdb of this.pdbs.lister.listNamespace(p.metadata.namespace ?? '')) {
        if (pdb.spec?.selector && labelSelectorFromObject(pdb.spec.selector).matches(p.metadata.labels)) this.queue.add(objectKey(pdb));
      }
    };
    this.pods.addEventHandler({ add: onPod, update: (_o, p) => onPod(p), delete: (p) => onPod(deletedObject(p)) });
  }

  async run(workers: number, signal: AbortSignal): Promise<void> {
    signal.addEventListener('abort', () => this.queue.shutDown(), { once: true });
    await runWorkers(this.queue, workers, (k) => this.sync(k), { log: this.log });
  }

  /** One upstream sync: trySync, and on any error the fail-safe status (no disruptions allowed). */
  async sync(key: string): Promise<void> {
    const { namespace, name } = splitKey(key);
    const pdb = this.pdbs.lister.get(namespace, name);
    if (!pdb) return;
    try {
      await this.trySync(pdb);
    } catch (err) {
      this.log.v(2).info('failed to sync pdb', { pdb: key, err: String(err) });
      await this.writeStatus(pdb, { ...(pdb.status ?? {}), disruptionsAllowed: 0 }, 'False', 'SyncFailed', err instanceof Error ? err.message : String(err));
    }
  }

  private async trySync(pdb: PDB): Promise<void> {
    const ns = pdb.metadata.namespace!;
    const now = this.clock.now();
    // A PDB without a selector selects nothing; an empty one selects every pod (policy/v1).
    const pods = pdb.spec?.selector ? this.pods.lister.listNamespace(ns, labelSelectorFromObject(pdb.spec.selector)) : [];
    if (!pods.length) this.recorder.record(pdb, 'Normal', 'NoPods', 'Sync', 'No matching pods found');
    const { expectedCount, desiredHealthy, unmanaged } = this.expectedPodCount(pdb, pods);
    if (unmanaged.length) {
      this.recorder.record(pdb, 'Warning', 'UnmanagedPods', 'Sync', `Pods selected by this PodDisruptionBudget (selector: ${JSON.stringify(pdb.spec?.selector)}) were found to be unmanaged. As a result, the status of the PDB cannot be calculated correctly, which may result in undefined behavior. To account for these pods please set ".spec.minAvailable" field of the PDB to an integer value.`);
    }
    // Disrupted pods: forget those deleted, and those whose deletion is overdue.
    const disrupted: Record<string, string> = {};
    let recheck: number | undefined;
    const recorded: Record<string, string> = pdb.status?.disruptedPods ?? {};
    for (const p of pods) {
      if (p.metadata.deletionTimestamp) continue;
      const at = recorded[p.metadata.name!];
      if (!at) continue;
      const due = Date.parse(at) + DELETION_TIMEOUT_MS;
      if (due < now) {
        this.recorder.record(pdb, 'Warning', 'NotDeleted', 'Sync', `Pod ${ns}/${p.metadata.name} was expected to be deleted at ${new Date(due).toISOString()} but it wasn't, updating pdb`);
        continue;
      }
      disrupted[p.metadata.name!] = at;
      recheck = recheck === undefined ? due : Math.min(recheck, due);
    }
    const currentHealthy = pods.filter((p) => !p.metadata.deletionTimestamp && !disrupted[p.metadata.name!] && isPodReady(p)).length;
    let allowed = currentHealthy - desiredHealthy;
    if (expectedCount <= 0 || allowed <= 0) allowed = 0;
    const status: Obj = {
      ...(pdb.status ?? {}), currentHealthy, desiredHealthy, expectedPods: expectedCount, disruptionsAllowed: allowed,
    };
    if (Object.keys(disrupted).length) status.disruptedPods = disrupted;
    else delete status.disruptedPods;
    await this.writeStatus(pdb, status, allowed > 0 ? 'True' : 'False', allowed > 0 ? 'SufficientPods' : 'InsufficientPods', '');
    if (recheck !== undefined) this.queue.addAfter(objectKey(pdb), Math.max(0, recheck - now));
  }

  // Upstream getExpectedPodCount: maxUnavailable and percentage minAvailable are relative to the
  // controllers' scale; an integer minAvailable only to the pods found.
  private expectedPodCount(pdb: PDB, pods: Pod[]): { expectedCount: number; desiredHealthy: number; unmanaged: string[] } {
    const spec = pdb.spec ?? {};
    if (spec.maxUnavailable !== undefined && spec.maxUnavailable !== null) {
      const { scale, unmanaged } = this.expectedScale(pods);
      const maxUnavailable = scaledUp(spec.maxUnavailable, scale);
      return { expectedCount: scale, desiredHealthy: Math.max(0, scale - maxUnavailable), unmanaged };
    }
    if (typeof spec.minAvailable === 'number') return { expectedCount: pods.length, desiredHealthy: spec.minAvailable, unmanaged: [] };
    if (typeof spec.minAvailable === 'string') {
      const { scale, unmanaged } = this.expectedScale(pods);
      return { expectedCount: scale, desiredHealthy: scaledUp(spec.minAvailable, scale), unmanaged };
    }
    return { expectedCount: pods.length, desiredHealthy: 0, unmanaged: [] };
  }

  // Sum of the replicas of every distinct controller of the pods (found via ownerReferences).
  private expectedScale(pods: Pod[]): { scale: number; unmanaged: string[] } {
    const byUid = new Map<string, number>();
    const unmanaged: string[] = [];
    for (const p of pods) {
      const ref = getControllerOf(p);
      if (!ref) {
        unmanaged.push(p.metadata.name!);
        continue;
      }
      if (byUid.has(ref.uid)) continue;
      const found = this.scaleOf(p.metadata.namespace!, ref);
      if (!found) throw new Error(`found no controllers for pod ${JSON.stringify(p.metadata.name)}`);
      byUid.set(found.uid, found.replicas);
    }
    return { scale: [...byUid.values()].reduce((a, b) => a + b, 0), unmanaged };
  }

  // The finders of upstream: ReplicationController, Deployment (through its ReplicaSet), ReplicaSet, StatefulSet.
  private scaleOf(ns: string, ref: { kind: string; name: string; uid: string; apiVersion: string }): { uid: string; replicas: number } | undefined {
    const match = (o: Workload | undefined) => (o && o.metadata.uid === ref.uid ? o : undefined);
    const replicas = (o: Workload) => o.spec?.replicas ?? 1;
    if (ref.kind === 'ReplicationController' && ref.apiVersion === 'v1') {
      const rc = match(this.rcs.lister.get(ns, ref.name));
      return rc ? { uid: rc.metadata.uid!, replicas: replicas(rc) } : undefined;
    }
    if (ref.kind === 'ReplicaSet' && ref.apiVersion.startsWith('apps/')) {
      const rs = match(this.rss.lister.get(ns, ref.name));
      if (!rs) return undefined;
      const dref = getControllerOf(rs);
      if (dref?.kind === 'Deployment') {
        const d = this.deployments.lister.get(ns, dref.name);
        if (d && d.metadata.uid === dref.uid) return { uid: d.metadata.uid!, replicas: replicas(d) };
        return undefined;
      }
      return { uid: rs.metadata.uid!, replicas: replicas(rs) };
    }
    if (ref.kind === 'StatefulSet' && ref.apiVersion.startsWith('apps/')) {
      const s = match(this.statefulsets.lister.get(ns, ref.name));
      return s ? { uid: s.metadata.uid!, replicas: replicas(s) } : undefined;
    }
    return undefined;
  }

  private async writeStatus(pdb: PDB, status: Obj, condStatus: 'True' | 'False', reason: string, message: string): Promise<void> {
    const now = new Date(this.clock.now()).toISOString().replace(/\.\d+Z$/, 'Z');
    const conds: Obj[] = [...(pdb.status?.conditions ?? [])];
    const i = conds.findIndex((c) => c.type === 'DisruptionAllowed');
    const prev = i >= 0 ? conds[i] : undefined;
    const cond = {
      type: 'DisruptionAllowed', status: condStatus, reason, message, observedGeneration: pdb.metadata.generation ?? 0,
      lastTransitionTime: prev && prev.status === condStatus ? prev.lastTransitionTime : now,
    };
    if (i >= 0) conds[i] = cond;
    else conds.push(cond);
    const next = { ...status, conditions: conds, observedGeneration: pdb.metadata.generation ?? 0 };
    if (JSON.stringify(canon(next)) === JSON.stringify(canon(pdb.status ?? {}))) return;
    await this.client.resource<PDB>(refs.poddisruptionbudgets).namespace(pdb.metadata.namespace!).updateStatus({ ...pdb, status: next });
  }
}

function canon(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(canon);
  if (v && typeof v === 'object') return Object.fromEntries(Object.keys(v).sort().map((k) => [k, canon((v as Obj)[k])]));
  return v;
}
