// The scheduling queue (upstream backend/queue.PriorityQueue): activeQ (heap in QueueSort order),
// backoffQ (heap by backoff expiry: 1 s doubling per attempt up to 10 s) and the unschedulable pods,
// which cluster events move back when a plugin that rejected them registered that event. Pods
// stuck unschedulable for 5 minutes are retried anyway.
import { realClock } from '../../util/clock.js';
import type { Clock, Timer } from '../../util/clock.js';
import type { ClusterEvent, PodInfo, PodNominator, QueuedPodInfo, StatusLike } from '../framework/index.js';
import { PodInfo as PodInfoClass } from '../framework/index.js';
import type { Pod } from '../types.js';
import { podKey } from '../types.js';
import { Heap } from './heap.js';
import { Nominator } from './nominator.js';

export interface QueueOptions {
  clock?: Clock;
  /** QueueSort order (Framework.less); default priority then timestamp. */
  less?: (a: QueuedPodInfo, b: QueuedPodInfo) => boolean;
  /** PreEnqueue plugins (Framework.runPreEnqueuePlugins); a failure keeps the pod gated. */
  preEnqueue?: (pod: Pod) => StatusLike;
  /** Plugin name → events that can resolve its rejections (Framework.enqueueEvents). */
  enqueueEvents?: ReadonlyMap<string, readonly ClusterEvent[]>;
  podInitialBackoffMs?: number;
  podMaxBackoffMs?: number;
  podMaxInUnschedulablePodsDurationMs?: number;
}

const ALWAYS_MOVE: ReadonlySet<ClusterEvent> = new Set(['WildCard', 'UnschedulableTimeout', 'ForceActivate']);

function defaultLess(a: QueuedPodInfo, b: QueuedPodInfo): boolean {
  const pa = a.pod.spec.priority ?? 0, pb = b.pod.spec.priority ?? 0;
  return pa > pb || (pa === pb && a.timestamp < b.timestamp);
}

/** Whether anything but status and bookkeeping metadata changed (upstream isPodUpdated). */
function isPodUpdated(oldPod: Pod, newPod: Pod): boolean {
  const strip = (p: Pod) => JSON.stringify({ ...p, status: undefined, metadata: { ...p.metadata, resourceVersion: undefined, generation: undefined, managedFields: undefined } });
  return strip(oldPod) !== strip(newPod);
}

export class SchedulingQueue implements PodNominator {
  readonly clock: Clock;
  private readonly initialBackoff: number;
  private readonly maxBackoff: number;
  private readonly maxUnschedulable: number;
  private readonly preEnqueue: (pod: Pod) => StatusLike;
  private readonly events: ReadonlyMap<string, readonly ClusterEvent[]>;
  private readonly activeQ: Heap<QueuedPodInfo>;
  private readonly backoffQ: Heap<QueuedPodInfo>;
  private readonly unschedulable = new Map<string, QueuedPodInfo>();
  private readonly inFlight = new Set<string>();
  readonly nominator = new Nominator();
  private cycle = 0;
  /** The scheduling cycle of the last move request: pods failing in an earlier cycle retry via backoff. */
  private moveRequestCycle = -1;
  private waiters: ((p: QueuedPodInfo | undefined) => void)[] = [];
  private timers: Timer[] = [];
  private closed = false;

  constructor(opts: QueueOptions = {}) {
    this.clock = opts.clock ?? realClock;
    this.initialBackoff = opts.podInitialBackoffMs ?? 1000;
    this.maxBackoff = opts.podMaxBackoffMs ?? 10_000;
    this.maxUnschedulable = opts.podMaxInUnschedulablePodsDurationMs ?? 5 * 60_000;
    this.preEnqueue = opts.preEnqueue ?? (() => undefined);
    this.events = opts.enqueueEvents ?? new Map();
    const key = (q: QueuedPodInfo) => podKey(q.pod);
    this.activeQ = new Heap(key, opts.less ?? defaultLess);
    this.backoffQ = new Heap(key, (a, b) => this.backoffExpiry(a) < this.backoffExpiry(b));
  }

  private newQueued(pod: Pod): QueuedPodInfo {
    const pi = new PodInfoClass(pod);
    return {
      podInfo: pi, get pod() { return this.podInfo.pod; }, timestamp: this.clock.now(), attempts: 0,
      unschedulablePlugins: new Set(), pendingPlugins: new Set(), gated: false,
    };
  }

  /** Backoff for the attempts so far: initial × 2^(attempts−1), capped at max (upstream calculateBackoffDuration). */
  backoffDuration(q: QueuedPodInfo): number {
    if (q.attempts === 0) return 0;
    let d = this.initialBackoff;
    for (let i = 1; i < q.attempts; i++) {
      if (d > this.maxBackoff - d) return this.maxBackoff;
      d += d;
    }
    return d;
  }

