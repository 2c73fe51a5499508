// A bound on concurrent API calls. Binding runs in the background (one promise per scheduled pod),
// so a burst of thousands of pods would otherwise open as many HTTP/1.1 connections — each a TLS
// handshake on both ends — where upstream multiplexes them over one HTTP/2 connection.

export type Limiter = <T>(fn: () => Promise<T>) => Promise<T>;

/** run(fn) starts fn once fewer than `size` earlier calls are still running (FIFO). */
export function concurrencyLimit(size: number): Limiter {
  if (!(size >= 1)) throw new RangeError('concurrency limit must be at least 1');
  let running = 0;
  const waiting: (() => void)[] = [];
  return async <T>(fn: () => Promise<T>): Promise<T> => {
    if (running >= size) await new Promise<void>((r) => waiting.push(r));
    else running++;
    try {
      return await fn();
    } finally {
      const next = waiting.shift();
      // Hand the slot straight to the next caller, so a late arrival cannot overtake it.
      if (next) next();
      else running--;
    }
  };
}
