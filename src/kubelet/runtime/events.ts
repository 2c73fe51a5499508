// Fan-out of container events to any number of async-iterating readers (CRI GetContainerEvents).
// Each reader has its own unbounded queue: a slow reader buffers and never makes others wait.
import type { ContainerEvent } from './types.js';

interface Reader {
  queue: ContainerEvent[];
  wake: (() => void) | null;
  done: boolean;
}

export class EventHub {
  private readers = new Set<Reader>();

  /** Delivers ev to every current reader. */
  publish(ev: ContainerEvent): void {
    for (const r of this.readers) {
      r.queue.push(ev);
      const w = r.wake;
      r.wake = null;
      w?.();
    }
  }

  /** Ends every reader's iteration. */
  close(): void {
    for (const r of this.readers) this.finish(r);
  }

  /** Events published from now on, until signal aborts or close(). */
  subscribe(signal?: AbortSignal): AsyncIterable<ContainerEvent> {
    const r: Reader = { queue: [], wake: null, done: false };
    if (signal?.aborted) r.done = true;
    else this.readers.add(r);
    signal?.addEventListener('abort', () => this.finish(r), { once: true });
    const next = async (): Promise<IteratorResult<ContainerEvent>> => {
      for (;;) {
        const ev = r.queue.shift();
        if (ev) return { value: ev, done: false };
        if (r.done) return { value: undefined, done: true };
        await new Promise<void>((resolve) => { r.wake = resolve; });
      }
    };
    return {
      [Symbol.asyncIterator]: () => ({
        next,
        return: async () => {
          this.finish(r);
          return { value: undefined, done: true };
        },
      }),
    };
  }

  private finish(r: Reader): void {
    r.done = true;
    this.readers.delete(r);
    const w = r.wake;
    r.wake = null;
    w?.();
  }
}
