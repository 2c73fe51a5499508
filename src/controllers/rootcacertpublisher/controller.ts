// The root CA publisher (upstream pkg/controller/certificates/rootcacertpublisher): every namespace has
// a "kube-root-ca.crt" ConfigMap whose only data is ca.crt = the cluster CA, with upstream's
// description annotation; edits are reverted and deletions undone.
import type { KubeObject } from '../../api/types.js';
import { RateLimitingQueue, deletedObject, refs, runWorkers, type Client, type SharedIndexInformer } from '../../client/index.js';
import { realClock, type Clock } from '../../util/clock.js';
import { isReason } from '../../util/errors.js';
import { logger, type Logger } from '../../util/log.js';
import { semanticEqual } from '../endpoint/index.js';
import type { Controller } from '../types.js';

export const ROOT_CA_CONFIGMAP = 'kube-root-ca.crt';
export const DESCRIPTION_ANNOTATION = 'kubernetes.io/description';
export const DESCRIPTION = 'Contains a CA bundle that can be used to verify the kube-apiserver when using internal endpoints such as the internal service IP or kubernetes.default.svc. '
  + 'No other usage is guaranteed across distributions of Kubernetes clusters.';

export interface RootCAPublisherConfig {
  client: Client;
  namespaces: SharedIndexInformer;
  configMaps: SharedIndexInformer;
  rootCAPem: string;
  clock?: Clock;
  log?: Logger;
}

interface ConfigMap extends KubeObject { data?: Record<string, string> }

export class RootCACertPublisher implements Controller {
  readonly queue: RateLimitingQueue<string>;
  private readonly log: Logger;

  constructor(private readonly cfg: RootCAPublisherConfig) {
    if (!cfg.client || !cfg.namespaces || !cfg.configMaps) throw new TypeError('root-ca publisher: client and informers are required');
    if (!cfg.rootCAPem) throw new TypeError('root-ca publisher: rootCAPem is required');
    this.log = cfg.log ?? logger('root-ca-cert-publisher');
    this.queue = new RateLimitingQueue<string>({ clock: cfg.clock ?? realClock, name: 'root_ca_cert_publisher' });
    const ns = (o: KubeObject) => this.queue.add(o.metadata.name!);
    cfg.namespaces.addEventHandler({ add: ns, update: (_o, n) => ns(n) });
    const cm = (o: KubeObject) => {
      if (o.metadata.name === ROOT_CA_CONFIGMAP) this.queue.add(o.metadata.namespace!);
    };
    cfg.configMaps.addEventHandler({ update: (_o, n) => cm(n), delete: (o) => cm(deletedObject(o)) });
  }

  async run(workers: number, signal: AbortSignal): Promise<void> {
    signal.addEventListener('abort', () => this.queue.shutDown(), { once: true });
    if (signal.aborted) return;
    await runWorkers(this.queue, workers, (k) => this.sync(k), { log: this.log });
  }

  async sync(namespace: string): Promise<void> {
    const ns = this.cfg.namespaces.lister.get('', namespace);
    if (!ns || ns.metadata.deletionTimestamp) return;
    const data = { 'ca.crt': this.cfg.rootCAPem };
    const api = this.cfg.client.resource<ConfigMap>(refs.configmaps).namespace(namespace);
    const cur = this.cfg.configMaps.lister.get(namespace, ROOT_CA_CONFIGMAP) as ConfigMap | undefined;
    if (!cur) {
      try {
        await api.create({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: ROOT_CA_CONFIGMAP, namespace, annotations: { [DESCRIPTION_ANNOTATION]: DESCRIPTION } }, data });
      } catch (err) {
        // Exists (cache lag) or the namespace is terminating: the next event reconciles.
        if (isReason(err, 'AlreadyExists') || isReason(err, 'Forbidden') || isReason(err, 'NotFound')) return;
        throw err;
      }
      return;
    }
    if (semanticEqual(cur.data ?? {}, data) && cur.metadata.annotations?.[DESCRIPTION_ANNOTATION]) return;
    const next: ConfigMap = {
      ...cur,
      metadata: { ...cur.metadata, annotations: { ...cur.metadata.annotations, [DESCRIPTION_ANNOTATION]: DESCRIPTION } },
      data,
    };
    delete next.binaryData;
    await api.update(next);
  }
}
