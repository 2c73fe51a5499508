// PodTopologySpread PreScore/Score (upstream podtopologyspread/scoring.go): a node scores higher
// the fewer matching pods its domains hold, each constraint weighted by log(domains + 2); nodes
// lacking a topology key are ignored (score 0).
import type { CycleState, NodeInfo, NodeScore, StatusLike } from '../../framework/index.js';
import { MAX_NODE_SCORE, Status } from '../../framework/index.js';
import type { Pod } from '../../types.js';
import { RequiredNodeAffinity } from '../helper/node-selector.js';
import type { Constraint } from './constraints.js';
import { LABEL_HOSTNAME, countPodsMatchSelector, matchNodeInclusionPolicies, nodeHasAllTopologyKeys } from './constraints.js';

export const PRE_SCORE_KEY = 'PreScorePodTopologySpread';
const INVALID_SCORE = -1;

export class PreScoreState {
  constructor(
    readonly constraints: Constraint[],
    readonly ignoredNodes: Set<string>,
    /** Per constraint: topology value → matching pods (hostname constraints count per node in Score). */
    readonly tpValueToPodCounts: Map<string, number>[],
    readonly normalizingWeight: number[],
  ) {}
  clone() { return this; }
}

export function preScore(
  state: CycleState, pod: Pod, filtered: readonly NodeInfo[], all: readonly NodeInfo[], constraints: Constraint[], requireAllTopologies: boolean,
): StatusLike {
  if (filtered.length === 0 || all.length === 0) return undefined;
  if (constraints.length === 0) return Status.skip();
  const ignored = new Set<string>();
  const counts = constraints.map(() => new Map<string, number>());
  const topoSize = constraints.map(() => 0);
  for (const ni of filtered) {
    const node = ni.node!;
    if (requireAllTopologies && !nodeHasAllTopologyKeys(node, constraints)) {
      ignored.add(ni.name);
      continue;
    }
    constraints.forEach((c, i) => {
      if (c.topologyKey === LABEL_HOSTNAME) return;
      const v = node.metadata.labels?.[c.topologyKey] ?? '';
      if (!counts[i]!.has(v)) {
        counts[i]!.set(v, 0);
        topoSize[i]!++;
      }
    });
  }
  const weights = constraints.map((c, i) => Math.log((c.topologyKey === LABEL_HOSTNAME ? filtered.length - ignored.size : topoSize[i]!) + 2));
  const affinity = new RequiredNodeAffinity(pod);
  for (const ni of all) {
    const node = ni.node;
    if (!node) continue;
    if (requireAllTopologies && !nodeHasAllTopologyKeys(node, constraints)) continue;
    constraints.forEach((c, i) => {
      if (!matchNodeInclusionPolicies(c, pod, node, affinity)) return;
      const v = node.metadata.labels?.[c.topologyKey] ?? '';
      const m = counts[i]!;
      const cur = m.get(v);
      if (cur === undefined) return; // no candidate node in this domain
      m.set(v, cur + countPodsMatchSelector(ni.pods, c.selector, pod.metadata.namespace));
    });
  }
  state.write(PRE_SCORE_KEY, new PreScoreState(constraints, ignored, counts, weights));
  return undefined;
}

export function score(state: CycleState, pod: Pod, nodeInfo: NodeInfo): number | Status {
  const s = state.read<PreScoreState>(PRE_SCORE_KEY);
  if (!s) return Status.error(`reading "${PRE_SCORE_KEY}" from cycleState: not found`);
  if (s.ignoredNodes.has(nodeInfo.name)) return 0;
  const labels = nodeInfo.node?.metadata.labels ?? {};
  let total = 0;
  s.constraints.forEach((c, i) => {
    if (!Object.hasOwn(labels, c.topologyKey)) return;
    const cnt = c.topologyKey === LABEL_HOSTNAME
      ? countPodsMatchSelector(nodeInfo.pods, c.selector, pod.metadata.namespace)
      : s.tpValueToPodCounts[i]!.get(labels[c.topologyKey]!) ?? 0;
    total += cnt * s.normalizingWeight[i]! + (c.maxSkew - 1);
  });
  return Math.round(total);
}

/** Fewer matching pods → higher score: MaxNodeScore × (max + min − s) / max. */
export function normalizeScore(state: CycleState, scores: NodeScore[]): StatusLike {
  const s = state.read<PreScoreState>(PRE_SCORE_KEY);
  if (!s) return Status.error(`reading "${PRE_SCORE_KEY}" from cycleState: not found`);
  let min = Number.MAX_SAFE_INTEGER, max = 0;
  for (const sc of scores) {
    if (s.ignoredNodes.has(sc.name)) {
      sc.score = INVALID_SCORE;
      continue;
    }
    if (sc.score < min) min = sc.score;
    if (sc.score > max) max = sc.score;
  }
  for (const sc of scores) {
    if (sc.score === INVALID_SCORE) sc.score = 0;
    else if (max === 0) sc.score = MAX_NODE_SCORE;
    else sc.score = Math.trunc((MAX_NODE_SCORE * (max + min - sc.score)) / max);
  }
  return undefined;
}
