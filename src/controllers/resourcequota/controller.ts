// The resource quota controller (upstream pkg/controller/resourcequota): keeps each ResourceQuota's
// status.hard equal to spec.hard and status.used equal to what its namespace's objects use, for the
// resources it limits. Quotas are recomputed when they change, when tracked objects are deleted or
// stop using compute (replenishment), and in a full resync every 5 minutes.
import { cmp, parseQuantity, type Quantity } from '../../api/quantity/index.js';
import { resources as servedResources } from '../../api/registry.js';
import type { KubeObject } from '../../api/types.js';
import type { Client, SharedIndexInformer, SharedInformerFactory } from '../../client/index.js';
import { RateLimitingQueue, deletedObject, objectKey, refs, runWorkers, splitKey } from '../../client/index.js';
import { realClock, type Clock, type Timer } from '../../util/clock.js';
import { logger, type Logger } from '../../util/log.js';
import type { Controller } from '../types.js';
import {
  addTo, claimUsage, podMatchesScope, podUsage, podUsesCompute, quotaScopes, resourceKindOf, scopeAllows, serviceUsage, toResourceList, type Usage,
} from './usage.js';

type Obj = Record<string, any>;
type Quota = KubeObject & { spec?: Obj; status?: Obj };
type Item = KubeObject & { spec?: Obj; status?: Obj };

export interface ResourceQuotaControllerOptions {
  client: Client;
  informers: SharedInformerFactory;
  clock?: Clock;
  log?: Logger;
  /** Upstream --resource-quota-sync-period (5 min). */
  resyncPeriodMs?: number;
}

export class ResourceQuotaController implements Controller {
  readonly queue: RateLimitingQueue<string>;
  private readonly client: Client;
  private readonly clock: Clock;
  private readonly log: Logger;
  private readonly resyncMs: number;
  private readonly quotas: SharedIndexInformer<Quota>;
  private readonly informed = new Map<string, SharedIndexInformer<KubeObject>>();

  constructor(opts: ResourceQuotaControllerOptions) {
    this.client = opts.client;
    this.clock = opts.clock ?? realClock;
    this.log = opts.log ?? logger('resourcequota-controller');
    this.resyncMs = opts.resyncPeriodMs ?? 5 * 60_000;
    if (!(this.resyncMs > 0)) throw new RangeError('resourcequota: resyncPeriodMs must be positive');
    this.queue = new RateLimitingQueue<string>({ clock: this.clock, name: 'resourcequota_primary' });
    this.quotas = opts.informers.forResource<Quota>({ group: '', version: 'v1', resource: 'resourcequotas' });
    this.quotas.addEventHandler({
      add: (q) => this.queue.add(objectKey(q)),
      // Upstream requeues only when spec.hard differs from status.hard; anything else is our own write.
      update: (o, n) => {
        if (JSON.stringify(n.spec?.hard ?? {}) !== JSON.stringify(n.status?.hard ?? {}) || JSON.stringify(o.spec) !== JSON.stringify(n.spec)) this.queue.add(objectKey(n));
      },
      delete: (q) => this.queue.add(objectKey(deletedObject(q))),
    });
    const replenish = (ns: string | undefined) => {
      for (const q of this.quotas.lister.listNamespace(ns ?? '')) this.queue.add(objectKey(q));
    };
    const pods = opts.informers.forResource(refs.pods);
    pods.addEventHandler({
      update: (o, n) => {
        const now = this.clock.now();
        if (podUsesCompute(o, now) !== podUsesCompute(n, now)) replenish(n.metadata.namespace);
      },
      delete: (p) => replenish(deletedObject(p).metadata.namespace),
    });
    this.informed.set('/pods', pods);
    for (const ref of [refs.services, refs.persistentvolumeclaims]) {
      const inf = opts.informers.forResource(ref);
      inf.addEventHandler({
        update: (o, n) => {
          if (JSON.stringify(o.spec) !== JSON.stringify(n.spec)) replenish(n.metadata.namespace);
        },
        delete: (x) => replenish(deletedObject(x).metadata.namespace),
      });
      this.informed.set(`/${ref.resource}`, inf);
    }
  }

