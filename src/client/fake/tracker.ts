// An in-memory object store with API-server semantics controllers rely on (client-go's
// testing.ObjectTracker, plus what the fake there leaves out): one global resourceVersion counter,
// optimistic concurrency on update, generateName, uid/creationTimestamp, finalizers delaying
// deletion, and watches that can start from a past resourceVersion — until compact() forgets it.
import { randomUUID } from 'node:crypto';
import type { KubeObject } from '../../api/types.js';
import { parseFieldSelector, parseLabelSelector } from '../../api/selectors/index.js';
import { realClock, type Clock } from '../../util/clock.js';
import { errors } from '../../util/errors.js';
import type { ResolvedResource } from '../interfaces.js';
import { FakeWatch } from './watch.js';

type EventType = 'ADDED' | 'MODIFIED' | 'DELETED';
interface LogEntry { rev: number; gr: string; type: EventType; obj: KubeObject }
interface Watcher { gr: string; namespace: string | undefined; match: (o: KubeObject) => boolean; w: FakeWatch }

export interface Selection {
  namespace?: string | undefined;
  labelSelector?: string | undefined;
  fieldSelector?: string | undefined;
}

const HISTORY = 1000;
const clone = <T>(o: T): T => structuredClone(o);
const grOf = (r: ResolvedResource) => `${r.group}/${r.resource}`;
const keyOf = (ns: string | undefined, name: string) => (ns ? `${ns}/${name}` : name);

export class ObjectTracker {
  private rev = 0;
  private compacted = 0;
  private readonly data = new Map<string, Map<string, KubeObject>>();
  private history: LogEntry[] = [];
  private readonly watchers = new Set<Watcher>();

  constructor(private readonly clock: Clock = realClock) {}

  /** The latest resourceVersion handed out. */
  get revision(): number {
    return this.rev;
  }

  private bucket(r: ResolvedResource): Map<string, KubeObject> {
    let b = this.data.get(grOf(r));
    if (!b) this.data.set(grOf(r), (b = new Map()));
    return b;
  }

  get(r: ResolvedResource, ns: string | undefined, name: string): KubeObject {
    const o = this.bucket(r).get(keyOf(r.namespaced ? ns : undefined, name));
    if (!o) throw errors.notFound(r.resource, r.group, name);
    return clone(o);
  }

  list(r: ResolvedResource, sel: Selection): { items: KubeObject[]; resourceVersion: string } {
    const match = this.matcher(r, sel);
    const items = [...this.bucket(r).values()].filter(match).sort((a, b) => keyOf(a.metadata.namespace, a.metadata.name!).localeCompare(keyOf(b.metadata.namespace, b.metadata.name!)));
    return { items: items.map(clone), resourceVersion: String(this.rev) };
  }

  create(r: ResolvedResource, ns: string | undefined, input: KubeObject): KubeObject {
    const obj = clone(input);
    obj.metadata ??= {};
    if (!obj.metadata.name && obj.metadata.generateName) obj.metadata.name = obj.metadata.generateName + Math.random().toString(36).slice(2, 7);
    const name = obj.metadata.name;
    if (!name) throw errors.invalidField(r.kind || r.resource, 'metadata.name', '', 'name or generateName is required');
    if (r.namespaced) obj.metadata.namespace = ns ?? obj.metadata.namespace ?? 'default';
    else delete obj.metadata.namespace;
    const key = keyOf(obj.metadata.namespace, name);
    if (this.bucket(r).has(key)) throw errors.alreadyExists(r.resource, r.group, name);
    obj.metadata.uid ??= randomUUID();
    obj.metadata.creationTimestamp ??= new Date(this.clock.now()).toISOString().replace(/\.\d+Z$/, 'Z');
    if (obj.metadata.generation === undefined) obj.metadata.generation = 1;
    return this.commit(r, key, 'ADDED', obj);
  }

  /** Replaces an object; a set metadata.resourceVersion must match the stored one. */
  update(r: ResolvedResource, ns: string | undefined, input: KubeObject, mutate?: (old: KubeObject, next: KubeObject) => KubeObject): KubeObject {
    const name = input.metadata?.name ?? '';
    const key = keyOf(r.namespaced ? (ns ?? input.metadata.namespace) : undefined, name);
    const old = this.bucket(r).get(key);
    if (!old) throw errors.notFound(r.resource, r.group, name);
    const rv = input.metadata.resourceVersion;
    if (rv && rv !== old.metadata.resourceVersion) throw errors.conflict(r.resource, r.group, name);
    let next = clone(input);
    next.metadata = { ...next.metadata, uid: old.metadata.uid, creationTimestamp: old.metadata.creationTimestamp, namespace: old.metadata.namespace, name };
    if (mutate) next = mutate(clone(old), next);
    if (!r.namespaced) delete next.metadata.namespace;
    // Like the API server: generation counts spec changes.
    next.metadata.generation = (old.metadata.generation ?? 1) + (JSON.stringify(next.spec) !== JSON.stringify(old.spec) ? 1 : 0);
    if (old.metadata.deletionTimestamp && !(next.metadata.finalizers?.length)) {
      this.bucket(r).delete(key);
      next.metadata.resourceVersion = String(++this.rev);
      this.publish(grOf(r), 'DELETED', next);
      return clone(next);
    }
    return this.commit(r, key, 'MODIFIED', next);
  }