  backoffExpiry(q: QueuedPodInfo): number {
    return q.timestamp + this.backoffDuration(q);
  }

  isBackingOff(q: QueuedPodInfo): boolean {
    return this.backoffExpiry(q) > this.clock.now();
  }

  /** Puts q in activeQ unless a PreEnqueue plugin gates it (then it waits with the unschedulable pods). */
  private moveToActive(q: QueuedPodInfo): boolean {
    const s = this.preEnqueue(q.pod);
    const key = podKey(q.pod);
    if (s && s.code !== 'Success') {
      q.gated = true;
      if (s.plugin) q.unschedulablePlugins = new Set([s.plugin]);
      this.unschedulable.set(key, q);
      this.backoffQ.delete(key);
      return false;
    }
    q.gated = false;
    this.activeQ.addOrUpdate(q);
    this.unschedulable.delete(key);
    this.backoffQ.delete(key);
    this.wake();
    return true;
  }

  private wake(): void {
    while (this.waiters.length && this.activeQ.size) {
      const w = this.waiters.shift()!;
      w(this.popNow());
    }
  }

  // ---- informer-facing ----

  /** A new pending pod (upstream Add). */
  add(pod: Pod): void {
    const q = this.newQueued(pod);
    this.moveToActive(q);
    this.nominator.add(q.podInfo);
  }

  /** A pending pod changed (upstream Update). */
  update(oldPod: Pod, pod: Pod): void {
    const key = podKey(pod);
    for (const heap of [this.activeQ, this.backoffQ]) {
      const q = heap.get(key);
      if (q) {
        q.podInfo = new PodInfoClass(pod);
        heap.addOrUpdate(q);
        this.nominator.update(oldPod, q.podInfo);
        return;
      }
    }
    const q = this.unschedulable.get(key);
    if (q) {
      q.podInfo = new PodInfoClass(pod);
      this.nominator.update(oldPod, q.podInfo);
      if (!isPodUpdated(oldPod, pod)) return;
      // The pod's own spec changed: retry if a rejecting plugin cares (gates removed, tolerations added, ...).
      if (q.gated || this.helps(q, 'UnscheduledPodUpdate')) {
        if (!q.gated && this.isBackingOff(q)) {
          this.unschedulable.delete(key);
          this.backoffQ.addOrUpdate(q);
        } else {
          this.moveToActive(q);
        }
      }
      return;
    }
    if (!this.inFlight.has(key)) this.add(pod);
  }

  /** A pending pod was deleted or got bound elsewhere (upstream Delete). */
  delete(pod: Pod): void {
    const key = podKey(pod);
    this.nominator.delete(pod);
    this.activeQ.delete(key);
    this.backoffQ.delete(key);
    this.unschedulable.delete(key);
  }

  /** A pod was bound (seen assigned): pods waiting for affinity or spread may fit now. */
  assignedPodAdded(_pod: Pod): void {
    this.moveAllToActiveOrBackoffQueue('AssignedPodAdd');
  }

  assignedPodUpdated(_oldPod: Pod, _pod: Pod): void {
    this.moveAllToActiveOrBackoffQueue('AssignedPodUpdate');
  }

  assignedPodDeleted(_pod: Pod): void {
    this.moveAllToActiveOrBackoffQueue('AssignedPodDelete');
  }

  // ---- scheduler-facing ----

  /** The next pod to schedule; waits while activeQ is empty; undefined after close(). */
  pop(signal?: AbortSignal): Promise<QueuedPodInfo | undefined> {
    if (this.closed) return Promise.resolve(undefined);
    if (this.activeQ.size) return Promise.resolve(this.popNow());
    return new Promise((resolve) => {
      const onAbort = () => {
        this.waiters = this.waiters.filter((w) => w !== waiter);
        resolve(undefined);
      };
      const waiter = (p: QueuedPodInfo | undefined) => {
        signal?.removeEventListener('abort', onAbort);
        resolve(p);
      };
      if (signal?.aborted) return resolve(undefined);
      signal?.addEventListener('abort', onAbort, { once: true });
      this.waiters.push(waiter);
    });
  }

  /** The next pod if one is ready now. */
  tryPop(): QueuedPodInfo | undefined {
    return this.activeQ.size ? this.popNow() : undefined;
  }

  private popNow(): QueuedPodInfo {
    const q = this.activeQ.pop()!;
    this.cycle++;
    q.attempts++;
    q.initialAttemptTimestamp ??= this.clock.now();
    this.inFlight.add(podKey(q.pod));
    return q;
  }

  /** The cycle number of the last pop (pass it back to addUnschedulableIfNotPresent). */
  schedulingCycle(): number {
    return this.cycle;
  }

  /** The scheduling attempt for this pod finished (success or requeued). */
  done(pod: Pod): void {
    this.inFlight.delete(podKey(pod));
  }

