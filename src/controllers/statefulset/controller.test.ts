// StatefulSet controller unit tests on the fake controller environment.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { KubeObject } from '../../api/types.js';
import { FakeClock } from '../../util/clock.js';
import { configureLogging } from '../../util/log.js';
import { fakeControllerEnv } from '../testing/index.js';
import { newRevision, nextRevisionNumber, templatePatch, type ControllerRevision } from '../history/index.js';
import { StatefulSetController } from './controller.js';

configureLogging({ quiet: true });
type Obj = Record<string, any>;
const T0 = Date.UTC(2026, 0, 1);
const iso = (ms: number) => new Date(ms).toISOString().replace(/\.\d+Z$/, 'Z');
const KIND = { apiVersion: 'apps/v1', kind: 'StatefulSet' };

function sts(spec: Obj = {}, status: Obj = {}): KubeObject & { spec: Obj } {
  return {
    apiVersion: 'apps/v1', kind: 'StatefulSet',
    metadata: { name: 'web', namespace: 'ns', uid: 'set-uid', generation: 3, resourceVersion: '1' },
    spec: {
      replicas: 3, serviceName: 'svc', podManagementPolicy: 'OrderedReady', revisionHistoryLimit: 10,
      selector: { matchLabels: { app: 'web' } },
      template: { metadata: { labels: { app: 'web' } }, spec: { containers: [{ name: 'c', image: 'v1' }] } },
      updateStrategy: { type: 'RollingUpdate', rollingUpdate: { partition: 0 } },
      persistentVolumeClaimRetentionPolicy: { whenDeleted: 'Retain', whenScaled: 'Retain' },
      ...spec,
    },
    status,
  };
}

/** The revision the controller would create for set's template. */
function revisionFor(set: KubeObject & { spec: Obj }, n = 1): ControllerRevision {
  const r = newRevision(set, KIND, set.spec.template.metadata.labels, templatePatch(set.spec.template), n, 0);
  r.metadata.uid = `rev-${n}`;
  r.metadata.creationTimestamp = iso(T0);
  return r;
}

function pod(ord: number, rev: string, opts: { ready?: boolean; phase?: string; deleting?: boolean } = {}): KubeObject {
  const name = `web-${ord}`;
  return {
    apiVersion: 'v1', kind: 'Pod',
    metadata: {
      name, namespace: 'ns', uid: `p${ord}`, creationTimestamp: iso(T0),
      labels: { app: 'web', 'controller-revision-hash': rev, 'statefulset.kubernetes.io/pod-name': name, 'apps.kubernetes.io/pod-index': String(ord) },
      ownerReferences: [{ apiVersion: 'apps/v1', kind: 'StatefulSet', name: 'web', uid: 'set-uid', controller: true }],
      ...(opts.deleting ? { deletionTimestamp: iso(T0), finalizers: ['x'] } : {}),
    },
    spec: { hostname: name, subdomain: 'svc', containers: [{ name: 'c', image: 'v1' }] },
    status: { phase: opts.phase ?? 'Running', conditions: [{ type: 'Ready', status: opts.ready === false ? 'False' : 'True', lastTransitionTime: iso(T0 - 60_000) }] },
  };
}

function setup(objs: KubeObject[]) {
  const env = fakeControllerEnv(objs, { clock: new FakeClock(T0) });
  const c = new StatefulSetController({ client: env.client, informers: env.ctx.informers, recorder: env.ctx.recorder('statefulset-controller'), clock: env.clock });
  env.fillCaches();
  env.client.clearActions();
  const created = (resource = 'pods') => env.client.filterActions({ verb: 'create', resource }).map((a) => a.object as Obj);
  const deleted = () => env.client.filterActions({ verb: 'delete', resource: 'pods' }).map((a) => a.name);
  const status = () => (env.client.filterActions({ resource: 'statefulsets', writesOnly: true }).at(-1)?.object as Obj | undefined)?.status;
  return { env, c, created, deleted, status };
}

test('OrderedReady creates ordinal 0 first, with identity labels, hostname, subdomain and PVCs', async () => {
  const set = sts({ volumeClaimTemplates: [{ metadata: { name: 'data' }, spec: { accessModes: ['ReadWriteOnce'], resources: { requests: { storage: '1Gi' } } } }] });
  const { c, created, status, env } = setup([set]);
  await c.sync('ns/web');
  const pods = created();
  assert.equal(pods.length, 1);
  const p = pods[0]!;
  assert.equal(p.metadata.name, 'web-0');
  assert.equal(p.metadata.labels['statefulset.kubernetes.io/pod-name'], 'web-0');
  assert.equal(p.metadata.labels['apps.kubernetes.io/pod-index'], '0');
  assert.equal(p.spec.hostname, 'web-0');
  assert.equal(p.spec.subdomain, 'svc');
  assert.deepEqual(p.spec.volumes, [{ name: 'data', persistentVolumeClaim: { claimName: 'data-web-0' } }]);
  const pvcs = created('persistentvolumeclaims');
  assert.deepEqual(pvcs.map((x) => x.metadata.name), ['data-web-0']);
  assert.equal(pvcs[0]!.metadata.labels.app, 'web');
  assert.equal(pvcs[0]!.metadata.ownerReferences, undefined, 'Retain: no owner');
  const rev = env.client.filterActions({ verb: 'create', resource: 'controllerrevisions' })[0]!.object as Obj;
  assert.equal(p.metadata.labels['controller-revision-hash'], rev.metadata.name);
  const s = status()!;
  assert.equal(s.replicas, 1);
  assert.equal(s.updateRevision, rev.metadata.name);
  assert.equal(s.currentRevision, rev.metadata.name);
  assert.equal(s.observedGeneration, 3);
  assert.equal(s.collisionCount, 0);
});

