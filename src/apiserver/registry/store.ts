// The generic registry store (upstream's registry/generic/registry.Store): create, get, list,
// update and delete of one resource on top of the Backend, with metadata rules, optimistic
// concurrency, graceful deletion and finalizers. Watches and cached lists go through the WatchCache.
import { randomUUID } from 'node:crypto';
import type { Backend, KeyValue } from '../../storage/index.js';
import { StorageError } from '../../storage/index.js';
import { errors, qualifiedResource, StatusError, type StatusCause } from '../../util/errors.js';
import type { KubeObject } from '../../api/types.js';
import { apiVersionOf, storageKey, storagePrefix, type ResourceInfo } from '../../api/registry.js';
import { invalidError, validateObjectMeta } from '../../api/validation/index.js';
import { deletionFinalizers, type DeleteOptions, type Strategy, type StrategyContext } from './strategy.js';
import { clone, encodeStored, nowRfc3339, storedJson } from './codec.js';
import { decodeKv, type WatchCache } from '../watchcache/cache.js';
import { toStorageVersion, fromStorageVersion } from '../../api/conversion.js';

export interface WriteOptions {
  dryRun: boolean;
  user: { username: string; groups: string[] };
}

/** Thrown by a mutate function to leave the object unchanged (no write). */
export class NoChange extends Error {}

/** Admission the API server applies around the generic store (namespace lifecycle, Priority, …). */
export interface Admission {
  checkNamespace(ns: string): Promise<void>;
  /** Mutating admission on create; throws a StatusError to refuse. */
  admitCreate?(info: ResourceInfo, obj: KubeObject): Promise<void>;
}

const GENERATE_ALPHABET = 'bcdfghjklmnpqrstvwxz2456789';

export class ResourceStore {
  readonly group: string;
  readonly resource: string;
  /** True when the served version differs from the stored one (HPA v1, events.k8s.io). */
  readonly converts: boolean;

  constructor(
    readonly info: ResourceInfo,
    readonly backend: Backend,
    readonly cache: WatchCache,
    readonly strategy: Strategy,
    private readonly admission: Admission = { checkNamespace: async () => {} },
  ) {
    this.group = info.group;
    this.resource = info.resource;
    this.converts = info.storage.group !== info.group || info.group === 'autoscaling';
  }

  key(ns: string | undefined, name: string): string {
    return storageKey(this.info, this.info.namespaced ? ns : undefined, name);
  }

  prefix(ns: string | undefined): string {
    return storagePrefix(this.info, this.info.namespaced && ns ? ns : undefined);
  }

  /** The object in the requested API version, with kind and apiVersion set. */
  output(obj: KubeObject): KubeObject {
    // kind and apiVersion lead, as in upstream's encoding (TypeMeta is the first embedded struct).
    const { kind: _kind, apiVersion: _apiVersion, ...rest } = fromStorageVersion(this.info, obj);
    return { kind: this.info.kind, apiVersion: apiVersionOf(this.info), ...rest } as KubeObject;
  }

  /**
   * JSON.stringify(output(obj)) for an object this store just wrote; when the watch cache holds that
   * very object, its entry keeps the text for the lists and watches in the same form.
   */
  outputText(obj: KubeObject): string {
    const text = JSON.stringify(this.output(obj));
    const e = this.cache.get(this.key(obj.metadata.namespace, obj.metadata.name!));
    if (e?.obj === obj) e.seed(`${this.info.group}/${this.info.version}`, text);
    return text;
  }

  /** JSON of a stored value in the requested version (fast path: no parse when no conversion is needed). */
  outputJson(kv: KeyValue): string {
    if (!this.converts) return storedJson(kv);
    return JSON.stringify(this.output(decodeKv(kv)));
  }

  notFound(name: string): StatusError {
    return errors.notFound(this.resource, this.group, name);
  }

  async get(ns: string, name: string): Promise<KubeObject> {
    const { kv } = await this.backend.get(this.key(ns, name)).catch(storageToStatus(this, name));
    if (!kv) throw this.notFound(name);
    return decodeKv(kv);
  }

