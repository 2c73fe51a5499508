// The three NodeResourcesFit scoring strategies (upstream noderesources least_allocated.go,
// most_allocated.go, requested_to_capacity_ratio.go).
import { MAX_NODE_SCORE } from '../../framework/index.js';
import type { ResourceSpec, Scorer } from '../helper/resource-allocation.js';

/** Scores in user shapes run 0..10 (upstream MaxCustomPriorityScore) and are scaled to 0..100. */
export const MAX_CUSTOM_PRIORITY_SCORE = 10;
const MAX_UTILIZATION = 100;

function weighted(resources: readonly ResourceSpec[], one: (req: number, cap: number) => number): Scorer {
  return (requested, allocatable) => {
    let score = 0, weights = 0;
    for (let i = 0; i < requested.length; i++) {
      if (allocatable[i] === 0) continue;
      const w = resources[i]!.weight;
      score += one(requested[i]!, allocatable[i]!) * w;
      weights += w;
    }
    return weights === 0 ? 0 : Math.trunc(score / weights);
  };
}

/** Prefers emptier nodes: (capacity - requested) / capacity. */
export function leastAllocated(resources: readonly ResourceSpec[]): Scorer {
  return weighted(resources, (req, cap) => (cap === 0 || req > cap ? 0 : Math.trunc(((cap - req) * MAX_NODE_SCORE) / cap)));
}

/** Prefers fuller nodes (bin packing): requested / capacity. */
export function mostAllocated(resources: readonly ResourceSpec[]): Scorer {
  return weighted(resources, (req, cap) => (cap === 0 ? 0 : Math.trunc((Math.min(req, cap) * MAX_NODE_SCORE) / cap)));
}

export interface ShapePoint {
  utilization: number;
  score: number;
}

/** Piecewise-linear in utilization through the shape's points (upstream BuildBrokenLinearFunction). */
export function brokenLinear(shape: readonly ShapePoint[]): (p: number) => number {
  return (p) => {
    for (let i = 0; i < shape.length; i++) {
      if (p <= shape[i]!.utilization) {
        if (i === 0) return shape[0]!.score;
        const a = shape[i - 1]!, b = shape[i]!;
        return a.score + Math.trunc(((b.score - a.score) * (p - a.utilization)) / (b.utilization - a.utilization));
      }
    }
    return shape[shape.length - 1]!.score;
  };
}

export function requestedToCapacityRatio(resources: readonly ResourceSpec[], shape: readonly ShapePoint[]): Scorer {
  const fn = brokenLinear(shape.map((p) => ({ utilization: p.utilization, score: p.score * (MAX_NODE_SCORE / MAX_CUSTOM_PRIORITY_SCORE) })));
  const one = (req: number, cap: number) => (cap === 0 || req > cap ? fn(MAX_UTILIZATION) : fn(Math.trunc((req * MAX_UTILIZATION) / cap)));
  return (requested, allocatable) => {
    let score = 0, weights = 0;
    for (let i = 0; i < requested.length; i++) {
      if (allocatable[i] === 0) continue;
      const s = one(requested[i]!, allocatable[i]!);
      if (s > 0) {
        score += s * resources[i]!.weight;
        weights += resources[i]!.weight;
      }
    }
    return weights === 0 ? 0 : Math.round(score / weights);
  };
}
