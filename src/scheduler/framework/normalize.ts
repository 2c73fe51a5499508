// Shared score normalization (upstream plugins/helper.DefaultNormalizeScore): scale so the best node
// gets maxPriority; reverse flips it for "fewer is better" counts such as intolerable taints.
import type { NodeScore } from './interface.js';

export function defaultNormalizeScore(maxPriority: number, reverse: boolean, scores: NodeScore[]): void {
  let max = 0;
  for (const s of scores) if (s.score > max) max = s.score;
  if (max === 0) {
    if (reverse) for (const s of scores) s.score = maxPriority;
    return;
  }
  for (const s of scores) {
    let v = Math.trunc((maxPriority * s.score) / max);
    if (reverse) v = maxPriority - v;
    s.score = v;
  }
}