  async create(ns: string, input: KubeObject, opts: WriteOptions): Promise<KubeObject> {
    const obj = toStorageVersion(this.info, clone(input));
    const meta = (obj.metadata ??= {});
    if (this.info.namespaced) {
      if (meta.namespace && meta.namespace !== ns) {
        throw errors.badRequest('the namespace of the provided object does not match the namespace sent on the request');
      }
      meta.namespace = ns;
      await this.admission.checkNamespace(ns);
    } else delete meta.namespace;
    const ctx = this.ctx(opts);
    meta.uid = randomUUID();
    meta.creationTimestamp = nowRfc3339(ctx.now);
    delete meta.resourceVersion;
    delete meta.deletionTimestamp;
    delete meta.deletionGracePeriodSeconds;
    delete meta.selfLink;
    if (this.strategy.tracksGeneration) meta.generation = 1;
    else delete meta.generation;
    const generate = !meta.name && !!meta.generateName;
    if (generate) meta.name = generateName(meta.generateName!);
    this.strategy.prepareForCreate(obj, ctx);
    // Mutating admission runs after defaulting and before validation, as in kube-apiserver.
    await this.admission.admitCreate?.(this.info, obj);
    this.validate(obj, undefined);
    if (opts.dryRun) return obj;
    await this.strategy.beforeCreate?.(obj, ctx);
    try {
      for (let attempt = 0; ; attempt++) {
        try {
          const bytes = encodeStored(obj);
          this.hintCache(meta.name!, ns, bytes, obj);
          const { kv } = await this.backend.create(this.key(ns, meta.name!), bytes);
          meta.resourceVersion = String(kv.modRevision);
          return obj;
        } catch (err) {
          if (err instanceof StorageError && err.code === 'KeyExists') {
            if (generate && attempt < 8) {
              meta.name = generateName(meta.generateName!);
              continue;
            }
            throw errors.alreadyExists(this.resource, this.group, meta.name!);
          }
          throw storageStatus(this, meta.name!, err);
        }
      }
    } catch (err) {
      this.strategy.rollbackCreate?.(obj);
      throw err;
    }
  }

  /**
   * Reads the object, applies mutate, and writes the result with a compare-and-swap on the read
   * revision, retrying on races unless the new object carries its own resourceVersion precondition
   * (then a mismatch is a 409, as upstream's GuaranteedUpdate).
   *
   * The first attempt starts from the watch cache's copy when it has one, as upstream's
   * GuaranteedUpdate with a cachedExistingObject: the compare-and-swap catches a stale copy, and
   * anything a stale copy could have caused (a failed mutate or precondition, a validation error, no
   * change) is retried from the store before it is reported.
   */
  async update(
    ns: string,
    name: string,
    mutate: (current: KubeObject) => KubeObject | Promise<KubeObject>,
    opts: WriteOptions & {
      subresource?: string;
      /** mutate's result shares nothing with anything but its argument (a private copy), so it need not be copied again. */
      owned?: boolean;
    },
  ): Promise<{ obj: KubeObject; changed: boolean }> {
    const key = this.key(ns, name);
    // Dry runs answer from the store; allocations in beforeUpdate must not see a stale object.
    let fromCache = !opts.dryRun && !this.strategy.beforeUpdate;
    for (let attempt = 0; ; attempt++) {
      const cached = fromCache ? this.cachedState(key) : undefined;
      fromCache = false;
      const state = cached ?? await this.storedState(key, name);
      const stale = !!cached;
      const { old, before, modRevision } = state;
      let next: KubeObject;
      try {
        const out = await mutate(fromStorageVersion(this.info, clone(old)));
        next = toStorageVersion(this.info, opts.owned ? out : clone(out));
      } catch (err) {
        if (stale) continue;
        if (err instanceof NoChange) return { obj: old, changed: false };
        throw err;
      }
      const rv = next.metadata?.resourceVersion;
      if (rv && rv !== old.metadata.resourceVersion) {
        if (stale) continue;
        throw errors.conflict(this.resource, this.group, name);
      }
      try {
        this.prepareUpdate(next, old, opts);
      } catch (err) {
        if (stale) continue;
        throw err;
      }
      let after = encodeStored(next);
      if (before.equals(after)) {
        if (stale) continue;
        return { obj: old, changed: false };
      }
      if (opts.dryRun) {
        next.metadata.resourceVersion = old.metadata.resourceVersion;
        return { obj: next, changed: true };
      }
      if (this.strategy.beforeUpdate) {
        await this.strategy.beforeUpdate(next, old, this.ctx(opts));
        // What beforeUpdate allocated (a Service's new nodePort or clusterIP) must be stored too.
        after = encodeStored(next);
      }
      const retry = (err: unknown): boolean => err instanceof StorageError && err.code === 'Conflict' && (stale || (!rv && attempt < 16));
      // Finalizers all removed from an object being deleted: it goes now.
      if (next.metadata.deletionTimestamp && !next.metadata.finalizers?.length && !this.pendingGrace(next)) {
        try {
          await this.backend.delete(key, modRevision);
          this.strategy.afterDelete?.(next);
          next.metadata.resourceVersion = old.metadata.resourceVersion;
          return { obj: next, changed: true };
        } catch (err) {
          if (retry(err)) continue;
          throw storageStatus(this, name, err);
        }
      }
      try {
        this.hintCache(name, ns, after, next);
        const res = await this.backend.update(key, after, modRevision);
        next.metadata.resourceVersion = String(res.kv.modRevision);
        return { obj: next, changed: true };
      } catch (err) {
        if (retry(err)) continue;
        throw storageStatus(this, name, err);
      }
    }
  }

