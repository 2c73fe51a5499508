// The garbage collector (upstream pkg/controller/garbagecollector): informers over every deletable
// resource feed the ownership graph; two queues act on it.
// - attempt-to-delete: an object whose owners may all be gone (each owner verified with a live GET,
//   a uid mismatch counting as gone) is deleted in the background; owners that still exist but are
//   being deleted in the foreground have their references removed or unblocked; an owner in a
//   foreground deletion loses its foregroundDeletion finalizer once no blocking dependent is left.
// - attempt-to-orphan: an owner with the orphan finalizer has its reference removed from every
//   dependent, then the finalizer removed.
// Deletes go through a token bucket, so a large orphaned tree is removed at a steady rate.
import type { KubeObject } from '../../api/types.js';
import {
  RateLimitingQueue, TokenBucket, apiVersionFor, deletedObject, runWorkers,
  type Client, type EventRecorder, type SharedIndexInformer,
} from './deps.js';
import { realClock, type Clock } from '../../util/clock.js';
import { logger, type Logger } from '../../util/log.js';
import type { Controller } from '../types.js';
import { Graph, type GraphNode, type ObjectIdentity } from './graph.js';
import { FINALIZER_FOREGROUND, FINALIZER_ORPHAN, GraphBuilder, type GraphEvent } from './graph-builder.js';
import type { MonitoredResource } from './monitors.js';
import { GcOperations } from './operations.js';

const ABSENT_OWNER_CACHE_SIZE = 5000;

export interface GarbageCollectorConfig {
  client: Client;
  /** One informer per monitored resource. */
  monitors: { resource: MonitoredResource; informer: SharedIndexInformer }[];
  clock?: Clock;
  log?: Logger;
  /** Deletes per second across all workers (default 20, burst 100). */
  deleteQps?: number;
  deleteBurst?: number;
  /** For OwnerRefInvalidNamespace warnings. */
  recorder?: EventRecorder;
}

export class GarbageCollector implements Controller {
  readonly graph = new Graph();
  readonly attemptToDelete: RateLimitingQueue<string>;
  readonly attemptToOrphan: RateLimitingQueue<string>;
  private readonly builder: GraphBuilder;
  private readonly ops: GcOperations;
  private readonly clock: Clock;
  private readonly log: Logger;
  private readonly absentOwners = new Set<string>();
  private readonly deleteLimiter: TokenBucket;
  private changes: GraphEvent[] = [];
  private wake?: () => void;

  constructor(private readonly cfg: GarbageCollectorConfig) {
    if (!cfg.client) throw new TypeError('garbage collector: client is required');
    this.clock = cfg.clock ?? realClock;
    this.log = cfg.log ?? logger('garbage-collector');
    this.ops = new GcOperations(cfg.client);
    this.deleteLimiter = new TokenBucket(cfg.deleteQps ?? 20, cfg.deleteBurst ?? 100, this.clock);
    this.attemptToDelete = new RateLimitingQueue<string>({ clock: this.clock, name: 'garbage_collector_attempt_to_delete' });
    this.attemptToOrphan = new RateLimitingQueue<string>({ clock: this.clock, name: 'garbage_collector_attempt_to_orphan' });
    this.builder = new GraphBuilder(this.graph, {
      attemptToDelete: (n) => this.attemptToDelete.add(n.identity.uid),
      attemptToOrphan: (n) => this.attemptToOrphan.add(n.identity.uid),
      absent: (uid) => this.markAbsent(uid),
    });
    for (const m of cfg.monitors) {
      const apiVersion = apiVersionFor(m.resource);
      const id = (o: KubeObject): ObjectIdentity => ({
        apiVersion, kind: m.resource.kind, namespace: o.metadata.namespace ?? '', name: o.metadata.name ?? '', uid: o.metadata.uid ?? '',
      });
      m.informer.addEventHandler({
        add: (o) => this.enqueueChange({ type: 'add', identity: id(o), obj: o }),
        update: (old, o) => this.enqueueChange({ type: 'update', identity: id(o), obj: o, old }),
        delete: (t) => {
          const o = deletedObject(t);
          this.enqueueChange({ type: 'delete', identity: id(o), obj: o });
        },
      });
    }
  }

