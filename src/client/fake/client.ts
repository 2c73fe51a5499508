// The fake client (client-go's fake clientset): the Client interface over an ObjectTracker, recording
// every call as an Action so controller tests can assert what was asked of the API. Reactors let a
// test answer or fail chosen calls (e.g. make the first update conflict).
import type { KubeList, KubeObject } from '../../api/types.js';
import { applyJsonPatch, applyMergePatch, applyStrategicMergePatch } from '../../api/patch/index.js';
import { groupVersion } from '../../api/types.js';
import { realClock, type Clock } from '../../util/clock.js';
import { errors } from '../../util/errors.js';
import type {
  Client, DeleteCollectionOptions, DeleteOptions, KindRef, ListOptions, PatchOptions, PatchType,
  ResolvedResource, ResourceClient, ResourceOps, ResourceRef, Watch, WatchOptions, WriteOptions,
} from '../interfaces.js';
import { resolveResource } from '../resolve.js';
import { ObjectTracker } from './tracker.js';

export type Verb = 'get' | 'list' | 'watch' | 'create' | 'update' | 'patch' | 'delete' | 'deletecollection';

/** One recorded call. `object` is the body sent (create/update/subresource) or the patch. */
export interface Action {
  verb: Verb;
  group: string;
  version: string;
  resource: string;
  namespace: string;
  name?: string;
  subresource?: string;
  object?: unknown;
  patchType?: PatchType;
  labelSelector?: string;
  fieldSelector?: string;
}

/** Return undefined to let the tracker handle the call; return a value to answer it; throw to fail it. */
export type Reactor = (action: Action) => unknown;

export interface FakeClientOptions {
  /** Objects preloaded without recording actions; each needs apiVersion and kind. */
  objects?: KubeObject[];
  clock?: Clock;
}

export class FakeClient implements Client {
  readonly tracker: ObjectTracker;
  readonly actions: Action[] = [];
  private readonly reactors: { verb: string; resource: string; fn: Reactor }[] = [];

  constructor(opts: FakeClientOptions = {}) {
    this.tracker = new ObjectTracker(opts.clock ?? realClock);
    for (const o of opts.objects ?? []) this.seed(o);
  }

  /** Adds an object as if it had always existed (no action recorded). */
  seed(obj: KubeObject): KubeObject {
    if (!obj.apiVersion || !obj.kind) throw new Error('fake client: seeded objects need apiVersion and kind');
    const r = resolveResource({ apiVersion: obj.apiVersion, kind: obj.kind });
    return this.tracker.create(r, obj.metadata.namespace, obj);
  }

  resource<T extends KubeObject = KubeObject>(ref: ResourceRef | KindRef): ResourceClient<T> {
    return new FakeResourceClient<T>(this, resolveResource(ref), undefined);
  }

  /** Runs before the tracker for matching calls; '*' matches any verb or resource. Later calls go first. */
  prependReactor(verb: Verb | '*', resource: string, fn: Reactor): void {
    this.reactors.unshift({ verb, resource, fn });
  }

  clearActions(): void {
    this.actions.length = 0;
  }

  /** Recorded actions, optionally only those with a given verb, without reads (get/list/watch) when writesOnly. */
  filterActions(opts: { verb?: Verb; resource?: string; writesOnly?: boolean } = {}): Action[] {
    return this.actions.filter((a) => (!opts.verb || a.verb === opts.verb) && (!opts.resource || a.resource === opts.resource)
      && (!opts.writesOnly || !['get', 'list', 'watch'].includes(a.verb)));
  }

  /** Records action, then lets reactors or the tracker answer it. */
  invoke<R>(action: Action, fallback: () => R): R {
    this.actions.push(action);
    for (const r of this.reactors) {
      if ((r.verb === '*' || r.verb === action.verb) && (r.resource === '*' || r.resource === action.resource)) {
        const out = r.fn(action);
        if (out !== undefined) return out as R;
      }
    }
    return fallback();
  }
}

class FakeResourceClient<T extends KubeObject> implements ResourceClient<T> {
  constructor(private readonly c: FakeClient, readonly info: ResolvedResource, private readonly ns: string | undefined) {}

  namespace(ns: string): ResourceOps<T> {
    return new FakeResourceClient<T>(this.c, this.info, ns);
  }

  private get t(): ObjectTracker {
    return this.c.tracker;
  }

  private action(verb: Verb, extra: Partial<Action> = {}, obj?: KubeObject): Action {
    const a: Action = { verb, group: this.info.group, version: this.info.version, resource: this.info.resource, namespace: (this.info.namespaced ? (this.ns ?? obj?.metadata?.namespace) : undefined) ?? '' };
    return Object.assign(a, Object.fromEntries(Object.entries(extra).filter(([, v]) => v !== undefined)));
  }

