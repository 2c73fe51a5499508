// Fixture builders (kube-scheduler's test wrappers): makePod().name('a').node('n1').ready().obj().
// Each call returns the wrapper; obj() returns a fresh deep copy, so one wrapper can mint variants.
import type { KubeObject, OwnerReference } from '../../api/types.js';
import type { Deployment, Pod, ReplicaSet, ReplicationController } from '../controller-utils/types.js';
import { newControllerRef } from '../controller-utils/owner.js';

/** The fixed instant fixtures use for timestamps unless told otherwise (FakeClock's default start). */
export const FIXTURE_EPOCH = Date.UTC(2026, 0, 1);

let uidSeq = 0;
/** A readable unique uid, e.g. "uid-web-3". */
export function fixtureUid(name: string): string {
  return `uid-${name}-${++uidSeq}`;
}

function iso(ms: number): string {
  return new Date(ms).toISOString().replace(/\.\d+Z$/, 'Z');
}

/** Metadata setters shared by every wrapper. */
export class ObjectWrapper<T extends KubeObject> {
  constructor(protected readonly o: T) {}

  name(n: string): this {
    this.o.metadata.name = n;
    if (!this.o.metadata.uid || this.o.metadata.uid.startsWith('uid-')) this.o.metadata.uid = fixtureUid(n);
    return this;
  }
  namespace(ns: string): this {
    this.o.metadata.namespace = ns;
    return this;
  }
  uid(u: string): this {
    this.o.metadata.uid = u;
    return this;
  }
  labels(l: Record<string, string>): this {
    this.o.metadata.labels = { ...l };
    return this;
  }
  label(k: string, v: string): this {
    this.o.metadata.labels = { ...this.o.metadata.labels, [k]: v };
    return this;
  }
  annotation(k: string, v: string): this {
    this.o.metadata.annotations = { ...this.o.metadata.annotations, [k]: v };
    return this;
  }
  generation(g: number): this {
    this.o.metadata.generation = g;
    return this;
  }
  resourceVersion(rv: string): this {
    this.o.metadata.resourceVersion = rv;
    return this;
  }
  /** creationTimestamp = FIXTURE_EPOCH + offsetMs (or an absolute ms value with abs). */
  created(offsetMs: number, abs = false): this {
    this.o.metadata.creationTimestamp = iso(abs ? offsetMs : FIXTURE_EPOCH + offsetMs);
    return this;
  }
  deleting(atMs = FIXTURE_EPOCH): this {
    this.o.metadata.deletionTimestamp = iso(atMs);
    return this;
  }
  finalizers(...f: string[]): this {
    this.o.metadata.finalizers = f;
    return this;
  }
  /** Adds an owner reference; controlled by default (controller and blockOwnerDeletion true). */
  owner(owner: KubeObject | OwnerReference, controller = true): this {
    const ref: OwnerReference = 'metadata' in owner
      ? newControllerRef(owner, { apiVersion: owner.apiVersion!, kind: owner.kind! })
      : { ...owner };
    if (!controller) {
      delete ref.controller;
      delete ref.blockOwnerDeletion;
    }
    this.o.metadata.ownerReferences = [...(this.o.metadata.ownerReferences ?? []), ref];
    return this;
  }
  /** Escape hatch: change anything on the object under construction. */
  with(fn: (o: T) => void): this {
    fn(this.o);
    return this;
  }
  obj(): T {
    return structuredClone(this.o);
  }
}

export class PodWrapper extends ObjectWrapper<Pod> {
  node(n: string): this {
    this.o.spec!.nodeName = n;
    return this;
  }
  phase(p: 'Pending' | 'Running' | 'Succeeded' | 'Failed' | 'Unknown'): this {
    this.o.status = { ...this.o.status, phase: p };
    return this;
  }
  /** Running, with a Ready condition True since FIXTURE_EPOCH + sinceOffsetMs. */
  ready(sinceOffsetMs = 0): this {
    this.o.status = {
      ...this.o.status, phase: 'Running',
      conditions: [{ type: 'Ready', status: 'True', lastTransitionTime: iso(FIXTURE_EPOCH + sinceOffsetMs) }],
    };
    return this;
  }
  notReady(): this {
    this.o.status = { ...this.o.status, conditions: [{ type: 'Ready', status: 'False' }] };
    return this;
  }
  restarts(n: number): this {
    this.o.status = { ...this.o.status, containerStatuses: [{ name: 'c', image: 'img', imageID: '', ready: false, restartCount: n }] };
    return this;
  }
  image(img: string): this {
    this.o.spec!.containers = [{ name: 'c', image: img }];
    return this;
  }
}

/** A pod in namespace "default" with one container and no status. */
export function makePod(): PodWrapper {
  return new PodWrapper({
    apiVersion: 'v1', kind: 'Pod',
    metadata: { name: 'pod', namespace: 'default', uid: fixtureUid('pod'), creationTimestamp: iso(FIXTURE_EPOCH) },
    spec: { containers: [{ name: 'c', image: 'img' }] },
  });
}

