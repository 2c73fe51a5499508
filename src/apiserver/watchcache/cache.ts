// The watch cache: one store watch per stored resource keeps every current object in memory plus a
// window of recent events, so lists and watches from many clients do not multiply store reads
// (kube-apiserver's cacher). Objects are decoded once; their JSON is rendered once per version and
// shared by every list and watcher.
import type { Backend, KeyValue, WatchEvent } from '../../storage/index.js';
import type { KubeObject } from '../../api/types.js';
import { Backoff } from '../../util/backoff.js';
import { logger } from '../../util/log.js';

const log = logger('watch-cache');

export type EventKind = 'ADDED' | 'MODIFIED' | 'DELETED';

/** One object as the cache holds it: never mutate `obj`. */
export class Entry {
  private rendered?: Map<string, string>;
  constructor(readonly key: string, readonly obj: KubeObject, readonly rev: number) {}

  /** The object's JSON in the form `render` produces, memoised per form (e.g. per apiVersion). */
  json(form: string, render: (obj: KubeObject) => string): string {
    this.rendered ??= new Map();
    let s = this.rendered.get(form);
    if (s === undefined) {
      s = render(this.obj);
      this.rendered.set(form, s);
    }
    return s;
  }
}

export class CacheEvent {
  private lines?: Map<string, Buffer>;
  constructor(
    readonly type: EventKind,
    readonly rev: number,
    readonly entry: Entry,
    /** The object before the change (MODIFIED, DELETED). */
    readonly prev?: Entry,
  ) {}

  /** The encoded watch line for this event in one form, built once and shared by every watcher. */
  line(form: string, build: () => Buffer): Buffer {
    this.lines ??= new Map();
    let b = this.lines.get(form);
    if (!b) this.lines.set(form, (b = build()));
    return b;
  }
}

export interface CacheWatcher {
  /** Called synchronously with each event in revision order. */
  onEvent(ev: CacheEvent): void;
  /** The cache could not keep this watcher going (it must end its stream). */
  onError(err: Error): void;
}

export class TooOldError extends Error {
  constructor(readonly requested: number, readonly oldest: number) {
    super(`too old resource version: ${requested} (${oldest})`);
  }
}

export interface WatchCacheOptions {
  /** Events kept for watchers that resume from a recent resourceVersion. */
  capacity?: number;
}

/** Decodes a stored value into an object with metadata.resourceVersion set. */
export function decodeKv(kv: KeyValue, rev = kv.modRevision): KubeObject {
  const obj = JSON.parse(kv.value.toString('utf8')) as KubeObject;
  obj.metadata ??= {};
  obj.metadata.resourceVersion = String(rev);
  return obj;
}

export class WatchCache {
  private objects = new Map<string, Entry>();
  private sorted?: Entry[];
  private events: CacheEvent[] = [];
  private start = 0;
  private rev = 0;
  /** The oldest revision a watcher can resume from (events after it are all in the buffer). */
  private oldest = 0;
  private watchers = new Set<CacheWatcher>();
  private readonly capacity: number;
  private abort = new AbortController();
  private readyPromise: Promise<void>;
  private markReady!: () => void;

  constructor(private readonly backend: Backend, readonly prefix: string, opts: WatchCacheOptions = {}) {
    this.capacity = opts.capacity ?? 10_000;
    this.readyPromise = new Promise((r) => (this.markReady = r));
    void this.run();
  }

  /** Resolves once the initial list is loaded. */
  ready(): Promise<void> {
    return this.readyPromise;
  }

  get revision(): number {
    return this.rev;
  }

  get size(): number {
    return this.objects.size;
  }

  /** Current objects in key order (a snapshot; do not mutate). */
  list(): Entry[] {
    this.sorted ??= [...this.objects.values()].sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
    return this.sorted;
  }

  get(key: string): Entry | undefined {
    return this.objects.get(key);
  }

