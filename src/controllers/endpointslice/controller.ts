// The EndpointSlice controller (upstream pkg/controller/endpointslice): for every service with a
// selector, IPv4 EndpointSlices labelled kubernetes.io/service-name and managed-by
// endpointslice-controller.k8s.io, owned by the service (so the garbage collector removes them with
// it), at most 100 endpoints each, changed with as few writes as possible.
// Our own writes reach the cache later; until they have, the service is retried rather than
// reconciled against a stale view (upstream's EndpointSliceTracker).
import type { KubeObject } from '../../api/types.js';
import {
  RateLimitingQueue, deletedObject, objectKey, refs, runWorkers, splitKey, type Client, type SharedIndexInformer,
} from '../../client/index.js';
import { realClock, type Clock } from '../../util/clock.js';
import { isReason } from '../../util/errors.js';
import { logger, type Logger } from '../../util/log.js';
import {
  TRIGGER_TIME_ANNOTATION, endpointLabels, lastChangeTriggerTime, selectedPods, semanticEqual, servicesForPod, type Pod, type Service,
} from '../endpoint/index.js';
import type { Controller } from '../types.js';
import { desiredGroups } from './desired.js';
import { reconcileSlices } from './reconciler.js';
import { CONTROLLER_NAME, MANAGED_BY_LABEL, MAX_ENDPOINTS_PER_SLICE, SERVICE_NAME_LABEL, type EndpointSlice } from './types.js';

export interface EndpointSliceControllerConfig {
  client: Client;
  services: SharedIndexInformer<Service>;
  pods: SharedIndexInformer<Pod>;
  slices: SharedIndexInformer<EndpointSlice>;
  /** For endpoint zones (optional). */
  nodes?: SharedIndexInformer;
  maxEndpointsPerSlice?: number;
  clock?: Clock;
  log?: Logger;
}

export const SLICE_SERVICE_INDEX = 'endpointslice-service';
/** How long to wait for the cache to show our own write before reconciling anyway. */
const EXPECTATION_TIMEOUT_MS = 30_000;

export class EndpointSliceController implements Controller {
  readonly queue: RateLimitingQueue<string>;
  private readonly log: Logger;
  private readonly max: number;
  /** service key → slice name → the resourceVersion we wrote (null for a delete) and when. */
  private readonly expected = new Map<string, Map<string, { rv: string | null; at: number }>>();
  private readonly clock: Clock;

  constructor(private readonly cfg: EndpointSliceControllerConfig) {
    if (!cfg.client || !cfg.services || !cfg.pods || !cfg.slices) throw new TypeError('endpointslice controller: client and informers are required');
    this.max = cfg.maxEndpointsPerSlice ?? MAX_ENDPOINTS_PER_SLICE;
    if (!(this.max >= 1 && this.max <= 1000)) throw new RangeError('endpointslice controller: maxEndpointsPerSlice must be 1..1000');
    this.log = cfg.log ?? logger('endpointslice-controller');
    this.clock = cfg.clock ?? realClock;
    this.queue = new RateLimitingQueue<string>({ clock: this.clock, name: 'endpoint_slice' });
    cfg.slices.addIndexers({
      [SLICE_SERVICE_INDEX]: (s) => {
        const svc = s.metadata.labels?.[SERVICE_NAME_LABEL];
        return svc && s.metadata.labels?.[MANAGED_BY_LABEL] === CONTROLLER_NAME ? [`${s.metadata.namespace}/${svc}`] : [];
      },
    });
    const svcKey = (o: KubeObject) => this.queue.add(objectKey(o));
    cfg.services.addEventHandler({ add: svcKey, update: (_o, n) => svcKey(n), delete: (o) => svcKey(deletedObject(o)) });
    const podKeys = (p: Pod) => {
      for (const k of servicesForPod(p, cfg.services.lister)) this.queue.add(k);
    };
    cfg.pods.addEventHandler({
      add: podKeys,
      update: (o, n) => {
        if (o.metadata.resourceVersion === n.metadata.resourceVersion) return;
        podKeys(n);
        if (!semanticEqual(o.metadata.labels, n.metadata.labels)) podKeys(o);
      },
      delete: (o) => podKeys(deletedObject(o)),
    });
    const sliceKey = (s: EndpointSlice) => {
      const svc = s.metadata.labels?.[SERVICE_NAME_LABEL];
      if (svc && s.metadata.labels?.[MANAGED_BY_LABEL] === CONTROLLER_NAME) this.queue.add(`${s.metadata.namespace}/${svc}`);
    };
    cfg.slices.addEventHandler({
      add: sliceKey,
      update: (_o, n) => sliceKey(n),
      delete: (o) => {
        const s = deletedObject(o);
        // Deleted by someone else before our cache caught up with our write: stop waiting for it.
        const svc = s.metadata.labels?.[SERVICE_NAME_LABEL];
        if (svc) this.expected.get(`${s.metadata.namespace}/${svc}`)?.delete(s.metadata.name!);
        sliceKey(s);
      },
    });
  }

