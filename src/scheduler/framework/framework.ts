// A framework instance for one profile (upstream frameworkImpl): instantiates the enabled plugins
// once, orders them per extension point and runs each point. It is also the plugins' Handle.
import { realClock } from '../../util/clock.js';
import type { Clock } from '../../util/clock.js';
import type { Pod } from '../types.js';
import { podPriority } from '../types.js';
import type { CycleState } from './cycle-state.js';
import type { ClusterEvent } from './events.js';
import type {
  BindPlugin, EnqueueExtensions, FilterPlugin, Handle, HandleDeps, NodeInfoLister, NodeScore, NodeToStatus,
  PermitPlugin, Plugin, PluginFactory, PodNominator, PostBindPlugin, PostFilterPlugin, PostFilterResult,
  PreBindPlugin, PreEnqueuePlugin, PreFilterPlugin, PreFilterResult, PreScorePlugin, QueueSortPlugin,
  QueuedPodInfo, ReservePlugin, ScorePlugin,
} from './interface.js';
import { MAX_NODE_SCORE, MIN_NODE_SCORE } from './interface.js';
import type { NodeInfo } from './node-info.js';
import type { PodInfo } from './pod-info.js';
import type { ExtensionPoint, PluginRef, Profile } from './profile.js';
import { EXTENSION_POINTS } from './profile.js';
import { Status, isRejected, isSkip, isSuccess } from './status.js';
import type { StatusLike } from './status.js';
import { WaitingPods } from './waiting-pods.js';

/** Which method marks a plugin as implementing each extension point. */
const METHOD: Record<ExtensionPoint, string> = {
  preEnqueue: 'preEnqueue', queueSort: 'less', preFilter: 'preFilter', filter: 'filter', postFilter: 'postFilter',
  preScore: 'preScore', score: 'score', reserve: 'reserve', permit: 'permit', preBind: 'preBind', bind: 'bind', postBind: 'postBind',
};

export type Registry = ReadonlyMap<string, PluginFactory>;

export interface FrameworkOptions extends HandleDeps {
  /** Supplies the nominated pods (the scheduling queue). */
  nominator?: PodNominator;
}

/** Scores of one node: the weighted sum over score plugins. */
export interface NodePluginScores {
  name: string;
  totalScore: number;
}

const EMPTY_LISTER: NodeInfoLister = {
  list: () => [], havePodsWithAffinityList: () => [], havePodsWithRequiredAntiAffinityList: () => [], get: () => undefined,
};

export class Framework implements Handle {
  readonly profileName: string;
  readonly percentageOfNodesToScore: number | undefined;
  readonly clock: Clock;
  private readonly deps: FrameworkOptions;
  private lister: NodeInfoLister = EMPTY_LISTER;
  readonly waitingPods: WaitingPods;

  readonly preEnqueuePlugins: PreEnqueuePlugin[] = [];
  queueSortPlugin: QueueSortPlugin | undefined;
  readonly preFilterPlugins: PreFilterPlugin[] = [];
  readonly filterPlugins: FilterPlugin[] = [];
  readonly postFilterPlugins: PostFilterPlugin[] = [];
  readonly preScorePlugins: PreScorePlugin[] = [];
  readonly scorePlugins: ScorePlugin[] = [];
  readonly scoreWeights = new Map<string, number>();
  readonly reservePlugins: ReservePlugin[] = [];
  readonly permitPlugins: PermitPlugin[] = [];
  readonly preBindPlugins: PreBindPlugin[] = [];
  readonly bindPlugins: BindPlugin[] = [];
  readonly postBindPlugins: PostBindPlugin[] = [];
  /** Plugin name → the cluster events that may resolve its rejections. */
  readonly enqueueEvents = new Map<string, readonly ClusterEvent[]>();