  /** Informer handlers only record the change; the graph goroutine applies it. */
  enqueueChange(ev: GraphEvent): void {
    if (!ev.identity.uid) return;
    this.changes.push(ev);
    this.wake?.();
  }

  /** Applies every pending graph change (the single graph writer, upstream processGraphChanges). */
  processGraphChanges(): void {
    while (this.changes.length) {
      const batch = this.changes;
      this.changes = [];
      for (const ev of batch) this.builder.process(ev);
    }
  }

  async run(workers: number, signal: AbortSignal): Promise<void> {
    const stop = () => {
      this.attemptToDelete.shutDown();
      this.attemptToOrphan.shutDown();
      this.wake?.();
    };
    signal.addEventListener('abort', stop, { once: true });
    if (signal.aborted) return;
    const graphLoop = (async () => {
      while (!signal.aborted) {
        this.processGraphChanges();
        await new Promise<void>((resolve) => {
          this.wake = resolve;
          if (this.changes.length || signal.aborted) resolve();
        });
        this.wake = undefined;
      }
    })();
    await Promise.all([
      graphLoop,
      runWorkers(this.attemptToDelete, workers, (uid) => this.syncDelete(uid), { log: this.log }),
      runWorkers(this.attemptToOrphan, workers, (uid) => this.syncOrphan(uid), { log: this.log }),
    ]);
  }

  /** Decides about one node (upstream attemptToDeleteItem). Throws to be retried. */
  async syncDelete(uid: string): Promise<void> {
    const node = this.graph.get(uid);
    if (!node) return;
    if (node.virtual) {
      // Only a dependent's reference names this object: does it exist?
      const res = await this.ops.lookup(node.identity);
      if (res.state === 'absent') this.enqueueChange({ type: 'virtualDelete', identity: node.identity });
      return;
    }
    if (node.beingDeleted && !node.deletingDependents) return;
    const res = await this.ops.lookup(node.identity);
    if (res.state === 'absent') {
      this.enqueueChange({ type: 'virtualDelete', identity: node.identity });
      return;
    }
    const latest = res.obj;
    if (latest.metadata.deletionTimestamp && latest.metadata.finalizers?.includes(FINALIZER_FOREGROUND)) {
      await this.processDeletingDependents(node);
      return;
    }
    const refs = latest.metadata.ownerReferences ?? [];
    if (!refs.length) return;
    const solid: string[] = [];
    const dangling = new Set<string>();
    const waiting = new Set<string>();
    for (const ref of refs) {
      const state = await this.classify(node, ref);
      if (state === 'dangling') dangling.add(ref.uid);
      else if (state === 'waiting') waiting.add(ref.uid);
      else solid.push(ref.uid);
    }
    if (solid.length) {
      // A live owner keeps the object; references to gone or foreground-deleting owners are dropped.
      if (dangling.size || waiting.size) {
        this.log.v(2).info('removing references to absent or deleting owners', { object: node.toString(), solid, dangling: [...dangling], waiting: [...waiting] });
        await this.ops.removeOwnerRefs(node.identity, latest, new Set([...dangling, ...waiting]));
      }
      return;
    }
    if (waiting.size && node.dependents.size) {
      // Its owner waits on it: delete it in the foreground too, so the owner goes only after this
      // object's own dependents. Only when one of those dependents is itself deleting its
      // dependents could the two wait on each other: then stop blocking the owner first
      // (upstream attemptToDeleteItem's circle avoidance).
      if ([...node.dependents].some((d) => d.deletingDependents)) await this.ops.unblockOwnerRefs(node.identity, latest, waiting);
      await this.deleteRateLimited(node, 'Foreground');
      return;
    }
    const fins = latest.metadata.finalizers ?? [];
    const policy = fins.includes(FINALIZER_ORPHAN) ? 'Orphan' : fins.includes(FINALIZER_FOREGROUND) ? 'Foreground' : 'Background';
    await this.deleteRateLimited(node, policy);
  }