/** Shared by ReplicaSet, ReplicationController and Deployment wrappers: replicas and template. */
class WorkloadWrapper<T extends ReplicaSet | Deployment | ReplicationController> extends ObjectWrapper<T> {
  replicas(n: number | undefined): this {
    if (n === undefined) delete this.o.spec!.replicas;
    else this.o.spec!.replicas = n;
    return this;
  }
  minReadySeconds(s: number): this {
    this.o.spec!.minReadySeconds = s;
    return this;
  }
  image(img: string): this {
    const t = this.o.spec!.template!;
    t.spec = { ...t.spec, containers: [{ name: 'c', image: img }] };
    return this;
  }
  templateLabel(k: string, v: string): this {
    const t = this.o.spec!.template!;
    t.metadata = { ...t.metadata, labels: { ...t.metadata?.labels, [k]: v } };
    return this;
  }
  templateAnnotation(k: string, v: string): this {
    const t = this.o.spec!.template!;
    t.metadata = { ...t.metadata, annotations: { ...t.metadata?.annotations, [k]: v } };
    return this;
  }
  status(s: NonNullable<T['status']>): this {
    this.o.status = structuredClone(s) as T['status'];
    return this;
  }
}

export class ReplicaSetWrapper extends WorkloadWrapper<ReplicaSet> {
  /** matchLabels selector (and template labels, so pods match). */
  selector(labels: Record<string, string>): this {
    this.o.spec!.selector = { matchLabels: { ...labels } };
    this.o.spec!.template!.metadata = { ...this.o.spec!.template!.metadata, labels: { ...this.o.spec!.template!.metadata?.labels, ...labels } };
    return this;
  }
}

/** apps/v1 ReplicaSet "rs" in "default": 1 replica, selector and template labels app=web. */
export function makeReplicaSet(): ReplicaSetWrapper {
  return new ReplicaSetWrapper({
    apiVersion: 'apps/v1', kind: 'ReplicaSet',
    metadata: { name: 'rs', namespace: 'default', uid: fixtureUid('rs'), generation: 1, creationTimestamp: iso(FIXTURE_EPOCH) },
    spec: {
      replicas: 1, selector: { matchLabels: { app: 'web' } },
      template: { metadata: { labels: { app: 'web' } }, spec: { containers: [{ name: 'c', image: 'img' }] } },
    },
  });
}

export class ReplicationControllerWrapper extends WorkloadWrapper<ReplicationController> {
  selector(labels: Record<string, string>): this {
    this.o.spec!.selector = { ...labels };
    this.o.spec!.template!.metadata = { ...this.o.spec!.template!.metadata, labels: { ...this.o.spec!.template!.metadata?.labels, ...labels } };
    return this;
  }
}

/** v1 ReplicationController "rc" in "default": 1 replica, selector and template labels app=web. */
export function makeReplicationController(): ReplicationControllerWrapper {
  return new ReplicationControllerWrapper({
    apiVersion: 'v1', kind: 'ReplicationController',
    metadata: { name: 'rc', namespace: 'default', uid: fixtureUid('rc'), generation: 1, creationTimestamp: iso(FIXTURE_EPOCH) },
    spec: {
      replicas: 1, selector: { app: 'web' },
      template: { metadata: { labels: { app: 'web' } }, spec: { containers: [{ name: 'c', image: 'img' }] } },
    },
  });
}

export class DeploymentWrapper extends WorkloadWrapper<Deployment> {
  selector(labels: Record<string, string>): this {
    this.o.spec!.selector = { matchLabels: { ...labels } };
    this.o.spec!.template.metadata = { ...this.o.spec!.template.metadata, labels: { ...this.o.spec!.template.metadata?.labels, ...labels } };
    return this;
  }
  rollingUpdate(maxSurge: number | string = '25%', maxUnavailable: number | string = '25%'): this {
    this.o.spec!.strategy = { type: 'RollingUpdate', rollingUpdate: { maxSurge, maxUnavailable } };
    return this;
  }
  recreate(): this {
    this.o.spec!.strategy = { type: 'Recreate' };
    return this;
  }
  paused(p = true): this {
    this.o.spec!.paused = p;
    return this;
  }
  revisionHistoryLimit(n: number): this {
    this.o.spec!.revisionHistoryLimit = n;
    return this;
  }
  progressDeadlineSeconds(s: number): this {
    this.o.spec!.progressDeadlineSeconds = s;
    return this;
  }
}

/**
 * apps/v1 Deployment "web" in "default" as the API server defaults it: 1 replica, RollingUpdate
 * 25%/25%, revisionHistoryLimit 10, progressDeadlineSeconds 600, labels app=web.
 */
export function makeDeployment(): DeploymentWrapper {
  return new DeploymentWrapper({
    apiVersion: 'apps/v1', kind: 'Deployment',
    metadata: { name: 'web', namespace: 'default', uid: fixtureUid('web'), generation: 1, creationTimestamp: iso(FIXTURE_EPOCH) },
    spec: {
      replicas: 1, selector: { matchLabels: { app: 'web' } },
      template: { metadata: { labels: { app: 'web' } }, spec: { containers: [{ name: 'c', image: 'img' }] } },
      strategy: { type: 'RollingUpdate', rollingUpdate: { maxSurge: '25%', maxUnavailable: '25%' } },
      revisionHistoryLimit: 10, progressDeadlineSeconds: 600,
    },
  });
}
