// Pod failure backoff (upstream pkg/controller/job/backoff_utils.go): after failures since the last
// success, new pods wait 10 s, 20 s, 40 s, … (capped) counted from the latest failure.
import { finishTime, type Pod } from './pods.js';

export interface BackoffRecord {
  failuresAfterLastSuccess: number;
  lastFailureTime?: number;
}

export class BackoffStore {
  private readonly m = new Map<string, BackoffRecord>();

  get(key: string): BackoffRecord {
    return this.m.get(key) ?? { failuresAfterLastSuccess: 0 };
  }

  /** The record after newly finished pods: a success after the last failure resets it. */
  next(key: string, succeeded: Pod[], failed: Pod[], now: number): BackoffRecord {
    const old = this.get(key);
    if (!succeeded.length && !failed.length) return old;
    const lastSuccess = Math.max(-Infinity, ...succeeded.map((p) => finishTime(p) ?? now));
    const failTimes = failed.map((p) => finishTime(p) ?? now);
    const lastFailure = Math.max(old.lastFailureTime ?? -Infinity, ...failTimes);
    if (succeeded.length && lastSuccess >= lastFailure) return { failuresAfterLastSuccess: 0 };
    const after = succeeded.length ? failTimes.filter((t) => t > lastSuccess).length : old.failuresAfterLastSuccess + failTimes.length;
    return { failuresAfterLastSuccess: after, lastFailureTime: lastFailure };
  }

  set(key: string, r: BackoffRecord): void {
    this.m.set(key, r);
  }

  delete(key: string): void {
    this.m.delete(key);
  }
}

/** Milliseconds to wait before creating pods again (0 = now). */
export function remainingBackoff(r: BackoffRecord, now: number, baseMs: number, maxMs: number): number {
  if (r.failuresAfterLastSuccess === 0 || r.lastFailureTime === undefined) return 0;
  let d = baseMs;
  for (let i = 1; i < r.failuresAfterLastSuccess && d < maxMs; i++) d *= 2;
  d = Math.min(d, maxMs);
  const elapsed = now - r.lastFailureTime;
  return elapsed >= d ? 0 : d - elapsed;
}
