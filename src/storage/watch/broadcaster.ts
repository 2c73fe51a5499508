// One upstream feed shared by every watcher of a store: the backend publishes each committed batch
// once, and each subscriber receives the events under its prefix. A subscriber that starts in the
// past is first replayed from history; registration happens in the same tick as the replay, so no
// event falls between the two.
import type { WatchEvent } from '../backend.js';
import { CompactedError, ClosedError } from '../errors.js';

export interface FeedSource {
  /** Past events under prefix with revision > from, in order; throws CompactedError if too old. */
  replay(prefix: string, from: number): WatchEvent[];
  compactRevision(): number;
  currentRevision(): number;
}

interface Subscriber {
  prefix: string;
  /** Highest revision already handed to this subscriber. */
  last: number;
  queue: WatchEvent[][];
  queued: number;
  wake?: () => void;
  error?: Error;
}

/** Events a subscriber may have waiting before it is cut off as too slow. */
const MAX_QUEUED = 200_000;

export class Broadcaster {
  private subs = new Set<Subscriber>();
  private closed = false;

  constructor(private readonly source: FeedSource) {}

  get size(): number {
    return this.subs.size;
  }

  /** Hands a committed batch (in revision order) to every matching subscriber. */
  publish(events: WatchEvent[]): void {
    for (const s of this.subs) {
      let batch: WatchEvent[] | undefined;
      for (const e of events) {
        if (e.kv.modRevision <= s.last || !e.kv.key.startsWith(s.prefix)) continue;
        (batch ??= []).push(e);
        s.last = e.kv.modRevision;
      }
      if (!batch) continue;
      s.queue.push(batch);
      s.queued += batch.length;
      if (s.queued > MAX_QUEUED) {
        s.error = new CompactedError(s.last, this.source.compactRevision(), this.source.currentRevision());
        this.subs.delete(s);
      }
      s.wake?.();
    }
  }

  /** Ends every subscription (their iterations finish with ClosedError). */
  close(): void {
    this.closed = true;
    this.fail(new ClosedError());
  }

  /**
   * Ends every current subscription with error once its queued events are consumed (e.g. the
   * upstream feed was compacted away); later subscriptions are still accepted.
   */
  fail(error: Error): void {
    for (const s of this.subs) {
      s.error = error;
      s.wake?.();
    }
    this.subs.clear();
  }

  subscribe(prefix: string, from: number, signal: AbortSignal): AsyncIterable<WatchEvent[]> {
    return this.iterate(prefix, from, signal);
  }

  private async *iterate(prefix: string, from: number, signal: AbortSignal): AsyncGenerator<WatchEvent[]> {
    if (this.closed) throw new ClosedError();
    if (signal.aborted) return;
    const past = this.source.replay(prefix, from);
    const sub: Subscriber = { prefix, last: Math.max(from, past.length ? past[past.length - 1]!.kv.modRevision : from), queue: [], queued: 0 };
    this.subs.add(sub);
    const onAbort = () => sub.wake?.();
    signal.addEventListener('abort', onAbort, { once: true });
    try {
      if (past.length) yield past;
      while (!signal.aborted) {
        if (sub.queue.length) {
          const batch = sub.queue.length === 1 ? sub.queue[0]! : sub.queue.flat();
          sub.queue = [];
          sub.queued = 0;
          yield batch;
          continue;
        }
        if (sub.error) throw sub.error;
        await new Promise<void>((resolve) => (sub.wake = resolve));
        sub.wake = undefined;
      }
    } finally {
      signal.removeEventListener('abort', onAbort);
      this.subs.delete(sub);
    }
  }
}
