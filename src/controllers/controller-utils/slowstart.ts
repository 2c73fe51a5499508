// Slow-start batches (upstream slowStartBatch): do `count` calls in batches of 1, 2, 4, … running
// each batch concurrently and stopping after the first batch with a failure, so a controller that
// cannot create pods (quota, admission) fails with one call instead of hundreds.

/** Upstream SlowStartInitialBatchSize. */
export const SLOW_START_INITIAL_BATCH = 1;
/** Upstream BurstReplicas: the most pods a ReplicaSet creates or deletes in one sync. */
export const BURST_REPLICAS = 500;

export interface SlowStartResult {
  /** Calls that succeeded. */
  successes: number;
  /** The first error of the failing batch, if any. */
  error?: unknown;
  /** Calls never made because an earlier batch failed. */
  skipped: number;
}

export async function slowStartBatch(count: number, initialBatchSize: number, fn: (i: number) => Promise<void>): Promise<SlowStartResult> {
  let remaining = count;
  let successes = 0;
  let index = 0;
  for (let batch = Math.min(remaining, initialBatchSize); batch > 0; batch = Math.min(2 * batch, remaining)) {
    const results = await Promise.allSettled(Array.from({ length: batch }, () => fn(index++)));
    let error: unknown;
    let failed = false;
    for (const r of results) {
      if (r.status === 'fulfilled') successes++;
      else if (!failed) {
        failed = true;
        error = r.reason;
      }
    }
    remaining -= batch;
    if (failed) return { successes, error, skipped: remaining };
  }
  return { successes, skipped: 0 };
}
