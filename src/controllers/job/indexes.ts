// Completion indexes of Indexed jobs (upstream pkg/controller/job/indexed_job_utils.go):
// status.completedIndexes is a compressed list such as "1,3-5,7".
import { completionIndex, isPodActive, type Pod } from './pods.js';

/** Parses "1,3-5" into a sorted set of indexes below completions; malformed parts are skipped. */
export function parseIndexes(s: string | undefined, completions: number): Set<number> {
  const out = new Set<number>();
  for (const part of (s ?? '').split(',')) {
    if (!part) continue;
    const [a, b] = part.split('-');
    const lo = Number(a);
    const hi = b === undefined ? lo : Number(b);
    if (!Number.isInteger(lo) || !Number.isInteger(hi)) continue;
    for (let i = lo; i <= hi && i < completions; i++) out.add(i);
  }
  return out;
}

/** Formats a set of indexes as upstream does: ascending, consecutive runs of 2+ as "a-b". */
export function formatIndexes(set: Iterable<number>): string {
  const xs = [...set].sort((a, b) => a - b);
  const parts: string[] = [];
  for (let i = 0; i < xs.length;) {
    let j = i;
    while (j + 1 < xs.length && xs[j + 1] === xs[j]! + 1) j++;
    parts.push(j > i ? `${xs[i]}-${xs[j]}` : `${xs[i]}`);
    i = j + 1;
  }
  return parts.join(',');
}

/** Indexes neither succeeded nor held by an active pod, lowest first, at most n. */
export function firstPendingIndexes(activePods: Pod[], succeeded: Set<number>, n: number, completions: number): number[] {
  const held = new Set(activePods.map(completionIndex));
  const out: number[] = [];
  for (let i = 0; i < completions && out.length < n; i++) if (!succeeded.has(i) && !held.has(i)) out.push(i);
  return out;
}

/**
 * Active pods an Indexed job must remove: those without a valid index, with an already succeeded
 * index, or duplicating another active pod's index (keeping the ready/oldest one).
 */
export function excessIndexedPods(activePods: Pod[], succeeded: Set<number>, completions: number): Pod[] {
  const out: Pod[] = [];
  const byIndex = new Map<number, Pod[]>();
  for (const p of activePods) {
    const ix = completionIndex(p);
    if (ix < 0 || ix >= completions || succeeded.has(ix)) out.push(p);
    else byIndex.set(ix, [...(byIndex.get(ix) ?? []), p]);
  }
  for (const ps of byIndex.values()) {
    if (ps.length < 2) continue;
    const sorted = [...ps].sort((a, b) => String(a.metadata.creationTimestamp).localeCompare(String(b.metadata.creationTimestamp)));
    out.push(...sorted.slice(1));
  }
  return out.filter(isPodActive);
}
