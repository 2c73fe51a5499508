// client-go's RateLimitingInterface: a delaying queue whose addRateLimited waits as long as the
// rate limiter says (per-item backoff), with forget/numRequeues to reset and inspect it.
import { realClock, type Clock } from '../../util/clock.js';
import { DelayingQueue } from './delaying.js';
import { defaultControllerRateLimiter, type ItemRateLimiter } from './ratelimiter.js';

export interface RateLimitingQueueOptions<T> {
  clock?: Clock;
  /** Default: defaultControllerRateLimiter (5 ms → 1000 s per item, 10 qps / 100 burst overall). */
  rateLimiter?: ItemRateLimiter<T>;
  /** For logs and metrics. */
  name?: string;
}

export class RateLimitingQueue<T = string> extends DelayingQueue<T> {
  readonly name: string;
  private readonly limiter: ItemRateLimiter<T>;

  constructor(opts: RateLimitingQueueOptions<T> = {}) {
    const clock = opts.clock ?? realClock;
    super(clock);
    this.limiter = opts.rateLimiter ?? defaultControllerRateLimiter<T>(clock);
    this.name = opts.name ?? '';
  }

  /** Adds item after the limiter's delay for it (one more failure counted). */
  addRateLimited(item: T): void {
    this.addAfter(item, this.limiter.when(item));
  }

  /** Resets item's backoff; call after a successful sync. */
  forget(item: T): void {
    this.limiter.forget(item);
  }

  numRequeues(item: T): number {
    return this.limiter.numRequeues(item);
  }
}
