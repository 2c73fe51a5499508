// The EndpointSlice mirroring controller (upstream pkg/controller/endpointslicemirroring): custom
// Endpoints of a selector-less service are mirrored into EndpointSlices managed by
// endpointslicemirroring-controller.k8s.io and owned by the Endpoints. Endpoints labelled
// endpointslice.kubernetes.io/skip-mirror=true (the API server's own "kubernetes" Endpoints), those of
// services with a selector and those without a service are not mirrored (their mirrors are deleted).
import type { KubeObject } from '../../api/types.js';
import {
  RateLimitingQueue, deletedObject, objectKey, refs, runWorkers, splitKey, type Client, type SharedIndexInformer,
} from '../../client/index.js';
import { realClock, type Clock } from '../../util/clock.js';
import { isReason } from '../../util/errors.js';
import { logger, type Logger } from '../../util/log.js';
import { TRIGGER_TIME_ANNOTATION, semanticEqual, type EndpointsObject, type Service } from '../endpoint/index.js';
import {
  MANAGED_BY_LABEL, SERVICE_NAME_LABEL, portKey, reconcileSlices,
  type DesiredGroup, type EndpointSlice, type SliceEndpoint,
} from '../endpointslice/index.js';
import type { Controller } from '../types.js';

export const MIRRORING_CONTROLLER_NAME = 'endpointslicemirroring-controller.k8s.io';
export const SKIP_MIRROR_LABEL = 'endpointslice.kubernetes.io/skip-mirror';
const LAST_APPLIED = 'kubectl.kubernetes.io/last-applied-configuration';
/** Upstream --mirroring-max-endpoints-per-subset. */
const MAX_PER_SUBSET = 1000;
const INDEX = 'endpointslicemirroring-endpoints';

export interface EndpointSliceMirroringConfig {
  client: Client;
  endpoints: SharedIndexInformer<EndpointsObject>;
  services: SharedIndexInformer<Service>;
  slices: SharedIndexInformer<EndpointSlice>;
  maxEndpointsPerSlice?: number;
  clock?: Clock;
  log?: Logger;
}

export class EndpointSliceMirroringController implements Controller {
  readonly queue: RateLimitingQueue<string>;
  private readonly log: Logger;
  private readonly max: number;

  constructor(private readonly cfg: EndpointSliceMirroringConfig) {
    if (!cfg.client || !cfg.endpoints || !cfg.services || !cfg.slices) throw new TypeError('endpointslice mirroring: client and informers are required');
    this.max = cfg.maxEndpointsPerSlice ?? 100;
    this.log = cfg.log ?? logger('endpointslicemirroring-controller');
    this.queue = new RateLimitingQueue<string>({ clock: cfg.clock ?? realClock, name: 'endpoint_slice_mirroring' });
    cfg.slices.addIndexers({
      [INDEX]: (s) => {
        const svc = s.metadata.labels?.[SERVICE_NAME_LABEL];
        return svc && s.metadata.labels?.[MANAGED_BY_LABEL] === MIRRORING_CONTROLLER_NAME ? [`${s.metadata.namespace}/${svc}`] : [];
      },
    });
    const key = (o: KubeObject) => this.queue.add(objectKey(o));
    for (const inf of [cfg.endpoints, cfg.services] as SharedIndexInformer[]) {
      inf.addEventHandler({ add: key, update: (_o, n) => key(n), delete: (o) => key(deletedObject(o)) });
    }
    const sliceKey = (s: EndpointSlice) => {
      const svc = s.metadata.labels?.[SERVICE_NAME_LABEL];
      if (svc && s.metadata.labels?.[MANAGED_BY_LABEL] === MIRRORING_CONTROLLER_NAME) this.queue.add(`${s.metadata.namespace}/${svc}`);
    };
    cfg.slices.addEventHandler({ add: sliceKey, update: (_o, n) => sliceKey(n), delete: (o) => sliceKey(deletedObject(o)) });
  }

  async run(workers: number, signal: AbortSignal): Promise<void> {
    signal.addEventListener('abort', () => this.queue.shutDown(), { once: true });
    if (signal.aborted) return;
    await runWorkers(this.queue, workers, (k) => this.sync(k), { log: this.log });
  }

