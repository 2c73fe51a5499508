// The scheduling loop (upstream pkg/scheduler schedule_one.go): pop a pod, run the scheduling
// cycle against a fresh snapshot (filter → score → pick), assume it in the cache, then bind
// asynchronously while the next pod is scheduled. The outside world plugs in through HandleDeps
// (bind, evictions, listers), the informer handlers below, and an EventSink for events and status.
import { realClock } from '../util/clock.js';
import type { Clock } from '../util/clock.js';
import { logger } from '../util/log.js';
import { Cache } from './cache/index.js';
import { Snapshot } from './cache/index.js';
import type { KubeSchedulerConfiguration } from './config/index.js';
import { setDefaults } from './config/index.js';
import type { ClusterEvent, HandleDeps, NodeInfo, NodeToStatus, PostFilterResult, QueuedPodInfo, Registry } from './framework/index.js';
import { CycleState, FitError, Framework, Status, isRejected, isSuccess, newDiagnosis, numFeasibleNodesToFind, selectBestIndex, selectHost } from './framework/index.js';
import type { Diagnosis } from './framework/index.js';
import { SchedulingQueue } from './queue/index.js';
import { nodeSchedulingPropertiesChanged } from './node-changes.js';
import { inTreeRegistry } from './registry.js';
import type { Node, Pod } from './types.js';
import { podName } from './types.js';

const log = logger('scheduler');

export const ERR_NO_NODES_AVAILABLE = 'no nodes available to schedule pods';

export interface SchedulingFailure {
  /** The PodScheduled=False condition reason: Unschedulable (no fit) or SchedulerError. */
  reason: 'Unschedulable' | 'SchedulerError';
  /** The FailedScheduling event message, e.g. "0/5 nodes are available: 5 Insufficient cpu. preemption: …". */
  message: string;
  /** Set when preemption nominated a node ('' clears a previous nomination). */
  nominatedNodeName?: string;
  fitError?: FitError;
}

/** Where scheduling outcomes go: events and the pod's PodScheduled condition / nominatedNodeName. */
export interface EventSink {
  /** Bound: event Normal "Scheduled" with message "Successfully assigned ns/name to node". */
  scheduled?(pod: Pod, nodeName: string, message: string): void;
  /** Not scheduled: event Warning "FailedScheduling", condition PodScheduled=False, nominatedNodeName. */
  failed?(pod: Pod, failure: SchedulingFailure): void | Promise<void>;
}

export interface SchedulerOptions extends HandleDeps {
  /** Defaulted KubeSchedulerConfiguration; default: upstream defaults with one default-scheduler profile. */
  config?: KubeSchedulerConfiguration;
  registry?: Registry;
  clock?: Clock;
  events?: EventSink;
  /** Assumed pod expiry after binding finished; default 15 minutes. */
  assumedPodTTLMs?: number;
}

export interface ScheduleResult {
  suggestedHost: string;
  evaluatedNodes: number;
  feasibleNodes: number;
}

/** One attempt's outcome; `binding` settles when the binding cycle is over. */
export interface AttemptOutcome {
  pod: Pod;
  node?: string;
  failure?: SchedulingFailure;
  binding: Promise<boolean>;
}

export class Scheduler {
  readonly cache: Cache;
  readonly queue: SchedulingQueue;
  readonly profiles = new Map<string, Framework>();
  readonly config: KubeSchedulerConfiguration;
  private readonly clock: Clock;
  private readonly events: EventSink;
  private readonly snapshot = new Snapshot();
  private nextStartNodeIndex = 0;
  private readonly bindings = new Set<Promise<boolean>>();

