// Extension points (upstream framework/interface.go). A plugin implements only the ones it needs;
// the framework detects them by method name. Filter and Score are synchronous so a cycle over
// thousands of nodes never yields; the points that talk to the API (PostFilter, PreBind, Bind) are
// asynchronous.
import type { CycleState } from './cycle-state.js';
import type { ClusterEvent } from './events.js';
import type { NodeInfo } from './node-info.js';
import type { PodInfo } from './pod-info.js';
import type { Status, StatusLike } from './status.js';
import type { Pod, PodDisruptionBudget } from '../types.js';
import type { Clock } from '../../util/clock.js';
import type { LabelSelector } from '../../api/selectors/index.js';

export const MAX_NODE_SCORE = 100;
export const MIN_NODE_SCORE = 0;

export interface Plugin {
  readonly name: string;
}

/** A pod as the queue holds it (upstream QueuedPodInfo). */
export interface QueuedPodInfo {
  podInfo: PodInfo;
  readonly pod: Pod;
  /** When the pod was last added to the queue (queue order tie-break). */
  timestamp: number;
  /** Scheduling attempts so far (drives backoff). */
  attempts: number;
  initialAttemptTimestamp?: number;
  /** Plugins that rejected the pod in its last attempt. */
  unschedulablePlugins: Set<string>;
  pendingPlugins: Set<string>;
  /** Held back by a PreEnqueue plugin. */
  gated: boolean;
}

export interface PreEnqueuePlugin extends Plugin {
  preEnqueue(pod: Pod): StatusLike;
}

export interface QueueSortPlugin extends Plugin {
  less(a: QueuedPodInfo, b: QueuedPodInfo): boolean;
}

/** Which events can make pods this plugin rejected schedulable again. */
export interface EnqueueExtensions extends Plugin {
  events(): readonly ClusterEvent[];
}

/** A PreFilter may narrow the nodes to evaluate (upstream PreFilterResult.NodeNames). */
export interface PreFilterResult {
  nodeNames?: ReadonlySet<string>;
}

export interface PreFilterExtensions {
  /** Updates the plugin's cycle state as if podToAdd were on nodeInfo (nominated pods, preemption). */
  addPod(state: CycleState, podToSchedule: Pod, podToAdd: PodInfo, nodeInfo: NodeInfo): StatusLike;
  removePod(state: CycleState, podToSchedule: Pod, podToRemove: PodInfo, nodeInfo: NodeInfo): StatusLike;
}

export interface PreFilterPlugin extends Plugin {
  preFilter(state: CycleState, pod: Pod, nodes: readonly NodeInfo[]): { result?: PreFilterResult; status?: Status } | StatusLike;
  preFilterExtensions?(): PreFilterExtensions | undefined;
}

export interface FilterPlugin extends Plugin {
  filter(state: CycleState, pod: Pod, nodeInfo: NodeInfo): StatusLike;
}

export interface PostFilterResult {
  /** Set: nominate the pod to this node; '' clears a previous nomination. */
  nominatedNodeName?: string;
}

/** Node name → why it did not fit (upstream NodeToStatusMap). */
export type NodeToStatus = Map<string, Status>;

export interface PostFilterPlugin extends Plugin {
  postFilter(state: CycleState, pod: Pod, filtered: NodeToStatus): Promise<{ result?: PostFilterResult; status: Status }>;
}

export interface PreScorePlugin extends Plugin {
  preScore(state: CycleState, pod: Pod, nodes: readonly NodeInfo[]): StatusLike;
}

export interface NodeScore {
  name: string;
  score: number;
}

export interface ScoreExtensions {
  normalizeScore(state: CycleState, pod: Pod, scores: NodeScore[]): StatusLike;
}

export interface ScorePlugin extends Plugin {
  /** A score in [0, 100] (after normalizing), or a Status on error. */
  score(state: CycleState, pod: Pod, nodeInfo: NodeInfo): number | Status;
  scoreExtensions?(): ScoreExtensions | undefined;
}

