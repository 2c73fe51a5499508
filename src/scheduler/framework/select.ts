// How many nodes to filter and which scored node wins (upstream schedule_one.go
// numFeasibleNodesToFind and selectHost).
import type { NodeScore } from './interface.js';

export const MIN_FEASIBLE_NODES_TO_FIND = 100;
export const MIN_FEASIBLE_NODES_PERCENTAGE_TO_FIND = 5;

/**
 * Stop filtering after this many feasible nodes. Small clusters check every node; otherwise the
 * percentage (0 = adaptive: 50% minus 1% per 125 nodes, at least 5%), but never fewer than 100.
 */
export function numFeasibleNodesToFind(percentage: number | undefined, numAllNodes: number): number {
  if (numAllNodes < MIN_FEASIBLE_NODES_TO_FIND) return numAllNodes;
  let p = percentage ?? 0;
  if (p === 0) {
    p = 50 - Math.trunc(numAllNodes / 125);
    if (p < MIN_FEASIBLE_NODES_PERCENTAGE_TO_FIND) p = MIN_FEASIBLE_NODES_PERCENTAGE_TO_FIND;
  }
  const n = Math.trunc((numAllNodes * p) / 100);
  return n < MIN_FEASIBLE_NODES_TO_FIND ? MIN_FEASIBLE_NODES_TO_FIND : n;
}

/** The highest-scored node; ties are broken uniformly at random by reservoir sampling. */
export function selectHost(scores: readonly NodeScore[], random: () => number = Math.random): string {
  return scores[selectBestIndex(scores.map((s) => s.score), random)]!.name;
}

/** selectHost over totals by index (the framework's scoreTotals): the index of the node chosen. */
export function selectBestIndex(totals: ArrayLike<number>, random: () => number = Math.random): number {
  if (totals.length === 0) throw new Error('empty priorityList');
  let best = 0;
  let bestScore = totals[0]!;
  let ties = 1;
  for (let i = 1; i < totals.length; i++) {
    const score = totals[i]!;
    if (score > bestScore) {
      best = i;
      bestScore = score;
      ties = 1;
    } else if (score === bestScore) {
      ties++;
      if (random() * ties < 1) best = i;
    }
  }
  return best;
}