  constructor(opts: SchedulerOptions = {}) {
    this.config = opts.config ?? setDefaults();
    this.clock = opts.clock ?? realClock;
    this.events = opts.events ?? {};
    this.cache = new Cache({ clock: this.clock, assumedPodTTLMs: opts.assumedPodTTLMs });
    const registry = opts.registry ?? inTreeRegistry;
    // The queue is built after the frameworks (it needs their sort order); look it up lazily.
    const nominator = { nominatedPodsForNode: (n: string) => this.queue.nominatedPodsForNode(n), hasNominatedPods: () => this.queue.nominator.hasNominatedPods() };
    for (const p of this.config.profiles) {
      const fwk = new Framework(registry, p, { ...opts, clock: this.clock, nominator });
      fwk.setSnapshot(this.snapshot);
      this.profiles.set(p.schedulerName, fwk);
    }
    const first = this.profiles.values().next().value as Framework | undefined;
    const enqueueEvents = new Map<string, readonly ClusterEvent[]>();
    for (const f of this.profiles.values()) for (const [k, v] of f.enqueueEvents) enqueueEvents.set(k, v);
    this.queue = new SchedulingQueue({
      clock: this.clock,
      less: first ? (a, b) => first.less(a, b) : undefined,
      preEnqueue: (pod) => this.frameworkFor(pod)?.runPreEnqueuePlugins(pod),
      enqueueEvents,
      podInitialBackoffMs: this.config.podInitialBackoffSeconds * 1000,
      podMaxBackoffMs: this.config.podMaxBackoffSeconds * 1000,
    });
  }

  /** The profile for the pod's spec.schedulerName (default-scheduler when unset), if this scheduler serves it. */
  frameworkFor(pod: Pod): Framework | undefined {
    return this.profiles.get(pod.spec.schedulerName || 'default-scheduler');
  }

  // ---- informer handlers (the wiring calls these) ----

  onPodAdd(pod: Pod): void {
    if (pod.spec.nodeName) {
      if (isTerminal(pod)) return;
      this.safe(() => this.cache.addPod(pod));
      this.queue.assignedPodAdded(pod);
    } else if (this.frameworkFor(pod)) {
      this.queue.add(pod);
    }
  }

  onPodUpdate(oldPod: Pod, pod: Pod): void {
    if (pod.spec.nodeName) {
      if (isTerminal(pod)) return this.onPodDelete(oldPod);
      if (!oldPod.spec.nodeName) {
        // Bound: it leaves the queue and its assumed copy is confirmed.
        this.queue.delete(pod);
        this.safe(() => this.cache.addPod(pod));
        this.queue.assignedPodAdded(pod);
      } else {
        this.safe(() => (this.cache.getPod(oldPod) ? this.cache.updatePod(oldPod, pod) : this.cache.addPod(pod)));
        this.queue.assignedPodUpdated(oldPod, pod);
      }
    } else if (this.frameworkFor(pod) && !this.cache.isAssumedPod(pod)) {
      this.queue.update(oldPod, pod);
    }
  }

  onPodDelete(pod: Pod): void {
    if (pod.spec.nodeName || this.cache.getPod(pod)) {
      this.safe(() => this.cache.removePod(pod));
      this.queue.assignedPodDeleted(pod);
    } else {
      this.queue.delete(pod);
    }
  }

  onNodeAdd(node: Node): void {
    this.cache.addNode(node);
    this.queue.moveAllToActiveOrBackoffQueue('NodeAdd');
  }

  onNodeUpdate(oldNode: Node, node: Node): void {
    this.cache.updateNode(oldNode, node);
    if (nodeSchedulingPropertiesChanged(oldNode, node)) this.queue.moveAllToActiveOrBackoffQueue('NodeUpdate');
  }

  onNodeDelete(node: Node): void {
    this.cache.removeNode(node);
  }

  private safe(fn: () => void): void {
    try {
      fn();
    } catch (e) {
      log.warn('scheduler cache', { err: e instanceof Error ? e.message : String(e) });
    }
  }

  // ---- scheduling ----

