// Picking the node to preempt on (upstream preemption.pickOneNodeForPreemption): fewest PDB
// violations, then the lowest highest-priority victim, the lowest priority sum, the fewest victims,
// the latest start among the highest-priority victims, then the first.
import type { Pod } from '../../types.js';
import { podPriority } from '../../types.js';
import type { Victims } from './victims.js';
import { podStartTime } from './victims.js';

export interface Candidate {
  name: string;
  victims: Victims;
}

const INT32_SPAN = 2 ** 31; // upstream adds MaxInt32+1 so negative priorities still sum positively

function earliestStartOfHighest(pods: readonly Pod[], now: number): number {
  const top = Math.max(...pods.map(podPriority));
  return Math.min(...pods.filter((p) => podPriority(p) === top).map((p) => podStartTime(p, now)));
}

export function pickOneNodeForPreemption(candidates: readonly Candidate[], now: number): Candidate | undefined {
  if (candidates.length === 0) return undefined;
  const byMin = (list: readonly Candidate[], f: (c: Candidate) => number): Candidate[] => {
    const min = Math.min(...list.map(f));
    return list.filter((c) => f(c) === min);
  };
  let list = candidates.filter((c) => c.victims.pods.length > 0);
  // A node needing no victims at all wins outright.
  const free = candidates.find((c) => c.victims.pods.length === 0);
  if (free) return free;
  list = byMin(list, (c) => c.victims.numPDBViolations);
  if (list.length === 1) return list[0];
  list = byMin(list, (c) => podPriority(c.victims.pods[0]!));
  if (list.length === 1) return list[0];
  list = byMin(list, (c) => c.victims.pods.reduce((s, p) => s + podPriority(p) + INT32_SPAN, 0));
  if (list.length === 1) return list[0];
  list = byMin(list, (c) => c.victims.pods.length);
  if (list.length === 1) return list[0];
  list = byMin(list, (c) => -earliestStartOfHighest(c.victims.pods, now));
  return list[0];
}
