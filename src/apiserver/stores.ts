// Builds the registry stores: one WatchCache per stored resource prefix (shared by the versions a
// resource is served in), all fed by one store watch (CacheFeed), and one ResourceStore per served
// resource.
import type { Backend } from '../storage/index.js';
import { resources, storagePrefix, type ResourceInfo } from '../api/registry.js';
import { errors, StatusError } from '../util/errors.js';
import { WatchCache } from './watchcache/cache.js';
import { CacheFeed } from './watchcache/feed.js';
import { ResourceStore, type Admission } from './registry/store.js';
import { admitPodPriority } from './admission/priority.js';
import type { KubeObject } from '../api/types.js';
import { strategyFor } from './registry/strategies.js';
import { IPAllocator, PortAllocator } from './registry/ipalloc.js';
import type { StoreLookup } from './handlers/context.js';
import { logger } from '../util/log.js';

const log = logger('apiserver');

export class Stores implements StoreLookup {
  readonly caches = new Map<string, WatchCache>();
  private readonly feed: CacheFeed;
  private readonly byResource = new Map<string, ResourceStore>();
  readonly serviceIPs: IPAllocator;
  readonly nodePorts: PortAllocator;

  constructor(readonly backend: Backend, opts: { serviceCIDR: string; nodePortRange?: [number, number]; watchCacheSize?: number }) {
    this.serviceIPs = new IPAllocator(opts.serviceCIDR);
    this.nodePorts = new PortAllocator(...(opts.nodePortRange ?? [30000, 32767]));
    const admission: Admission = {
      checkNamespace: (ns: string) => this.checkNamespace(ns),
      admitCreate: (info, obj) => this.admitCreate(info, obj),
    };
    this.feed = new CacheFeed(backend);
    const prerendered = new Set<string>();
    for (const info of resources) {
      if (!info.stored) continue;
      const prefix = storagePrefix(info);
      let cache = this.caches.get(prefix);
      if (!cache) {
        this.caches.set(prefix, (cache = new WatchCache(prefix, { capacity: opts.watchCacheSize })));
        this.feed.add(cache);
      }
      const strategy = strategyFor(info, { serviceIPs: this.serviceIPs, nodePorts: this.nodePorts });
      const store = new ResourceStore(info, backend, cache, strategy, admission);
      this.byResource.set(`${info.group}/${info.version}/${info.resource}`, store);
      // New objects are pre-encoded in the first version served from this storage (the preferred one).
      if (!prerendered.has(prefix)) {
        prerendered.add(prefix);
        cache.prerender({ form: `${info.group}/${info.version}`, render: (o) => JSON.stringify(store.output(o)) });
      }
    }
  }

  /** Waits for every cache's first list, then rebuilds allocations from stored Services (repair pass). */
  async start(): Promise<void> {
    this.feed.start();
    await Promise.all([...this.caches.values()].map((c) => c.ready()));
    let repaired = 0;
    for (const e of this.store('', 'services').cache.list()) {
      const spec = e.obj.spec as { clusterIP?: string; ports?: { nodePort?: number }[] } | undefined;
      if (spec?.clusterIP && spec.clusterIP !== 'None' && !this.serviceIPs.mark(spec.clusterIP)) {
        log.warn('service IP allocated twice', { ip: spec.clusterIP, service: e.key });
      }
      for (const p of spec?.ports ?? []) if (p.nodePort) this.nodePorts.mark(p.nodePort);
      repaired++;
    }
    log.v(1).info('repaired service allocations', { services: repaired });
  }

  async stop(): Promise<void> {
    await this.feed.stop();
  }

  /** The store of a resource in its preferred version. */
  store(group: string, resource: string): ResourceStore {
    for (const [k, s] of this.byResource) if (k.startsWith(`${group}/`) && s.info.resource === resource && s.info.group === group) return s;
    throw errors.internal(`no store for ${resource}.${group}`);
  }

  forResource(info: ResourceInfo): ResourceStore | undefined {
    return this.byResource.get(`${info.group}/${info.version}/${info.resource}`);
  }

  /** Mutating admission plugins on create: Priority for pods. */
  private async admitCreate(info: ResourceInfo, obj: KubeObject): Promise<void> {
    if (info.group !== '' || info.resource !== 'pods') return;
    const pcs = this.store('scheduling.k8s.io', 'priorityclasses');
    const prefix = storagePrefix(pcs.info);
    await admitPodPriority(obj, {
      get: async (name) => pcs.cache.get(prefix + name)?.obj ?? (await pcs.get('', name).catch(() => undefined)),
      list: () => pcs.cache.list().map((e) => e.obj),
    });
  }

  /** NamespaceLifecycle admission: content goes only into namespaces that exist and are not terminating. */
  private async checkNamespace(ns: string): Promise<void> {
    const nsStore = this.byResource.get('/v1/namespaces')!;
    // The cache may trail a namespace created a moment ago; a miss is confirmed against the store.
    const obj = nsStore.cache.get(storagePrefix(nsStore.info) + ns)?.obj ?? (await nsStore.get('', ns).catch(() => undefined));
    if (!obj) throw errors.notFound('namespaces', '', ns);
    if (obj.metadata.deletionTimestamp) {
      throw new StatusError(403, 'Forbidden', `unable to create new content in namespace ${ns} because it is being terminated`, { name: ns, kind: 'namespaces' });
    }
  }
}
