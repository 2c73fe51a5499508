// The namespace controller (upstream pkg/controller/namespace): a namespace being deleted (it has a
// deletionTimestamp; the API server set phase Terminating) is emptied resource by resource; its
// deletion conditions say what is left; while content remains it is looked at again later; once
// empty, the "kubernetes" finalizer is removed through namespaces/<n>/finalize and the API server
// deletes the namespace.
import type { KubeObject } from '../../api/types.js';
import { RateLimitingQueue, deletedObject, refs, runWorkers, type Client, type SharedIndexInformer } from '../../client/index.js';
import { realClock, type Clock } from '../../util/clock.js';
import { isReason } from '../../util/errors.js';
import { logger, type Logger } from '../../util/log.js';
import type { Controller } from '../types.js';
import { emptyOutcome, sameConditions, updateConditions, type NamespaceCondition } from './conditions.js';
import { deleteResourceContent, namespacedResources, type ContentResource } from './content.js';

export const FINALIZER_KUBERNETES = 'kubernetes';

export interface NamespaceControllerConfig {
  client: Client;
  namespaces: SharedIndexInformer;
  clock?: Clock;
  log?: Logger;
  /** The resources to empty (default: every namespaced resource of the kinds registry). */
  resources?: () => ContentResource[];
}

interface NamespaceObj extends KubeObject {
  spec?: { finalizers?: string[] };
  status?: { phase?: string; conditions?: NamespaceCondition[] };
}

export class NamespaceController implements Controller {
  readonly queue: RateLimitingQueue<string>;
  private readonly client: Client;
  private readonly clock: Clock;
  private readonly log: Logger;
  private readonly resources: () => ContentResource[];

  constructor(private readonly cfg: NamespaceControllerConfig) {
    if (!cfg.client || !cfg.namespaces) throw new TypeError('namespace controller: client and namespaces informer are required');
    this.client = cfg.client;
    this.clock = cfg.clock ?? realClock;
    this.log = cfg.log ?? logger('namespace-controller');
    this.resources = cfg.resources ?? namespacedResources;
    this.queue = new RateLimitingQueue<string>({ clock: this.clock, name: 'namespace' });
    const enqueue = (o: KubeObject): void => {
      if (o.metadata.deletionTimestamp) this.queue.add(o.metadata.name!);
    };
    cfg.namespaces.addEventHandler({ add: enqueue, update: (_o, n) => enqueue(n), delete: (o) => this.queue.forget(deletedObject(o).metadata.name!) });
  }

  async run(workers: number, signal: AbortSignal): Promise<void> {
    signal.addEventListener('abort', () => this.queue.shutDown(), { once: true });
    if (signal.aborted) return;
    await runWorkers(this.queue, workers, (k) => this.sync(k), { log: this.log });
  }

  /** One pass over a namespace; throws to be retried with backoff. */
  async sync(name: string): Promise<void> {
    const nsClient = this.client.resource<NamespaceObj>(refs.namespaces);
    let ns: NamespaceObj;
    try {
      // Upstream reads the namespace live, not from the cache: a stale copy could miss the deletion.
      ns = await nsClient.get(name);
    } catch (err) {
      if (isReason(err, 'NotFound')) return;
      throw err;
    }
    if (!ns.metadata.deletionTimestamp) return;
    if (ns.status?.phase !== 'Terminating') {
      ns = await nsClient.updateStatus({ ...ns, status: { ...ns.status, phase: 'Terminating' } });
    }
    if (!(ns.spec?.finalizers ?? []).includes(FINALIZER_KUBERNETES)) return;

    const outcome = emptyOutcome();
    let estimate = 0;
    const now = this.clock.now();
    let resources: ContentResource[] = [];
    try {
      resources = this.resources();
    } catch (err) {
      // Upstream goes on with what discovery did return and reports the failing groups.
      outcome.discoveryFailures.push(err instanceof Error ? err.message : String(err));
    }
    for (const r of resources) {
      const res = await deleteResourceContent(this.client, r, name, outcome, now);
      estimate = Math.max(estimate, res.estimateSeconds);
    }
    const conditions = updateConditions(ns.status?.conditions, outcome, new Date(now).toISOString().replace(/\.\d+Z$/, 'Z'));
    if (!sameConditions(ns.status?.conditions, conditions)) {
      try {
        ns = await nsClient.updateStatus({ ...ns, status: { ...ns.status, conditions } });
      } catch (err) {
        if (isReason(err, 'NotFound')) return;
        throw err;
      }
    }
    if (outcome.contentErrors.length || outcome.discoveryFailures.length) {
      throw new Error(`namespace ${name}: ${[...outcome.discoveryFailures, ...outcome.contentErrors].join('; ')}`);
    }
    if (estimate > 0 || outcome.remaining.size) {
      // Content is going away on its own (graceful pods, finalizers): look again once it should be gone.
      this.log.v(4).info('content remaining; requeueing', { namespace: name, estimateSeconds: estimate });
      this.queue.addAfter(name, Math.max(estimate, 1) * 1000);
      return;
    }
    await this.finalize(ns);
  }

  /** Removes the kubernetes finalizer through the finalize subresource (PUT). */
  private async finalize(ns: NamespaceObj): Promise<void> {
    const finalizers = (ns.spec?.finalizers ?? []).filter((f) => f !== FINALIZER_KUBERNETES);
    const body: NamespaceObj = { apiVersion: 'v1', kind: 'Namespace', metadata: ns.metadata, spec: { ...ns.spec, finalizers } };
    try {
      await this.client.resource(refs.namespaces).updateSubresource(ns.metadata.name!, 'finalize', body);
    } catch (err) {
      if (isReason(err, 'NotFound')) return;
      throw err;
    }
  }
}