  /** The object as the store has it now (a private copy), its stored bytes and revision. */
  private async storedState(key: string, name: string): Promise<{ old: KubeObject; before: Buffer; modRevision: number }> {
    const { kv } = await this.backend.get(key).catch(storageToStatus(this, name));
    if (!kv) throw this.notFound(name);
    return { old: decodeKv(kv), before: kv.value, modRevision: kv.modRevision };
  }

  /**
   * The watch cache's object (with the bytes it was stored as), or undefined when the cache does not
   * hold it (not loaded yet, or the object is newer than the cache). Not a copy: update() only reads
   * `old` and clones it before mutate; the object it returns may share parts of `old` (a status
   * write keeps the old spec), which its callers only serialise. Kinds served in another version
   * than stored are converted on the way out, so they take a private copy from storage instead.
   */
  private cachedState(key: string): { old: KubeObject; before: Buffer; modRevision: number } | undefined {
    if (this.converts) return undefined;
    const e = this.cache.get(key);
    if (!e) return undefined;
    // Stored values are JSON.stringify output, so re-encoding the decoded object gives the same bytes.
    return { old: e.obj, before: encodeStored(e.obj), modRevision: e.rev };
  }

  /**
   * Lets the watch cache take this write's object instead of decoding the stored bytes again. It
   * takes the object itself, not a copy: what create and update return is only serialised
   * by their callers (the handlers), and the revision both the cache and the store then set on it
   * is the same. Kinds converted on the way out give the cache a private copy.
   */
  private hintCache(name: string, ns: string, bytes: Buffer, obj: KubeObject): void {
    const hint = this.converts ? clone(obj) : obj;
    // Neither is set on a value about to be stored (create and prepareUpdate removed them).
    delete hint.metadata.resourceVersion;
    delete hint.metadata.selfLink;
    this.cache.expect(this.key(ns, name), bytes, hint);
  }

  private pendingGrace(obj: KubeObject): boolean {
    return this.strategy.gracePeriod !== undefined && (obj.metadata.deletionGracePeriodSeconds ?? 0) > 0;
  }

