// The order in which a controller deletes surplus pods (upstream controller_utils.go
// ActivePodsWithRanks.Less): the least valuable first.
import { isPodReady, parseTime, podReadyTime } from './pod.js';
import type { Pod } from './types.js';

/** The annotation that lets users say which pods to delete first (lower cost first). */
export const POD_DELETION_COST = 'controller.kubernetes.io/pod-deletion-cost';

const PHASE_ORDINAL: Record<string, number> = { Pending: 0, Unknown: 1, Running: 2 };

/** A pod with its rank: how many related pods share its node (doubled-up pods go first). */
export interface RankedPod {
  pod: Pod;
  rank: number;
}

/**
 * Negative when a should be deleted before b. In order: unassigned < assigned; Pending < Unknown <
 * Running; not ready < ready; lower pod-deletion-cost; higher rank (more co-located related pods);
 * ready more recently (log2 buckets of ready time when now is given, as LogarithmicScaleDown);
 * higher max restart count; created more recently.
 */
export function comparePodsForDeletion(a: RankedPod, b: RankedPod, now?: number): number {
  const pa = a.pod;
  const pb = b.pod;
  const na = pa.spec?.nodeName ?? '';
  const nb = pb.spec?.nodeName ?? '';
  if (na !== nb && (!na || !nb)) return na ? 1 : -1;
  const oa = PHASE_ORDINAL[pa.status?.phase ?? ''] ?? 0;
  const ob = PHASE_ORDINAL[pb.status?.phase ?? ''] ?? 0;
  if (oa !== ob) return oa - ob;
  const ra = isPodReady(pa);
  const rb = isPodReady(pb);
  if (ra !== rb) return ra ? 1 : -1;
  const ca = deletionCost(pa);
  const cb = deletionCost(pb);
  if (ca !== cb) return ca - cb;
  if (a.rank !== b.rank) return b.rank - a.rank;
  if (ra && rb) {
    const ta = podReadyTime(pa);
    const tb = podReadyTime(pb);
    if (ta !== tb) {
      if (now === undefined || ta === undefined || tb === undefined) return afterOrZero(ta, tb);
      const diff = log2Rank(now - ta) - log2Rank(now - tb);
      if (diff !== 0) return diff;
      const ua = pa.metadata.uid ?? '';
      const ub = pb.metadata.uid ?? '';
      return ua < ub ? -1 : ua > ub ? 1 : 0;
    }
  }
  const xa = maxRestarts(pa);
  const xb = maxRestarts(pb);
  if (xa !== xb) return xb - xa;
  const cta = parseTime(pa.metadata.creationTimestamp);
  const ctb = parseTime(pb.metadata.creationTimestamp);
  if (cta !== ctb) return afterOrZero(cta, ctb);
  return 0;
}

/** Sorts a copy, least valuable first. */
export function sortPodsForDeletion(pods: readonly RankedPod[], now?: number): RankedPod[] {
  return [...pods].sort((a, b) => comparePodsForDeletion(a, b, now));
}

/**
 * Ranks each pod by how many of relatedPods (pods of the same owner family, e.g. every ReplicaSet of
 * a Deployment) are active on its node (upstream getPodsRankedByRelatedPodsOnSameNode).
 */
export function rankByRelatedPodsOnSameNode(pods: readonly Pod[], relatedPods: readonly Pod[]): RankedPod[] {
  const perNode = new Map<string, number>();
  for (const p of relatedPods) {
    const n = p.spec?.nodeName;
    if (n && !p.metadata.deletionTimestamp && p.status?.phase !== 'Succeeded' && p.status?.phase !== 'Failed') perNode.set(n, (perNode.get(n) ?? 0) + 1);
  }
  return pods.map((pod) => ({ pod, rank: pod.spec?.nodeName ? (perNode.get(pod.spec.nodeName) ?? 0) : 0 }));
}

/** Plain ActivePods ordering (rank 0 for all). */
export function comparePods(a: Pod, b: Pod): number {
  return comparePodsForDeletion({ pod: a, rank: 0 }, { pod: b, rank: 0 });
}

function deletionCost(p: Pod): number {
  const v = p.metadata.annotations?.[POD_DELETION_COST];
  if (v === undefined) return 0;
  const n = Number.parseInt(v, 10);
  return Number.isFinite(n) && String(n) === v.trim() ? n : 0;
}

function maxRestarts(p: Pod): number {
  let m = 0;
  for (const s of p.status?.containerStatuses ?? []) m = Math.max(m, s.restartCount ?? 0);
  for (const s of p.status?.initContainerStatuses ?? []) m = Math.max(m, s.restartCount ?? 0);
  return m;
}

/** Upstream afterOrZero: a missing time sorts first, then the later time first. */
function afterOrZero(a: number | undefined, b: number | undefined): number {
  if (a === b) return 0;
  if (a === undefined) return -1;
  if (b === undefined) return 1;
  return a > b ? -1 : 1;
}

/** floor(log2(duration in ns)), -1 for non-positive durations (upstream logarithmicRankDiff buckets). */
function log2Rank(ms: number): number {
  if (ms <= 0) return -1;
  return Math.floor(Math.log2(ms * 1e6));
}
