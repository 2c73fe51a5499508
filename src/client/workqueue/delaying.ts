// client-go's DelayingInterface: addAfter(item, delay) adds the item once the delay passes; an item
// already waiting keeps the earlier of its two ready times. Timers come from the injected clock.
import { realClock, type Clock, type Timer } from '../../util/clock.js';
import { Queue } from './queue.js';

export class DelayingQueue<T = string> extends Queue<T> {
  private readonly waiting = new Map<T, { at: number; timer: Timer }>();

  constructor(protected readonly clock: Clock = realClock) {
    super();
  }

  /** Adds item after delayMs (at once when <= 0); ignored once shutting down. */
  addAfter(item: T, delayMs: number): void {
    if (this.shuttingDown()) return;
    if (delayMs <= 0) {
      this.add(item);
      return;
    }
    const at = this.clock.monotonic() + delayMs;
    const prev = this.waiting.get(item);
    if (prev && prev.at <= at) return;
    prev?.timer.cancel();
    const timer = this.clock.setTimer(delayMs, () => {
      this.waiting.delete(item);
      this.add(item);
    });
    this.waiting.set(item, { at, timer });
  }

  /** Items waiting for their delay to pass. */
  waitingLen(): number {
    return this.waiting.size;
  }

  override shutDown(): void {
    for (const w of this.waiting.values()) w.timer.cancel();
    this.waiting.clear();
    super.shutDown();
  }
}
