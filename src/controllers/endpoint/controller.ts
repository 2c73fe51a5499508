// The endpoints controller (upstream pkg/controller/endpoint): for every service with a selector, an
// Endpoints object of the same name listing the selected pods' addresses and resolved ports. Writes
// only when the content changes; deleted with the service. Selector-less services' Endpoints belong
// to their users (and the API server's own "kubernetes" Endpoints) and are never touched.
import type { KubeObject } from '../../api/types.js';
import {
  RateLimitingQueue, deletedObject, objectKey, refs, runWorkers, splitKey, type Client, type SharedIndexInformer,
} from '../../client/index.js';
import { realClock, type Clock } from '../../util/clock.js';
import { isReason } from '../../util/errors.js';
import { logger, type Logger } from '../../util/log.js';
import type { Controller } from '../types.js';
import { TRIGGER_TIME_ANNOTATION, endpointLabels, lastChangeTriggerTime, selectedPods, semanticEqual, servicesForPod, type Pod, type Service } from './pods.js';
import { buildSubsets, truncateSubsets, type EndpointSubset } from './subsets.js';

/** Set to "truncated" when a service has more than 1000 endpoints (upstream EndpointsOverCapacity). */
export const OVER_CAPACITY_ANNOTATION = 'endpoints.kubernetes.io/over-capacity';

export interface EndpointsObject extends KubeObject { subsets?: EndpointSubset[] }

export interface EndpointControllerConfig {
  client: Client;
  services: SharedIndexInformer<Service>;
  pods: SharedIndexInformer<Pod>;
  endpoints: SharedIndexInformer<EndpointsObject>;
  clock?: Clock;
  log?: Logger;
}

export class EndpointController implements Controller {
  readonly queue: RateLimitingQueue<string>;
  private readonly log: Logger;

  constructor(private readonly cfg: EndpointControllerConfig) {
    if (!cfg.client || !cfg.services || !cfg.pods || !cfg.endpoints) throw new TypeError('endpoint controller: client and informers are required');
    const clock = cfg.clock ?? realClock;
    this.log = cfg.log ?? logger('endpoint-controller');
    this.queue = new RateLimitingQueue<string>({ clock, name: 'endpoint' });
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
        if (JSON.stringify(o.metadata.labels) !== JSON.stringify(n.metadata.labels)) podKeys(o);
      },
      delete: (o) => podKeys(deletedObject(o)),
    });
    // Someone deleted an Endpoints we maintain: put it back.
    cfg.endpoints.addEventHandler({ delete: (o) => this.queue.add(objectKey(deletedObject(o))) });
  }

  async run(workers: number, signal: AbortSignal): Promise<void> {
    signal.addEventListener('abort', () => this.queue.shutDown(), { once: true });
    if (signal.aborted) return;
    await runWorkers(this.queue, workers, (k) => this.sync(k), { log: this.log });
  }

  async sync(key: string): Promise<void> {
    const { namespace, name } = splitKey(key);
    const epClient = this.cfg.client.resource<EndpointsObject>(refs.endpoints).namespace(namespace);
    const svc = this.cfg.services.lister.get(namespace, name);
    if (!svc) {
      // The service is gone: so are its endpoints (upstream deletes them here rather than via GC).
      if (!this.cfg.endpoints.lister.get(namespace, name)) return;
      await epClient.delete(name).catch((err) => {
        if (!isReason(err, 'NotFound')) throw err;
      });
      return;
    }
    const sel = svc.spec?.selector;
    if (!sel || !Object.keys(sel).length) return;
    const pods = selectedPods(svc, this.cfg.pods.lister);
    const { subsets, truncated } = truncateSubsets(buildSubsets(svc, pods));
    const labels = endpointLabels(svc);
    const current = this.cfg.endpoints.lister.get(namespace, name);
    const wasTruncated = current?.metadata.annotations?.[OVER_CAPACITY_ANNOTATION] === 'truncated';
    if (current && semanticEqual(current.subsets ?? [], subsets) && semanticEqual(current.metadata.labels ?? {}, labels) && wasTruncated === truncated) return;
    const annotations: Record<string, string> = { ...current?.metadata.annotations };
    if (truncated) annotations[OVER_CAPACITY_ANNOTATION] = 'truncated';
    else delete annotations[OVER_CAPACITY_ANNOTATION];
    const trigger = lastChangeTriggerTime(svc, pods);
    if (trigger) annotations[TRIGGER_TIME_ANNOTATION] = trigger;
    else delete annotations[TRIGGER_TIME_ANNOTATION];
    const next: EndpointsObject = {
      apiVersion: 'v1', kind: 'Endpoints',
      metadata: { name, namespace, labels, annotations, ...(current ? { resourceVersion: current.metadata.resourceVersion } : {}) },
      ...(subsets.length ? { subsets } : {}),
    };
    if (current) {
      await epClient.update(next);
      return;
    }
    try {
      await epClient.create(next);
    } catch (err) {
      // Created meanwhile (cache lag): the update on the next sync reconciles it.
      if (isReason(err, 'AlreadyExists')) throw new Error(`endpoints ${key} already exists; retrying with the cached copy`);
      throw err;
    }
  }
}
