// Job conditions (upstream pkg/controller/job: newCondition, ensureJobConditionStatus, IsJobFinished).
type Obj = Record<string, any>;

export interface JobCondition {
  type: string;
  status: 'True' | 'False' | 'Unknown';
  reason?: string;
  message?: string;
  lastProbeTime?: string;
  lastTransitionTime?: string;
}

/** RFC 3339 with second precision, as metav1.Time serialises. */
export function rfc3339(ms: number): string {
  return new Date(ms).toISOString().replace(/\.\d+Z$/, 'Z');
}

export function newCondition(type: string, status: JobCondition['status'], reason: string, message: string, now: number): JobCondition {
  const t = rfc3339(now);
  const c: JobCondition = { type, status, lastProbeTime: t, lastTransitionTime: t };
  if (reason) c.reason = reason;
  if (message) c.message = message;
  return c;
}

export function findCondition(status: Obj | undefined, type: string): JobCondition | undefined {
  return (status?.conditions ?? []).find((c: JobCondition) => c.type === type);
}

export function hasTrueCondition(status: Obj | undefined, type: string): boolean {
  return findCondition(status, type)?.status === 'True';
}

/** A job with a true Complete or Failed condition is done (upstream util.IsJobFinished). */
export function isJobFinished(job: { status?: Obj }): boolean {
  return hasTrueCondition(job.status, 'Complete') || hasTrueCondition(job.status, 'Failed');
}

/** The finished condition type ("Complete" | "Failed") and when, if finished. */
export function finishedAt(job: { status?: Obj }): { type: string; at: number } | undefined {
  for (const c of (job.status?.conditions ?? []) as JobCondition[]) {
    if ((c.type === 'Complete' || c.type === 'Failed') && c.status === 'True') {
      return { type: c.type, at: Date.parse(c.lastTransitionTime ?? '') };
    }
  }
  return undefined;
}

/**
 * Sets a condition's status, reason and message, appending it unless the status is False (going
 * from nothing to False says nothing). Returns the new list and whether it changed.
 */
export function ensureCondition(list: JobCondition[] | undefined, type: string, status: JobCondition['status'], reason: string, message: string, now: number): { list: JobCondition[]; changed: boolean } {
  const cur = list ?? [];
  const i = cur.findIndex((c) => c.type === type);
  if (i >= 0) {
    const c = cur[i]!;
    if (c.status === status && (c.reason ?? '') === reason && (c.message ?? '') === message) return { list: cur, changed: false };
    const next = [...cur];
    next[i] = newCondition(type, status, reason, message, now);
    return { list: next, changed: true };
  }
  if (status === 'False') return { list: cur, changed: false };
  return { list: [...cur, newCondition(type, status, reason, message, now)], changed: true };
}
