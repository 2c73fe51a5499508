// The service account controller (upstream pkg/controller/serviceaccount/serviceaccounts_controller.go):
// every active namespace has the "default" ServiceAccount; deleting it brings it back.
import type { KubeObject } from '../../api/types.js';
import { RateLimitingQueue, deletedObject, refs, runWorkers, type Client, type SharedIndexInformer } from '../../client/index.js';
import { realClock, type Clock } from '../../util/clock.js';
import { isReason } from '../../util/errors.js';
import { logger, type Logger } from '../../util/log.js';
import type { Controller } from '../types.js';

export interface ServiceAccountControllerConfig {
  client: Client;
  namespaces: SharedIndexInformer;
  serviceAccounts: SharedIndexInformer;
  /** Names ensured in every namespace (upstream --service-accounts-to-ensure: ["default"]). */
  ensure?: string[];
  clock?: Clock;
  log?: Logger;
}

export class ServiceAccountController implements Controller {
  readonly queue: RateLimitingQueue<string>;
  private readonly ensure: string[];
  private readonly log: Logger;

  constructor(private readonly cfg: ServiceAccountControllerConfig) {
    if (!cfg.client || !cfg.namespaces || !cfg.serviceAccounts) throw new TypeError('serviceaccount controller: client and informers are required');
    this.ensure = cfg.ensure ?? ['default'];
    this.log = cfg.log ?? logger('serviceaccount-controller');
    this.queue = new RateLimitingQueue<string>({ clock: cfg.clock ?? realClock, name: 'serviceaccount' });
    const ns = (o: KubeObject) => this.queue.add(o.metadata.name!);
    cfg.namespaces.addEventHandler({ add: ns, update: (_o, n) => ns(n) });
    cfg.serviceAccounts.addEventHandler({
      delete: (o) => {
        const sa = deletedObject(o);
        if (this.ensure.includes(sa.metadata.name!)) this.queue.add(sa.metadata.namespace!);
      },
    });
  }

  async run(workers: number, signal: AbortSignal): Promise<void> {
    signal.addEventListener('abort', () => this.queue.shutDown(), { once: true });
    if (signal.aborted) return;
    await runWorkers(this.queue, workers, (k) => this.sync(k), { log: this.log });
  }

  async sync(namespace: string): Promise<void> {
    const ns = this.cfg.namespaces.lister.get('', namespace) as (KubeObject & { status?: { phase?: string } }) | undefined;
    // Terminating namespaces are being emptied; creating into them would only fail (upstream).
    if (!ns || ns.metadata.deletionTimestamp || (ns.status?.phase ?? 'Active') !== 'Active') return;
    for (const name of this.ensure) {
      if (this.cfg.serviceAccounts.lister.get(namespace, name)) continue;
      try {
        await this.cfg.client.resource(refs.serviceaccounts).namespace(namespace).create({ apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name, namespace } });
      } catch (err) {
        if (isReason(err, 'AlreadyExists')) continue;
        // Namespace going away in the meantime: nothing to do.
        if (isReason(err, 'Forbidden') || isReason(err, 'NotFound')) return;
        throw err;
      }
    }
  }
}