  private withKind(o: KubeObject): T {
    o.apiVersion ??= groupVersion(this.info.group, this.info.version);
    if (this.info.kind) o.kind ??= this.info.kind;
    return o as T;
  }

  private nsFor(name: string): string | undefined {
    if (this.info.namespaced && !this.ns) throw new Error(`client: ${this.info.resource} "${name}" is namespaced: call namespace(ns) first`);
    return this.ns;
  }

  async get(name: string): Promise<T> {
    const ns = this.nsFor(name);
    return this.c.invoke(this.action('get', { name }), () => this.withKind(this.t.get(this.info, ns, name)));
  }

  async list(opts: ListOptions = {}): Promise<KubeList<T>> {
    return this.c.invoke(this.action('list', { labelSelector: opts.labelSelector, fieldSelector: opts.fieldSelector }), () => {
      const { items, resourceVersion } = this.t.list(this.info, { namespace: this.ns, labelSelector: opts.labelSelector, fieldSelector: opts.fieldSelector });
      return {
        apiVersion: groupVersion(this.info.group, this.info.version), kind: `${this.info.kind}List`,
        metadata: { resourceVersion }, items: items.map((o) => this.withKind(o)),
      };
    });
  }

  async create(obj: T, opts: WriteOptions = {}): Promise<T> {
    return this.c.invoke(this.action('create', { name: obj.metadata?.name, object: structuredClone(obj) }, obj), () => {
      if (opts.dryRun) return this.withKind(structuredClone(obj));
      return this.withKind(this.t.create(this.info, this.ns ?? obj.metadata?.namespace, obj));
    });
  }

  async update(obj: T, opts: WriteOptions = {}): Promise<T> {
    return this.c.invoke(this.action('update', { name: obj.metadata.name, object: structuredClone(obj) }, obj), () => {
      if (opts.dryRun) return this.withKind(structuredClone(obj));
      // The main resource ignores status changes where a status subresource exists, as the API server does.
      return this.withKind(this.t.update(this.info, this.ns ?? obj.metadata.namespace, obj, (old, next) => {
        if (old.status !== undefined || next.status !== undefined) next.status = old.status;
        if (old.status === undefined) delete next.status;
        return next;
      }));
    });
  }

  async updateStatus(obj: T, opts: WriteOptions = {}): Promise<T> {
    return this.c.invoke(this.action('update', { name: obj.metadata.name, subresource: 'status', object: structuredClone(obj) }, obj), () => {
      if (opts.dryRun) return this.withKind(structuredClone(obj));
      return this.withKind(this.t.update(this.info, this.ns ?? obj.metadata.namespace, obj, (old, next) => ({ ...old, status: next.status, metadata: { ...old.metadata, resourceVersion: next.metadata.resourceVersion } })));
    });
  }

  async patch(name: string, type: PatchType, body: unknown, opts: PatchOptions = {}): Promise<T> {
    const ns = this.nsFor(name);
    return this.c.invoke(this.action('patch', { name, subresource: opts.subresource, object: structuredClone(body), patchType: type }), () => {
      const cur = this.withKind(this.t.get(this.info, ns, name));
      const gvk = { group: this.info.group, version: this.info.version, kind: this.info.kind };
      let next: KubeObject;
      if (type === 'json') next = applyJsonPatch(cur, body) as KubeObject;
      else if (type === 'strategic') next = applyStrategicMergePatch(cur, body, gvk) as KubeObject;
      else next = applyMergePatch(cur, body) as KubeObject; // 'apply' is approximated by a merge patch here
      if (opts.dryRun) return next as T;
      // A patch without a resourceVersion never conflicts.
      const rv = (next.metadata?.resourceVersion === cur.metadata.resourceVersion) ? cur.metadata.resourceVersion : next.metadata?.resourceVersion;
      next.metadata = { ...next.metadata, resourceVersion: rv };
      const mutate = opts.subresource === 'status'
        ? (old: KubeObject, n: KubeObject) => ({ ...old, status: n.status, metadata: { ...old.metadata, resourceVersion: n.metadata.resourceVersion } })
        : undefined;
      return this.withKind(this.t.update(this.info, ns, next, mutate));
    });
  }

  async delete(name: string, opts: DeleteOptions = {}): Promise<void> {
    const ns = this.nsFor(name);
    this.c.invoke(this.action('delete', { name }), () => {
      if (!opts.dryRun) this.t.delete(this.info, ns, name, opts.preconditions);
      return null;
    });
  }