  private prepareUpdate(next: KubeObject, old: KubeObject, opts: WriteOptions & { subresource?: string }): void {
    next.metadata ??= {};
    const m = next.metadata;
    const o = old.metadata;
    if (m.name !== undefined && m.name !== o.name) {
      throw errors.badRequest(`the name of the object (${m.name}) does not match the name on the URL (${o.name})`);
    }
    if (m.uid && m.uid !== o.uid) {
      throw new StatusError(409, 'Conflict', `Precondition failed: UID in precondition: ${m.uid}, UID in object meta: ${o.uid}`, { name: o.name, group: this.group, kind: this.resource });
    }
    // Fields only the server sets.
    m.name = o.name;
    if (this.info.namespaced) m.namespace = o.namespace;
    else delete m.namespace;
    m.uid = o.uid;
    m.creationTimestamp = o.creationTimestamp;
    delete m.resourceVersion;
    delete m.selfLink;
    if (o.deletionTimestamp) {
      m.deletionTimestamp = o.deletionTimestamp;
      m.deletionGracePeriodSeconds = o.deletionGracePeriodSeconds;
    } else {
      delete m.deletionTimestamp;
      delete m.deletionGracePeriodSeconds;
    }
    const ctx = this.ctx(opts);
    if (opts.subresource === 'status') {
      // Status writes change only status (upstream ResetObjectMetaForStatus + spec copied from old).
      const status = next.status;
      for (const k of Object.keys(next)) if (k !== 'metadata' && k !== 'status') delete next[k];
      for (const [k, v] of Object.entries(old)) if (k !== 'metadata' && k !== 'status') next[k] = v;
      if (status === undefined) delete next.status;
      next.metadata = { ...o, managedFields: m.managedFields ?? o.managedFields };
      delete next.metadata.resourceVersion;
      if (next.metadata.managedFields === undefined) delete next.metadata.managedFields;
    } else if (opts.subresource !== 'binding' && opts.subresource !== 'finalize') {
      // binding and finalize are server-built writes of exactly the fields they own.
      this.strategy.prepareForUpdate(next, old, ctx);
    }
    if (this.strategy.tracksGeneration) {
      m.generation = o.generation ?? 1;
      if (opts.subresource !== 'status' && specChanged(next, old)) next.metadata.generation = (o.generation ?? 1) + 1;
    } else delete next.metadata.generation;
    // A binding is a server-built write of spec.nodeName and the PodScheduled condition: upstream's
    // BindingREST updates storage directly, without the pod strategy's validation.
    if (opts.subresource !== 'binding') this.validate(next, old);
  }

  private validate(obj: KubeObject, old: KubeObject | undefined): void {
    const causes: StatusCause[] = [...validateObjectMeta(obj.metadata, this.info), ...this.strategy.validate(obj, old)];
    // Upstream NewInvalid: `Kind.group "name" is invalid: …`, repeated messages dropped.
    if (causes.length) throw invalidError(this.info.kind, this.group, obj.metadata.name ?? '', causes);
  }

  /**
   * Deletes an object: immediately, or by marking it (graceful pods, finalizers, Foreground/Orphan
   * propagation, namespaces). Returns the object and whether it is gone.
   */
  async delete(ns: string, name: string, opts: DeleteOptions, wopts: WriteOptions): Promise<{ obj: KubeObject; deleted: boolean }> {
    const key = this.key(ns, name);
    const ctx = this.ctx(wopts);
    for (let attempt = 0; ; attempt++) {
      const { kv } = await this.backend.get(key).catch(storageToStatus(this, name));
      if (!kv) throw this.notFound(name);
      const cur = decodeKv(kv);
      const pre = opts.preconditions;
      if (pre?.uid && pre.uid !== cur.metadata.uid) {
        throw new StatusError(409, 'Conflict', `Operation cannot be fulfilled on ${qualifiedResource(this.resource, this.group)} "${name}": Precondition failed: UID in precondition: ${pre.uid}, UID in object meta: ${cur.metadata.uid}`, { name, group: this.group, kind: this.resource });
      }
      if (pre?.resourceVersion && pre.resourceVersion !== cur.metadata.resourceVersion) {
        throw new StatusError(409, 'Conflict', `Operation cannot be fulfilled on ${qualifiedResource(this.resource, this.group)} "${name}": Precondition failed: ResourceVersion in precondition: ${pre.resourceVersion}, ResourceVersion in object meta: ${cur.metadata.resourceVersion}`, { name, group: this.group, kind: this.resource });
      }
      const next = this.markForDeletion(clone(cur), opts, ctx);
      try {
        if (next) {
          if (wopts.dryRun) return { obj: next, deleted: false };
          if (encodeStored(next).equals(kv.value)) return { obj: cur, deleted: false };
          const res = await this.backend.update(key, encodeStored(next), kv.modRevision);
          next.metadata.resourceVersion = String(res.kv.modRevision);
          return { obj: next, deleted: false };
        }
        if (wopts.dryRun) return { obj: cur, deleted: true };
        const res = await this.backend.delete(key, kv.modRevision);
        this.strategy.afterDelete?.(cur);
        cur.metadata.resourceVersion = String(res.revision);
        return { obj: cur, deleted: true };
      } catch (err) {
        if (err instanceof StorageError && (err.code === 'Conflict' || err.code === 'NotFound') && attempt < 16) continue;
        throw storageStatus(this, name, err);
      }
    }
  }