  /** Whether one owner reference names a live owner, a gone one, or one deleting its dependents first. */
  private async classify(node: GraphNode, ref: { apiVersion: string; kind: string; name: string; uid: string }): Promise<'solid' | 'dangling' | 'waiting'> {
    if (this.absentOwners.has(ref.uid)) return 'dangling';
    const namespaced = this.ops.namespaced(ref.apiVersion, ref.kind);
    // A cluster-scoped object cannot be owned by a namespaced one; owners are looked for in the
    // dependent's own namespace, so a cross-namespace reference never resolves (upstream behaviour).
    if (namespaced && !node.identity.namespace) {
      this.invalidNamespace(node, ref);
      return 'dangling';
    }
    const id: ObjectIdentity = { apiVersion: ref.apiVersion, kind: ref.kind, namespace: namespaced ? node.identity.namespace : '', name: ref.name, uid: ref.uid };
    const res = await this.ops.lookup(id);
    if (res.state === 'absent') {
      const known = this.graph.get(ref.uid);
      if (known && !known.virtual && known.identity.namespace !== id.namespace) this.invalidNamespace(node, ref);
      this.markAbsent(ref.uid);
      return 'dangling';
    }
    const o = res.obj;
    return o.metadata.deletionTimestamp && o.metadata.finalizers?.includes(FINALIZER_FOREGROUND) ? 'waiting' : 'solid';
  }

  /** An owner in a foreground deletion: done when no dependent blocks it (upstream processDeletingDependentsItem). */
  private async processDeletingDependents(node: GraphNode): Promise<void> {
    const blocking = node.blockingDependents();
    if (!blocking.length) {
      this.log.v(2).info('no blocking dependents left; removing foregroundDeletion finalizer', { object: node.toString() });
      await this.ops.removeFinalizer(node.identity, FINALIZER_FOREGROUND);
      return;
    }
    for (const d of blocking) if (!d.deletingDependents) this.attemptToDelete.add(d.identity.uid);
  }

  /** Removes this owner from every dependent's references, then the orphan finalizer (upstream attemptToOrphanWorker). */
  async syncOrphan(uid: string): Promise<void> {
    const node = this.graph.get(uid);
    if (!node) return;
    const owner = await this.ops.lookup(node.identity);
    if (owner.state === 'absent' || !owner.obj.metadata.finalizers?.includes(FINALIZER_ORPHAN)) return;
    for (const d of [...node.dependents]) {
      const res = await this.ops.lookup(d.identity);
      if (res.state === 'absent') continue;
      await this.ops.removeOwnerRefs(d.identity, res.obj, new Set([uid]));
    }
    await this.ops.removeFinalizer(node.identity, FINALIZER_ORPHAN);
  }

  /** The reference names an owner that exists, but in another namespace than the dependent can reach (upstream's warning). */
  private invalidNamespace(node: GraphNode, ref: { apiVersion: string; kind: string; name: string; uid: string }): void {
    const i = node.identity;
    this.cfg.recorder?.record(
      { apiVersion: i.apiVersion, kind: i.kind, namespace: i.namespace || undefined, name: i.name, uid: i.uid },
      'Warning', 'OwnerRefInvalidNamespace', 'GarbageCollect',
      `ownerRef [${ref.apiVersion}/${ref.kind}, namespace: ${i.namespace}, name: ${ref.name}, uid: ${ref.uid}] does not exist in namespace "${i.namespace}"`,
    );
  }

  /** Remembers a gone owner; bounded like upstream's absent-owner LRU (oldest forgotten first). */
  private markAbsent(uid: string): void {
    this.absentOwners.delete(uid);
    this.absentOwners.add(uid);
    if (this.absentOwners.size > ABSENT_OWNER_CACHE_SIZE) this.absentOwners.delete(this.absentOwners.values().next().value!);
  }

  private async deleteRateLimited(node: GraphNode, policy: 'Orphan' | 'Background' | 'Foreground'): Promise<void> {
    await this.deleteLimiter.wait();
    this.log.v(2).info('deleting object', { object: node.toString(), propagationPolicy: policy });
    await this.ops.delete(node.identity, policy);
  }
}