  async deleteCollection(opts: DeleteCollectionOptions = {}): Promise<void> {
    this.c.invoke(this.action('deletecollection', { labelSelector: opts.labelSelector, fieldSelector: opts.fieldSelector }), () => {
      if (opts.dryRun) return null;
      const { items } = this.t.list(this.info, { namespace: this.ns, labelSelector: opts.labelSelector, fieldSelector: opts.fieldSelector });
      for (const o of items) this.t.delete(this.info, o.metadata.namespace, o.metadata.name!);
      return null;
    });
  }

  async watch(opts: WatchOptions = {}): Promise<Watch<T>> {
    return this.c.invoke(this.action('watch', { labelSelector: opts.labelSelector, fieldSelector: opts.fieldSelector }), () => {
      const w = this.t.watch(this.info, { namespace: this.ns, labelSelector: opts.labelSelector, fieldSelector: opts.fieldSelector, resourceVersion: opts.resourceVersion });
      opts.signal?.addEventListener('abort', () => w.stop(), { once: true });
      return w as unknown as Watch<T>;
    });
  }

  async getSubresource<R = KubeObject>(name: string, subresource: string): Promise<R> {
    const ns = this.nsFor(name);
    return this.c.invoke(this.action('get', { name, subresource }), () => {
      const cur = this.withKind(this.t.get(this.info, ns, name));
      if (subresource === 'status') return cur as unknown as R;
      if (subresource === 'scale') return toScale(cur) as R;
      throw errors.notFoundPath(`the fake client does not serve ${this.info.resource}/${subresource}`);
    });
  }

  async updateSubresource<R = KubeObject>(name: string, subresource: string, body: object, opts: WriteOptions = {}): Promise<R> {
    const ns = this.nsFor(name);
    return this.c.invoke(this.action('update', { name, subresource, object: structuredClone(body) }), () => {
      if (subresource === 'status') {
        if (opts.dryRun) return structuredClone(body) as R;
        return this.withKind(this.t.update(this.info, ns, body as KubeObject, (old, n) => ({ ...old, status: n.status, metadata: { ...old.metadata, resourceVersion: n.metadata.resourceVersion } }))) as unknown as R;
      }
      if (subresource !== 'scale') throw errors.notFoundPath(`the fake client does not serve ${this.info.resource}/${subresource}`);
      const scale = body as KubeObject & { spec?: { replicas?: number } };
      const cur = this.t.get(this.info, ns, name);
      const next = { ...cur, spec: { ...(cur.spec as object), replicas: scale.spec?.replicas ?? 0 } };
      if (scale.metadata?.resourceVersion) next.metadata = { ...next.metadata, resourceVersion: scale.metadata.resourceVersion };
      return toScale(this.withKind(this.t.update(this.info, ns, next))) as R;
    });
  }

  async createSubresource<R = unknown>(name: string, subresource: string, body: object): Promise<R> {
    const ns = this.nsFor(name);
    return this.c.invoke(this.action('create', { name, subresource, object: structuredClone(body) }), () => {
      if (this.info.resource === 'pods' && subresource === 'binding') {
        const target = (body as { target?: { name?: string } }).target?.name;
        if (!target) throw errors.badRequest('binding: target.name is required');
        const pod = this.t.get(this.info, ns, name);
        if ((pod.spec as { nodeName?: string } | undefined)?.nodeName) throw errors.conflict('pods/binding', '', name, `pod ${name} is already assigned to node "${(pod.spec as { nodeName: string }).nodeName}"`);
        this.t.update(this.info, ns, { ...pod, spec: { ...(pod.spec as object), nodeName: target } });
        return { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Success', code: 201 } as R;
      }
      if (this.info.resource === 'pods' && subresource === 'eviction') {
        this.t.delete(this.info, ns, name);
        return { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Success', code: 201 } as R;
      }
      throw errors.notFoundPath(`the fake client does not serve ${this.info.resource}/${subresource}`);
    });
  }
}

// autoscaling/v1 Scale of an object with spec.replicas, as the API server's scale subresource answers.
function toScale(o: KubeObject): KubeObject {
  const spec = (o.spec ?? {}) as { replicas?: number; selector?: { matchLabels?: Record<string, string> } };
  const status = (o.status ?? {}) as { replicas?: number };
  const labels = spec.selector?.matchLabels ?? {};
  return {
    apiVersion: 'autoscaling/v1', kind: 'Scale',
    metadata: { name: o.metadata.name, namespace: o.metadata.namespace, uid: o.metadata.uid, resourceVersion: o.metadata.resourceVersion, creationTimestamp: o.metadata.creationTimestamp },
    spec: { replicas: spec.replicas ?? 0 },
    status: { replicas: status.replicas ?? 0, selector: Object.entries(labels).map(([k, v]) => `${k}=${v}`).join(',') },
  };
}
