// The watch cache of one stored resource: every current object in memory plus a window of recent
// events, so lists and watches from many clients do not multiply store reads (kube-apiserver's
// cacher). Objects are decoded once; their JSON is rendered once per version and shared by every
// list and watcher. The caches are kept current by one shared store watch (feed.ts), which also
// advances every cache's revision, so a cache knows when it reflects the whole store at a revision.
import type { KeyValue, WatchEvent } from '../../storage/index.js';
import type { KubeObject } from '../../api/types.js';

export type EventKind = 'ADDED' | 'MODIFIED' | 'DELETED';

/** One object as the cache holds it: never mutate `obj`. */
export class Entry {
  private rendered?: Map<string, Buffer>;
  constructor(readonly key: string, readonly obj: KubeObject, readonly rev: number) {}

  /**
   * The object's JSON (UTF-8) in the form `render` produces, memoised per form (e.g. per
   * apiVersion); bytes, so lists and watch lines are assembled without re-encoding.
   */
  json(form: string, render: (obj: KubeObject) => string): Buffer {
    this.rendered ??= new Map();
    let b = this.rendered.get(form);
    if (b === undefined) {
      b = Buffer.from(render(this.obj));
      this.rendered.set(form, b);
    }
    return b;
  }

  /**
   * Gives the entry its JSON in one form, rendered elsewhere (a write's response) from this very
   * object: the same bytes json() would produce, so the first list or watch need not render them.
   */
  seed(form: string, json: string): void {
    this.rendered ??= new Map();
    if (!this.rendered.has(form)) this.rendered.set(form, Buffer.from(json));
  }
}

export class CacheEvent {
  // The last form asked for, kept outside the map: every watcher of a resource asks for the same one.
  private lastForm?: string;
  private lastLine?: Buffer;
  private lines?: Map<string, Buffer>;
  constructor(
    readonly type: EventKind,
    readonly rev: number,
    readonly entry: Entry,
    /** The object before the change (MODIFIED, DELETED). */
    readonly prev?: Entry,
  ) {}

