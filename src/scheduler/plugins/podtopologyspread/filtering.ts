// PodTopologySpread PreFilter/Filter (upstream podtopologyspread/filtering.go): count matching pods
// per topology domain over eligible nodes; a node fits when placing the pod there keeps
// count + self − global minimum ≤ maxSkew for every DoNotSchedule constraint.
import type { CycleState, NodeInfo, PodInfo, StatusLike } from '../../framework/index.js';
import { Status } from '../../framework/index.js';
import type { Node, Pod } from '../../types.js';
import { RequiredNodeAffinity } from '../helper/node-selector.js';
import type { Constraint } from './constraints.js';
import { countPodsMatchSelector, matchNodeInclusionPolicies, nodeHasAllTopologyKeys } from './constraints.js';

export const ERR_REASON_CONSTRAINTS_NOT_MATCH = "node(s) didn't match pod topology spread constraints";
export const ERR_REASON_NODE_LABEL_NOT_MATCH = `${ERR_REASON_CONSTRAINTS_NOT_MATCH} (missing required label)`;
export const PRE_FILTER_KEY = 'PreFilterPodTopologySpread';

export class PreFilterState {
  constructor(
    readonly constraints: Constraint[],
    /** Per constraint: topology value → matching pods. */
    readonly tpValueToMatchNum: Map<string, number>[],
    readonly affinity: RequiredNodeAffinity,
  ) {}

  /** Cached global minimum per constraint (upstream keeps "critical paths"); undefined = stale. */
  private mins: (number | undefined)[] = [];

  /** The global minimum for constraint i, 0 while there are fewer domains than minDomains. */
  minMatchNum(i: number): number {
    const cached = this.mins[i];
    if (cached !== undefined) return cached;
    const m = this.tpValueToMatchNum[i]!;
    let min = Infinity;
    for (const v of m.values()) if (v < min) min = v;
    const out = m.size < this.constraints[i]!.minDomains || min === Infinity ? 0 : min;
    this.mins[i] = out;
    return out;
  }

  clone(): PreFilterState {
    return new PreFilterState(this.constraints, this.tpValueToMatchNum.map((m) => new Map(m)), this.affinity);
  }

  /** Adds (delta 1) or removes (−1) a pod on node, as preemption and nominated pods simulate. */
  updateWithPod(updated: Pod, preemptor: Pod, node: Node | undefined, delta: number): void {
    if (!node || updated.metadata.namespace !== preemptor.metadata.namespace) return;
    if (!nodeHasAllTopologyKeys(node, this.constraints)) return;
    this.constraints.forEach((c, i) => {
      if (!c.selector.matches(updated.metadata.labels)) return;
      if (!matchNodeInclusionPolicies(c, preemptor, node, this.affinity)) return;
      const v = node.metadata.labels![c.topologyKey]!;
      const m = this.tpValueToMatchNum[i]!;
      m.set(v, (m.get(v) ?? 0) + delta);
      this.mins[i] = undefined;
    });
  }
}

export function calPreFilterState(pod: Pod, constraints: Constraint[], nodes: readonly NodeInfo[]): PreFilterState {
  const affinity = new RequiredNodeAffinity(pod);
  const counts = constraints.map(() => new Map<string, number>());
  const ns = pod.metadata.namespace;
  // Plain loops: this runs over every node for every pod with DoNotSchedule constraints.
  for (let n = 0; n < nodes.length; n++) {
    const ni = nodes[n]!;
    const node = ni.node;
    if (!node || !nodeHasAllTopologyKeys(node, constraints)) continue;
    const labels = node.metadata.labels!;
    for (let i = 0; i < constraints.length; i++) {
      const c = constraints[i]!;
      if (!matchNodeInclusionPolicies(c, pod, node, affinity)) continue;
      const v = labels[c.topologyKey]!;
      const m = counts[i]!;
      const add = ni.pods.length ? countPodsMatchSelector(ni.pods, c.selector, ns) : 0;
      m.set(v, (m.get(v) ?? 0) + add);
    }
  }
  return new PreFilterState(constraints, counts, affinity);
}

export function filter(state: CycleState, pod: Pod, nodeInfo: NodeInfo): StatusLike {
  const s = state.read<PreFilterState>(PRE_FILTER_KEY);
  if (!s) return Status.error(`reading "${PRE_FILTER_KEY}" from cycleState: not found`);
  const node = nodeInfo.node;
  if (!node) return Status.error('node not found');
  const labels = node.metadata.labels ?? {};
  for (let i = 0; i < s.constraints.length; i++) {
    const c = s.constraints[i]!;
    if (!Object.hasOwn(labels, c.topologyKey)) return Status.unresolvable(ERR_REASON_NODE_LABEL_NOT_MATCH);
    const self = c.selector.matches(pod.metadata.labels) ? 1 : 0;
    const matchNum = s.tpValueToMatchNum[i]!.get(labels[c.topologyKey]!) ?? 0;
    if (matchNum + self - s.minMatchNum(i) > c.maxSkew) return Status.unschedulable(ERR_REASON_CONSTRAINTS_NOT_MATCH);
  }
  return undefined;
}

export function addPod(state: CycleState, pod: Pod, podToAdd: PodInfo, nodeInfo: NodeInfo): StatusLike {
  state.read<PreFilterState>(PRE_FILTER_KEY)?.updateWithPod(podToAdd.pod, pod, nodeInfo.node, 1);
  return undefined;
}

export function removePod(state: CycleState, pod: Pod, podToRemove: PodInfo, nodeInfo: NodeInfo): StatusLike {
  state.read<PreFilterState>(PRE_FILTER_KEY)?.updateWithPod(podToRemove.pod, pod, nodeInfo.node, -1);
  return undefined;
}
