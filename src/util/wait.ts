import { realClock, type Clock } from './clock.js';

/** Polls cond every intervalMs until it returns a truthy value or timeoutMs passes (then throws). */
export async function waitFor<T>(
  cond: () => T | Promise<T>,
  opts: { timeoutMs?: number; intervalMs?: number; what?: string; clock?: Clock } = {},
): Promise<NonNullable<T>> {
  const clock = opts.clock ?? realClock;
  const deadline = clock.monotonic() + (opts.timeoutMs ?? 10_000);
  let lastErr: unknown;
  for (;;) {
    try {
      const v = await cond();
      if (v) return v as NonNullable<T>;
    } catch (err) {
      lastErr = err;
    }
    if (clock.monotonic() > deadline) {
      const why = lastErr instanceof Error ? `: ${lastErr.message}` : '';
      throw new Error(`timed out waiting for ${opts.what ?? 'condition'}${why}`);
    }
    await clock.sleep(opts.intervalMs ?? 50);
  }
}
