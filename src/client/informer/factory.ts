// SharedInformerFactory (client-go informers.SharedInformerFactory): one informer per resource per
// process, shared by every controller that asks, started together and synced together.
import type { KubeObject } from '../../api/types.js';
import type { Clock } from '../../util/clock.js';
import type { Client, KindRef, ResourceRef } from '../interfaces.js';
import { resolveResource } from '../resolve.js';
import { SharedIndexInformer, waitForCacheSync, type InformerOptions } from './shared.js';
import type { Indexers } from './store.js';

export interface InformerFactoryOptions {
  /** Watch only this namespace (default: all). */
  namespace?: string;
  /** Default handler resync period (0 = none). */
  resyncMs?: number;
  /** Selectors applied to every informer of the factory (client-go's tweakListOptions). */
  labelSelector?: string;
  fieldSelector?: string;
  freeze?: boolean;
  clock?: Clock;
  minWatchTimeoutSeconds?: number;
}

export class SharedInformerFactory {
  private readonly informers = new Map<string, SharedIndexInformer<KubeObject>>();
  private readonly started = new Set<string>();
  private readonly runs: Promise<void>[] = [];

  constructor(private readonly client: Client, private readonly opts: InformerFactoryOptions = {}) {}

  /** The shared informer of a resource, created on first request. Indexers are added to it. */
  forResource<T extends KubeObject = KubeObject>(ref: ResourceRef | KindRef, indexers?: Indexers<T>): SharedIndexInformer<T> {
    const r = resolveResource(ref);
    const key = `${r.group}/${r.version}/${r.resource}`;
    let inf = this.informers.get(key) as SharedIndexInformer<T> | undefined;
    if (!inf) {
      const rc = this.client.resource<T>(ref);
      const ops = this.opts.namespace && r.namespaced ? rc.namespace(this.opts.namespace) : rc;
      const o: InformerOptions<T> = { name: r.group ? `${r.resource}.${r.group}` : r.resource };
      if (this.opts.resyncMs) o.resyncMs = this.opts.resyncMs;
      if (this.opts.labelSelector) o.labelSelector = this.opts.labelSelector;
      if (this.opts.fieldSelector) o.fieldSelector = this.opts.fieldSelector;
      if (this.opts.freeze !== undefined) o.freeze = this.opts.freeze;
      if (this.opts.clock) o.clock = this.opts.clock;
      if (this.opts.minWatchTimeoutSeconds !== undefined) o.minWatchTimeoutSeconds = this.opts.minWatchTimeoutSeconds;
      inf = new SharedIndexInformer<T>(ops, o);
      this.informers.set(key, inf as unknown as SharedIndexInformer<KubeObject>);
    }
    if (indexers) {
      // Several controllers may ask for the same index; the first one registers it.
      const fresh = Object.entries(indexers).filter(([name]) => !inf!.indexer.hasIndex(name));
      if (fresh.length) inf.addIndexers(Object.fromEntries(fresh));
    }
    return inf;
  }

  /** Starts every informer created so far that is not running yet (call again after adding more). */
  start(signal?: AbortSignal): void {
    for (const [key, inf] of this.informers) {
      if (this.started.has(key)) continue;
      this.started.add(key);
      this.runs.push(inf.run(signal));
    }
  }

  /** Resolves true once every started informer has synced; false if signal aborts first. */
  waitForCacheSync(signal?: AbortSignal): Promise<boolean> {
    const started = [...this.informers].filter(([k]) => this.started.has(k)).map(([, inf]) => inf);
    return waitForCacheSync(started, signal ? { signal } : {});
  }

  /** Stops every informer and waits for them to finish. */
  async shutdown(): Promise<void> {
    for (const inf of this.informers.values()) inf.stop();
    await Promise.allSettled(this.runs);
  }
}
