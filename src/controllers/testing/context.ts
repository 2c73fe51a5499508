// A ControllerContext over the fake client for unit tests (DESIGN §4: preload a fake client, run
// sync once, assert the recorded actions). Caches are filled straight from the fake client's store,
// frozen, without running informers or calling handlers, so a test controls exactly what sync sees.
import type { KubeObject } from '../../api/types.js';
import { deepFreeze, FakeClient, resolveResource, SharedInformerFactory, type Action, type KindRef, type ResourceRef, type SharedIndexInformer } from '../../client/index.js';
import type { Indexers } from '../../client/index.js';
import { FakeClock } from '../../util/clock.js';
import { logger } from '../../util/log.js';
import type { ControllerContext, ControllerManagerConfig } from '../types.js';
import { FakeRecorder } from './recorder.js';

/** The config defaults of kube-controller-manager as Skiff sets them. */
export const TEST_CONFIG: ControllerManagerConfig = {
  clusterCIDR: '10.42.0.0/16', nodeCIDRMaskSize: 24, serviceCIDR: '10.43.0.0/16',
  nodeMonitorGracePeriodMs: 40_000, terminatedPodGCThreshold: 12_500,
};

/** A factory that remembers which informers controllers asked for, so the test can fill them. */
class TrackingInformerFactory extends SharedInformerFactory {
  readonly requested = new Map<string, { ref: ResourceRef | KindRef; informer: SharedIndexInformer<KubeObject> }>();

  override forResource<T extends KubeObject = KubeObject>(ref: ResourceRef | KindRef, indexers?: Indexers<T>): SharedIndexInformer<T> {
    const inf = super.forResource<T>(ref, indexers);
    const r = resolveResource(ref);
    this.requested.set(`${r.group}/${r.version}/${r.resource}`, { ref, informer: inf as unknown as SharedIndexInformer<KubeObject> });
    return inf;
  }
}

export interface FakeControllerEnv {
  client: FakeClient;
  clock: FakeClock;
  informers: SharedInformerFactory;
  /** One FakeRecorder per controller name passed to ctx.recorder(). */
  recorders: Map<string, FakeRecorder>;
  ctx: ControllerContext;
  /**
   * Copies every object of each resource a controller asked an informer for from the fake client
   * into that informer's cache (frozen), replacing what was there. Call after creating the controller.
   */
  fillCaches(): void;
  /** Puts one object into its resource's cache (frozen) without touching the fake client. */
  cache(obj: KubeObject): void;
  /** The recorded write actions (create/update/patch/delete), reads left out. */
  writes(): Action[];
  /** Events recorded by every recorder, "Type Reason note". */
  events(): string[];
}

export function fakeControllerEnv(objects: KubeObject[] = [], opts: { clock?: FakeClock; config?: Partial<ControllerManagerConfig> } = {}): FakeControllerEnv {
  const clock = opts.clock ?? new FakeClock();
  const client = new FakeClient({ objects, clock });
  const informers = new TrackingInformerFactory(client, { clock });
  const recorders = new Map<string, FakeRecorder>();
  const ctx: ControllerContext = {
    client, informers, clock,
    log: logger('controller-test'),
    config: { ...TEST_CONFIG, ...opts.config },
    recorder(name: string) {
      let r = recorders.get(name);
      if (!r) recorders.set(name, (r = new FakeRecorder()));
      return r;
    },
  };
  return {
    client, clock, informers, recorders, ctx,
    fillCaches() {
      for (const { ref, informer } of informers.requested.values()) {
        for (const key of informer.indexer.listKeys()) informer.indexer.deleteKey(key);
        const { items } = client.tracker.list(resolveResource(ref), {});
        const r = resolveResource(ref);
        for (const o of items) {
          const copy = structuredClone(o);
          copy.apiVersion ??= r.group ? `${r.group}/${r.version}` : r.version;
          copy.kind ??= r.kind;
          informer.indexer.upsert(deepFreeze(copy));
        }
      }
    },
    cache(obj: KubeObject) {
      const r = resolveResource({ apiVersion: obj.apiVersion!, kind: obj.kind! });
      const entry = informers.requested.get(`${r.group}/${r.version}/${r.resource}`);
      if (!entry) throw new Error(`no informer was requested for ${r.resource}`);
      entry.informer.indexer.upsert(deepFreeze(structuredClone(obj)));
    },
    writes: () => client.filterActions({ writesOnly: true }),
    events: () => [...recorders.values()].flatMap((r) => r.events),
  };
}