  /**
   * Picks a node for the pod (upstream schedulePod); throws FitError when none fits and Error when
   * a plugin fails. Refreshes the snapshot first.
   */
  schedulePod(fwk: Framework, state: CycleState, pod: Pod): ScheduleResult {
    this.cache.updateSnapshot(this.snapshot);
    if (this.snapshot.numNodes() === 0) throw new Error(ERR_NO_NODES_AVAILABLE);
    const { feasible, diagnosis } = this.findNodesThatFitPod(fwk, state, pod);
    if (feasible.length === 0) throw new FitError(pod, this.snapshot.numNodes(), diagnosis);
    if (feasible.length === 1) return { suggestedHost: feasible[0]!.name, evaluatedNodes: 1 + diagnosis.nodeToStatus.size, feasibleNodes: 1 };
    const host = this.prioritizeAndSelect(fwk, state, pod, feasible);
    return { suggestedHost: host, evaluatedNodes: feasible.length + diagnosis.nodeToStatus.size, feasibleNodes: feasible.length };
  }

  private findNodesThatFitPod(fwk: Framework, state: CycleState, pod: Pod): { feasible: NodeInfo[]; diagnosis: Diagnosis } {
    const diagnosis = newDiagnosis();
    const all = this.snapshot.list();
    const pre = fwk.runPreFilterPlugins(state, pod, all);
    if (!isSuccess(pre.status)) {
      const s = pre.status!;
      if (!isRejected(s)) throw s.err ?? new Error(s.message());
      // Every node carries the PreFilter status so preemption sees it; the message is reported once.
      for (const ni of all) diagnosis.nodeToStatus.set(ni.name, s);
      diagnosis.preFilterMsg = s.message();
      if (s.plugin) diagnosis.unschedulablePlugins.add(s.plugin);
      return { feasible: [], diagnosis };
    }
    // A node nominated by an earlier preemption is likely the only fit: try it first.
    const nominated = pod.status?.nominatedNodeName;
    if (nominated) {
      const ni = this.snapshot.get(nominated);
      if (ni) {
        const s = fwk.runFilterPluginsWithNominatedPods(state, pod, ni);
        if (s && s.code === 'Error') throw s.err ?? new Error(s.message());
        if (isSuccess(s)) return { feasible: [ni], diagnosis };
      }
    }
    let nodes: readonly NodeInfo[] = all;
    const names = pre.result?.nodeNames;
    if (names) {
      nodes = [...names].map((n) => this.snapshot.get(n)).filter((x): x is NodeInfo => !!x);
      const absent = Status.unresolvable(`node(s) didn't satisfy plugin(s) [${[...diagnosis.unschedulablePlugins].join(' ')}]`);
      for (const ni of all) if (!names.has(ni.name)) diagnosis.nodeToStatus.set(ni.name, absent);
    }
    const feasible = this.findNodesThatPassFilters(fwk, state, pod, diagnosis, nodes);
    const processed = feasible.length + diagnosis.nodeToStatus.size;
    if (all.length) this.nextStartNodeIndex = (this.nextStartNodeIndex + processed) % all.length;
    return { feasible, diagnosis };
  }

  private findNodesThatPassFilters(fwk: Framework, state: CycleState, pod: Pod, diagnosis: Diagnosis, nodes: readonly NodeInfo[]): NodeInfo[] {
    const n = nodes.length;
    if (n === 0) return [];
    const want = numFeasibleNodesToFind(fwk.percentageOfNodesToScore ?? this.config.percentageOfNodesToScore, n);
    const feasible: NodeInfo[] = [];
    const start = this.nextStartNodeIndex % n;
    if (!fwk.hasFilterPlugins()) {
      for (let i = 0; i < want; i++) feasible.push(nodes[(start + i) % n]!);
      return feasible;
    }
    // Without nominations anywhere the nominated-pods pass is the plain one; skip its per-node lookup.
    const nominations = fwk.nominator()?.hasNominatedPods?.() ?? true;
    for (let i = 0; i < n && feasible.length < want; i++) {
      const ni = nodes[(start + i) % n]!;
      const s = nominations ? fwk.runFilterPluginsWithNominatedPods(state, pod, ni) : fwk.runFilterPlugins(state, pod, ni);
      if (isSuccess(s)) {
        feasible.push(ni);
        continue;
      }
      if (s!.code === 'Error') throw s!.err ?? new Error(s!.message());
      diagnosis.nodeToStatus.set(ni.name, s!);
      if (s!.plugin) (s!.code === 'Pending' ? diagnosis.pendingPlugins : diagnosis.unschedulablePlugins).add(s!.plugin);
    }
    return feasible;
  }

