// The client contract every Skiff component is written against (client-go's dynamic/typed clients
// folded into one small interface). The REST client (rest/) talks HTTPS to an API server; the fake
// client (fake/) keeps objects in memory and records actions for controller tests. Both implement
// `Client`, so controllers, the scheduler and the kubelet never know which one they hold.
import type { KubeList, KubeObject } from '../api/types.js';
import type { Status } from '../util/errors.js';

/** A resource by group/version/plural, as in a URL (`{group: 'apps', version: 'v1', resource: 'deployments'}`). */
export interface ResourceRef {
  group: string;
  version: string;
  resource: string;
  /** Only needed for resources the kinds registry does not know (CRDs); default true. */
  namespaced?: boolean;
  /** Only needed for resources the kinds registry does not know (CRDs). */
  kind?: string;
}

/** A resource by apiVersion and kind (`{apiVersion: 'apps/v1', kind: 'Deployment'}`). */
export interface KindRef {
  apiVersion: string;
  kind: string;
}

/** A resource reference after lookup in the kinds registry. */
export interface ResolvedResource {
  group: string;
  version: string;
  resource: string;
  kind: string;
  namespaced: boolean;
}

/** Every call takes an optional abort signal (client-go's context). */
export interface CallOptions {
  signal?: AbortSignal;
}

export interface GetOptions extends CallOptions {
  resourceVersion?: string;
}

export interface ListOptions extends CallOptions {
  labelSelector?: string;
  fieldSelector?: string;
  limit?: number;
  continue?: string;
  resourceVersion?: string;
  resourceVersionMatch?: 'NotOlderThan' | 'Exact';
  timeoutSeconds?: number;
}

export interface WatchOptions extends CallOptions {
  labelSelector?: string;
  fieldSelector?: string;
  /** Start after this resourceVersion; absent or "0" first replays the current state as ADDED events. */
  resourceVersion?: string;
  resourceVersionMatch?: 'NotOlderThan' | 'Exact';
  allowWatchBookmarks?: boolean;
  sendInitialEvents?: boolean;
  timeoutSeconds?: number;
}

export interface WriteOptions extends CallOptions {
  /** Ask the server to validate and default without persisting (`dryRun=All`). */
  dryRun?: boolean;
  fieldManager?: string;
  fieldValidation?: 'Ignore' | 'Warn' | 'Strict';
}

/** JSON patch (RFC 6902), JSON merge patch (RFC 7396), strategic merge patch, server-side apply. */
export type PatchType = 'json' | 'merge' | 'strategic' | 'apply';

export interface PatchOptions extends WriteOptions {
  /** Patch a subresource (e.g. "status", "scale") instead of the object. */
  subresource?: string;
  /** Server-side apply: take over conflicting fields. */
  force?: boolean;
}

export interface DeleteOptions extends CallOptions {
  dryRun?: boolean;
  propagationPolicy?: 'Orphan' | 'Background' | 'Foreground';
  gracePeriodSeconds?: number;
  preconditions?: { uid?: string; resourceVersion?: string };
}

export type DeleteCollectionOptions = DeleteOptions & Omit<ListOptions, 'signal'>;

export type WatchEventType = 'ADDED' | 'MODIFIED' | 'DELETED' | 'BOOKMARK';

/** One watch event; an ERROR carries the server's Status (e.g. 410 Expired). */
export type WatchEvent<T extends KubeObject = KubeObject> =
  | { type: WatchEventType; object: T }
  | { type: 'ERROR'; object: Status };

/**
 * An open watch: iterate it for events, in order. Iteration ends when the server closes the stream
 * (timeout) or stop() is called; a broken connection makes the iterator throw. Iterate once.
 */
export interface Watch<T extends KubeObject = KubeObject> extends AsyncIterable<WatchEvent<T>> {
  /** Closes the stream; a pending or later iteration step finishes cleanly. Idempotent. */
  stop(): void;
}

/** The verbs on one resource in one namespace (or cluster-wide / across all namespaces). */
export interface ResourceOps<T extends KubeObject = KubeObject> {
  get(name: string, opts?: GetOptions): Promise<T>;
  list(opts?: ListOptions): Promise<KubeList<T>>;
  /** The namespace comes from namespace(ns) or, failing that, obj.metadata.namespace. */
  create(obj: T, opts?: WriteOptions): Promise<T>;
  /** PUT of the whole object; a stale metadata.resourceVersion fails with Conflict. */
  update(obj: T, opts?: WriteOptions): Promise<T>;
  /** PUT to the status subresource (only status changes are kept). */
  updateStatus(obj: T, opts?: WriteOptions): Promise<T>;
  patch(name: string, type: PatchType, body: unknown, opts?: PatchOptions): Promise<T>;
  delete(name: string, opts?: DeleteOptions): Promise<void>;
  deleteCollection(opts?: DeleteCollectionOptions): Promise<void>;
  /** Resolves once the server accepted the watch (errors such as 403 reject here). */
  watch(opts?: WatchOptions): Promise<Watch<T>>;
  /** GET a subresource, e.g. getSubresource<Scale>(name, 'scale'). */
  getSubresource<R = KubeObject>(name: string, subresource: string, opts?: GetOptions): Promise<R>;
  /** PUT a subresource, e.g. updateSubresource(name, 'scale', scale). */
  updateSubresource<R = KubeObject>(name: string, subresource: string, body: object, opts?: WriteOptions): Promise<R>;
  /** POST to a subresource, e.g. createSubresource(pod, 'binding', binding) or 'eviction'. */
  createSubresource<R = unknown>(name: string, subresource: string, body: object, opts?: WriteOptions): Promise<R>;
}

/** A resource's client; without namespace() it works across all namespaces (or cluster-wide). */
export interface ResourceClient<T extends KubeObject = KubeObject> extends ResourceOps<T> {
  readonly info: ResolvedResource;
  namespace(ns: string): ResourceOps<T>;
}

/** What every component holds: a way to reach any resource. */
export interface Client {
  resource<T extends KubeObject = KubeObject>(ref: ResourceRef | KindRef): ResourceClient<T>;
}
