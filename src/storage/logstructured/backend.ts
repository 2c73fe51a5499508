// The etcd-shaped Backend over an append-only Log (kine's logstructured layer): reads are queries
// at a revision, writes are group-committed appends, watchers share one feed fed right after each
// commit and by a poll loop (so a second process writing the same database is seen, as kine polls).
import type { Backend, KeyValue, ListOptions, ListResult, WatchEvent } from '../backend.js';
import { ClosedError, CompactedError, StorageError } from '../errors.js';
import { validateKey, validatePrefix, validateValue } from '../validate.js';
import { Broadcaster } from '../watch/broadcaster.js';
import { realClock, type Clock, type Timer } from '../../util/clock.js';
import { logger } from '../../util/log.js';
import { GroupCommitter, type Outcome } from './committer.js';
import { AutoCompactor, type CompactionPolicy } from './compactor.js';
import { prefixEnd, rowEvent, rowKv, type Log } from './log.js';
import { applyWrite, type WriteOp, type WriteResult } from './writes.js';

export interface LogBackendOptions {
  /** Automatic compaction; false disables it. */
  compaction?: CompactionPolicy | false;
  /** How often to look for writes by other processes (default 1000 ms, kine's poll interval). */
  pollIntervalMs?: number;
  /** Revisions removed per compaction transaction, so writers wait at most one small batch. */
  compactBatch?: number;
  clock?: Clock;
}

const log = logger('storage.log');

export class LogBackend implements Backend {
  private closed = false;
  /** Highest revision handed to the watch feed. */
  private published: number;
  private readonly feed: Broadcaster;
  private readonly committer: GroupCommitter<WriteOp, WriteResult>;
  private readonly compactor?: AutoCompactor;
  private readonly clock: Clock;
  private readonly compactBatch: number;
  private pollTimer?: Timer;
  private compacting: Promise<void> = Promise.resolve();
  /** Publishing waits for durability (Log.sync); this chain keeps batches in revision order. */
  private publishing: Promise<void> = Promise.resolve();

  constructor(private readonly db: Log, private readonly opts: LogBackendOptions = {}) {
    this.clock = opts.clock ?? realClock;
    this.compactBatch = opts.compactBatch ?? 500;
    this.published = db.head();
    this.feed = new Broadcaster({
      replay: (prefix, from) => this.replay(prefix, from),
      compactRevision: () => this.db.compactRevision(),
      currentRevision: () => this.db.head(),
    });
    this.committer = new GroupCommitter((ops) => this.commit(ops));
    if (opts.compaction !== false) {
      this.compactor = new AutoCompactor(opts.compaction ?? {}, this.clock, () => this.db.head(), (rev) => this.compact(rev));
      this.compactor.start();
    }
    this.schedulePoll();
  }

  async currentRevision(): Promise<number> {
    this.check();
    return this.db.head();
  }

  async compactRevision(): Promise<number> {
    this.check();
    return this.db.compactRevision();
  }

  async get(key: string, opts: { revision?: number } = {}): Promise<{ revision: number; kv?: KeyValue }> {
    this.check();
    validateKey(key);
    const at = this.readRevision(opts.revision);
    const row = this.db.latest(key, at);
    return { revision: at, kv: row && !row.deleted ? rowKv(row) : undefined };
  }

  async list(prefix: string, opts: ListOptions = {}): Promise<ListResult> {
    this.check();
    validatePrefix(prefix);
    const at = this.readRevision(opts.revision);
    const limit = opts.limit && opts.limit > 0 ? opts.limit : 0;
    // One extra row tells whether more follow.
    const rows = this.db.listAt(prefix, prefixEnd(prefix), opts.continue, at, limit ? limit + 1 : 0);
    const more = limit > 0 && rows.length > limit;
    return { revision: at, kvs: (more ? rows.slice(0, limit) : rows).map(rowKv), more };
  }

  async count(prefix: string): Promise<{ revision: number; count: number }> {
    this.check();
    validatePrefix(prefix);
    const at = this.db.head();
    return { revision: at, count: this.db.countAt(prefix, prefixEnd(prefix), at) };
  }

  async create(key: string, value: Buffer): Promise<{ revision: number; kv: KeyValue }> {
    this.check();
    validateKey(key);
    validateValue(value);
    const r = await this.committer.submit({ verb: 'create', key, value: Buffer.from(value) });
    return { revision: r.revision, kv: r.kv };
  }

  async update(key: string, value: Buffer, expectModRevision: number): Promise<{ revision: number; kv: KeyValue; prevKv: KeyValue }> {
    this.check();
    validateKey(key);
    validateValue(value);
    const r = await this.committer.submit({ verb: 'update', key, value: Buffer.from(value), expect: expectModRevision });
    return { revision: r.revision, kv: r.kv, prevKv: r.prevKv! };
  }

  async delete(key: string, expectModRevision?: number): Promise<{ revision: number; prevKv: KeyValue }> {
    this.check();
    validateKey(key);
    const r = await this.committer.submit({ verb: 'delete', key, expect: expectModRevision });
    return { revision: r.revision, prevKv: r.prevKv! };
  }