  /**
   * The encoded watch line for this event in one form, built once by `build(this)` and shared by
   * every watcher. `build` should be a long-lived function, not a closure made per call: this is
   * called once per watcher per event.
   */
  line(form: string, build: (ev: CacheEvent) => Buffer): Buffer {
    if (form === this.lastForm) return this.lastLine!;
    let b = this.lines?.get(form);
    if (!b) (this.lines ??= new Map()).set(form, (b = build(this)));
    this.lastForm = form;
    this.lastLine = b;
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

/** How new entries are rendered ahead of the first list that needs them (see WatchCache.prerender). */
export interface Prerender {
  form: string;
  render: (obj: KubeObject) => string;
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
  private loaded = false;
  private readyPromise: Promise<void>;
  private markReady!: () => void;
  /** Callers of waitUntil, resolved as the revision advances. */
  private waiters: { rev: number; resolve: (ok: boolean) => void }[] = [];
  private prerenderer?: Prerender;
  /** Objects a write in this process is about to store, by key (see expect()). */
  private hints = new Map<string, { bytes: Buffer; obj: KubeObject }>();
  private toRender: Entry[] = [];
  private rendering = false;

  /** Fed by a CacheFeed (feed.ts): reset() with the first list, then apply()/advance(). */
  constructor(readonly prefix: string, opts: WatchCacheOptions = {}) {
    this.capacity = opts.capacity ?? 10_000;
    this.readyPromise = new Promise((r) => (this.markReady = r));
  }

  /**
   * Renders each new entry's JSON in the given form in idle time (batches between I/O), so the
   * first list after a burst of writes does not encode thousands of objects while a client waits.
   */
  prerender(p: Prerender): void {
    this.prerenderer = p;
  }

  /**
   * A write in this process is about to store `bytes` (the encoding of `obj`) under key: when its
   * event arrives with exactly those bytes, the cache takes the object instead of decoding them
   * again. `obj` must be a private copy the caller never touches again.
   */
  expect(key: string, bytes: Buffer, obj: KubeObject): void {
    if (this.hints.size >= 10_000) this.hints.clear(); // failed writes leave hints behind
    this.hints.set(key, { bytes, obj });
  }

  /** Resolves once the initial list is loaded. */
  ready(): Promise<void> {
    return this.readyPromise;
  }

  /** The store revision the cache reflects: every write to the store up to it is applied. */
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
   * Resolves true once the cache reflects revision rev (a consistent read can then be served from
   * memory, as kube-apiserver's consistent reads from cache), or false after timeoutMs.
   */
  waitUntil(rev: number, timeoutMs: number): Promise<boolean> {
    if (this.loaded && this.rev >= rev) return Promise.resolve(true);
    return new Promise((resolve) => {
      const w = { rev, resolve: (ok: boolean) => { clearTimeout(timer); resolve(ok); } };
      const timer = setTimeout(() => {
        this.waiters = this.waiters.filter((x) => x !== w);
        resolve(false);
      }, timeoutMs);
      this.waiters.push(w);
    });
  }

  /**
   * Registers a watcher for events after fromRev (0 = from now). Buffered events are replayed
   * synchronously before this returns. Throws TooOldError when fromRev precedes the buffer. A fromRev
   * beyond the cache's revision (a write the cache has not seen yet) needs no wait: the caller drops
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
    for (const w of this.watchers) w.onError(new Error('watch cache stopped'));
    this.watchers.clear();
    for (const w of this.waiters) w.resolve(false);
    this.waiters = [];
  }

  /**
   * Loads the objects under the prefix as of revision rev. The first call makes the cache ready;
   * later calls (a relist after the feed broke) tell watchers what changed as synthetic events.
   */
  reset(kvs: KeyValue[], rev: number): void {
    const fresh = new Map<string, Entry>();
    for (const kv of kvs) fresh.set(kv.key, new Entry(kv.key, decodeKv(kv), kv.modRevision));
    if (this.loaded) {
      this.applyRelist(fresh, rev);
    } else {
      this.objects = fresh;
      this.sorted = undefined;
    }
    this.events = [];
    this.start = 0;
    this.oldest = rev;
    this.loaded = true;
    this.advance(rev);
    this.markReady();
  }

  /** Applies one store event under the prefix (in revision order; older ones are ignored). */
  apply(e: WatchEvent): void {
    const rev = e.kv.modRevision;
    if (rev <= this.rev) return;
    const key = e.kv.key;
    const prev = this.objects.get(key);
    if (e.type === 'PUT') {
      const entry = new Entry(key, this.objectOf(e.kv, rev), rev);
      this.objects.set(key, entry);
      this.schedulePrerender(entry);
      this.push(new CacheEvent(prev ? 'MODIFIED' : 'ADDED', rev, entry, prev));
    } else {
      const last = e.prevKv ? new Entry(key, decodeKv(e.prevKv, rev), rev) : prev ? new Entry(key, { ...prev.obj, metadata: { ...prev.obj.metadata, resourceVersion: String(rev) } }, rev) : undefined;
      this.objects.delete(key);
      if (last) this.push(new CacheEvent('DELETED', rev, last, prev));
    }
    this.sorted = undefined;
    this.rev = rev;
  }

  /** The store has no more events under the prefix up to rev (progress from the shared feed). */
  advance(rev: number): void {
    if (rev > this.rev) this.rev = rev;
    if (!this.waiters.length) return;
    const still: typeof this.waiters = [];
    for (const w of this.waiters) {
      if (this.rev >= w.rev) w.resolve(true);
      else still.push(w);
    }
    this.waiters = still;
  }

  /** The object a PUT stored: the writer's copy when its bytes match, else decoded. */
  private objectOf(kv: KeyValue, rev: number): KubeObject {
    const h = this.hints.get(kv.key);
    if (!h) return decodeKv(kv, rev);
    this.hints.delete(kv.key);
    if (!h.bytes.equals(kv.value)) return decodeKv(kv, rev);
    h.obj.metadata.resourceVersion = String(rev);
    return h.obj;
  }

  private schedulePrerender(entry: Entry): void {
    if (!this.prerenderer) return;
    this.toRender.push(entry);
    if (this.rendering) return;
    this.rendering = true;
    const step = (): void => {
      const p = this.prerenderer!;
      // Small batches so requests keep flowing; entries replaced meanwhile are skipped.
      for (const e of this.toRender.splice(0, 200)) if (this.objects.get(e.key) === e) e.json(p.form, p.render);
      if (this.toRender.length) setImmediate(step);
      else this.rendering = false;
    };
    setImmediate(step);
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
