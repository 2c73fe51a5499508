// startProxy: the kube-proxy loop. Services and EndpointSlices come through shared informers; each
// event rebuilds that Service's entry in the change tracker and asks the bounded-frequency runner
// for a sync; the runner hands the state and the changed service ports to the mode's Proxier. No
// sync happens before both caches have synced (a restart must not blackhole every Service).
import type { Client } from '../client/index.js';
import { SharedInformerFactory, deletedObject, objectKey, refs } from '../client/index.js';
import { realClock, type Clock } from '../util/clock.js';
import { logger, type Logger } from '../util/log.js';
import type { MetricsRegistry } from '../util/metrics.js';
import { ProxyMetrics } from './metrics.js';
import { sliceServiceKey } from '../api/endpointslice.js';
import type { EndpointSliceObject, ServiceObject } from './objects.js';
import { BoundedFrequencyRunner } from './runner.js';
import { ChangeTracker } from './tracker.js';
import type { Proxier, SyncResult } from './types.js';

export interface ProxyOptions {
  client: Client;
  nodeName: string;
  proxier: Proxier;
  /** Default 1000 ms (upstream --iptables-min-sync-period 1s). */
  minSyncPeriodMs?: number;
  /** Default 30000 ms (upstream --iptables-sync-period 30s): periodic health check of the rules. */
  syncPeriodMs?: number;
  informers?: SharedInformerFactory;
  metrics?: MetricsRegistry;
  log?: Logger;
  clock?: Clock;
  /** Called after every successful sync (tests and benches). */
  onSynced?: (info: SyncInfo) => void;
}

export interface SyncInfo extends SyncResult {
  durationMs: number;
  /** Service ports in the state. */
  servicePorts: number;
  /** null for a full sync. */
  changed: ReadonlySet<string> | null;
}

export interface RunningProxy {
  readonly mode: Proxier['mode'];
  /** Whether a sync succeeded recently (the /healthz check). */
  healthy(): boolean;
  /** Resolves after the next successful sync (tests). */
  synced(): Promise<SyncInfo>;
  stop(): Promise<void>;
}

const SLICE_BY_SERVICE = 'proxy/service';

export async function startProxy(o: ProxyOptions): Promise<RunningProxy> {
  const clock = o.clock ?? realClock;
  const log = o.log ?? logger('proxy');
  const metrics = o.metrics ? new ProxyMetrics(o.metrics) : undefined;
  const minSync = o.minSyncPeriodMs ?? 1000;
  const syncPeriod = o.syncPeriodMs ?? 30_000;
  const ownInformers = !o.informers;
  const factory = o.informers ?? new SharedInformerFactory(o.client, { clock });
  const services = factory.forResource<ServiceObject>(refs.services);
  const slices = factory.forResource<EndpointSliceObject>(refs.endpointslices, {
    [SLICE_BY_SERVICE]: (s: EndpointSliceObject) => { const k = sliceServiceKey(s); return k ? [k] : []; },
  });
  const tracker = new ChangeTracker(o.nodeName, {
    service: (key) => services.indexer.getByKey(key),
    slices: (key) => slices.indexer.byIndex(SLICE_BY_SERVICE, key),
  });

  let cachesSynced = false;
  let lastSuccess = 0;
  let waiters: ((i: SyncInfo) => void)[] = [];
  const sync = async () => {
    if (!cachesSynced) return;
    const pending = tracker.take();
    const start = clock.monotonic();
    let result: SyncResult;
    try {
      result = await o.proxier.sync({ state: pending.state, changed: pending.changed });
    } catch (err) {
      tracker.restore();
      metrics?.syncFailures.inc({ mode: o.proxier.mode });
      log.error('sync failed; retrying with a full sync', { err: String((err as Error)?.message ?? err) });
      throw err;
    }
    const durationMs = clock.monotonic() - start;
    lastSuccess = clock.now();
    metrics?.syncDuration.observe({ mode: o.proxier.mode }, durationMs / 1000);
    metrics?.lastSync.set({}, lastSuccess / 1000);
    metrics?.programmed.set({ mode: o.proxier.mode }, result.programmed);
    for (const t of pending.triggerTimes) metrics?.programmingLatency.observe({ mode: o.proxier.mode }, Math.max(0, lastSuccess - t) / 1000);
    const info: SyncInfo = { ...result, durationMs, servicePorts: pending.state.services.size, changed: pending.changed };
    log.debug('synced', { full: result.full, changed: pending.changed?.size ?? 'all', programmed: result.programmed, ms: Math.round(durationMs) });
    const w = waiters;
    waiters = [];
    for (const f of w) f(info);
    o.onSynced?.(info);
  };
  let periodicCheck = false;
  const runner = new BoundedFrequencyRunner(async () => {
    if (periodicCheck && o.proxier.healthy && !(await o.proxier.healthy().catch(() => false))) {
      log.warn('programmed rules disappeared (canary missing); full resync');
      tracker.requestFull();
    }
    periodicCheck = true;
    await sync();
  }, { minIntervalMs: minSync, maxIntervalMs: syncPeriod, burst: 2, clock });

  const onService = (key: string) => {
    if (tracker.update(key) && cachesSynced) { periodicCheck = false; runner.run(); }
  };
  const regs = [
    services.addEventHandler({
      add: (s) => onService(objectKey(s)),
      update: (_a, s) => onService(objectKey(s)),
      delete: (s) => onService(objectKey(deletedObject(s))),
    }),
    slices.addEventHandler({
      add: (s) => { const k = sliceServiceKey(s); if (k) onService(k); },
      update: (a, s) => {
        const ka = sliceServiceKey(a);
        const kb = sliceServiceKey(s);
        if (ka && ka !== kb) onService(ka);
        if (kb) onService(kb);
      },
      delete: (s) => { const k = sliceServiceKey(deletedObject(s)); if (k) onService(k); },
    }),
  ];
  const abort = new AbortController();
  factory.start(abort.signal);
  const ok = await factory.waitForCacheSync(abort.signal);
  if (!ok) throw new Error('proxy: informer caches did not sync');
  // Everything the caches hold is in the tracker already (handlers ran during the initial list).
  cachesSynced = true;
  runner.start();
  periodicCheck = false;
  runner.run();
  log.info('service proxy running', { mode: o.proxier.mode, node: o.nodeName, servicePorts: tracker.size });

  let stopped: Promise<void> | undefined;
  return {
    mode: o.proxier.mode,
    healthy: () => lastSuccess > 0 && clock.now() - lastSuccess < 2 * syncPeriod + minSync,
    synced: () => new Promise((resolve) => waiters.push(resolve)),
    stop: () => (stopped ??= (async () => {
      abort.abort();
      for (const r of regs) r.remove();
      await runner.stop();
      await o.proxier.close();
      if (ownInformers) await factory.shutdown();
    })()),
  };
}
