// The reflector (client-go tools/cache/reflector.go): list — in pages of 500 — then watch from the
// list's resourceVersion with bookmarks. A watch that ends is re-opened from the last resourceVersion
// seen; a broken connection is retried with backoff; 410 Expired/Gone means the resourceVersion left
// the server's window, so it lists again.
import type { KubeObject } from '../../api/types.js';
import { Backoff } from '../../util/backoff.js';
import { realClock, type Clock } from '../../util/clock.js';
import { StatusError } from '../../util/errors.js';
import type { Logger } from '../../util/log.js';
import type { ResourceOps } from '../interfaces.js';
import { errorFromStatus } from '../rest/errors.js';

export interface ReflectorHandlers<T> {
  /** A full list arrived: the cache becomes exactly these objects. */
  replace(items: T[], resourceVersion: string): void;
  event(type: 'ADDED' | 'MODIFIED' | 'DELETED', obj: T): void;
}

export interface ReflectorOptions {
  labelSelector?: string;
  fieldSelector?: string;
  /** List page size (client-go: 500); 0 lists in one piece. */
  pageSize?: number;
  /** Watches ask the server to end after a random time in [min, 2×min] seconds (client-go: 5 min). */
  minWatchTimeoutSeconds?: number;
  clock?: Clock;
  log: Logger;
}

const isGone = (err: unknown) => err instanceof StatusError && err.code === 410;

export class Reflector<T extends KubeObject> {
  private lastSyncRV = '';
  /** Set after a list at lastSyncRV failed with 410: the next list is a consistent one. */
  private rvUnavailable = false;
  private readonly clock: Clock;
  // client-go's reflector backoff: 800 ms doubling to 30 s, with jitter.
  private readonly backoff = new Backoff({ initialMs: 800, maxMs: 30_000, factor: 2, jitter: 1 });

  constructor(private readonly client: ResourceOps<T>, private readonly handlers: ReflectorHandlers<T>, private readonly opts: ReflectorOptions) {
    this.clock = opts.clock ?? realClock;
  }

  get lastSyncResourceVersion(): string {
    return this.lastSyncRV;
  }

  /** Lists and watches until signal aborts. */
  async run(signal: AbortSignal): Promise<void> {
    while (!signal.aborted) {
      try {
        await this.listAndWatch(signal);
      } catch (err) {
        if (signal.aborted) break;
        this.opts.log.warn('list and watch failed', { err, lastSyncResourceVersion: this.lastSyncRV });
      }
      if (signal.aborted) break;
      await this.clock.sleep(this.backoff.next(), signal).catch(() => undefined);
    }
  }

  private async listAndWatch(signal: AbortSignal): Promise<void> {
    await this.list(signal);
    this.backoff.reset();
    await this.watchLoop(signal);
  }

  // client-go's relistResourceVersion: "0" (any cached state) at first, the last seen one after that,
  // "" (a consistent read) once that turned out to be too old.
  private relistRV(): string {
    if (this.rvUnavailable) return '';
    return this.lastSyncRV || '0';
  }

  private async list(signal: AbortSignal): Promise<void> {
    const rv = this.relistRV();
    const items: T[] = [];
    let listRV = '';
    let cont: string | undefined;
    try {
      do {
        const page = await this.client.list({
          signal, labelSelector: this.opts.labelSelector, fieldSelector: this.opts.fieldSelector,
          ...(this.opts.pageSize !== 0 ? { limit: this.opts.pageSize ?? 500 } : {}),
          ...(cont ? { continue: cont } : { resourceVersion: rv }),
        });
        items.push(...page.items);
        listRV = page.metadata.resourceVersion ?? '';
        cont = page.metadata.continue || undefined;
      } while (cont);
    } catch (err) {
      if (isGone(err) && !this.rvUnavailable) {
        // The resourceVersion (or a continue token) expired mid-way: start over with a consistent list.
        this.rvUnavailable = true;
        return this.list(signal);
      }
      throw err;
    }
    this.rvUnavailable = false;
    this.handlers.replace(items, listRV);
    this.lastSyncRV = listRV;
  }

  /** Watches until a 410 (returns: relist) or a server error (throws); reconnects after drops. */
  private async watchLoop(signal: AbortSignal): Promise<void> {
    const minTimeout = this.opts.minWatchTimeoutSeconds ?? 300;
    while (!signal.aborted) {
      let w;
      try {
        w = await this.client.watch({
          signal, resourceVersion: this.lastSyncRV, allowWatchBookmarks: true,
          timeoutSeconds: Math.floor(minTimeout * (1 + Math.random())),
          labelSelector: this.opts.labelSelector, fieldSelector: this.opts.fieldSelector,
        });
      } catch (err) {
        if (signal.aborted) return;
        if (isGone(err)) return;
        if (err instanceof StatusError && err.code !== 429) throw err;
        // Connection refused, reset, or throttled: the server may be restarting; re-watch from where we were.
        this.opts.log.v(2).info('watch could not start; retrying', { err });
        await this.clock.sleep(this.backoff.next(), signal).catch(() => undefined);
        continue;
      }
      try {
        for await (const ev of w) {
          if (ev.type === 'ERROR') {
            const err = errorFromStatus(ev.object);
            if (err.code === 410) {
              this.opts.log.v(4).info('watch expired; relisting', { resourceVersion: this.lastSyncRV });
              return;
            }
            throw err;
          }
          const rv = ev.object.metadata?.resourceVersion;
          if (ev.type !== 'BOOKMARK') this.handlers.event(ev.type, ev.object);
          if (rv) this.lastSyncRV = rv;
        }
        this.backoff.reset();
      } catch (err) {
        if (signal.aborted) return;
        if (err instanceof StatusError) throw err;
        this.opts.log.v(2).info('watch connection broke; re-watching', { err, resourceVersion: this.lastSyncRV });
        await this.clock.sleep(this.backoff.next(), signal).catch(() => undefined);
      } finally {
        w.stop();
      }
    }
  }
}
