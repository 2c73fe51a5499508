// Pod workers (upstream pod_workers.go): one serialised sync loop per pod uid. A trigger while a
// sync runs marks the pod dirty so it syncs once more afterwards (triggers collapse); each sync
// returns when it wants to run again (resync, back-off end, deadline), kept as one timer per pod.
import type { Clock, Timer } from '../util/clock.js';
import type { Logger } from '../util/log.js';

/** A sync resolves to the delay before the next one (ms), or undefined for "only when triggered". */
export type SyncFn = (uid: string) => Promise<number | undefined>;

interface Worker {
  running?: Promise<void>;
  dirty: boolean;
  timer?: Timer;
  dueAt: number;
}

export class PodWorkers {
  private readonly workers = new Map<string, Worker>();
  private stopped = false;

  constructor(private readonly clock: Clock, private readonly sync: SyncFn, private readonly log: Logger, private readonly errorBackoffMs = 2_000) {}

  /** Syncs uid now (after the running sync, if any) or after delayMs. */
  trigger(uid: string, delayMs = 0): void {
    if (this.stopped) return;
    let w = this.workers.get(uid);
    if (!w) this.workers.set(uid, (w = { dirty: false, dueAt: Infinity }));
    if (delayMs <= 0) {
      w.dirty = true;
      this.kick(uid, w);
      return;
    }
    const at = this.clock.now() + delayMs;
    if (w.timer && w.dueAt <= at) return;
    w.timer?.cancel();
    w.dueAt = at;
    w.timer = this.clock.setTimer(delayMs, () => {
      w!.timer = undefined;
      w!.dueAt = Infinity;
      this.trigger(uid);
    });
  }

  /** True while a worker exists for uid. */
  has(uid: string): boolean {
    return this.workers.has(uid);
  }

  /** Drops uid's worker (after its final sync); a running sync finishes. */
  forget(uid: string): void {
    const w = this.workers.get(uid);
    if (!w) return;
    w.timer?.cancel();
    this.workers.delete(uid);
  }

  /** Resolves once every running sync finished; no new ones start. */
  async stop(): Promise<void> {
    this.stopped = true;
    for (const w of this.workers.values()) w.timer?.cancel();
    await Promise.allSettled([...this.workers.values()].map((w) => w.running));
  }

  /** Waits for the pod's running sync (tests). */
  async idle(uid: string): Promise<void> {
    while (this.workers.get(uid)?.running) await this.workers.get(uid)!.running;
  }

  private kick(uid: string, w: Worker): void {
    if (w.running) return;
    w.running = (async () => {
      while (w.dirty && !this.stopped) {
        w.dirty = false;
        let next: number | undefined;
        try {
          next = await this.sync(uid);
        } catch (err) {
          this.log.warn('pod sync failed', { uid, err });
          next = this.errorBackoffMs;
        }
        if (next !== undefined && this.workers.get(uid) === w) this.trigger(uid, next);
      }
    })().finally(() => {
      w.running = undefined;
      if (w.dirty && !this.stopped && this.workers.get(uid) === w) this.kick(uid, w);
    });
  }
}
