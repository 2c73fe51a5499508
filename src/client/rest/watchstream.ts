// A watch response decoded one JSON event per line (the API server writes `{"type":…,"object":…}\n`
// per event), exposed as an async iterable. The socket is paused while the consumer lags, so a slow
// reader pushes back on the server instead of buffering without bound.
import type { IncomingMessage } from 'node:http';
import { StringDecoder } from 'node:string_decoder';
import type { KubeObject } from '../../api/types.js';
import type { Watch, WatchEvent } from '../interfaces.js';

const HIGH_WATER = 256;

export class WatchStream<T extends KubeObject = KubeObject> implements Watch<T> {
  private readonly queue: WatchEvent<T>[] = [];
  private waiter?: () => void;
  private ended = false;
  private stopped = false;
  private error?: Error;
  private iterated = false;

  constructor(private readonly res: IncomingMessage, private readonly abort: () => void) {
    const decoder = new StringDecoder('utf8');
    let partial = '';
    res.on('data', (chunk: Buffer) => {
      const text = partial + decoder.write(chunk);
      const lines = text.split('\n');
      partial = lines.pop() ?? '';
      for (const line of lines) this.push(line);
      if (this.queue.length >= HIGH_WATER) res.pause();
    });
    res.on('end', () => {
      const rest = partial + decoder.end();
      if (rest.trim()) this.push(rest);
      this.finish();
    });
    res.on('error', (err) => this.finish(err));
    res.on('aborted', () => this.finish(new Error('watch: connection aborted')));
    res.on('close', () => this.finish(res.complete ? undefined : new Error('watch: connection closed')));
  }

  private push(line: string): void {
    if (!line.trim() || this.ended) return;
    try {
      this.queue.push(JSON.parse(line) as WatchEvent<T>);
    } catch {
      this.finish(new Error(`watch: undecodable event: ${line.slice(0, 200)}`));
      this.abort();
      return;
    }
    this.wake();
  }

  private finish(err?: Error): void {
    if (this.ended) return;
    this.ended = true;
    if (err && !this.stopped) this.error = err;
    this.wake();
  }

  private wake(): void {
    const w = this.waiter;
    this.waiter = undefined;
    w?.();
  }

  stop(): void {
    if (this.stopped) return;
    this.stopped = true;
    this.queue.length = 0;
    this.abort();
    this.finish();
  }

  async *[Symbol.asyncIterator](): AsyncIterator<WatchEvent<T>> {
    if (this.iterated) throw new Error('watch: can only be iterated once');
    this.iterated = true;
    try {
      for (;;) {
        const ev = this.queue.shift();
        if (ev) {
          if (this.queue.length < HIGH_WATER / 2 && this.res.isPaused()) this.res.resume();
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
      // A consumer that breaks out of the loop is done with the watch.
      this.stop();
    }
  }
}
