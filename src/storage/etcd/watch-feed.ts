// One etcd watch per prefix, shared by every Skiff watcher of that prefix (as the API server's
// watch cache shares one etcd watch per resource). Events are kept in a bounded buffer so a new
// watcher starting a little in the past is replayed locally; one starting further back restarts
// the upstream watch from its revision (existing watchers skip what they already had). After a
// broken stream (member restart) the watch is re-created from the last delivered revision + 1,
// so there are no gaps and no duplicates.
import type { Etcd3, IWatchResponse } from 'etcd3';
import type { WatchEvent } from '../backend.js';
import { CompactedError } from '../errors.js';
import { Broadcaster } from '../watch/broadcaster.js';
import { Backoff } from '../../util/backoff.js';
import { logger } from '../../util/log.js';
import { prefixEnd } from '../logstructured/log.js';
import { toEvent } from './convert.js';

const log = logger('storage.etcd.watch');
/** Events kept for local replay. */
const BUFFER = 10_000;

type Stream = Awaited<ReturnType<Etcd3['watchClient']['watch']>>;

export class PrefixFeed {
  private readonly bcast: Broadcaster;
  /** Every event under the prefix with revision > bufferFrom is in buffer or still to come. */
  private bufferFrom: number;
  private buffer: WatchEvent[] = [];
  /** The revision of the last event received from etcd (where a re-created watch resumes). */
  private delivered: number;
  private stream?: Stream;
  /** Bumped on every (re)start, so callbacks of a replaced stream are ignored. */
  private generation = 0;
  private stopped = false;
  private readonly backoff = new Backoff({ initialMs: 50, maxMs: 2000 });

  constructor(
    private readonly client: Etcd3,
    readonly prefix: string,
    from: number,
    /** Current store revision and compaction point, for CompactedError's fields. */
    private readonly revisions: () => Promise<{ current: number; compacted: number }>,
  ) {
    this.bufferFrom = from;
    this.delivered = from;
    this.bcast = new Broadcaster({
      replay: (_prefix, after) => this.buffer.filter((e) => e.kv.modRevision > after),
      compactRevision: () => this.bufferFrom,
      currentRevision: () => this.delivered,
    });
    this.connect();
  }

  /** False once stopped (closed, or failed with CompactedError): the owner drops it. */
  get active(): boolean {
    return !this.stopped;
  }

  /** Watchers on this feed. */
  get size(): number {
    return this.bcast.size;
  }

  /** The oldest revision this feed can serve without restarting: every event after it is known. */
  get from(): number {
    return this.bufferFrom;
  }

  /** Subscribes from a revision this feed covers (from >= this.from). */
  subscribe(from: number, signal: AbortSignal): AsyncIterable<WatchEvent[]> {
    return this.bcast.subscribe(this.prefix, from, signal);
  }

  /** Rewinds the shared etcd watch to start after `from` (a new watcher wants older history). */
  rewind(from: number): void {
    if (from >= this.bufferFrom) return;
    this.bufferFrom = from;
    this.buffer = [];
    this.delivered = from;
    this.connect();
  }

  /** Ends the upstream watch and every subscriber (with error, or ClosedError). */
  stop(error?: Error): void {
    this.stopped = true;
    this.generation++;
    this.stream?.cancel();
    this.stream = undefined;
    if (error) this.bcast.fail(error);
    else this.bcast.close();
  }

  private connect(): void {
    const gen = ++this.generation;
    this.stream?.cancel();
    this.stream = undefined;
    void this.open(gen);
  }

  private async open(gen: number): Promise<void> {
    let stream: Stream;
    try {
      stream = await this.client.watchClient.watch();
    } catch (err) {
      return this.retry(gen, err);
    }
    if (gen !== this.generation || this.stopped) return stream.cancel();
    this.stream = stream;
    stream.on('data', (res: IWatchResponse) => {
      if (gen === this.generation) void this.onResponse(gen, res);
    });
    stream.on('error', (err: Error) => this.retry(gen, err));
    stream.on('end', () => this.retry(gen, new Error('watch stream ended')));
    stream.write({
      create_request: {
        key: Buffer.from(this.prefix), range_end: Buffer.from(prefixEnd(this.prefix)),
        start_revision: this.delivered + 1, prev_kv: true, progress_notify: true,
      },
    });
  }

  private async onResponse(gen: number, res: IWatchResponse): Promise<void> {
    if (res.compact_revision && res.compact_revision !== '0') {
      // etcd cancels a watch whose start revision is compacted; its subscribers must relist.
      const { current } = await this.revisions().catch(() => ({ current: this.delivered }));
      if (gen === this.generation) this.stop(new CompactedError(this.delivered + 1, Number(res.compact_revision), current));
      return;
    }
    if (res.canceled) return this.retry(gen, new Error(`watch canceled: ${res.cancel_reason ?? ''}`));
    this.backoff.reset();
    if (!res.events?.length) return;
    const events = res.events.map(toEvent).filter((e) => e.kv.modRevision > this.delivered);
    if (!events.length) return;
    this.delivered = events[events.length - 1]!.kv.modRevision;
    this.buffer.push(...events);
    if (this.buffer.length > BUFFER) {
      const dropped = this.buffer.splice(0, this.buffer.length - BUFFER);
      this.bufferFrom = dropped[dropped.length - 1]!.kv.modRevision;
    }
    this.bcast.publish(events);
  }

  private retry(gen: number, err: unknown): void {
    if (gen !== this.generation || this.stopped) return;
    this.generation++;
    this.stream?.cancel();
    this.stream = undefined;
    const delay = this.backoff.next();
    log.v(1).info('etcd watch interrupted, re-creating', { prefix: this.prefix, from: this.delivered + 1, err, delayMs: Math.round(delay) });
    const next = this.generation;
    setTimeout(() => {
      if (next === this.generation && !this.stopped) void this.open(next);
    }, delay).unref();
  }
}
