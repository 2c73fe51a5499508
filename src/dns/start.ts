// startDNS: cluster DNS for Services (the kube-dns / CoreDNS role). Services and EndpointSlices are
// watched through shared informers and folded into an in-memory zone as they change, so a query
// never costs an API request; names outside the cluster domain go to upstream resolvers.
import type { Client } from '../client/index.js';
import { SharedInformerFactory, refs, deletedObject, objectKey, type SharedIndexInformer } from '../client/index.js';
import { realClock, type Clock } from '../util/clock.js';
import { logger, type Logger } from '../util/log.js';
import type { MetricsRegistry } from '../util/metrics.js';
import { Forwarder, type Upstream } from './forward.js';
import { QueryHandler } from './handler.js';
import { DNSMetrics } from './metrics.js';
import { serviceRecords, sliceServiceKey } from './records.js';
import { parseUpstream, upstreamsFromResolvConf } from './resolvconf.js';
import { closeListener, listen, type BoundListener, type ListenAddress } from './server.js';
import type { EndpointSlice, Service } from './types.js';
import { ClusterZone } from './zone.js';

export interface DNSOptions {
  client: Client;
  /** Default cluster.local. */
  clusterDomain?: string;
  /** UDP and TCP are served on each; port 0 picks a free port (see DNSServer.ports). */
  listen: ListenAddress[];
  /** "ip", "ip:port" or "[ip6]:port"; default: the nameservers of resolvConf, minus this server. */
  upstreams?: string[];
  /** Default /etc/resolv.conf. */
  resolvConf?: string;
  /** TTL of cluster records and of negative answers, seconds (default 30). */
  ttl?: number;
  /** Reverse lookups of unknown addresses in these CIDRs answer NXDOMAIN instead of being forwarded. */
  serviceCIDRs?: string[];
  /** Per-upstream timeout (default 2000 ms). */
  upstreamTimeoutMs?: number;
  /** Share an existing factory (e.g. inside `skiff server`); default: a new one over client. */
  informers?: SharedInformerFactory;
  /** Wait for the first list of Services and EndpointSlices before answering (default true). */
  waitForSync?: boolean;
  /**
   * The longest that wait lasts (default 5000 ms); after it the server answers from whatever the
   * caches hold, as CoreDNS does when the API server is slow to list.
   */
  syncTimeoutMs?: number;
  metrics?: MetricsRegistry;
  log?: Logger;
  clock?: Clock;
}

export interface DNSServer {
  /** The bound address and port of each listen entry, in order (UDP and TCP share the port). */
  ports: ListenAddress[];
  upstreams: Upstream[];
  zone: ClusterZone;
  stop(): Promise<void>;
}

const SLICE_BY_SERVICE = 'dns/service';

export async function startDNS(o: DNSOptions): Promise<DNSServer> {
  if (!o.listen.length) throw new RangeError('startDNS: at least one listen address is required');
  const clock = o.clock ?? realClock;
  const log = (o.log ?? logger('dns'));
  const ttl = o.ttl ?? 30;
  const zone = new ClusterZone({
    domain: o.clusterDomain ?? 'cluster.local', ttl,
    nowSeconds: () => Math.floor(clock.now() / 1000),
    ...(o.serviceCIDRs ? { serviceCIDRs: o.serviceCIDRs } : {}),
  });

  const ownInformers = !o.informers;
  const factory = o.informers ?? new SharedInformerFactory(o.client, { clock });
  const services = factory.forResource<Service>(refs.services);
  const slices = factory.forResource<EndpointSlice>(refs.endpointslices, {
    [SLICE_BY_SERVICE]: (s: EndpointSlice) => { const k = sliceServiceKey(s); return k ? [k] : []; },
  });
  const sync = (key: string) => syncService(zone, services, slices, key, ttl);
  const regs = [
    services.addEventHandler({
      add: (s) => sync(objectKey(s)),
      update: (_old, s) => sync(objectKey(s)),
      delete: (s) => sync(objectKey(deletedObject(s))),
    }),
    slices.addEventHandler({
      add: (s) => { const k = sliceServiceKey(s); if (k) sync(k); },
      update: (old, s) => {
        const a = sliceServiceKey(old);
        const b = sliceServiceKey(s);
        if (a && a !== b) sync(a);
        if (b) sync(b);
      },
      delete: (s) => { const k = sliceServiceKey(deletedObject(s)); if (k) sync(k); },
    }),
  ];
  const abort = new AbortController();
  factory.start(abort.signal);

  const own = o.listen.map((l) => ({ address: l.address, port: l.port }));
  const upstreams = o.upstreams ? o.upstreams.map(parseUpstream) : upstreamsFromResolvConf(o.resolvConf ?? '/etc/resolv.conf', own);
  const forwarder = new Forwarder({ upstreams, clock, log, ...(o.upstreamTimeoutMs ? { timeoutMs: o.upstreamTimeoutMs } : {}) });
  const handler = new QueryHandler({ zone, forwarder, clock, log, ...(o.metrics ? { metrics: new DNSMetrics(o.metrics) } : {}) });

  const stopAll = async (bound: BoundListener[]) => {
    abort.abort();
    for (const r of regs) r.remove();
    forwarder.close();
    await Promise.allSettled(bound.map(closeListener));
    if (ownInformers) await factory.shutdown();
  };

  const bound: BoundListener[] = [];
  try {
    if (o.waitForSync !== false) {
      const limit = new AbortController();
      const timer = clock.setTimer(o.syncTimeoutMs ?? 5000, () => limit.abort());
      const synced = await factory.waitForCacheSync(AbortSignal.any([abort.signal, limit.signal]));
      timer.cancel();
      if (!synced) log.warn('serving before the Service/EndpointSlice caches synced', { timeoutMs: o.syncTimeoutMs ?? 5000 });
    }
    for (const l of o.listen) bound.push(await listen(l, handler, log));
  } catch (err) {
    await stopAll(bound);
    throw err;
  }
  log.info('cluster DNS serving', { zone: zone.domain, listen: bound.map((b) => `${b.address}:${b.port}`), upstreams: upstreams.map((u) => `${u.address}:${u.port}`) });
  let stopped: Promise<void> | undefined;
  return {
    ports: bound.map((b) => ({ address: b.address, port: b.port })),
    upstreams,
    zone,
    stop: () => (stopped ??= stopAll(bound)),
  };
}

/** Rebuilds one Service's records from the caches (level-triggered: the caches are the truth). */
export function syncService(zone: ClusterZone, services: SharedIndexInformer<Service>, slices: SharedIndexInformer<EndpointSlice>, key: string, ttl: number): void {
  const svc = services.indexer.getByKey(key);
  zone.setOwner(key, svc ? serviceRecords(svc, slices.indexer.byIndex(SLICE_BY_SERVICE, key), { zone: zone.domain, ttl }) : []);
}