  /** The object to store instead of deleting it, or undefined to delete it now. */
  private markForDeletion(obj: KubeObject, opts: DeleteOptions, ctx: StrategyContext): KubeObject | undefined {
    if (this.strategy.beginDelete) return this.strategy.beginDelete(obj, ctx);
    const m = obj.metadata;
    // Deletion options → GC finalizers (upstream deletionFinalizersForGarbageCollection).
    const finalizers = deletionFinalizers(m.finalizers ?? [], opts, this.strategy.defaultGarbageCollectionPolicy);
    const grace = this.strategy.gracePeriod?.(obj, opts) ?? 0;
    if (!finalizers.length && grace <= 0) return undefined;
    if (finalizers.length) m.finalizers = finalizers;
    else delete m.finalizers;
    if (grace > 0) {
      const deadline = ctx.now + grace * 1000;
      // A second delete may only shorten the grace period (upstream BeforeDelete).
      if (!m.deletionTimestamp || Date.parse(m.deletionTimestamp) > deadline) {
        m.deletionTimestamp = nowRfc3339(deadline);
        m.deletionGracePeriodSeconds = grace;
      }
    } else {
      m.deletionTimestamp ??= nowRfc3339(ctx.now);
      m.deletionGracePeriodSeconds = 0;
    }
    return obj;
  }

  private ctx(opts: WriteOptions): StrategyContext {
    return { user: opts.user, dryRun: opts.dryRun, now: Date.now() };
  }
}

function specChanged(a: KubeObject, b: KubeObject): boolean {
  const strip = (o: KubeObject) => {
    const { metadata: _m, status: _s, ...rest } = o;
    return JSON.stringify(rest);
  };
  return strip(a) !== strip(b);
}

function generateName(base: string): string {
  let s = '';
  for (let i = 0; i < 5; i++) s += GENERATE_ALPHABET[Math.floor(Math.random() * GENERATE_ALPHABET.length)];
  return base.slice(0, 63 - 5) + s;
}

/** Translates store errors into API Status errors at the boundary. */
export function storageStatus(s: { resource: string; group: string }, name: string, err: unknown): unknown {
  if (!(err instanceof StorageError)) return err;
  switch (err.code) {
    case 'KeyExists': return errors.alreadyExists(s.resource, s.group, name);
    case 'NotFound': return errors.notFound(s.resource, s.group, name);
    case 'Conflict': return errors.conflict(s.resource, s.group, name);
    case 'Compacted': return errors.expired(err.message);
    case 'ValueTooLarge': return errors.tooLarge(err.message);
    case 'InvalidKey': return errors.badRequest(err.message);
    default: return errors.unavailable(err.message);
  }
}

function storageToStatus(s: { resource: string; group: string }, name: string) {
  return (err: unknown): never => {
    throw storageStatus(s, name, err);
  };
}
