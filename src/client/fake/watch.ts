// An in-memory Watch: the tracker pushes events; iteration ends on stop() or when the tracker ends it.
import type { KubeObject } from '../../api/types.js';
import type { Watch, WatchEvent } from '../interfaces.js';

export class FakeWatch<T extends KubeObject = KubeObject> implements Watch<T> {
  private readonly queue: WatchEvent<T>[] = [];
  private waiter?: () => void;
  private ended = false;
  private error?: Error;

  constructor(private readonly onStop: () => void = () => undefined) {}

  push(ev: WatchEvent<T>): void {
    if (this.ended) return;
    this.queue.push(ev);
    this.wake();
  }

  /** Ends the stream as the server would (timeout), or with a connection error when err is given. */
  end(err?: Error): void {
    if (this.ended) return;
    this.ended = true;
    if (err) this.error = err;
    this.onStop();
    this.wake();
  }

  stop(): void {
    this.queue.length = 0;
    this.end();
  }

  get isStopped(): boolean {
    return this.ended;
  }

  private wake(): void {
    const w = this.waiter;
    this.waiter = undefined;
    w?.();
  }

  async *[Symbol.asyncIterator](): AsyncIterator<WatchEvent<T>> {
    try {
      for (;;) {
        const ev = this.queue.shift();
        if (ev) {
          yield ev;
          continue;
        }
        if (this.ended) {
          if (this.error) throw this.error;
          return;
        }
        await new Promise<void>((resolve) => (this.waiter = resolve));
      }
    } finally {
      this.stop();
    }
  }
}