  constructor(registry: Registry, profile: Profile, opts: FrameworkOptions = {}) {
    this.profileName = profile.schedulerName;
    this.percentageOfNodesToScore = profile.percentageOfNodesToScore;
    this.deps = opts;
    this.clock = opts.clock ?? realClock;
    this.waitingPods = new WaitingPods(this.clock);
    // Optional API hooks pass straight through to plugins.
    this.bind = opts.bind;
    this.evictVictim = opts.evictVictim;
    this.clearNomination = opts.clearNomination;
    this.pdbs = opts.pdbs;
    this.namespaceLabels = opts.namespaceLabels;
    this.defaultSpreadSelector = opts.defaultSpreadSelector;

    const args = new Map((profile.pluginConfig ?? []).map((c) => [c.name, c.args]));
    const instances = new Map<string, Plugin>();
    const instance = (name: string): Plugin => {
      let p = instances.get(name);
      if (!p) {
        const factory = registry.get(name);
        if (!factory) throw new Error(`plugin "${name}" does not exist in the registry`);
        p = factory(args.get(name), this);
        instances.set(name, p);
      }
      return p;
    };
    const lists: Record<ExtensionPoint, Plugin[]> = {
      preEnqueue: this.preEnqueuePlugins, queueSort: [], preFilter: this.preFilterPlugins, filter: this.filterPlugins,
      postFilter: this.postFilterPlugins, preScore: this.preScorePlugins, score: this.scorePlugins, reserve: this.reservePlugins,
      permit: this.permitPlugins, preBind: this.preBindPlugins, bind: this.bindPlugins, postBind: this.postBindPlugins,
    };
    for (const point of EXTENSION_POINTS) {
      for (const ref of expandPoint(profile, point, (name) => implementsPoint(instance(name), point))) {
        const p = instance(ref.name);
        if (!implementsPoint(p, point)) throw new Error(`plugin "${ref.name}" does not extend ${point} plugin`);
        lists[point].push(p);
        if (point === 'score') this.scoreWeights.set(ref.name, ref.weight || 1);
      }
    }
    if (lists.queueSort.length > 1) throw new Error(`only one queue sort plugin can be enabled, got ${lists.queueSort.map((p) => p.name).join(', ')}`);
    this.queueSortPlugin = lists.queueSort[0] as QueueSortPlugin | undefined;
    for (const p of instances.values()) {
      if (typeof (p as Partial<EnqueueExtensions>).events === 'function') this.enqueueEvents.set(p.name, (p as EnqueueExtensions).events());
    }
  }

  // ---- Handle ----
  bind: HandleDeps['bind'];
  evictVictim: HandleDeps['evictVictim'];
  clearNomination: HandleDeps['clearNomination'];
  pdbs: HandleDeps['pdbs'];
  namespaceLabels: HandleDeps['namespaceLabels'];
  defaultSpreadSelector: HandleDeps['defaultSpreadSelector'];

  random(): number {
    return this.deps.random ? this.deps.random() : Math.random();
  }

  snapshot(): NodeInfoLister {
    return this.lister;
  }

  /** The scheduler points the framework at the snapshot of the current cycle. */
  setSnapshot(lister: NodeInfoLister): void {
    this.lister = lister;
  }

  nominator(): PodNominator | undefined {
    return this.deps.nominator;
  }

  // ---- queue ----

  /** Queue order: the QueueSort plugin, else priority then timestamp. */
  less(a: QueuedPodInfo, b: QueuedPodInfo): boolean {
    if (this.queueSortPlugin) return this.queueSortPlugin.less(a, b);
    const pa = podPriority(a.pod), pb = podPriority(b.pod);
    return pa > pb || (pa === pb && a.timestamp < b.timestamp);
  }

  runPreEnqueuePlugins(pod: Pod): Status | undefined {
    for (const p of this.preEnqueuePlugins) {
      const s = p.preEnqueue(pod);
      if (!isSuccess(s)) return s!.withPlugin(p.name);
    }
    return undefined;
  }

  // ---- scheduling cycle ----

  /**
   * Runs PreFilter. The merged result narrows the nodes (undefined = all). A rejection names the
   * plugin; plugins returning Skip have their Filter skipped.
   */
  runPreFilterPlugins(state: CycleState, pod: Pod, nodes: readonly NodeInfo[]): { result?: PreFilterResult; status?: Status } {
    let result: PreFilterResult | undefined;
    const narrowing: string[] = [];
    for (const p of this.preFilterPlugins) {
      const out = p.preFilter(state, pod, nodes);
      const { result: r, status: s } = out instanceof Status || out === undefined ? { result: undefined, status: out } : out;
      if (isSkip(s)) {
        state.skipFilterPlugins.add(p.name);
        continue;
      }
      if (!isSuccess(s)) {
        s!.withPlugin(p.name);
        if (!isRejected(s)) return { status: Status.error(`running PreFilter plugin "${p.name}": ${s!.message()}`).withPlugin(p.name) };
        return { status: s };
      }
      if (r?.nodeNames) {
        narrowing.push(p.name);
        result = { nodeNames: result?.nodeNames ? intersect(result.nodeNames, r.nodeNames) : r.nodeNames };
        if (result.nodeNames!.size === 0) {
          return { result, status: Status.unresolvable(`node(s) didn't satisfy plugin(s) [${narrowing.join(' ')}] simultaneously`).withPlugin(p.name) };
        }
      }
    }
    return result ? { result } : {};
  }