test('OrderedReady waits for Running+Ready before the next ordinal; Parallel creates all', async () => {
  const set = sts();
  const rev = revisionFor(set);
  const r1 = setup([set, rev, pod(0, rev.metadata.name!, { ready: false })]);
  await r1.c.sync('ns/web');
  assert.equal(r1.created().length, 0);
  const r2 = setup([set, rev, pod(0, rev.metadata.name!)]);
  await r2.c.sync('ns/web');
  assert.deepEqual(r2.created().map((p) => p.metadata.name), ['web-1']);
  const par = sts({ podManagementPolicy: 'Parallel' });
  const r3 = setup([par, revisionFor(par)]);
  await r3.c.sync('ns/web');
  assert.deepEqual(r3.created().map((p) => p.metadata.name), ['web-0', 'web-1', 'web-2']);
});

test('scale down deletes the highest ordinal first, one at a time', async () => {
  const set = sts({ replicas: 1 });
  const rev = revisionFor(set);
  const h = rev.metadata.name!;
  const { c, deleted } = setup([set, rev, pod(0, h), pod(1, h), pod(2, h)]);
  await c.sync('ns/web');
  assert.deepEqual(deleted(), ['web-2']);
});

test('rolling update replaces the highest ordinal not at the update revision, down to the partition', async () => {
  const old = sts();
  const oldRev = revisionFor(old, 1);
  const set = sts({ template: { metadata: { labels: { app: 'web' } }, spec: { containers: [{ name: 'c', image: 'v2' }] } } }, { currentRevision: oldRev.metadata.name });
  const h = oldRev.metadata.name!;
  const { c, deleted, status, env } = setup([set, oldRev, pod(0, h), pod(1, h), pod(2, h)]);
  await c.sync('ns/web');
  assert.deepEqual(deleted(), ['web-2']);
  const newRev = env.client.filterActions({ verb: 'create', resource: 'controllerrevisions' })[0]!.object as Obj;
  assert.equal(newRev.revision, nextRevisionNumber([oldRev]));
  const s = status()!;
  assert.equal(s.currentRevision, h);
  assert.equal(s.updateRevision, newRev.metadata.name);
  assert.equal(s.currentReplicas, 2);
  assert.equal(s.updatedReplicas, 0);

  const part = sts({ template: set.spec.template, updateStrategy: { type: 'RollingUpdate', rollingUpdate: { partition: 2 } } }, { currentRevision: h });
  const r = setup([part, oldRev, pod(0, h), pod(1, h), { ...pod(2, 'other') }]);
  await r.c.sync('ns/web');
  // web-2 is at neither revision: replaced; below the partition nothing is touched.
  assert.deepEqual(r.deleted(), ['web-2']);
});

test('OnDelete never deletes pods for updates; finished pods are recreated', async () => {
  const old = sts();
  const oldRev = revisionFor(old, 1);
  const set = sts({ updateStrategy: { type: 'OnDelete' }, template: { metadata: { labels: { app: 'web' } }, spec: { containers: [{ name: 'c', image: 'v2' }] } } }, { currentRevision: oldRev.metadata.name });
  const h = oldRev.metadata.name!;
  const r = setup([set, oldRev, pod(0, h), pod(1, h), pod(2, h)]);
  await r.c.sync('ns/web');
  assert.deepEqual(r.deleted(), []);
  const r2 = setup([sts(), revisionFor(sts()), pod(0, revisionFor(sts()).metadata.name!, { phase: 'Failed' })]);
  await r2.c.sync('ns/web');
  assert.deepEqual(r2.deleted(), ['web-0']);
});

test('status: ready, available, current and updated counts; update becomes current when complete', async () => {
  const set = sts();
  const rev = revisionFor(set);
  const h = rev.metadata.name!;
  const { c, status } = setup([set, rev, pod(0, h), pod(1, h), pod(2, h)]);
  await c.sync('ns/web');
  const s = status()!;
  assert.deepEqual([s.replicas, s.readyReplicas, s.availableReplicas, s.currentReplicas, s.updatedReplicas], [3, 3, 3, 3, 3]);
  assert.equal(s.currentRevision, h);
});

test('whenDeleted: Delete makes the set own its claims', async () => {
  const set = sts({ replicas: 1, persistentVolumeClaimRetentionPolicy: { whenDeleted: 'Delete', whenScaled: 'Retain' }, volumeClaimTemplates: [{ metadata: { name: 'd' }, spec: {} }] });
  const { c, created } = setup([set]);
  await c.sync('ns/web');
  assert.equal(created('persistentvolumeclaims')[0]!.metadata.ownerReferences[0].uid, 'set-uid');
});

test('whenScaled: Delete makes the condemned pod own its claims before it is deleted', async () => {
  const set = sts({ replicas: 1, persistentVolumeClaimRetentionPolicy: { whenDeleted: 'Retain', whenScaled: 'Delete' }, volumeClaimTemplates: [{ metadata: { name: 'd' }, spec: {} }] });
  const rev = revisionFor(set);
  const claim = { apiVersion: 'v1', kind: 'PersistentVolumeClaim', metadata: { name: 'd-web-1', namespace: 'ns' }, spec: {} };
  const { c, env, deleted } = setup([set, rev, pod(0, rev.metadata.name!), pod(1, rev.metadata.name!), claim]);
  await c.sync('ns/web');
  const patch = env.client.filterActions({ verb: 'patch', resource: 'persistentvolumeclaims' });
  assert.deepEqual(patch.map((a) => a.name), ['d-web-1']);
  assert.equal((patch[0]!.object as Obj).metadata.ownerReferences[0].uid, 'p1');
  assert.deepEqual(deleted(), ['web-1']);
});