  private prioritizeAndSelect(fwk: Framework, state: CycleState, pod: Pod, nodes: NodeInfo[]): string {
    if (!fwk.hasScorePlugins()) return selectHost(nodes.map((n) => ({ name: n.name, score: 1 })), () => fwk.random());
    const pre = fwk.runPreScorePlugins(state, pod, nodes);
    if (!isSuccess(pre)) throw pre!.err ?? new Error(pre!.message());
    const { totals, status } = fwk.scoreTotals(state, pod, nodes);
    if (status) throw status.err ?? new Error(status.message());
    return nodes[selectBestIndex(totals, () => fwk.random())]!.name;
  }

  /**
   * One scheduling attempt for a popped pod (upstream scheduleOne): the scheduling cycle runs now;
   * the binding cycle continues in the background (awaitable as outcome.binding).
   */
  async scheduleOne(q: QueuedPodInfo): Promise<AttemptOutcome> {
    const pod = q.pod;
    const fwk = this.frameworkFor(pod);
    const done = (failure?: SchedulingFailure): AttemptOutcome => ({ pod, failure, binding: Promise.resolve(false) });
    if (!fwk) {
      this.queue.done(pod);
      return done({ reason: 'SchedulerError', message: `profile not found for scheduler name "${pod.spec.schedulerName ?? ''}"` });
    }
    if (pod.metadata.deletionTimestamp || this.cache.isAssumedPod(pod)) {
      this.queue.done(pod);
      return done();
    }
    const cycle = this.queue.schedulingCycle();
    const state = new CycleState();
    let result: ScheduleResult;
    try {
      result = this.schedulePod(fwk, state, pod);
    } catch (err) {
      return done(await this.handleFailure(fwk, state, q, cycle, err));
    }
    const host = result.suggestedHost;
    const assumed: Pod = { ...pod, spec: { ...pod.spec, nodeName: host } };
    try {
      this.cache.assumePod(assumed);
    } catch (err) {
      return done(await this.handleFailure(fwk, state, q, cycle, err));
    }
    const reserve = fwk.runReservePluginsReserve(state, assumed, host);
    if (!isSuccess(reserve)) {
      fwk.runReservePluginsUnreserve(state, assumed, host);
      this.safe(() => this.cache.forgetPod(assumed));
      return done(await this.handleFailure(fwk, state, q, cycle, reserve!));
    }
    const permit = fwk.runPermitPlugins(state, assumed, host);
    if (!isSuccess(permit) && permit!.code !== 'Wait') {
      fwk.runReservePluginsUnreserve(state, assumed, host);
      this.safe(() => this.cache.forgetPod(assumed));
      return done(await this.handleFailure(fwk, state, q, cycle, permit!));
    }
    const binding = this.bindingCycle(fwk, state, q, cycle, assumed, host);
    this.bindings.add(binding);
    void binding.finally(() => this.bindings.delete(binding));
    return { pod, node: host, binding };
  }

  private async bindingCycle(fwk: Framework, state: CycleState, q: QueuedPodInfo, cycle: number, assumed: Pod, host: string): Promise<boolean> {
    const fail = async (s: Status) => {
      fwk.runReservePluginsUnreserve(state, assumed, host);
      this.safe(() => this.cache.forgetPod(assumed));
      // The assumed pod held resources others may have been refused for.
      this.queue.moveAllToActiveOrBackoffQueue('AssignedPodDelete');
      await this.handleFailure(fwk, state, q, cycle, s);
      return false;
    };
    try {
      const permit = await fwk.waitOnPermit(assumed);
      if (!isSuccess(permit)) return await fail(permit!);
      const pre = await fwk.runPreBindPlugins(state, assumed, host);
      if (!isSuccess(pre)) return await fail(pre!);
      const bound = await fwk.runBindPlugins(state, assumed, host);
      this.cache.finishBinding(assumed);
      if (!isSuccess(bound)) return await fail(bound!);
      this.events.scheduled?.(assumed, host, `Successfully assigned ${podName(assumed)} to ${host}`);
      fwk.runPostBindPlugins(state, assumed, host);
      this.queue.done(assumed);
      return true;
    } catch (err) {
      return fail(Status.error(err instanceof Error ? err : String(err)));
    }
  }

