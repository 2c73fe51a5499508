// Runs plugins over a fixed snapshot the way the scheduling cycle would, for table-driven tests.
import { Snapshot } from '../cache/index.js';
import type { FrameworkOptions, NodePluginScores } from '../framework/index.js';
import { CycleState, Framework, Status } from '../framework/index.js';
import type { StatusLike } from '../framework/index.js';
import { inTreeRegistry } from '../registry.js';
import type { Node, Pod } from '../types.js';

export interface HarnessOptions extends FrameworkOptions {
  args?: Record<string, Record<string, unknown>>;
  weights?: Record<string, number>;
}

export class PluginHarness {
  readonly fwk: Framework;
  readonly snapshot: Snapshot;

  constructor(plugins: string[], pods: Pod[], nodes: Node[], opts: HarnessOptions = {}) {
    this.snapshot = Snapshot.from(pods, nodes);
    const args = opts.args ?? {};
    this.fwk = new Framework(inTreeRegistry, {
      schedulerName: 'test',
      plugins: { multiPoint: { enabled: plugins.map((name) => ({ name, weight: opts.weights?.[name] ?? 1 })) } },
      pluginConfig: Object.entries(args).map(([name, a]) => ({ name, args: a })),
    }, opts);
    this.fwk.setSnapshot(this.snapshot);
  }

  /** PreFilter then Filter on each node: node name → status (undefined = fits). */
  filter(pod: Pod, state = new CycleState()): Map<string, StatusLike> {
    const out = new Map<string, StatusLike>();
    const pre = this.fwk.runPreFilterPlugins(state, pod, this.snapshot.list());
    for (const ni of this.snapshot.list()) {
      if (pre.status && pre.status.code !== 'Success') out.set(ni.name, pre.status);
      else if (pre.result?.nodeNames && !pre.result.nodeNames.has(ni.name)) out.set(ni.name, Status.unresolvable('filtered by PreFilter result'));
      else out.set(ni.name, this.fwk.runFilterPluginsWithNominatedPods(state, pod, ni));
    }
    return out;
  }

  /** Reasons per node ('' when it fits), handy for deepEqual tables. */
  filterReasons(pod: Pod): Record<string, string> {
    const out: Record<string, string> = {};
    for (const [n, s] of this.filter(pod)) out[n] = s && s.code !== 'Success' ? `${s.code}: ${s.message()}` : '';
    return out;
  }

  /** PreScore + Score + NormalizeScore over all nodes: node name → weighted total. */
  score(pod: Pod, state = new CycleState()): Record<string, number> {
    const nodes = this.snapshot.list();
    const pre = this.fwk.runPreScorePlugins(state, pod, nodes);
    if (pre && pre.code !== 'Success') throw new Error(pre.message());
    const { scores, status } = this.fwk.runScorePlugins(state, pod, nodes);
    if (status) throw new Error(status.message());
    return Object.fromEntries(scores.map((s: NodePluginScores) => [s.name, s.totalScore]));
  }
}
