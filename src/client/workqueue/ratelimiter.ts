// Per-item retry delays (client-go's workqueue rate limiters). The default controller limiter is the
// larger of a per-item exponential backoff (5 ms doubling to 1000 s) and an overall token bucket
// (10 qps, burst 100) — DefaultControllerRateLimiter.
import { realClock, type Clock } from '../../util/clock.js';
import { TokenBucket } from '../flowcontrol/index.js';

export interface ItemRateLimiter<T = string> {
  /** How long item should wait before its next attempt; counts a failure. */
  when(item: T): number;
  /** Clears item's failure history (after success, or when giving up). */
  forget(item: T): void;
  /** Failures counted for item since it was last forgotten. */
  numRequeues(item: T): number;
}

/** base × 2^failures, capped at max. */
export class ItemExponentialRateLimiter<T = string> implements ItemRateLimiter<T> {
  private readonly failures = new Map<T, number>();

  constructor(readonly baseMs = 5, readonly maxMs = 1_000_000) {
    if (!(baseMs > 0) || maxMs < baseMs) throw new RangeError('exponential rate limiter: need 0 < base <= max');
  }

  when(item: T): number {
    const n = this.failures.get(item) ?? 0;
    this.failures.set(item, n + 1);
    return Math.min(this.maxMs, this.baseMs * 2 ** n);
  }

  forget(item: T): void {
    this.failures.delete(item);
  }

  numRequeues(item: T): number {
    return this.failures.get(item) ?? 0;
  }
}

/** One token bucket for all items: limits the overall retry rate. */
export class BucketRateLimiter<T = string> implements ItemRateLimiter<T> {
  private readonly bucket: TokenBucket;

  constructor(qps = 10, burst = 100, clock: Clock = realClock) {
    this.bucket = new TokenBucket(qps, burst, clock);
  }

  when(): number {
    return this.bucket.reserve();
  }

  forget(): void {}

  numRequeues(): number {
    return 0;
  }
}

/** The longest delay of several limiters; numRequeues is the largest count. */
export class MaxOfRateLimiter<T = string> implements ItemRateLimiter<T> {
  private readonly limiters: ItemRateLimiter<T>[];

  constructor(...limiters: ItemRateLimiter<T>[]) {
    this.limiters = limiters;
  }

  when(item: T): number {
    let max = 0;
    for (const l of this.limiters) max = Math.max(max, l.when(item));
    return max;
  }

  forget(item: T): void {
    for (const l of this.limiters) l.forget(item);
  }

  numRequeues(item: T): number {
    let max = 0;
    for (const l of this.limiters) max = Math.max(max, l.numRequeues(item));
    return max;
  }
}

/** Upstream's DefaultControllerRateLimiter. */
export function defaultControllerRateLimiter<T = string>(clock: Clock = realClock): ItemRateLimiter<T> {
  return new MaxOfRateLimiter<T>(new ItemExponentialRateLimiter<T>(5, 1_000_000), new BucketRateLimiter<T>(10, 100, clock));
}