  /**
   * Upstream handleSchedulingFailure (+ PostFilter for FitErrors): runs preemption, requeues the
   * pod with the plugins that rejected it, records the nomination and reports the failure.
   */
  private async handleFailure(fwk: Framework, state: CycleState, q: QueuedPodInfo, cycle: number, err: unknown): Promise<SchedulingFailure> {
    const pod = q.pod;
    let failure: SchedulingFailure;
    let postResult: PostFilterResult | undefined;
    if (err instanceof FitError) {
      if (fwk.hasPostFilterPlugins()) {
        const m: NodeToStatus = err.diagnosis.nodeToStatus;
        try {
          const out = await fwk.runPostFilterPlugins(state, pod, m);
          postResult = out.result;
          if (!isSuccess(out.status) || out.status.reasons.length) err.setPostFilterMsg(out.status.message());
        } catch (e) {
          log.warn('PostFilter failed', { pod: podName(pod), err: e instanceof Error ? e.message : String(e) });
        }
      }
      q.unschedulablePlugins = new Set(err.diagnosis.unschedulablePlugins);
      q.pendingPlugins = new Set(err.diagnosis.pendingPlugins);
      failure = { reason: 'Unschedulable', message: err.message, fitError: err };
    } else if (err instanceof Status) {
      q.unschedulablePlugins = isRejected(err) && err.plugin ? new Set([err.plugin]) : new Set();
      q.pendingPlugins = new Set();
      failure = { reason: isRejected(err) ? 'Unschedulable' : 'SchedulerError', message: err.message() };
    } else {
      const message = err instanceof Error ? err.message : String(err);
      q.unschedulablePlugins = new Set();
      q.pendingPlugins = new Set();
      failure = { reason: message === ERR_NO_NODES_AVAILABLE ? 'Unschedulable' : 'SchedulerError', message };
    }
    this.queue.addUnschedulableIfNotPresent(q, cycle);
    // Preemption's nomination overrides whatever the pod's status said.
    if (postResult?.nominatedNodeName !== undefined) {
      failure.nominatedNodeName = postResult.nominatedNodeName;
      if (postResult.nominatedNodeName) this.queue.nominator.add(q.podInfo, postResult.nominatedNodeName);
      else this.queue.nominator.delete(pod);
    }
    try {
      await this.events.failed?.(pod, failure);
    } catch (e) {
      log.warn('reporting scheduling failure', { pod: podName(pod), err: e instanceof Error ? e.message : String(e) });
    }
    return failure;
  }

  /** Pops the next pod (waiting if none) and schedules it; undefined once the queue is closed. */
  async scheduleNext(signal?: AbortSignal): Promise<AttemptOutcome | undefined> {
    const q = await this.queue.pop(signal);
    if (!q) return undefined;
    return this.scheduleOne(q);
  }

  /** Schedules until the signal aborts; starts the queue flushes and assumed-pod cleanup. */
  async run(signal: AbortSignal): Promise<void> {
    this.queue.run();
    this.cache.run();
    signal.addEventListener('abort', () => {
      this.queue.close();
      this.cache.stop();
    }, { once: true });
    while (!signal.aborted) {
      const out = await this.scheduleNext(signal);
      if (!out) break;
      // Let bind promises and informer callbacks run between pods.
      await new Promise<void>((r) => setImmediate(r));
    }
    await this.waitForBindings();
  }

  /** Resolves when every binding cycle in flight has finished. */
  async waitForBindings(): Promise<void> {
    while (this.bindings.size) await Promise.allSettled([...this.bindings]);
  }
}

function isTerminal(pod: Pod): boolean {
  const phase = pod.status?.phase;
  return phase === 'Succeeded' || phase === 'Failed';
}