  /** Deletes an object; with finalizers it only gets a deletionTimestamp. Returns its final state. */
  delete(r: ResolvedResource, ns: string | undefined, name: string, preconditions?: { uid?: string; resourceVersion?: string }): KubeObject {
    const key = keyOf(r.namespaced ? ns : undefined, name);
    const old = this.bucket(r).get(key);
    if (!old) throw errors.notFound(r.resource, r.group, name);
    if (preconditions?.uid && preconditions.uid !== old.metadata.uid) throw errors.conflict(r.resource, r.group, name, `Precondition failed: UID in precondition: ${preconditions.uid}, UID in object meta: ${old.metadata.uid}`);
    if (preconditions?.resourceVersion && preconditions.resourceVersion !== old.metadata.resourceVersion) throw errors.conflict(r.resource, r.group, name);
    if (old.metadata.finalizers?.length) {
      if (old.metadata.deletionTimestamp) return clone(old);
      const next = clone(old);
      next.metadata.deletionTimestamp = new Date(this.clock.now()).toISOString().replace(/\.\d+Z$/, 'Z');
      next.metadata.deletionGracePeriodSeconds = 0;
      return this.commit(r, key, 'MODIFIED', next);
    }
    this.bucket(r).delete(key);
    const gone = clone(old);
    gone.metadata.resourceVersion = String(++this.rev);
    this.publish(grOf(r), 'DELETED', gone);
    return clone(gone);
  }

  /** Opens a watch. resourceVersion ''/'0' replays the current objects as ADDED first. */
  watch(r: ResolvedResource, sel: Selection & { resourceVersion?: string | undefined }): FakeWatch {
    const match = this.matcher(r, sel);
    const watcher: Watcher = { gr: grOf(r), namespace: r.namespaced ? sel.namespace : undefined, match, w: undefined as unknown as FakeWatch };
    const w = new FakeWatch(() => this.watchers.delete(watcher));
    watcher.w = w;
    const from = sel.resourceVersion && sel.resourceVersion !== '0' ? Number(sel.resourceVersion) : undefined;
    if (from === undefined) {
      for (const o of this.bucket(r).values()) if (match(o)) w.push({ type: 'ADDED', object: clone(o) });
    } else if (from < this.compacted) {
      w.push({ type: 'ERROR', object: errors.expired(`too old resource version: ${from} (${this.compacted})`).toStatus() });
      w.end();
      return w;
    } else {
      for (const e of this.history) if (e.rev > from && e.gr === watcher.gr && match(e.obj)) w.push({ type: e.type, object: clone(e.obj) });
    }
    this.watchers.add(watcher);
    return w;
  }

  /** Forgets the event history: watches from an older resourceVersion get 410 Expired. */
  compact(): void {
    this.compacted = this.rev;
    this.history = [];
  }

  /** Ends every open watch, as a server restart or watch timeout would (err: a broken connection). */
  endWatches(err?: Error): void {
    for (const w of [...this.watchers]) w.w.end(err);
  }

  /** Open watches (for tests). */
  get watchCount(): number {
    return this.watchers.size;
  }

  private commit(r: ResolvedResource, key: string, type: EventType, obj: KubeObject): KubeObject {
    obj.metadata.resourceVersion = String(++this.rev);
    const prev = this.bucket(r).get(key);
    this.bucket(r).set(key, obj);
    this.publish(grOf(r), type, obj, prev);
    return clone(obj);
  }

  private publish(gr: string, type: EventType, obj: KubeObject, prev?: KubeObject): void {
    this.history.push({ rev: this.rev, gr, type, obj });
    if (this.history.length > HISTORY) {
      const dropped = this.history.splice(0, this.history.length - HISTORY);
      this.compacted = dropped[dropped.length - 1]!.rev;
    }
    for (const w of this.watchers) {
      if (w.gr !== gr) continue;
      // As the API server's filtered watch: an object that starts or stops matching is ADDED or DELETED.
      const now = w.match(obj);
      const before = prev !== undefined && w.match(prev);
      if (type === 'MODIFIED' && now && !before) w.w.push({ type: 'ADDED', object: clone(obj) });
      else if (type === 'MODIFIED' && !now && before) w.w.push({ type: 'DELETED', object: clone(obj) });
      else if (now) w.w.push({ type, object: clone(obj) });
    }
  }

  private matcher(r: ResolvedResource, sel: Selection): (o: KubeObject) => boolean {
    const labels = sel.labelSelector ? parseLabelSelector(sel.labelSelector) : undefined;
    const fields = sel.fieldSelector ? parseFieldSelector(sel.fieldSelector, r.group, r.resource) : undefined;
    const ns = r.namespaced ? sel.namespace : undefined;
    return (o) => (!ns || o.metadata.namespace === ns) && (!labels || labels.matches(o.metadata.labels)) && (!fields || fields.matches(o));
  }
}
