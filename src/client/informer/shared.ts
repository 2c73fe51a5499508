// SharedIndexInformer (client-go tools/cache/shared_informer.go): one reflector feeding one indexed
// cache, fanned out to any number of handlers. Handlers run synchronously, in event order, after the
// cache reflects the event; they should only enqueue keys. Objects are frozen before they are cached.
import type { KubeObject } from '../../api/types.js';
import { realClock, type Clock, type Timer } from '../../util/clock.js';
import { logger, type Logger } from '../../util/log.js';
import type { ResourceOps } from '../interfaces.js';
import { objectKey } from '../resolve.js';
import { DeletedFinalStateUnknown, type EventHandler, type HandlerRegistration } from './handlers.js';
import { Lister } from './lister.js';
import { Reflector } from './reflector.js';
import { deepFreeze, freezeByDefault } from './freeze.js';
import { Indexer, type Indexers } from './store.js';

export interface InformerOptions<T extends KubeObject> {
  labelSelector?: string;
  fieldSelector?: string;
  /** Default resync period for handlers (0 = none): every period, update(obj, obj) for every cached object. */
  resyncMs?: number;
  indexers?: Indexers<T>;
  /** Deep-freeze cached objects (default true; SKIFF_INFORMER_FREEZE=0 disables). */
  freeze?: boolean;
  pageSize?: number;
  minWatchTimeoutSeconds?: number;
  clock?: Clock;
  log?: Logger;
  /** For logs, e.g. "pods". */
  name?: string;
}

interface Listener<T extends KubeObject> {
  handler: EventHandler<T>;
  synced: boolean;
  removed: boolean;
  resyncMs: number;
  timer?: Timer;
}

export class SharedIndexInformer<T extends KubeObject = KubeObject> {
  readonly indexer: Indexer<T>;
  readonly lister: Lister<T>;
  private readonly listeners = new Set<Listener<T>>();
  private readonly reflector: Reflector<T>;
  private readonly clock: Clock;
  private readonly log: Logger;
  private readonly freeze: boolean;
  private synced = false;
  private running?: Promise<void>;
  private readonly ac = new AbortController();

  constructor(client: ResourceOps<T>, private readonly opts: InformerOptions<T> = {}) {
    this.indexer = new Indexer<T>(opts.indexers);
    this.lister = new Lister<T>(this.indexer);
    this.clock = opts.clock ?? realClock;
    this.log = (opts.log ?? logger('informer')).with({ resource: opts.name ?? '' });
    this.freeze = opts.freeze ?? freezeByDefault;
    this.reflector = new Reflector<T>(client, {
      replace: (items, rv) => this.onReplace(items, rv),
      event: (type, obj) => this.onEvent(type, obj),
    }, {
      log: this.log, clock: this.clock,
      ...(opts.labelSelector ? { labelSelector: opts.labelSelector } : {}),
      ...(opts.fieldSelector ? { fieldSelector: opts.fieldSelector } : {}),
      ...(opts.pageSize !== undefined ? { pageSize: opts.pageSize } : {}),
      ...(opts.minWatchTimeoutSeconds !== undefined ? { minWatchTimeoutSeconds: opts.minWatchTimeoutSeconds } : {}),
    });
  }

  /**
   * Registers a handler. Added after the informer synced, it first gets add() for every cached
   * object. resyncMs overrides the informer's default resync period for this handler.
   */
  addEventHandler(handler: EventHandler<T>, resyncMs = this.opts.resyncMs ?? 0): HandlerRegistration {
    const l: Listener<T> = { handler, synced: false, removed: false, resyncMs };
    this.listeners.add(l);
    if (this.synced) {
      for (const obj of this.indexer.list()) this.call(l, 'add', () => handler.add?.(obj, true));
      l.synced = true;
      this.scheduleResync(l);
    }
    return {
      hasSynced: () => l.synced,
      remove: () => {
        l.removed = true;
        l.timer?.cancel();
        this.listeners.delete(l);
      },
    };
  }

