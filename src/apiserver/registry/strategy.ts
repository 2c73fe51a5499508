// Per-resource behaviour behind the generic store (as upstream's rest.RESTCreateStrategy /
// RESTUpdateStrategy / RESTDeleteStrategy): what create and update reset, what they validate, and
// hooks for resources with side effects (Service IPs, pod graceful deletion, namespaces).
import type { StatusCause } from '../../util/errors.js';
import type { KubeObject } from '../../api/types.js';
import type { ResourceInfo } from '../../api/registry.js';

export interface StrategyContext {
  user: { username: string; groups: string[] };
  dryRun: boolean;
  now: number;
}

export interface DeleteOptions {
  gracePeriodSeconds?: number;
  propagationPolicy?: 'Orphan' | 'Background' | 'Foreground';
  orphanDependents?: boolean;
  preconditions?: { uid?: string; resourceVersion?: string };
  dryRun?: string[];
}

export interface Strategy {
  /** Fills defaults and resets what a client may not set on create (e.g. status). */
  prepareForCreate(obj: KubeObject, ctx: StrategyContext): void;
  /** Same for update; `old` is the stored object. Called for the main resource. */
  prepareForUpdate(obj: KubeObject, old: KubeObject, ctx: StrategyContext): void;
  /** Resource-specific validation causes (names, labels and metadata are checked by the store). */
  validate(obj: KubeObject, old: KubeObject | undefined): StatusCause[];
  /** Called before a create is stored; may allocate (and must be undone by rollbackCreate). */
  beforeCreate?(obj: KubeObject, ctx: StrategyContext): Promise<void> | void;
  rollbackCreate?(obj: KubeObject): void;
  beforeUpdate?(obj: KubeObject, old: KubeObject, ctx: StrategyContext): Promise<void> | void;
  /** Called after an object is gone from the store (releases allocations). */
  afterDelete?(obj: KubeObject): void;
  /**
   * Graceful deletion: the grace period to apply, or undefined to delete at once. Upstream: pods on a
   * node wait for their kubelet; everything else is deleted immediately.
   */
  gracePeriod?(obj: KubeObject, opts: DeleteOptions): number | undefined;
  /** Replaces plain deletion (namespaces become Terminating). Returns the object to store, or undefined. */
  beginDelete?(obj: KubeObject, ctx: StrategyContext): KubeObject | undefined;
  /** True when metadata.generation tracks spec changes for this resource. */
  tracksGeneration: boolean;
  /** True when the resource has a status subresource (the main resource then ignores status). */
  hasStatus: boolean;
  /**
   * What deletion does with dependents when the client names no policy (upstream
   * rest.GarbageCollectionDeleteStrategy): DeleteDependents (background, the default),
   * OrphanDependents (core/v1 ReplicationControllers), or Unsupported (never adds GC finalizers).
   */
  defaultGarbageCollectionPolicy?: GarbageCollectionPolicy;
}

export type GarbageCollectionPolicy = 'DeleteDependents' | 'OrphanDependents' | 'Unsupported';

/**
 * The finalizers an object should carry once a delete with opts starts (upstream
 * deletionFinalizersForGarbageCollection): `orphan` or `foregroundDeletion` per the request's
 * orphanDependents (which wins), then propagationPolicy, then a GC finalizer already on the object,
 * then the resource's default policy. Other finalizers are kept in order.
 */
export function deletionFinalizers(current: readonly string[], opts: DeleteOptions, policy: GarbageCollectionPolicy = 'DeleteDependents'): string[] {
  if (policy === 'Unsupported') return [...current];
  let orphan: boolean;
  let foreground: boolean;
  if (opts.orphanDependents !== undefined) {
    orphan = opts.orphanDependents;
    foreground = false;
  } else if (opts.propagationPolicy !== undefined) {
    orphan = opts.propagationPolicy === 'Orphan';
    foreground = opts.propagationPolicy === 'Foreground';
  } else {
    const existing = current.find((f) => f === 'orphan' || f === 'foregroundDeletion');
    orphan = existing ? existing === 'orphan' : policy === 'OrphanDependents';
    foreground = existing === 'foregroundDeletion';
  }
  const out = current.filter((f) => f !== 'orphan' && f !== 'foregroundDeletion');
  if (orphan) out.push('orphan');
  if (foreground) out.push('foregroundDeletion');
  const same = out.length === current.length && out.every((f) => current.includes(f));
  return same ? [...current] : out;
}

/** The behaviour most resources share; strategies for special resources extend it. */
export function defaultStrategy(info: ResourceInfo): Strategy {
  const hasStatus = info.subresources.some((s) => s.name === 'status');
  const tracksGeneration = hasStatus && !['pods', 'services', 'nodes', 'namespaces', 'persistentvolumes', 'persistentvolumeclaims', 'resourcequotas', 'certificatesigningrequests'].includes(info.resource);
  return {
    hasStatus,
    tracksGeneration,
    prepareForCreate(obj) {
      if (hasStatus && info.resource !== 'pods' && info.resource !== 'nodes' && info.resource !== 'namespaces') delete obj.status;
    },
    prepareForUpdate(obj, old) {
      if (hasStatus) {
        if (old.status === undefined) delete obj.status;
        else obj.status = old.status;
      }
    },
    validate: () => [],
  };
}
