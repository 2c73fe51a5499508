// One store watch feeds every watch cache. kube-apiserver keeps one etcd watch per resource and asks
// etcd for progress notifications to know that a cache is current; with one watch on the whole
// registry, each batch tells every cache how far the store has got, so consistent lists can be
// served from memory (wait until the cache reaches the store's current revision, then read it).
import type { Backend, WatchEvent } from '../../storage/index.js';
import { Backoff } from '../../util/backoff.js';
import { logger } from '../../util/log.js';
import type { WatchCache } from './cache.js';

const log = logger('watch-cache');

export class CacheFeed {
  private readonly byPrefix = new Map<string, WatchCache>();
  private readonly abort = new AbortController();
  private running?: Promise<void>;

  /** root: the key prefix every cache's prefix lies under. */
  constructor(private readonly backend: Backend, private readonly root = '/registry/') {}

  /** Adds a cache (before start). Prefixes must end with '/' and not nest inside one another. */
  add(cache: WatchCache): void {
    if (!cache.prefix.startsWith(this.root) || !cache.prefix.endsWith('/')) throw new Error(`watch cache prefix ${cache.prefix} is not under ${this.root}`);
    this.byPrefix.set(cache.prefix, cache);
  }

  start(): void {
    this.running ??= this.run();
  }

  async stop(): Promise<void> {
    this.abort.abort();
    for (const c of this.byPrefix.values()) c.stop();
    await this.running;
  }

  /** The cache owning a key: its prefix is the key up to the third or fourth '/' after the root. */
  private route(key: string): WatchCache | undefined {
    let i = this.root.length - 1;
    for (let depth = 0; depth < 3; depth++) {
      i = key.indexOf('/', i + 1);
      if (i < 0) return undefined;
      const c = this.byPrefix.get(key.slice(0, i + 1));
      if (c) return c;
    }
    return undefined;
  }

  private async run(): Promise<void> {
    const backoff = new Backoff({ initialMs: 100, maxMs: 5000 });
    while (!this.abort.signal.aborted) {
      try {
        await this.listAndWatch(() => backoff.reset());
      } catch (err) {
        if (this.abort.signal.aborted) return;
        const delay = backoff.next();
        log.warn('watch cache feed failed; relisting', { err, delayMs: Math.round(delay) });
        await new Promise((r) => setTimeout(r, delay));
      }
    }
  }

  private async listAndWatch(healthy: () => void): Promise<void> {
    // Every cache is loaded at one revision, and the shared watch starts right after it.
    const rev = await this.backend.currentRevision();
    const lists = await Promise.all([...this.byPrefix.values()].map(async (c) => ({ c, r: await this.backend.list(c.prefix, { revision: rev }) })));
    for (const { c, r } of lists) c.reset(r.kvs, r.revision);
    healthy();
    const caches = [...this.byPrefix.values()];
    for await (const batch of this.backend.watch(this.root, rev, this.abort.signal)) {
      this.dispatch(batch);
      const last = batch[batch.length - 1]?.kv.modRevision ?? 0;
      for (const c of caches) c.advance(last);
    }
  }

  private dispatch(batch: WatchEvent[]): void {
    for (const e of batch) this.route(e.kv.key)?.apply(e);
  }
}
