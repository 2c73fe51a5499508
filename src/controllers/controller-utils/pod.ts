// Pod state helpers shared by the workload controllers (upstream controller_utils.go and
// k8s.io/kubernetes/pkg/api/v1/pod): what counts as active, ready and available.
import type { PodCondition } from 'kubernetes-types/core/v1.js';
import type { Pod } from './types.js';

/** Not finished and not being deleted (upstream IsPodActive). */
export function isPodActive(pod: Pod): boolean {
  const phase = pod.status?.phase;
  return phase !== 'Succeeded' && phase !== 'Failed' && !pod.metadata.deletionTimestamp;
}

/** Not finished (Succeeded/Failed), whether or not it is being deleted (upstream IsPodTerminal's negation). */
export function isPodTerminal(pod: Pod): boolean {
  const phase = pod.status?.phase;
  return phase === 'Succeeded' || phase === 'Failed';
}

/** The pod's Ready condition, if any. */
export function podReadyCondition(pod: Pod): PodCondition | undefined {
  return pod.status?.conditions?.find((c) => c.type === 'Ready');
}

/** Ready condition True (upstream podutil.IsPodReady). */
export function isPodReady(pod: Pod): boolean {
  return podReadyCondition(pod)?.status === 'True';
}

/** When the pod became ready (ms since epoch), or undefined when it is not ready or the time is unknown. */
export function podReadyTime(pod: Pod): number | undefined {
  const c = podReadyCondition(pod);
  if (c?.status !== 'True' || !c.lastTransitionTime) return undefined;
  const t = Date.parse(c.lastTransitionTime);
  return Number.isNaN(t) ? undefined : t;
}

/**
 * Ready for at least minReadySeconds as of now (upstream podutil.IsPodAvailable): with
 * minReadySeconds 0 readiness is enough; otherwise the Ready condition's lastTransitionTime must be
 * that far in the past.
 */
export function isPodAvailable(pod: Pod, minReadySeconds: number, now: number): boolean {
  if (!isPodReady(pod)) return false;
  if (!minReadySeconds) return true;
  const t = podReadyTime(pod);
  return t !== undefined && t + minReadySeconds * 1000 <= now;
}

/** Sum of restart counts of the pod's containers (init containers excluded, as upstream's ranking). */
export function podRestarts(pod: Pod): number {
  let n = 0;
  for (const s of pod.status?.containerStatuses ?? []) n += s.restartCount ?? 0;
  return n;
}

/** Parses an RFC 3339 timestamp; undefined when absent or invalid. */
export function parseTime(s: string | undefined): number | undefined {
  if (!s) return undefined;
  const t = Date.parse(s);
  return Number.isNaN(t) ? undefined : t;
}

/** RFC 3339 with second precision, as metav1.Time serialises. */
export function formatTime(ms: number): string {
  return new Date(ms).toISOString().replace(/\.\d+Z$/, 'Z');
}