  async run(workers: number, signal: AbortSignal): Promise<void> {
    signal.addEventListener('abort', () => this.queue.shutDown(), { once: true });
    if (signal.aborted) return;
    await runWorkers(this.queue, workers, (k) => this.sync(k), { log: this.log });
  }

  async sync(key: string): Promise<void> {
    const { namespace, name } = splitKey(key);
    const svc = this.cfg.services.lister.get(namespace, name);
    if (!svc) {
      // Slices are owned by the service: the garbage collector deletes them.
      this.expected.delete(key);
      return;
    }
    const sel = svc.spec?.selector;
    if (!sel || !Object.keys(sel).length || svc.spec?.type === 'ExternalName') return;
    const existing = this.cfg.slices.lister.byIndex(SLICE_SERVICE_INDEX, key);
    this.checkFresh(key, existing);

    const pods = selectedPods(svc, this.cfg.pods.lister);
    const desired = desiredGroups(svc, pods, (n) => this.cfg.nodes?.lister.get('', n));
    const labels = this.sliceLabels(svc);
    const owner = { apiVersion: 'v1', kind: 'Service', name, uid: svc.metadata.uid!, controller: true, blockOwnerDeletion: true };
    const changes = reconcileSlices({
      desired, existing, maxEndpoints: this.max, addressType: 'IPv4',
      needsMetaUpdate: (s) => !semanticEqual(s.metadata.labels ?? {}, labels) || !s.metadata.ownerReferences?.some((r) => r.uid === owner.uid && r.controller),
    });
    if (!changes.create.length && !changes.update.length && !changes.delete.length) return;
    const trigger = lastChangeTriggerTime(svc, pods);
    const annotate = (a: Record<string, string> | undefined) => {
      const out = { ...a };
      if (trigger) out[TRIGGER_TIME_ANNOTATION] = trigger;
      return out;
    };
    const api = this.cfg.client.resource<EndpointSlice>(refs.endpointslices).namespace(namespace);
    const expect = this.expected.get(key) ?? new Map<string, { rv: string | null; at: number }>();
    const at = this.clock.now();
    this.expected.set(key, expect);
    // Creates first, deletes last: consumers never see a service without endpoints mid-change.
    for (const c of changes.create) {
      const created = await api.create({
        apiVersion: 'discovery.k8s.io/v1', kind: 'EndpointSlice',
        metadata: { generateName: `${name}-`, namespace, labels, annotations: annotate(undefined), ownerReferences: [owner] },
        addressType: 'IPv4', endpoints: c.endpoints, ports: c.ports,
      });
      expect.set(created.metadata.name!, { rv: created.metadata.resourceVersion ?? '', at });
    }
    for (const s of changes.update) {
      const updated = await api.update({
        ...s,
        metadata: { ...s.metadata, labels, annotations: annotate(s.metadata.annotations), ownerReferences: [owner] },
      });
      expect.set(updated.metadata.name!, { rv: updated.metadata.resourceVersion ?? '', at });
    }
    for (const s of changes.delete) {
      await api.delete(s.metadata.name!, { preconditions: { uid: s.metadata.uid } }).catch((err) => {
        if (!isReason(err, 'NotFound') && !isReason(err, 'Conflict')) throw err;
      });
      expect.set(s.metadata.name!, { rv: null, at });
    }
  }

  /** Throws (retry with backoff) while the cache has not caught up with our own last writes. */
  private checkFresh(key: string, existing: EndpointSlice[]): void {
    const expect = this.expected.get(key);
    if (!expect?.size) return;
    const byName = new Map(existing.map((s) => [s.metadata.name!, s]));
    const now = this.clock.now();
    for (const [n, { rv, at }] of expect) {
      const s = byName.get(n);
      // A write the cache never shows (e.g. replaced meanwhile) must not wedge the service forever.
      const caught = now - at > EXPECTATION_TIMEOUT_MS || (rv === null ? !s : !!s && Number(s.metadata.resourceVersion) >= Number(rv));
      if (!caught) throw new Error(`endpointslice cache for ${key} is older than our last write to ${n}; retrying`);
      expect.delete(n);
    }
  }

  private sliceLabels(svc: Service): Record<string, string> {
    return { ...endpointLabels(svc), [SERVICE_NAME_LABEL]: svc.metadata.name!, [MANAGED_BY_LABEL]: CONTROLLER_NAME };
  }
}