  async sync(key: string): Promise<void> {
    const { namespace, name } = splitKey(key);
    const existing = this.cfg.slices.lister.byIndex(INDEX, key);
    const api = this.cfg.client.resource<EndpointSlice>(refs.endpointslices).namespace(namespace);
    const svc = this.cfg.services.lister.get(namespace, name);
    const ep = this.cfg.endpoints.lister.get(namespace, name);
    const mirror = !!svc && !Object.keys(svc.spec?.selector ?? {}).length && !!ep && ep.metadata.labels?.[SKIP_MIRROR_LABEL] !== 'true';
    if (!mirror) {
      for (const s of existing) await this.remove(api, s);
      return;
    }
    const labels: Record<string, string> = { ...ep.metadata.labels, [SERVICE_NAME_LABEL]: name, [MANAGED_BY_LABEL]: MIRRORING_CONTROLLER_NAME };
    const annotations: Record<string, string> = { ...ep.metadata.annotations };
    delete annotations[TRIGGER_TIME_ANNOTATION];
    delete annotations[LAST_APPLIED];
    const owner = { apiVersion: 'v1', kind: 'Endpoints', name, uid: ep.metadata.uid!, controller: true, blockOwnerDeletion: true };
    for (const addressType of ['IPv4', 'IPv6']) {
      const mine = existing.filter((s) => s.addressType === addressType);
      const desired = desiredFor(ep, addressType);
      const changes = reconcileSlices({
        desired, existing: mine, maxEndpoints: this.max, addressType, placeholder: false,
        needsMetaUpdate: (s) => !semanticEqual(s.metadata.labels ?? {}, labels) || !semanticEqual(s.metadata.annotations ?? {}, annotations)
          || !s.metadata.ownerReferences?.some((r) => r.uid === owner.uid),
      });
      for (const c of changes.create) {
        await api.create({
          apiVersion: 'discovery.k8s.io/v1', kind: 'EndpointSlice',
          metadata: { generateName: `${name}-`, namespace, labels, annotations, ownerReferences: [owner] },
          addressType, endpoints: c.endpoints, ports: c.ports,
        });
      }
      for (const s of changes.update) await api.update({ ...s, metadata: { ...s.metadata, labels, annotations, ownerReferences: [owner] } });
      for (const s of changes.delete) await this.remove(api, s);
    }
  }

  private async remove(api: { delete(name: string, o?: object): Promise<void> }, s: EndpointSlice): Promise<void> {
    await api.delete(s.metadata.name!, { preconditions: { uid: s.metadata.uid } }).catch((err: unknown) => {
      if (!isReason(err, 'NotFound') && !isReason(err, 'Conflict')) throw err;
    });
  }
}

/** The mirrored endpoints of one address type, grouped by subset ports (at most 1000 per subset). */
function desiredFor(ep: EndpointsObject, addressType: string): DesiredGroup[] {
  const groups = new Map<string, DesiredGroup>();
  for (const subset of ep.subsets ?? []) {
    const ports = (subset.ports ?? []).map((p) => ({ name: p.name ?? '', port: p.port, protocol: p.protocol ?? 'TCP', ...(p.appProtocol ? { appProtocol: p.appProtocol } : {}) }));
    const k = portKey(ports);
    let g = groups.get(k);
    if (!g) groups.set(k, (g = { ports, endpoints: [] }));
    const seen = new Set(g.endpoints.map((e) => e.addresses[0]));
    let n = 0;
    for (const [list, ready] of [[subset.addresses ?? [], true], [subset.notReadyAddresses ?? [], false]] as const) {
      for (const a of list) {
        if (n >= MAX_PER_SUBSET) break;
        if (addressTypeOf(a.ip) !== addressType || seen.has(a.ip)) continue;
        seen.add(a.ip);
        n++;
        const e: SliceEndpoint = { addresses: [a.ip], conditions: { ready } };
        if (a.hostname) e.hostname = a.hostname;
        if (a.targetRef) e.targetRef = a.targetRef;
        if (a.nodeName) e.nodeName = a.nodeName;
        g.endpoints.push(e);
      }
    }
  }
  return [...groups.values()].filter((g) => g.endpoints.length);
}

function addressTypeOf(ip: string): string | undefined {
  if (/^\d+\.\d+\.\d+\.\d+$/.test(ip)) return 'IPv4';
  if (ip.includes(':')) return 'IPv6';
  return undefined;
}
