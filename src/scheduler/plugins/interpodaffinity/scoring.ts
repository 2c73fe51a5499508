// InterPodAffinity PreScore/Score (upstream interpodaffinity/scoring.go): preferred terms of the
// incoming pod, and required (hardPodAffinityWeight) and preferred terms of existing pods, add or
// subtract weight on every node sharing the existing pod's topology value.
import type { CycleState, Handle, NodeInfo, NodeScore, StatusLike, WeightedAffinityTerm } from '../../framework/index.js';
import { MAX_NODE_SCORE, PodInfo, Status } from '../../framework/index.js';
import type { Node, Pod } from '../../types.js';
import { namespaceLabelsMemo } from './counts.js';

export const PRE_SCORE_KEY = 'PreScoreInterPodAffinity';

export class PreScoreState {
  /** topologyKey → value → score. */
  constructor(readonly topologyScore: Map<string, Map<string, number>>) {}
  clone() { return this; }
}

function add(m: Map<string, Map<string, number>>, key: string, value: string, delta: number): void {
  let vals = m.get(key);
  if (!vals) m.set(key, (vals = new Map()));
  vals.set(value, (vals.get(value) ?? 0) + delta);
}

function processTerms(m: Map<string, Map<string, number>>, terms: readonly WeightedAffinityTerm[], pod: Pod, nsLabels: Record<string, string> | undefined, node: Node, sign: number): void {
  const labels = node.metadata.labels!;
  for (const { term, weight } of terms) {
    if (!term.matches(pod, nsLabels)) continue;
    if (Object.hasOwn(labels, term.topologyKey)) add(m, term.topologyKey, labels[term.topologyKey]!, weight * sign);
  }
}

export function preScore(state: CycleState, pod: Pod, nodes: readonly NodeInfo[], h: Handle, hardPodAffinityWeight: number, ignoreExisting: boolean): StatusLike {
  if (nodes.length === 0) return undefined;
  const pi = new PodInfo(pod);
  const hasConstraints = pi.preferredAffinityTerms.length > 0 || pi.preferredAntiAffinityTerms.length > 0;
  if (ignoreExisting && !hasConstraints) return Status.skip();
  const nsLabels = h.namespaceLabels?.(pod.metadata.namespace ?? '');
  const snapshot = h.snapshot();
  const all = hasConstraints ? snapshot.list() : snapshot.havePodsWithAffinityList();
  const m = new Map<string, Map<string, number>>();
  const existingNsLabels = namespaceLabelsMemo(h);
  for (const ni of all) {
    const node = ni.node;
    if (!node || !node.metadata.labels || Object.keys(node.metadata.labels).length === 0) continue;
    for (const existing of hasConstraints ? ni.pods : ni.podsWithAffinity) {
      if (hasConstraints) {
        const existingNs = existingNsLabels(existing.pod.metadata.namespace ?? '');
        processTerms(m, pi.preferredAffinityTerms, existing.pod, existingNs, node, 1);
        processTerms(m, pi.preferredAntiAffinityTerms, existing.pod, existingNs, node, -1);
      }
      if (hardPodAffinityWeight > 0 && existing.requiredAffinityTerms.length) {
        processTerms(m, existing.requiredAffinityTerms.map((term) => ({ term, weight: hardPodAffinityWeight })), pod, nsLabels, node, 1);
      }
      // Pods with only required anti-affinity (the common case) add nothing to the score.
      if (existing.preferredAffinityTerms.length) processTerms(m, existing.preferredAffinityTerms, pod, nsLabels, node, 1);
      if (existing.preferredAntiAffinityTerms.length) processTerms(m, existing.preferredAntiAffinityTerms, pod, nsLabels, node, -1);
    }
  }
  if (m.size === 0) return Status.skip();
  state.write(PRE_SCORE_KEY, new PreScoreState(m));
  return undefined;
}

export function score(state: CycleState, _pod: Pod, nodeInfo: NodeInfo): number | Status {
  const s = state.read<PreScoreState>(PRE_SCORE_KEY);
  if (!s) return Status.error(`reading "${PRE_SCORE_KEY}" from cycleState: not found`);
  const labels = nodeInfo.node?.metadata.labels ?? {};
  let total = 0;
  for (const [key, vals] of s.topologyScore) if (Object.hasOwn(labels, key)) total += vals.get(labels[key]!) ?? 0;
  return total;
}

/** Min-max scaling to 0..100; all-equal scores become 0. */
export function normalizeScore(state: CycleState, scores: NodeScore[]): StatusLike {
  const s = state.read<PreScoreState>(PRE_SCORE_KEY);
  if (!s || s.topologyScore.size === 0) return undefined;
  let min = Infinity, max = -Infinity;
  for (const sc of scores) {
    if (sc.score > max) max = sc.score;
    if (sc.score < min) min = sc.score;
  }
  const diff = max - min;
  for (const sc of scores) sc.score = diff > 0 ? Math.trunc(MAX_NODE_SCORE * ((sc.score - min) / diff)) : 0;
  return undefined;
}