export interface ReservePlugin extends Plugin {
  reserve(state: CycleState, pod: Pod, nodeName: string): StatusLike;
  unreserve(state: CycleState, pod: Pod, nodeName: string): void;
}

export interface PermitPlugin extends Plugin {
  /** Success, a rejection, or Wait with how long to wait for allow/reject. */
  permit(state: CycleState, pod: Pod, nodeName: string): { status?: Status; timeoutMs?: number } | undefined;
}

export interface PreBindPlugin extends Plugin {
  preBind(state: CycleState, pod: Pod, nodeName: string): Promise<StatusLike>;
}

export interface BindPlugin extends Plugin {
  /** Binds, or returns Skip to let the next bind plugin do it. */
  bind(state: CycleState, pod: Pod, nodeName: string): Promise<StatusLike>;
}

export interface PostBindPlugin extends Plugin {
  postBind(state: CycleState, pod: Pod, nodeName: string): void;
}

/** Read access to the cycle's snapshot (upstream SharedLister.NodeInfos()). */
export interface NodeInfoLister {
  list(): readonly NodeInfo[];
  havePodsWithAffinityList(): readonly NodeInfo[];
  havePodsWithRequiredAntiAffinityList(): readonly NodeInfo[];
  get(nodeName: string): NodeInfo | undefined;
}

/** Nominated pods (preemptors waiting for victims to leave), per node. */
export interface PodNominator {
  nominatedPodsForNode(nodeName: string): readonly PodInfo[];
  /** False when no pod is nominated anywhere (the filter loop then skips the per-node lookup). */
  hasNominatedPods?(): boolean;
}

/**
 * What the outside world gives the scheduler core: API calls and listers the later wiring
 * implements with the client library. Every member is optional so tests pass only what they use.
 */
export interface HandleDeps {
  clock?: Clock;
  /** POST pods/binding (DefaultBinder). */
  bind?(pod: Pod, nodeName: string): Promise<void>;
  /** Deletes a preemption victim (upstream sets a DisruptionTarget condition, then deletes). */
  evictVictim?(victim: Pod, preemptor: Pod): Promise<void>;
  /** Clears status.nominatedNodeName of a lower-priority pod that lost its nomination. */
  clearNomination?(pod: Pod): Promise<void>;
  /** PodDisruptionBudgets for preemption. */
  pdbs?(): readonly PodDisruptionBudget[];
  /** Namespace labels, for namespaceSelector in pod (anti-)affinity terms. */
  namespaceLabels?(namespace: string): Record<string, string> | undefined;
  /**
   * The selector of the Services/ReplicaSets/StatefulSets/ReplicationControllers selecting the pod
   * (upstream helper.DefaultSelector), for PodTopologySpread's system default constraints.
   */
  defaultSpreadSelector?(pod: Pod): LabelSelector | undefined;
  /** Random in [0, 1); preemption's candidate offset and tie-breaking. */
  random?(): number;
}

/** What plugins get from the framework (upstream framework.Handle). */
export interface Handle extends HandleDeps {
  readonly clock: Clock;
  random(): number;
  snapshot(): NodeInfoLister;
  nominator(): PodNominator | undefined;
  /** Runs the filters as if nominated pods of equal or higher priority were already on the node. */
  runFilterPluginsWithNominatedPods(state: CycleState, pod: Pod, nodeInfo: NodeInfo): StatusLike;
  runPreFilterExtensionAddPod(state: CycleState, pod: Pod, podToAdd: PodInfo, nodeInfo: NodeInfo): StatusLike;
  runPreFilterExtensionRemovePod(state: CycleState, pod: Pod, podToRemove: PodInfo, nodeInfo: NodeInfo): StatusLike;
}

export type PluginFactory = (args: Record<string, unknown> | undefined, handle: Handle) => Plugin;