  /** Adds custom indexes (e.g. pods by node). */
  addIndexers(indexers: Indexers<T>): void {
    this.indexer.addIndexers(indexers);
  }

  /** True once the first full list is in the cache and was delivered to the handlers. */
  hasSynced(): boolean {
    return this.synced;
  }

  /** The resourceVersion of the last list or event seen. */
  lastSyncResourceVersion(): string {
    return this.reflector.lastSyncResourceVersion;
  }

  /** Starts listing and watching (once); the promise settles after stop() or the signal aborts. */
  run(signal?: AbortSignal): Promise<void> {
    if (signal) signal.addEventListener('abort', () => this.stop(), { once: true });
    this.running ??= this.reflector.run(this.ac.signal).finally(() => {
      for (const l of this.listeners) l.timer?.cancel();
    });
    return this.running;
  }

  stop(): void {
    this.ac.abort();
  }

  get stopped(): boolean {
    return this.ac.signal.aborted;
  }

  private onReplace(items: T[], _rv: string): void {
    const fresh = new Set<string>();
    const initial = !this.synced;
    for (const raw of items) {
      const obj = this.prepare(raw);
      const key = objectKey(obj);
      fresh.add(key);
      const old = this.indexer.upsert(obj);
      if (old) this.dispatch('update', (h) => h.update?.(old, obj));
      else this.dispatch('add', (h) => h.add?.(obj, initial));
    }
    for (const key of this.indexer.listKeys()) {
      if (fresh.has(key)) continue;
      const last = this.indexer.deleteKey(key)!;
      const tomb = new DeletedFinalStateUnknown<T>(key, last);
      this.dispatch('delete', (h) => h.delete?.(tomb));
    }
    if (initial) {
      this.synced = true;
      for (const l of this.listeners) {
        l.synced = true;
        this.scheduleResync(l);
      }
    }
  }

  private onEvent(type: 'ADDED' | 'MODIFIED' | 'DELETED', raw: T): void {
    const obj = this.prepare(raw);
    if (type === 'DELETED') {
      this.indexer.deleteKey(objectKey(obj));
      // Deliver the final state the server sent (it may differ from the cached one).
      this.dispatch('delete', (h) => h.delete?.(obj));
      return;
    }
    const old = this.indexer.upsert(obj);
    if (old) this.dispatch('update', (h) => h.update?.(old, obj));
    else this.dispatch('add', (h) => h.add?.(obj, false));
  }

  private prepare(obj: T): T {
    return this.freeze ? deepFreeze(obj) : obj;
  }

  private dispatch(what: string, fn: (h: EventHandler<T>) => void): void {
    for (const l of this.listeners) this.call(l, what, () => fn(l.handler));
  }

  private call(l: Listener<T>, what: string, fn: () => void): void {
    if (l.removed) return;
    try {
      fn();
    } catch (err) {
      this.log.error('event handler threw', { handler: what, err });
    }
  }

  private scheduleResync(l: Listener<T>): void {
    if (l.resyncMs <= 0 || l.removed || this.stopped) return;
    l.timer = this.clock.setTimer(l.resyncMs, () => {
      for (const obj of this.indexer.list()) this.call(l, 'resync', () => l.handler.update?.(obj, obj));
      this.scheduleResync(l);
    });
  }
}

/** Resolves true once every informer (or handler registration) has synced; false if signal aborts first. */
export async function waitForCacheSync(
  synced: { hasSynced(): boolean }[],
  opts: { signal?: AbortSignal; clock?: Clock; intervalMs?: number } = {},
): Promise<boolean> {
  const clock = opts.clock ?? realClock;
  while (!synced.every((s) => s.hasSynced())) {
    if (opts.signal?.aborted) return false;
    try {
      await clock.sleep(opts.intervalMs ?? 100, opts.signal);
    } catch {
      return false;
    }
  }
  return true;
}
