// Automatic compaction policy. kine keeps the newest 1000 revisions and compacts on a timer; the
// Kubernetes API server compacts to the revision it saw one interval ago. We keep both bounds:
// history is kept while it is within keepRevisions of the head OR younger than keepMs.
import type { Clock, Timer } from '../../util/clock.js';
import { logger } from '../../util/log.js';

export interface CompactionPolicy {
  /** Revisions behind the head that stay readable/watchable (default 1000). */
  keepRevisions?: number;
  /** Revisions younger than this stay as well (default 0: revision count only). */
  keepMs?: number;
  /** How often to compact (default 30 s). */
  intervalMs?: number;
}

const log = logger('storage.compactor');

/** Runs compact(target) every interval, target chosen by the policy. */
export class AutoCompactor {
  private readonly keepRevisions: number;
  private readonly keepMs: number;
  private readonly intervalMs: number;
  /** (time, head) samples, to find the head as of keepMs ago. */
  private samples: { at: number; rev: number }[] = [];
  private timer?: Timer;
  private running = false;

  constructor(
    policy: CompactionPolicy,
    private readonly clock: Clock,
    private readonly head: () => number,
    private readonly compact: (rev: number) => Promise<void>,
  ) {
    this.keepRevisions = policy.keepRevisions ?? 1000;
    this.keepMs = policy.keepMs ?? 0;
    this.intervalMs = policy.intervalMs ?? 30_000;
    if (this.keepRevisions < 0 || this.keepMs < 0 || this.intervalMs <= 0) {
      throw new RangeError('compaction: keepRevisions and keepMs must be >= 0, intervalMs > 0');
    }
  }

  start(): void {
    this.schedule();
  }

  stop(): void {
    this.timer?.cancel();
    this.timer = undefined;
  }

  /** The revision the policy would compact to now (0: nothing to do). */
  target(): number {
    const now = this.clock.now();
    const head = this.head();
    this.samples.push({ at: now, rev: head });
    let target = head - this.keepRevisions;
    if (this.keepMs > 0) {
      // The newest sample at least keepMs old marks what is old enough to drop.
      let old = 0;
      while (this.samples.length > 1 && this.samples[1]!.at <= now - this.keepMs) this.samples.shift();
      if (this.samples[0]!.at <= now - this.keepMs) old = this.samples[0]!.rev;
      target = Math.min(target, old);
    } else {
      this.samples = [];
    }
    return Math.max(0, target);
  }

  /** One policy round (also what the timer runs). */
  async runOnce(): Promise<void> {
    if (this.running) return;
    this.running = true;
    try {
      const t = this.target();
      if (t > 0) await this.compact(t);
    } catch (err) {
      log.warn('automatic compaction failed', { err });
    } finally {
      this.running = false;
    }
  }

  private schedule(): void {
    this.timer = this.clock.setTimer(this.intervalMs, () => {
      void this.runOnce().finally(() => {
        if (this.timer) this.schedule();
      });
    });
  }
}
