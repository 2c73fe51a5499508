import { realClock, type Clock } from './clock.js';

export interface BackoffOptions {
  initialMs: number;
  maxMs: number;
  factor: number;
  /** Fraction of random spread added to each delay (0 = none). */
  jitter: number;
}

const defaults: BackoffOptions = { initialMs: 100, maxMs: 30_000, factor: 2, jitter: 0.1 };

/** Exponential backoff: each next() is the previous delay times factor, capped at maxMs. */
export class Backoff {
  private readonly opts: BackoffOptions;
  private attempt = 0;

  constructor(opts: Partial<BackoffOptions> = {}) {
    this.opts = { ...defaults, ...opts };
    if (this.opts.initialMs <= 0 || this.opts.maxMs < this.opts.initialMs || this.opts.factor < 1) {
      throw new RangeError('backoff: need 0 < initialMs <= maxMs and factor >= 1');
    }
  }

  /** The delay before the next attempt. */
  next(): number {
    const base = Math.min(this.opts.maxMs, this.opts.initialMs * this.opts.factor ** this.attempt);
    this.attempt++;
    return base + base * this.opts.jitter * Math.random();
  }

  reset(): void {
    this.attempt = 0;
  }

  get attempts(): number {
    return this.attempt;
  }
}

/**
 * Runs fn until it succeeds, sleeping with backoff between failures; stops (rethrowing the last
 * error) when the signal aborts, when retryable says no, or after maxAttempts.
 */
export async function retry<T>(
  fn: (attempt: number) => Promise<T>,
  opts: Partial<BackoffOptions> & {
    signal?: AbortSignal;
    maxAttempts?: number;
    retryable?: (err: unknown) => boolean;
    clock?: Clock;
    onError?: (err: unknown, delayMs: number) => void;
  } = {},
): Promise<T> {
  const b = new Backoff(opts);
  const clock = opts.clock ?? realClock;
  for (let attempt = 1; ; attempt++) {
    try {
      return await fn(attempt);
    } catch (err) {
      if (opts.signal?.aborted) throw err;
      if (opts.retryable && !opts.retryable(err)) throw err;
      if (opts.maxAttempts !== undefined && attempt >= opts.maxAttempts) throw err;
      const delay = b.next();
      opts.onError?.(err, delay);
      await clock.sleep(delay, opts.signal);
    }
  }
}