  watch(prefix: string, fromRevision: number, signal: AbortSignal): AsyncIterable<WatchEvent[]> {
    this.check();
    validatePrefix(prefix);
    return this.feed.subscribe(prefix, fromRevision, signal);
  }

  async compact(revision: number): Promise<void> {
    this.check();
    const head = this.db.head();
    if (revision > head) throw new RangeError(`compact: revision ${revision} is in the future (current ${head})`);
    const run = this.compacting.then(() => this.runCompaction(revision));
    this.compacting = run.catch(() => undefined);
    await run;
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.compactor?.stop();
    this.pollTimer?.cancel();
    // Let writes already queued commit (their flush is scheduled ahead of this), and a running
    // compaction finish its current batch, before the database goes away.
    await new Promise<void>((resolve) => setImmediate(resolve));
    await this.compacting;
    await this.publishing;
    this.feed.close();
    await this.db.close();
  }

  private check(): void {
    if (this.closed) throw new ClosedError();
  }

  private readRevision(rev: number | undefined): number {
    const head = this.db.head();
    if (!rev) return head;
    const compacted = this.db.compactRevision();
    if (rev < compacted) throw new CompactedError(rev, compacted, head);
    return Math.min(rev, head);
  }

  /**
   * One group-commit batch: every op in one transaction; once it is durable (Log.sync, off the
   * event loop) its events go to the feed and the ops settle. Later batches commit meanwhile.
   */
  private commit(ops: WriteOp[]): Outcome<WriteResult>[] | Promise<Outcome<WriteResult>[]> {
    let base = 0;
    const outcomes = this.db.write(() => {
      base = this.db.head();
      return ops.map((op): Outcome<WriteResult> => {
        try {
          return { ok: true, value: applyWrite(this.db, op) };
        } catch (error) {
          // Only precondition failures fail one op; anything else (I/O) aborts the whole batch.
          if (!(error instanceof StorageError)) throw error;
          return { ok: false, error };
        }
      });
    });
    const synced = this.db.sync && outcomes.some((o) => o.ok) ? this.db.sync() : undefined;
    if (base === this.published) {
      const events: WatchEvent[] = [];
      for (const o of outcomes) if (o.ok) events.push(o.value.event);
      if (events.length) {
        this.published = events[events.length - 1]!.kv.modRevision;
        this.publish(events, synced);
      }
    } else {
      // Another process wrote since we last looked: publish everything in order from the log.
      this.catchUp(synced);
    }
    if (!synced) return outcomes;
    // Settle once durable and after this batch's events reached the feed (a writer's own watch
    // sees its write first); a failed sync fails the batch's writes.
    return this.publishing.then(() => synced).then(() => outcomes);
  }

  /**
   * Hands events to the feed in revision order, after `synced` (the sync covering them) settles.
   * They are published even if that sync failed: the rows are in the log and visible to reads, and
   * the feed must not skip them (their writers get the error).
   */
  private publish(events: WatchEvent[], synced?: Promise<void>): void {
    if (!this.db.sync) {
      this.feed.publish(events);
      return;
    }
    this.publishing = this.publishing
      .then(() => synced)
      .catch((err: unknown) => log.error('wal sync failed', { err }))
      .then(() => this.feed.publish(events));
  }

  /** Publishes rows the feed has not seen yet (writes by other processes). */
  private catchUp(synced?: Promise<void>): void {
    for (;;) {
      const rows = this.db.since(this.published, '/', prefixEnd('/'), 1000);
      if (rows.length === 0) {
        // Rows between may be gone to compaction if we fell that far behind; skip past them.
        this.published = Math.max(this.published, this.db.head());
        return;
      }
      this.published = rows[rows.length - 1]!.id;
      this.publish(rows.map(rowEvent), synced);
    }
  }

  private replay(prefix: string, from: number): WatchEvent[] {
    const compacted = this.db.compactRevision();
    if (from + 1 < compacted) throw new CompactedError(from + 1, compacted, this.db.head());
    return this.db.since(from, prefix, prefixEnd(prefix), 0).map(rowEvent);
  }

  private schedulePoll(): void {
    this.pollTimer = this.clock.setTimer(this.opts.pollIntervalMs ?? 1000, () => {
      if (this.closed) return;
      try {
        if (this.db.head() > this.published) this.catchUp();
      } catch (err) {
        log.warn('poll failed', { err });
      }
      this.schedulePoll();
    });
  }

  private async runCompaction(target: number): Promise<void> {
    let from = this.db.compactRevision();
    // Small transactions, yielding between them, so writers never wait long (kine batches too).
    while (from < target && !this.closed) {
      const to = Math.min(target, from + this.compactBatch);
      const f = from;
      this.db.write(() => this.db.compactRange(f, to));
      from = to;
      await new Promise<void>((resolve) => setImmediate(resolve));
    }
    while (!this.closed && this.db.shrink(256) > 0) await new Promise<void>((resolve) => setImmediate(resolve));
  }
}
