// memory:// — an in-process store with full etcd semantics (history, compaction, watch), for tests.
import type { Backend, KeyValue, ListOptions, ListResult, WatchEvent } from '../backend.js';
import { ClosedError, CompactedError, ConflictError, KeyExistsError, NotFoundError } from '../errors.js';
import { validateKey, validatePrefix, validateValue } from '../validate.js';
import { Broadcaster } from '../watch/broadcaster.js';

interface Version {
  kv: KeyValue;
  deleted: boolean;
}

export class MemoryBackend implements Backend {
  private rev = 0;
  private compacted = 0;
  private closed = false;
  /** All keys ever written (until compaction drops them), sorted. */
  private keys: string[] = [];
  private history = new Map<string, Version[]>();
  /** Events since the last compaction, for watches that start in the past. */
  private log: WatchEvent[] = [];
  private readonly feed: Broadcaster;

  constructor() {
    this.feed = new Broadcaster({
      replay: (prefix, from) => this.replay(prefix, from),
      compactRevision: () => this.compacted,
      currentRevision: () => this.rev,
    });
  }

  async currentRevision(): Promise<number> {
    this.check();
    return this.rev;
  }

  async compactRevision(): Promise<number> {
    return this.compacted;
  }

  async get(key: string, opts: { revision?: number } = {}): Promise<{ revision: number; kv?: KeyValue }> {
    this.check();
    validateKey(key);
    const at = this.readRevision(opts.revision);
    const v = this.versionAt(key, at);
    return { revision: at, kv: v && !v.deleted ? v.kv : undefined };
  }

  async list(prefix: string, opts: ListOptions = {}): Promise<ListResult> {
    this.check();
    validatePrefix(prefix);
    const at = this.readRevision(opts.revision);
    const start = opts.continue ? opts.continue + '\0' : prefix;
    const kvs: KeyValue[] = [];
    let more = false;
    for (let i = lowerBound(this.keys, start); i < this.keys.length; i++) {
      const k = this.keys[i]!;
      if (!k.startsWith(prefix)) break;
      const v = this.versionAt(k, at);
      if (!v || v.deleted) continue;
      if (opts.limit && kvs.length >= opts.limit) {
        more = true;
        break;
      }
      kvs.push(v.kv);
    }
    return { revision: at, kvs, more };
  }

  async count(prefix: string): Promise<{ revision: number; count: number }> {
    const r = await this.list(prefix);
    return { revision: r.revision, count: r.kvs.length };
  }

  async create(key: string, value: Buffer): Promise<{ revision: number; kv: KeyValue }> {
    this.check();
    validateKey(key);
    validateValue(value);
    const cur = this.current(key);
    if (cur) throw new KeyExistsError(key);
    const rev = ++this.rev;
    const kv: KeyValue = { key, value: Buffer.from(value), createRevision: rev, modRevision: rev };
    this.append(key, { kv, deleted: false }, { type: 'PUT', kv });
    return { revision: rev, kv };
  }

  async update(key: string, value: Buffer, expectModRevision: number): Promise<{ revision: number; kv: KeyValue; prevKv: KeyValue }> {
    this.check();
    validateKey(key);
    validateValue(value);
    const prevKv = this.current(key);
    if (!prevKv) throw new NotFoundError(key);
    if (prevKv.modRevision !== expectModRevision) throw new ConflictError(key, prevKv);
    const rev = ++this.rev;
    const kv: KeyValue = { key, value: Buffer.from(value), createRevision: prevKv.createRevision, modRevision: rev };
    this.append(key, { kv, deleted: false }, { type: 'PUT', kv, prevKv });
    return { revision: rev, kv, prevKv };
  }

  async delete(key: string, expectModRevision?: number): Promise<{ revision: number; prevKv: KeyValue }> {
    this.check();
    validateKey(key);
    const prevKv = this.current(key);
    if (!prevKv) throw new NotFoundError(key);
    if (expectModRevision !== undefined && prevKv.modRevision !== expectModRevision) throw new ConflictError(key, prevKv);
    const rev = ++this.rev;
    const kv: KeyValue = { key, value: Buffer.alloc(0), createRevision: prevKv.createRevision, modRevision: rev };
    this.append(key, { kv, deleted: true }, { type: 'DELETE', kv, prevKv });
    return { revision: rev, prevKv };
  }

  watch(prefix: string, fromRevision: number, signal: AbortSignal): AsyncIterable<WatchEvent[]> {
    this.check();
    validatePrefix(prefix);
    return this.feed.subscribe(prefix, fromRevision, signal);
  }

  async compact(revision: number): Promise<void> {
    this.check();
    if (revision <= this.compacted) return;
    if (revision > this.rev) throw new RangeError(`compact: revision ${revision} is in the future (current ${this.rev})`);
    this.compacted = revision;
    // As etcd: revision stays readable, older ones do not. Keep, per key, every version after the
    // compaction point plus the last one at or before it (what a read at `revision` sees), unless
    // that one is a tombstone.
    const keep: string[] = [];
    for (const key of this.keys) {
      const vs = this.history.get(key)!;
      let i = vs.length - 1;
      while (i > 0 && vs[i]!.kv.modRevision > revision) i--;
      const kept = vs[i]!.kv.modRevision <= revision ? (vs[i]!.deleted ? vs.slice(i + 1) : vs.slice(i)) : vs;
      if (kept.length) {
        this.history.set(key, kept);
        keep.push(key);
      } else this.history.delete(key);
    }
    this.keys = keep;
    this.log = this.log.filter((e) => e.kv.modRevision >= revision);
  }

  async close(): Promise<void> {
    this.closed = true;
    this.feed.close();
  }

  private check(): void {
    if (this.closed) throw new ClosedError();
  }

  private readRevision(rev: number | undefined): number {
    if (!rev) return this.rev;
    if (rev < this.compacted) throw new CompactedError(rev, this.compacted, this.rev);
    return Math.min(rev, this.rev);
  }

  private current(key: string): KeyValue | undefined {
    const vs = this.history.get(key);
    const last = vs?.[vs.length - 1];
    return last && !last.deleted ? last.kv : undefined;
  }

  private versionAt(key: string, rev: number): Version | undefined {
    const vs = this.history.get(key);
    if (!vs) return undefined;
    for (let i = vs.length - 1; i >= 0; i--) if (vs[i]!.kv.modRevision <= rev) return vs[i];
    return undefined;
  }

  private append(key: string, v: Version, ev: WatchEvent): void {
    let vs = this.history.get(key);
    if (!vs) {
      vs = [];
      this.history.set(key, vs);
      this.keys.splice(lowerBound(this.keys, key), 0, key);
    }
    vs.push(v);
    this.log.push(ev);
    this.feed.publish([ev]);
  }

  private replay(prefix: string, from: number): WatchEvent[] {
    if (from + 1 < this.compacted) throw new CompactedError(from + 1, this.compacted, this.rev);
    const out: WatchEvent[] = [];
    // The log is in revision order; binary search the start.
    let lo = 0;
    let hi = this.log.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (this.log[mid]!.kv.modRevision <= from) lo = mid + 1;
      else hi = mid;
    }
    for (let i = lo; i < this.log.length; i++) if (this.log[i]!.kv.key.startsWith(prefix)) out.push(this.log[i]!);
    return out;
  }
}

function lowerBound(arr: string[], x: string): number {
  let lo = 0;
  let hi = arr.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (arr[mid]! < x) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}