  async run(workers: number, signal: AbortSignal): Promise<void> {
    let timer: Timer | undefined;
    const resync = () => {
      for (const q of this.quotas.lister.list()) this.queue.add(objectKey(q));
      timer = this.clock.setTimer(this.resyncMs, resync);
    };
    timer = this.clock.setTimer(this.resyncMs, resync);
    signal.addEventListener('abort', () => {
      timer?.cancel();
      this.queue.shutDown();
    }, { once: true });
    await runWorkers(this.queue, workers, (k) => this.sync(k), { log: this.log });
  }

  /** Recomputes one quota's usage and writes status when it changed (upstream syncResourceQuota). */
  async sync(key: string): Promise<void> {
    const { namespace, name } = splitKey(key);
    const quota = this.quotas.lister.get(namespace, name);
    if (!quota) return;
    const hard: Record<string, string> = quota.spec?.hard ?? {};
    const scopes = quotaScopes(quota.spec ?? {});
    const tracked = Object.keys(hard).filter((r) => scopeAllows(scopes, r) && resourceKindOf(r) !== undefined);
    const used: Usage = new Map();
    for (const r of tracked) used.set(r, parseQuantity(0));
    const byKind = new Map<string, { group: string; resource: string }>();
    for (const r of tracked) {
      const k = resourceKindOf(r)!;
      byKind.set(`${k.group}/${k.resource}`, k);
    }
    const now = this.clock.now();
    for (const [id, kind] of byKind) {
      const objs = await this.list(namespace, kind);
      if (objs === undefined) continue;
      for (const o of objs) {
        let u: Usage;
        if (id === '/pods') {
          if (!scopes.every((s) => podMatchesScope(o, s))) continue;
          u = podUsage(o, now);
        } else if (id === '/services') u = serviceUsage(o);
        else if (id === '/persistentvolumeclaims') u = claimUsage(o);
        else {
          const one = parseQuantity(1);
          u = new Map([[kind.resource, one], [`count/${kind.resource}${kind.group ? '.' + kind.group : ''}`, one]]);
        }
        for (const [k, q] of u) if (used.has(k)) addTo(used, k, q);
      }
    }
    const status = { hard: { ...hard }, used: toResourceList(used) };
    if (sameList(quota.status?.hard, status.hard) && sameList(quota.status?.used, status.used)) return;
    await this.client.resource<Quota>({ group: '', version: 'v1', resource: 'resourcequotas' }).namespace(namespace)
      .updateStatus({ ...quota, status });
  }

  // Objects of one kind in ns: from our informers when we have one, else a live list; undefined when not served.
  private async list(ns: string, kind: { group: string; resource: string }): Promise<Item[] | undefined> {
    const inf = this.informed.get(`${kind.group}/${kind.resource}`);
    if (inf) return inf.lister.listNamespace(ns) as Item[];
    const info = servedResources.find((r) => r.group === kind.group && r.resource === kind.resource && r.namespaced);
    if (!info) return undefined;
    const res = await this.client.resource({ group: info.group, version: info.version, resource: info.resource }).namespace(ns).list();
    return res.items as Item[];
  }
}

// Same keys and equal quantities (upstream quota.Equals).
function sameList(a: Record<string, string> | undefined, b: Record<string, string>): boolean {
  if (!a) return false;
  const ka = Object.keys(a);
  if (ka.length !== Object.keys(b).length) return false;
  return ka.every((k) => b[k] !== undefined && safeCmp(a[k]!, b[k]!) === 0);
}

function safeCmp(a: string, b: string): number {
  try {
    return cmp(parseQuantity(a) as Quantity, parseQuantity(b) as Quantity);
  } catch {
    return a === b ? 0 : 1;
  }
}