  /**
   * Requeues a pod that failed in cycle `podCycle` (upstream AddUnschedulableIfNotPresent): to
   * backoffQ if a move request came in meanwhile or it failed on an error, else unschedulable.
   */
  addUnschedulableIfNotPresent(q: QueuedPodInfo, podCycle: number): void {
    const key = podKey(q.pod);
    this.inFlight.delete(key);
    if (this.activeQ.has(key) || this.backoffQ.has(key) || this.unschedulable.has(key)) return;
    q.timestamp = this.clock.now();
    this.nominator.add(q.podInfo);
    if (this.moveRequestCycle >= podCycle || q.unschedulablePlugins.size === 0) this.backoffQ.addOrUpdate(q);
    else this.unschedulable.set(key, q);
  }

  /** Puts these pods in activeQ now, wherever they wait (upstream Activate). */
  activate(pods: Pod[]): void {
    for (const pod of pods) {
      const key = podKey(pod);
      const q = this.unschedulable.get(key) ?? this.backoffQ.get(key);
      if (q) this.moveToActive(q);
    }
  }

  private helps(q: QueuedPodInfo, event: ClusterEvent): boolean {
    if (ALWAYS_MOVE.has(event) || q.unschedulablePlugins.size === 0) return true;
    for (const p of q.unschedulablePlugins) if (this.events.get(p)?.includes(event)) return true;
    for (const p of q.pendingPlugins) if (this.events.get(p)?.includes(event)) return true;
    return false;
  }

  /** A cluster event: retries every unschedulable pod it may help (upstream MoveAllToActiveOrBackoffQueue). */
  moveAllToActiveOrBackoffQueue(event: ClusterEvent, preCheck?: (pod: Pod) => boolean): number {
    let moved = 0;
    for (const [key, q] of [...this.unschedulable]) {
      if (preCheck && !preCheck(q.pod)) continue;
      if (!this.helps(q, event)) continue;
      if (!q.gated && this.isBackingOff(q)) {
        this.unschedulable.delete(key);
        this.backoffQ.addOrUpdate(q);
        moved++;
      } else if (this.moveToActive(q)) {
        moved++;
      }
    }
    this.moveRequestCycle = this.cycle;
    return moved;
  }

  /** Moves pods whose backoff expired to activeQ (upstream flushBackoffQCompleted, every second). */
  flushBackoffQCompleted(): void {
    const now = this.clock.now();
    for (;;) {
      const q = this.backoffQ.peek();
      if (!q || this.backoffExpiry(q) > now) break;
      this.backoffQ.pop();
      this.moveToActive(q);
    }
  }

  /** Retries pods unschedulable for longer than the limit (upstream flushUnschedulablePodsLeftover). */
  flushUnschedulablePodsLeftover(): void {
    const now = this.clock.now();
    const stale = [...this.unschedulable.values()].filter((q) => now - q.timestamp > this.maxUnschedulable);
    const keys = new Set(stale.map((q) => podKey(q.pod)));
    if (stale.length) this.moveAllToActiveOrBackoffQueue('UnschedulableTimeout', (p) => keys.has(podKey(p)));
  }

  /** Starts the periodic flushes: backoff every second, unschedulable leftovers every 30 s. */
  run(): void {
    const every = (ms: number, fn: () => void) => {
      const tick = () => {
        if (this.closed) return;
        fn();
        this.timers.push(this.clock.setTimer(ms, tick));
      };
      this.timers.push(this.clock.setTimer(ms, tick));
    };
    every(1000, () => this.flushBackoffQCompleted());
    every(30_000, () => this.flushUnschedulablePodsLeftover());
  }

  /** Stops the flushes and releases pop() waiters with undefined. */
  close(): void {
    this.closed = true;
    for (const t of this.timers) t.cancel();
    this.timers = [];
    for (const w of this.waiters.splice(0)) w(undefined);
  }

  // ---- nominator ----

  nominatedPodsForNode(nodeName: string): readonly PodInfo[] {
    return this.nominator.nominatedPodsForNode(nodeName);
  }

  /** Counts per sub-queue (upstream PendingPods / metrics). */
  pending(): { active: number; backoff: number; unschedulable: number; gated: number } {
    let gated = 0;
    for (const q of this.unschedulable.values()) if (q.gated) gated++;
    return { active: this.activeQ.size, backoff: this.backoffQ.size, unschedulable: this.unschedulable.size - gated, gated };
  }

  /** Where a pod waits now, for tests and debugging. */
  where(pod: Pod): 'active' | 'backoff' | 'unschedulable' | 'gated' | 'inFlight' | undefined {
    const key = podKey(pod);
    if (this.activeQ.has(key)) return 'active';
    if (this.backoffQ.has(key)) return 'backoff';
    const u = this.unschedulable.get(key);
    if (u) return u.gated ? 'gated' : 'unschedulable';
    if (this.inFlight.has(key)) return 'inFlight';
    return undefined;
  }
}
