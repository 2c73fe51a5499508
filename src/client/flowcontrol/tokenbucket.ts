// A token bucket (client-go's flowcontrol.NewTokenBucketRateLimiter over golang.org/x/time/rate):
// `burst` tokens to start with, refilled continuously at `qps` per second. Taking a token when none
// is left reserves a future one, so concurrent waiters are served in arrival order at `qps`.
import { realClock, type Clock } from '../../util/clock.js';

export interface RateLimiter {
  /** Takes a token now if one is available; never waits. */
  tryAccept(): boolean;
  /** Waits for a token; rejects with the signal's reason when aborted (the token is given back). */
  wait(signal?: AbortSignal): Promise<void>;
  /** Reserves a token and returns how many ms until it may be used (0 = now). */
  reserve(): number;
}

export class TokenBucket implements RateLimiter {
  private tokens: number;
  private last: number;

  constructor(readonly qps: number, readonly burst: number, private readonly clock: Clock = realClock) {
    if (!(qps > 0) || !(burst >= 1)) throw new RangeError(`token bucket: need qps > 0 and burst >= 1 (got ${qps}, ${burst})`);
    this.tokens = burst;
    this.last = clock.monotonic();
  }

  private refill(): void {
    const now = this.clock.monotonic();
    this.tokens = Math.min(this.burst, this.tokens + ((now - this.last) * this.qps) / 1000);
    this.last = now;
  }

  tryAccept(): boolean {
    this.refill();
    if (this.tokens < 1) return false;
    this.tokens -= 1;
    return true;
  }

  reserve(): number {
    this.refill();
    this.tokens -= 1;
    return this.tokens >= 0 ? 0 : (-this.tokens * 1000) / this.qps;
  }

  async wait(signal?: AbortSignal): Promise<void> {
    signal?.throwIfAborted();
    const delay = this.reserve();
    if (delay <= 0) return;
    try {
      await this.clock.sleep(delay, signal);
    } catch (err) {
      this.tokens = Math.min(this.burst, this.tokens + 1);
      throw err;
    }
  }
}

/** A limiter that never limits (client-go with QPS < 0). */
export const unlimited: RateLimiter = {
  tryAccept: () => true,
  wait: async (signal) => signal?.throwIfAborted(),
  reserve: () => 0,
};
