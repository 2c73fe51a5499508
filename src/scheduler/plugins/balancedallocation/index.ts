// NodeResourcesBalancedAllocation (upstream noderesources/balanced_allocation.go): prefer nodes whose
// resource fractions (requested/allocatable, pod included) are close to each other.
import type { Handle, PreScorePlugin, ScorePlugin } from '../../framework/index.js';
import { MAX_NODE_SCORE } from '../../framework/index.js';
import type { ResourceSpec } from '../helper/resource-allocation.js';
import { podRequestVector, scoreNode } from '../helper/resource-allocation.js';

export const name = 'NodeResourcesBalancedAllocation';
const KEY = `PreScore${name}`;

class ScoreState {
  constructor(readonly request: number[]) {}
  clone() { return this; }
}

/** (1 - standard deviation of the fractions) × 100; two resources use |a−b|/2. */
export function balancedScore(requested: number[], allocatable: number[]): number {
  const fractions: number[] = [];
  let total = 0;
  for (let i = 0; i < requested.length; i++) {
    if (allocatable[i] === 0) continue;
    const f = Math.min(requested[i]! / allocatable[i]!, 1);
    total += f;
    fractions.push(f);
  }
  let std = 0;
  if (fractions.length === 2) std = Math.abs((fractions[0]! - fractions[1]!) / 2);
  else if (fractions.length > 2) {
    const mean = total / fractions.length;
    std = Math.sqrt(fractions.reduce((s, f) => s + (f - mean) ** 2, 0) / fractions.length);
  }
  return Math.trunc((1 - std) * MAX_NODE_SCORE);
}

export function create(rawArgs: Record<string, unknown> | undefined, _h: Handle): PreScorePlugin & ScorePlugin {
  const resources = ((rawArgs?.resources as ResourceSpec[] | undefined)?.length ? rawArgs!.resources : [{ name: 'cpu', weight: 1 }, { name: 'memory', weight: 1 }]) as ResourceSpec[];
  return {
    name,
    preScore(state, pod) {
      state.write(KEY, new ScoreState(podRequestVector(pod, resources, true)));
      return undefined;
    },
    score(state, pod, nodeInfo) {
      const req = state.read<ScoreState>(KEY)?.request ?? podRequestVector(pod, resources, true);
      return scoreNode(nodeInfo, req, resources, true, balancedScore);
    },
  };
}