  hasFilterPlugins(): boolean { return this.filterPlugins.length > 0; }
  hasPostFilterPlugins(): boolean { return this.postFilterPlugins.length > 0; }
  hasScorePlugins(): boolean { return this.scorePlugins.length > 0; }

  /** Runs Filter plugins in order and stops at the first that does not pass (upstream RunFilterPlugins). */
  runFilterPlugins(state: CycleState, pod: Pod, nodeInfo: NodeInfo): StatusLike {
    for (const p of this.filterPlugins) {
      if (state.skipFilterPlugins.size && state.skipFilterPlugins.has(p.name)) continue;
      const s = p.filter(state, pod, nodeInfo);
      if (s && s.code !== 'Success') {
        if (!isRejected(s)) return Status.error(`running "${p.name}" filter plugin: ${s.message()}`).withPlugin(p.name);
        return s.withPlugin(p.name);
      }
    }
    return undefined;
  }

  /**
   * Filters as upstream RunFilterPluginsWithNominatedPods: when pods of equal or higher priority are
   * nominated to the node, the node must fit with them added and also without them (they may not
   * end up there, and anti-affinity could be satisfied only in their absence).
   */
  runFilterPluginsWithNominatedPods(state: CycleState, pod: Pod, nodeInfo: NodeInfo): StatusLike {
    const nominated = this.deps.nominator?.nominatedPodsForNode(nodeInfo.name);
    if (nominated && nominated.length) {
      const prio = podPriority(pod);
      const uid = pod.metadata.uid;
      const add = nominated.filter((pi) => podPriority(pi.pod) >= prio && pi.pod.metadata.uid !== uid);
      if (add.length) {
        const st = state.clone();
        const ni = nodeInfo.clone();
        for (const pi of add) {
          ni.addPodInfo(pi);
          const s = this.runPreFilterExtensionAddPod(st, pod, pi, ni);
          if (!isSuccess(s)) return s;
        }
        const s = this.runFilterPlugins(st, pod, ni);
        if (!isSuccess(s)) return s;
      }
    }
    return this.runFilterPlugins(state, pod, nodeInfo);
  }

  runPreFilterExtensionAddPod(state: CycleState, pod: Pod, podToAdd: PodInfo, nodeInfo: NodeInfo): StatusLike {
    for (const p of this.preFilterPlugins) {
      if (state.skipFilterPlugins.has(p.name)) continue;
      const ext = p.preFilterExtensions?.();
      if (!ext) continue;
      const s = ext.addPod(state, pod, podToAdd, nodeInfo);
      if (!isSuccess(s)) return Status.error(`running AddPod on PreFilter plugin "${p.name}": ${s!.message()}`).withPlugin(p.name);
    }
    return undefined;
  }

  runPreFilterExtensionRemovePod(state: CycleState, pod: Pod, podToRemove: PodInfo, nodeInfo: NodeInfo): StatusLike {
    for (const p of this.preFilterPlugins) {
      if (state.skipFilterPlugins.has(p.name)) continue;
      const ext = p.preFilterExtensions?.();
      if (!ext) continue;
      const s = ext.removePod(state, pod, podToRemove, nodeInfo);
      if (!isSuccess(s)) return Status.error(`running RemovePod on PreFilter plugin "${p.name}": ${s!.message()}`).withPlugin(p.name);
    }
    return undefined;
  }

  /**
   * Runs PostFilter plugins until one succeeds (upstream RunPostFilterPlugins); otherwise the last
   * rejection, carrying every plugin's reasons.
   */
  async runPostFilterPlugins(state: CycleState, pod: Pod, filtered: NodeToStatus): Promise<{ result?: PostFilterResult; status: Status }> {
    const reasons: string[] = [];
    let last: { result?: PostFilterResult; status: Status } | undefined;
    for (const p of this.postFilterPlugins) {
      const out = await p.postFilter(state, pod, filtered);
      if (isSuccess(out.status)) return out;
      if (!isRejected(out.status)) return { result: out.result, status: out.status.withPlugin(p.name) };
      reasons.push(...out.status.reasons);
      last = { result: out.result, status: out.status.withPlugin(p.name) };
    }
    if (!last) return { status: Status.unschedulable() };
    return { result: last.result, status: new Status('Unschedulable', reasons).withPlugin(last.status.plugin) };
  }

