// The generic store's metadata, concurrency and deletion rules, on the memory backend.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { MemoryBackend } from '../../storage/memory/memory.js';
import { Stores } from '../stores.js';
import { StatusError } from '../../util/errors.js';

const OPTS = { dryRun: false, user: { username: 'admin', groups: ['system:masters'] } };

async function setup() {
  const backend = new MemoryBackend();
  const stores = new Stores(backend, { serviceCIDR: '10.43.0.0/16' });
  await stores.start();
  await stores.store('', 'namespaces').create('', { metadata: { name: 'ns' } }, OPTS);
  return { backend, stores };
}

const reason = (r: string) => (err: unknown) => err instanceof StatusError && err.reason === r;

test('create fills server metadata and refuses duplicates and bad names', async () => {
  const { stores } = await setup();
  const cms = stores.store('', 'configmaps');
  const cm = await cms.create('ns', { metadata: { name: 'a', uid: 'client-set', resourceVersion: '99' }, data: { k: 'v' } }, OPTS);
  assert.match(cm.metadata.uid!, /^[0-9a-f-]{36}$/);
  assert.notEqual(cm.metadata.uid, 'client-set');
  assert.match(cm.metadata.creationTimestamp!, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
  assert.ok(Number(cm.metadata.resourceVersion) > 0);
  await assert.rejects(cms.create('ns', { metadata: { name: 'a' } }, OPTS), reason('AlreadyExists'));
  await assert.rejects(cms.create('ns', { metadata: { name: 'Bad_Name' } }, OPTS), reason('Invalid'));
  await assert.rejects(cms.create('missing', { metadata: { name: 'x' } }, OPTS), reason('NotFound'));
  const gen = await cms.create('ns', { metadata: { generateName: 'gen-' } }, OPTS);
  assert.match(gen.metadata.name!, /^gen-[a-z0-9]{5}$/);
});

test('update: stale resourceVersion conflicts, generation tracks spec only, no-op keeps the revision', async () => {
  const { stores } = await setup();
  const deps = stores.store('apps', 'deployments');
  const d = await deps.create('ns', { metadata: { name: 'web' }, spec: { selector: { matchLabels: { a: 'b' } }, template: { metadata: { labels: { a: 'b' } }, spec: { containers: [{ name: 'c', image: 'i' }] } } } }, OPTS);
  assert.equal(d.metadata.generation, 1);
  const same = await deps.update('ns', 'web', (cur) => cur, OPTS);
  assert.equal(same.changed, false);
  assert.equal(same.obj.metadata.resourceVersion, d.metadata.resourceVersion);
  const labelled = await deps.update('ns', 'web', (cur) => ({ ...cur, metadata: { ...cur.metadata, labels: { x: 'y' } } }), OPTS);
  assert.equal(labelled.obj.metadata.generation, 1);
  const scaled = await deps.update('ns', 'web', (cur) => ({ ...cur, spec: { ...(cur.spec as object), replicas: 3 } }), OPTS);
  assert.equal(scaled.obj.metadata.generation, 2);
  await assert.rejects(deps.update('ns', 'web', (cur) => ({ ...cur, metadata: { ...cur.metadata, resourceVersion: d.metadata.resourceVersion } }), OPTS), reason('Conflict'));
  // Status writes go through /status only.
  const st = await deps.update('ns', 'web', (cur) => ({ ...cur, status: { replicas: 3 } }), OPTS);
  assert.equal(st.obj.status, undefined);
  const st2 = await deps.update('ns', 'web', (cur) => ({ ...cur, spec: { replicas: 9 }, status: { replicas: 3 } }), { ...OPTS, subresource: 'status' });
  assert.deepEqual(st2.obj.status, { replicas: 3 });
  assert.equal((st2.obj.spec as any).replicas, 3);
});

test('delete: finalizers hold the object until removed; pods on a node wait for their grace period', async () => {
  const { stores } = await setup();
  const cms = stores.store('', 'configmaps');
  await cms.create('ns', { metadata: { name: 'f', finalizers: ['example.com/x'] } }, OPTS);
  const first = await cms.delete('ns', 'f', {}, OPTS);
  assert.equal(first.deleted, false);
  assert.ok(first.obj.metadata.deletionTimestamp);
  await cms.update('ns', 'f', (cur) => ({ ...cur, metadata: { ...cur.metadata, finalizers: [] } }), OPTS);
  await assert.rejects(cms.get('ns', 'f'), reason('NotFound'));

  const pods = stores.store('', 'pods');
  await pods.create('ns', { metadata: { name: 'p' }, spec: { nodeName: 'n1', containers: [{ name: 'c', image: 'i' }] } }, OPTS);
  const graceful = await pods.delete('ns', 'p', {}, OPTS);
  assert.equal(graceful.deleted, false);
  assert.equal(graceful.obj.metadata.deletionGracePeriodSeconds, 30);
  const now = await pods.delete('ns', 'p', { gracePeriodSeconds: 0 }, OPTS);
  assert.equal(now.deleted, true);
  await pods.create('ns', { metadata: { name: 'unscheduled' }, spec: { containers: [{ name: 'c', image: 'i' }] } }, OPTS);
  assert.equal((await pods.delete('ns', 'unscheduled', {}, OPTS)).deleted, true);
});

test('services get cluster IPs and node ports, released on delete', async () => {
  const { stores } = await setup();
  const svcs = stores.store('', 'services');
  const a = await svcs.create('ns', { metadata: { name: 'a' }, spec: { type: 'NodePort', ports: [{ port: 80 }] } }, OPTS);
  const spec = a.spec as any;
  assert.match(spec.clusterIP, /^10\.43\./);
  assert.ok(spec.ports[0].nodePort >= 30000 && spec.ports[0].nodePort <= 32767);
  assert.equal(spec.ports[0].targetPort, 80);
  await assert.rejects(svcs.create('ns', { metadata: { name: 'b' }, spec: { clusterIP: spec.clusterIP, ports: [{ port: 80 }] } }, OPTS), reason('Invalid'));
  await svcs.delete('ns', 'a', {}, OPTS);
  const b = await svcs.create('ns', { metadata: { name: 'b' }, spec: { clusterIP: spec.clusterIP, ports: [{ port: 80 }] } }, OPTS);
  assert.equal((b.spec as any).clusterIP, spec.clusterIP);
});
