// A bounded-frequency runner (upstream pkg/util/async BoundedFrequencyRunner): run() requests a
// run; runs never overlap, are at least minIntervalMs apart except for a small burst, and happen at
// least every maxIntervalMs. A failed run is retried after retryMs.
import type { Clock, Timer } from '../util/clock.js';

export interface RunnerOptions {
  minIntervalMs: number;
  maxIntervalMs: number;
  /** Runs allowed back to back before minInterval applies (upstream kube-proxy: 2). */
  burst?: number;
  retryMs?: number;
  clock: Clock;
}

export class BoundedFrequencyRunner {
  private tokens: number;
  private lastRefill: number;
  private running = false;
  private pending = false;
  private timer: Timer | undefined;
  private periodic: Timer | undefined;
  private stopped = false;
  private idle: Promise<void> = Promise.resolve();

  constructor(private readonly fn: () => Promise<void>, private readonly o: RunnerOptions) {
    this.tokens = o.burst ?? 2;
    this.lastRefill = o.clock.now();
  }

  /** Starts the periodic runs (the first run happens on the first run() call). */
  start(): void {
    this.armPeriodic();
  }

  /** Asks for a run as soon as the rate allows. */
  run(): void {
    if (this.stopped) return;
    this.pending = true;
    this.schedule();
  }

  /** Resolves when no run is in progress. */
  async stop(): Promise<void> {
    this.stopped = true;
    this.timer?.cancel();
    this.periodic?.cancel();
    await this.idle;
  }

  private refill(): void {
    const burst = this.o.burst ?? 2;
    const now = this.o.clock.now();
    const gained = (now - this.lastRefill) / this.o.minIntervalMs;
    if (gained > 0) {
      this.tokens = Math.min(burst, this.tokens + gained);
      this.lastRefill = now;
    }
  }

  private schedule(): void {
    if (this.running || this.timer || !this.pending || this.stopped) return;
    this.refill();
    if (this.tokens >= 1) {
      this.tokens -= 1;
      this.execute();
      return;
    }
    const wait = Math.ceil((1 - this.tokens) * this.o.minIntervalMs);
    this.timer = this.o.clock.setTimer(wait, () => {
      this.timer = undefined;
      this.schedule();
    });
  }

  private execute(): void {
    this.pending = false;
    this.running = true;
    this.idle = this.fn().then(
      () => undefined,
      () => {
        // Retry later; the caller has already asked its tracker for a full sync.
        if (this.stopped) return;
        this.o.clock.setTimer(this.o.retryMs ?? this.o.minIntervalMs, () => this.run());
      },
    ).finally(() => {
      this.running = false;
      this.armPeriodic();
      this.schedule();
    });
  }

  private armPeriodic(): void {
    if (this.stopped) return;
    this.periodic?.cancel();
    this.periodic = this.o.clock.setTimer(this.o.maxIntervalMs, () => this.run());
  }
}
