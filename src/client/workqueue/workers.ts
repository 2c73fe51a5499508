// The controller worker loop of sample-controller: get → sync(key) → forget on success, or
// addRateLimited on failure → done. A throwing sync never kills its worker.
import { logger, type Logger } from '../../util/log.js';
import type { RateLimitingQueue } from './ratelimiting.js';

export interface RunWorkersOptions {
  log?: Logger;
  /** Give up on an item after this many failed attempts (forget and drop it); default never. */
  maxRetries?: number;
}

/** Runs n workers until the queue shuts down; resolves when all have exited. */
export async function runWorkers<T>(
  queue: RateLimitingQueue<T>,
  n: number,
  sync: (item: T) => Promise<void> | void,
  opts: RunWorkersOptions = {},
): Promise<void> {
  if (!(n >= 1)) throw new RangeError(`runWorkers: need at least one worker (got ${n})`);
  const log = opts.log ?? logger('workqueue').with({ queue: queue.name });
  const worker = async (): Promise<void> => {
    for (;;) {
      const item = await queue.get();
      if (item === undefined) return;
      try {
        await sync(item);
        queue.forget(item);
      } catch (err) {
        if (opts.maxRetries !== undefined && queue.numRequeues(item) >= opts.maxRetries) {
          log.warn('dropping item out of the queue after retries', { item: String(item), retries: queue.numRequeues(item), err });
          queue.forget(item);
        } else {
          log.v(2).info('error syncing; requeuing', { item: String(item), err });
          queue.addRateLimited(item);
        }
      } finally {
        queue.done(item);
      }
    }
  };
  await Promise.all(Array.from({ length: n }, worker));
}