  runPreScorePlugins(state: CycleState, pod: Pod, nodes: readonly NodeInfo[]): StatusLike {
    for (const p of this.preScorePlugins) {
      const s = p.preScore(state, pod, nodes);
      if (isSkip(s)) {
        state.skipScorePlugins.add(p.name);
        continue;
      }
      if (!isSuccess(s)) return Status.error(`running PreScore plugin "${p.name}": ${s!.message()}`).withPlugin(p.name);
    }
    return undefined;
  }

  /** Scores every node with every plugin, normalizes, weights and sums (upstream RunScorePlugins). */
  runScorePlugins(state: CycleState, pod: Pod, nodes: readonly NodeInfo[]): { scores: NodePluginScores[]; status?: Status } {
    const { totals, status } = this.scoreTotals(state, pod, nodes);
    if (status) return { scores: [], status };
    return { scores: nodes.map((ni, i) => ({ name: ni.name, totalScore: totals[i]! })) };
  }

  /**
   * runScorePlugins' weighted totals, by the index of the node in `nodes`: hundreds of nodes per
   * pod, so scores go straight into one array, and a NodeScore list is built only for plugins that
   * normalise it.
   */
  scoreTotals(state: CycleState, pod: Pod, nodes: readonly NodeInfo[]): { totals: Float64Array; status?: Status } {
    const plugins = this.scorePlugins.filter((p) => !state.skipScorePlugins.has(p.name));
    const n = nodes.length;
    const totals = new Float64Array(n);
    const raw = new Float64Array(n);
    const fail = (status: Status) => ({ totals, status });
    for (const p of plugins) {
      for (let i = 0; i < n; i++) {
        const r = p.score(state, pod, nodes[i]!);
        if (typeof r !== 'number') return fail(Status.error(`running Score plugin "${p.name}": ${r.message()}`).withPlugin(p.name));
        raw[i] = r;
      }
      const ext = p.scoreExtensions?.();
      if (ext) {
        const list: NodeScore[] = new Array(n);
        for (let i = 0; i < n; i++) list[i] = { name: nodes[i]!.name, score: raw[i]! };
        const s = ext.normalizeScore(state, pod, list);
        if (!isSuccess(s)) return fail(Status.error(`running Normalize on Score plugin "${p.name}": ${s!.message()}`).withPlugin(p.name));
        for (let i = 0; i < n; i++) raw[i] = list[i]!.score;
      }
      const weight = this.scoreWeights.get(p.name) ?? 1;
      for (let i = 0; i < n; i++) {
        const score = raw[i]!;
        if (score > MAX_NODE_SCORE || score < MIN_NODE_SCORE) {
          return fail(Status.error(`plugin "${p.name}" returns an invalid score ${score}, it should in the range of [${MIN_NODE_SCORE}, ${MAX_NODE_SCORE}] after normalizing`));
        }
        totals[i] += score * weight;
      }
    }
    return { totals };
  }

  /** Runs Reserve in order; on failure the caller runs unreserve (upstream RunReservePluginsReserve). */
  runReservePluginsReserve(state: CycleState, pod: Pod, nodeName: string): StatusLike {
    for (const p of this.reservePlugins) {
      const s = p.reserve(state, pod, nodeName);
      if (!isSuccess(s)) {
        if (isRejected(s)) return s!.withPlugin(p.name);
        return Status.error(`running Reserve plugin "${p.name}": ${s!.message()}`).withPlugin(p.name);
      }
    }
    return undefined;
  }

  /** Unreserve runs in reverse order and cannot fail. */
  runReservePluginsUnreserve(state: CycleState, pod: Pod, nodeName: string): void {
    for (let i = this.reservePlugins.length - 1; i >= 0; i--) this.reservePlugins[i]!.unreserve(state, pod, nodeName);
  }

  /** Runs Permit: a rejection stops; Wait parks the pod until allowed, rejected or timed out. */
  runPermitPlugins(state: CycleState, pod: Pod, nodeName: string): StatusLike {
    const waiting = new Map<string, number>();
    for (const p of this.permitPlugins) {
      const out = p.permit(state, pod, nodeName);
      const s = out?.status;
      if (isSuccess(s)) continue;
      if (s!.code === 'Wait') {
        waiting.set(p.name, Math.min(out?.timeoutMs ?? 15 * 60_000, 15 * 60_000));
        continue;
      }
      if (isRejected(s)) return s!.withPlugin(p.name);
      return Status.error(`running Permit plugin "${p.name}": ${s!.message()}`).withPlugin(p.name);
    }
    if (waiting.size) {
      this.waitingPods.add(pod, waiting);
      return new Status('Wait', ['one or more plugins asked to wait and no plugin rejected pod']);
    }
    return undefined;
  }