  /**
   * Registers a watcher for events after fromRev (0 = from now). Buffered events are replayed
   * synchronously before this returns. Throws TooOldError when fromRev precedes the buffer. A fromRev
   * beyond the cache's revision (a write elsewhere in the store) needs no wait: the caller drops
   * events at or below it, which the client has already seen.
   */
  watch(fromRev: number, w: CacheWatcher): () => void {
    if (fromRev > 0) {
      if (fromRev < this.oldest) throw new TooOldError(fromRev, this.oldest);
      for (let i = this.start; i < this.events.length; i++) {
        const ev = this.events[i]!;
        if (ev.rev > fromRev) w.onEvent(ev);
      }
    }
    this.watchers.add(w);
    return () => this.watchers.delete(w);
  }

  stop(): void {
    this.abort.abort();
    for (const w of this.watchers) w.onError(new Error('watch cache stopped'));
    this.watchers.clear();
  }

  private async run(): Promise<void> {
    const backoff = new Backoff({ initialMs: 100, maxMs: 5000 });
    while (!this.abort.signal.aborted) {
      try {
        await this.listAndWatch();
      } catch (err) {
        if (this.abort.signal.aborted) return;
        const delay = backoff.next();
        log.warn('watch cache feed failed; relisting', { prefix: this.prefix, err, delayMs: Math.round(delay) });
        await new Promise((r) => setTimeout(r, delay));
      }
    }
  }

  private async listAndWatch(): Promise<void> {
    const first = await this.backend.list(this.prefix);
    const fresh = new Map<string, Entry>();
    for (const kv of first.kvs) fresh.set(kv.key, new Entry(kv.key, decodeKv(kv), kv.modRevision));
    const relist = this.rev > 0;
    if (relist) {
      // Tell watchers what changed while we were away, as synthetic events at the new revision.
      this.applyRelist(fresh, first.revision);
    } else {
      this.objects = fresh;
      this.sorted = undefined;
    }
    this.rev = Math.max(this.rev, first.revision);
    this.oldest = first.revision;
    this.events = [];
    this.start = 0;
    this.markReady();
    for await (const batch of this.backend.watch(this.prefix, first.revision, this.abort.signal)) {
      for (const e of batch) this.apply(e);
    }
  }

  private applyRelist(fresh: Map<string, Entry>, rev: number): void {
    for (const [key, old] of this.objects) {
      if (!fresh.has(key)) this.push(new CacheEvent('DELETED', rev, old, old));
    }
    for (const [key, e] of fresh) {
      const old = this.objects.get(key);
      if (!old) this.push(new CacheEvent('ADDED', rev, e));
      else if (old.rev !== e.rev) this.push(new CacheEvent('MODIFIED', rev, e, old));
    }
    this.objects = fresh;
    this.sorted = undefined;
  }

  private apply(e: WatchEvent): void {
    const rev = e.kv.modRevision;
    if (rev <= this.rev) return;
    const key = e.kv.key;
    const prev = this.objects.get(key);
    if (e.type === 'PUT') {
      const entry = new Entry(key, decodeKv(e.kv), rev);
      this.objects.set(key, entry);
      this.push(new CacheEvent(prev ? 'MODIFIED' : 'ADDED', rev, entry, prev));
    } else {
      const last = e.prevKv ? new Entry(key, decodeKv(e.prevKv, rev), rev) : prev ? new Entry(key, { ...prev.obj, metadata: { ...prev.obj.metadata, resourceVersion: String(rev) } }, rev) : undefined;
      this.objects.delete(key);
      if (last) this.push(new CacheEvent('DELETED', rev, last, prev));
    }
    this.sorted = undefined;
    this.rev = rev;
  }

  private push(ev: CacheEvent): void {
    this.events.push(ev);
    if (this.events.length - this.start > this.capacity) {
      this.oldest = this.events[this.start]!.rev;
      this.start++;
      if (this.start > 4096) {
        this.events = this.events.slice(this.start);
        this.start = 0;
      }
    }
    for (const w of this.watchers) {
      try {
        w.onEvent(ev);
      } catch (err) {
        this.watchers.delete(w);
        w.onError(err as Error);
      }
    }
  }
}
