// The REST client: `Client` over HTTPS (client-go's dynamic client with typed results).
import type { KubeList, KubeObject } from '../../api/types.js';
import type {
  Client, DeleteCollectionOptions, DeleteOptions, GetOptions, KindRef, ListOptions, PatchOptions, PatchType,
  ResolvedResource, ResourceClient, ResourceOps, ResourceRef, Watch, WatchOptions, WriteOptions,
} from '../interfaces.js';
import { resolveResource } from '../resolve.js';
import type { RestConfig } from './config.js';
import { configFromKubeconfig } from './config.js';
import { listParams, patchParams, PATCH_CONTENT_TYPES, queryString, resourcePath, watchParams, writeParams } from './query.js';
import { Transport } from './transport.js';
import { WatchStream } from './watchstream.js';

export class RestClient implements Client {
  readonly transport: Transport;

  constructor(readonly config: RestConfig) {
    this.transport = new Transport(config);
  }

  resource<T extends KubeObject = KubeObject>(ref: ResourceRef | KindRef): ResourceClient<T> {
    return new RestResourceClient<T>(this.transport, resolveResource(ref), undefined);
  }

  /** GET of a non-resource path (/healthz, /version), returning the body as text. */
  async raw(method: string, path: string, body?: string): Promise<string> {
    const req: { method: string; path: string; body?: string } = { method, path };
    if (body !== undefined) req.body = body;
    return (await this.transport.request(req)).body.toString('utf8');
  }

  /** Closes idle keep-alive connections; open watches end. */
  close(): void {
    this.transport.close();
  }
}

/** A REST client for the server a kubeconfig names (current or given context). */
export async function clientFromKubeconfig(path: string, overrides: Partial<RestConfig> & { context?: string } = {}): Promise<RestClient> {
  return new RestClient(await configFromKubeconfig(path, overrides));
}

class RestResourceClient<T extends KubeObject> implements ResourceClient<T> {
  constructor(private readonly t: Transport, readonly info: ResolvedResource, private readonly ns: string | undefined) {}

  namespace(ns: string): ResourceOps<T> {
    return new RestResourceClient<T>(this.t, this.info, ns);
  }

  private path(name?: string, sub?: string, obj?: KubeObject): string {
    const ns = this.ns ?? obj?.metadata?.namespace;
    if (this.info.namespaced && name !== undefined && !ns) {
      throw new Error(`client: ${this.info.resource} "${name}" is namespaced: call namespace(ns) first`);
    }
    return resourcePath(this.info, ns, name, sub);
  }

  private async json<R>(method: string, path: string, body?: unknown, contentType?: string, signal?: AbortSignal): Promise<R> {
    const res = await this.t.request({
      method, path, signal,
      ...(body !== undefined ? { body: typeof body === 'string' ? body : JSON.stringify(body) } : {}),
      ...(contentType ? { contentType } : {}),
    });
    return JSON.parse(res.body.toString('utf8')) as R;
  }

  async get(name: string, opts: GetOptions = {}): Promise<T> {
    return this.json('GET', this.path(name) + queryString({ resourceVersion: opts.resourceVersion }), undefined, undefined, opts.signal);
  }

  async list(opts: ListOptions = {}): Promise<KubeList<T>> {
    return this.json('GET', this.path() + queryString(listParams(opts)), undefined, undefined, opts.signal);
  }

  async create(obj: T, opts: WriteOptions = {}): Promise<T> {
    const ns = this.ns ?? obj.metadata?.namespace;
    return this.json('POST', resourcePath(this.info, ns) + queryString(writeParams(opts)), obj, undefined, opts.signal);
  }

  async update(obj: T, opts: WriteOptions = {}): Promise<T> {
    return this.json('PUT', this.path(obj.metadata.name ?? '', undefined, obj) + queryString(writeParams(opts)), obj, undefined, opts.signal);
  }

  async updateStatus(obj: T, opts: WriteOptions = {}): Promise<T> {
    return this.json('PUT', this.path(obj.metadata.name ?? '', 'status', obj) + queryString(writeParams(opts)), obj, undefined, opts.signal);
  }

  async patch(name: string, type: PatchType, body: unknown, opts: PatchOptions = {}): Promise<T> {
    const ct = PATCH_CONTENT_TYPES[type];
    if (!ct) throw new Error(`client: unknown patch type ${String(type)}`);
    if (type === 'apply' && !opts.fieldManager) throw new Error('client: server-side apply needs a fieldManager');
    return this.json('PATCH', this.path(name, opts.subresource) + queryString(patchParams(opts)), body, ct, opts.signal);
  }

  async delete(name: string, opts: DeleteOptions = {}): Promise<void> {
    await this.json('DELETE', this.path(name), deleteBody(opts), undefined, opts.signal);
  }

  async deleteCollection(opts: DeleteCollectionOptions = {}): Promise<void> {
    await this.json('DELETE', this.path() + queryString(listParams(opts)), deleteBody(opts), undefined, opts.signal);
  }

  async watch(opts: WatchOptions = {}): Promise<Watch<T>> {
    const ac = new AbortController();
    let stream: WatchStream<T> | undefined;
    // The caller's signal stops the watch the way stop() does: iteration ends without an error.
    const onAbort = () => (stream ? stream.stop() : ac.abort(opts.signal?.reason));
    opts.signal?.addEventListener('abort', onAbort, { once: true });
    try {
      const res = await this.t.stream({ method: 'GET', path: this.path() + queryString(watchParams(opts)), signal: ac.signal });
      stream = new WatchStream<T>(res, () => {
        opts.signal?.removeEventListener('abort', onAbort);
        if (!ac.signal.aborted) ac.abort();
      });
      if (opts.signal?.aborted) stream.stop();
      return stream;
    } catch (err) {
      opts.signal?.removeEventListener('abort', onAbort);
      throw err;
    }
  }

  async getSubresource<R = KubeObject>(name: string, subresource: string, opts: GetOptions = {}): Promise<R> {
    return this.json('GET', this.path(name, subresource) + queryString({ resourceVersion: opts.resourceVersion }), undefined, undefined, opts.signal);
  }

  async updateSubresource<R = KubeObject>(name: string, subresource: string, body: object, opts: WriteOptions = {}): Promise<R> {
    return this.json('PUT', this.path(name, subresource) + queryString(writeParams(opts)), body, undefined, opts.signal);
  }

  async createSubresource<R = unknown>(name: string, subresource: string, body: object, opts: WriteOptions = {}): Promise<R> {
    return this.json('POST', this.path(name, subresource) + queryString(writeParams(opts)), body, undefined, opts.signal);
  }
}

// DeleteOptions travel in the body, as client-go sends them.
function deleteBody(o: DeleteOptions): Record<string, unknown> {
  const b: Record<string, unknown> = { kind: 'DeleteOptions', apiVersion: 'v1' };
  if (o.propagationPolicy) b.propagationPolicy = o.propagationPolicy;
  if (o.gracePeriodSeconds !== undefined) b.gracePeriodSeconds = o.gracePeriodSeconds;
  if (o.preconditions) b.preconditions = o.preconditions;
  if (o.dryRun) b.dryRun = ['All'];
  return b;
}