  /** Resolves when a waiting pod is allowed (undefined) or rejected/timed out (its Status). */
  async waitOnPermit(pod: Pod): Promise<StatusLike> {
    return this.waitingPods.wait(pod);
  }

  async runPreBindPlugins(state: CycleState, pod: Pod, nodeName: string): Promise<StatusLike> {
    for (const p of this.preBindPlugins) {
      const s = await p.preBind(state, pod, nodeName);
      if (!isSuccess(s)) {
        if (isRejected(s)) return s!.withPlugin(p.name);
        return Status.error(`running PreBind plugin "${p.name}": ${s!.message()}`).withPlugin(p.name);
      }
    }
    return undefined;
  }

  /** The first Bind plugin that does not Skip binds the pod. */
  async runBindPlugins(state: CycleState, pod: Pod, nodeName: string): Promise<StatusLike> {
    if (this.bindPlugins.length === 0) return Status.skip();
    let s: StatusLike;
    for (const p of this.bindPlugins) {
      s = await p.bind(state, pod, nodeName);
      if (isSkip(s)) continue;
      if (!isSuccess(s)) {
        if (isRejected(s)) return s!.withPlugin(p.name);
        return Status.error(`running Bind plugin "${p.name}": ${s!.message()}`).withPlugin(p.name);
      }
      return undefined;
    }
    return s;
  }

  runPostBindPlugins(state: CycleState, pod: Pod, nodeName: string): void {
    for (const p of this.postBindPlugins) p.postBind(state, pod, nodeName);
  }

  /** Names of the plugins at an extension point, in run order (for tests and debugging). */
  listPlugins(point: ExtensionPoint): string[] {
    const m: Record<ExtensionPoint, readonly Plugin[]> = {
      preEnqueue: this.preEnqueuePlugins, queueSort: this.queueSortPlugin ? [this.queueSortPlugin] : [], preFilter: this.preFilterPlugins,
      filter: this.filterPlugins, postFilter: this.postFilterPlugins, preScore: this.preScorePlugins, score: this.scorePlugins,
      reserve: this.reservePlugins, permit: this.permitPlugins, preBind: this.preBindPlugins, bind: this.bindPlugins, postBind: this.postBindPlugins,
    };
    return m[point].map((p) => p.name);
  }
}

function implementsPoint(p: Plugin, point: ExtensionPoint): boolean {
  return typeof (p as unknown as Record<string, unknown>)[METHOD[point]] === 'function';
}

function intersect(a: ReadonlySet<string>, b: ReadonlySet<string>): Set<string> {
  const out = new Set<string>();
  for (const x of a) if (b.has(x)) out.add(x);
  return out;
}

/**
 * The plugins of one extension point, as upstream expandMultiPointPlugins orders them: plugins
 * configured both at the point and in multiPoint first (the point's settings win), then multiPoint
 * plugins that implement the point and are not disabled there, then the rest of the point's list.
 */
export function expandPoint(profile: Profile, point: ExtensionPoint, implementsIt: (name: string) => boolean): PluginRef[] {
  const specific = profile.plugins[point];
  const disabled = new Set((specific?.disabled ?? []).map((r) => r.name));
  const all = disabled.has('*');
  const enabled = (specific?.enabled ?? []).filter((r) => !disabled.has(r.name));
  const enabledNames = new Set(enabled.map((r) => r.name));
  const overrides: PluginRef[] = [];
  const multi: PluginRef[] = [];
  const seen = new Set<string>();
  for (const r of profile.plugins.multiPoint?.enabled ?? []) {
    if (seen.has(r.name)) continue;
    seen.add(r.name);
    if (enabledNames.has(r.name)) {
      overrides.push(enabled.find((e) => e.name === r.name)!);
      continue;
    }
    if (all || disabled.has(r.name) || !implementsIt(r.name)) continue;
    multi.push(r);
  }
  const overrideNames = new Set(overrides.map((r) => r.name));
  return [...overrides, ...multi, ...enabled.filter((r) => !overrideNames.has(r.name))];
}
