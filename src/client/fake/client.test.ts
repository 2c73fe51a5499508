import { test } from 'node:test';
import assert from 'node:assert/strict';
import { FakeClock } from '../../util/clock.js';
import { errors, isReason } from '../../util/errors.js';
import type { KubeObject } from '../../api/types.js';
import type { WatchEvent } from '../interfaces.js';
import { refs } from '../refs.js';
import { FakeClient } from './client.js';

const pod = (name: string, ns = 'default', labels: Record<string, string> = {}): KubeObject => ({
  apiVersion: 'v1', kind: 'Pod', metadata: { name, namespace: ns, labels }, spec: { containers: [{ name: 'c', image: 'i' }] },
});

test('preloaded objects are readable and seeding records no action', async () => {
  const c = new FakeClient({ objects: [pod('a'), pod('b', 'other')] });
  assert.equal(c.actions.length, 0);
  const got = await c.resource(refs.pods).namespace('default').get('a');
  assert.equal(got.metadata.name, 'a');
  assert.equal(got.kind, 'Pod');
  assert.ok(got.metadata.resourceVersion && got.metadata.uid);
  assert.equal((await c.resource(refs.pods).list()).items.length, 2);
  assert.deepEqual(c.actions.map((a) => [a.verb, a.resource, a.namespace, a.name]), [['get', 'pods', 'default', 'a'], ['list', 'pods', '', undefined]]);
});

test('records writes with their objects; resourceVersions, conflicts, NotFound', async () => {
  const c = new FakeClient({ clock: new FakeClock() });
  const cms = c.resource(refs.configmaps).namespace('ns');
  const a = await cms.create({ metadata: { name: 'a' }, data: { k: '1' } });
  assert.equal(a.metadata.namespace, 'ns');
  assert.equal(a.metadata.creationTimestamp, '2026-01-01T00:00:00Z');
  const b = await cms.update({ ...a, data: { k: '2' } });
  assert.ok(Number(b.metadata.resourceVersion) > Number(a.metadata.resourceVersion));
  await assert.rejects(cms.update({ ...a, data: { k: '3' } }), (e) => isReason(e, 'Conflict'));
  await cms.patch('a', 'merge', { data: { m: 'x' } });
  await cms.patch('a', 'json', [{ op: 'remove', path: '/data/k' }]);
  assert.deepEqual((await cms.get('a')).data, { m: 'x' });
  await cms.delete('a');
  await assert.rejects(cms.get('a'), (e) => isReason(e, 'NotFound'));
  assert.deepEqual(c.filterActions({ writesOnly: true }).map((x) => `${x.verb} ${x.name}${x.patchType ? ' ' + x.patchType : ''}`),
    ['create a', 'update a', 'update a', 'patch a merge', 'patch a json', 'delete a']);
  assert.deepEqual((c.actions[0]!.object as KubeObject).data, { k: '1' });
});

test('status and scale subresources, binding and eviction', async () => {
  const c = new FakeClient();
  const deploy = { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'd', namespace: 'ns' }, spec: { replicas: 1, selector: { matchLabels: { app: 'd' } } } };
  c.seed(deploy);
  const ds = c.resource(refs.deployments).namespace('ns');
  const cur = await ds.get('d');
  const st = await ds.updateStatus({ ...cur, spec: { replicas: 9 }, status: { replicas: 1 } });
  assert.deepEqual(st.status, { replicas: 1 });
  assert.equal((st.spec as { replicas: number }).replicas, 1, 'updateStatus ignores spec');
  const noStatus = await ds.update({ ...st, status: { replicas: 7 } });
  assert.deepEqual(noStatus.status, { replicas: 1 }, 'update ignores status');
  const scale = await ds.getSubresource<KubeObject & { spec: { replicas: number }; status: { selector: string } }>('d', 'scale');
  assert.equal(scale.status.selector, 'app=d');
  await ds.updateSubresource('d', 'scale', { ...scale, spec: { replicas: 5 } });
  assert.equal(((await ds.get('d')).spec as { replicas: number }).replicas, 5);

  c.seed(pod('p', 'ns'));
  const pods = c.resource(refs.pods).namespace('ns');
  await pods.createSubresource('p', 'binding', { target: { name: 'n1' } });
  assert.equal(((await pods.get('p')).spec as { nodeName: string }).nodeName, 'n1');
  await assert.rejects(pods.createSubresource('p', 'binding', { target: { name: 'n2' } }), (e) => isReason(e, 'Conflict'));
  await pods.createSubresource('p', 'eviction', {});
  await assert.rejects(pods.get('p'), (e) => isReason(e, 'NotFound'));
  assert.deepEqual(c.filterActions({ writesOnly: true }).map((a) => `${a.verb} ${a.resource}/${a.subresource ?? ''}`),
    ['update deployments/status', 'update deployments/', 'update deployments/scale', 'create pods/binding', 'create pods/binding', 'create pods/eviction']);
});

test('finalizers delay deletion until they are removed', async () => {
  const c = new FakeClient();
  const cms = c.resource(refs.configmaps).namespace('ns');
  await cms.create({ metadata: { name: 'f', finalizers: ['x'] } });
  await cms.delete('f');
  const terminating = await cms.get('f');
  assert.ok(terminating.metadata.deletionTimestamp);
  await cms.update({ ...terminating, metadata: { ...terminating.metadata, finalizers: [] } });
  await assert.rejects(cms.get('f'), (e) => isReason(e, 'NotFound'));
});

test('list and deleteCollection with selectors', async () => {
  const c = new FakeClient({ objects: [pod('a', 'n', { app: 'x' }), pod('b', 'n', { app: 'y' }), pod('c', 'n', { app: 'x' })] });
  const pods = c.resource(refs.pods).namespace('n');
  assert.deepEqual((await pods.list({ labelSelector: 'app=x' })).items.map((p) => p.metadata.name), ['a', 'c']);
  assert.deepEqual((await pods.list({ fieldSelector: 'metadata.name=b' })).items.map((p) => p.metadata.name), ['b']);
  await pods.deleteCollection({ labelSelector: 'app=x' });
  assert.deepEqual((await pods.list()).items.map((p) => p.metadata.name), ['b']);
});

test('watch: replay from resourceVersion, live events, 410 after compaction', async () => {
  const c = new FakeClient();
  const cms = c.resource(refs.configmaps).namespace('ns');
  const a = await cms.create({ metadata: { name: 'a' } });
  await cms.create({ metadata: { name: 'b' } });
  const w = await cms.watch({ resourceVersion: a.metadata.resourceVersion! });
  await cms.delete('a');
  const seen: string[] = [];
  for await (const ev of w) {
    seen.push(`${ev.type} ${ev.type === 'ERROR' ? '' : ev.object.metadata.name}`);
    if (seen.length === 2) w.stop();
  }
  assert.deepEqual(seen, ['ADDED b', 'DELETED a']);
  c.tracker.compact();
  const old = await cms.watch({ resourceVersion: a.metadata.resourceVersion! });
  const evs: WatchEvent[] = [];
  for await (const ev of old) evs.push(ev);
  assert.equal(evs.length, 1);
  assert.ok(evs[0]!.type === 'ERROR' && evs[0]!.object.code === 410);
});

test('reactors answer or fail chosen calls', async () => {
  const c = new FakeClient();
  let n = 0;
  c.prependReactor('create', 'configmaps', () => {
    if (n++ === 0) throw errors.conflict('configmaps', '', 'x');
    return undefined;
  });
  const cms = c.resource(refs.configmaps).namespace('ns');
  await assert.rejects(cms.create({ metadata: { name: 'x' } }), (e) => isReason(e, 'Conflict'));
  assert.equal((await cms.create({ metadata: { name: 'x' } })).metadata.name, 'x');
  assert.equal(c.filterActions({ verb: 'create' }).length, 2);
});

test('a filtered watch sees objects enter and leave the selection', async () => {
  const c = new FakeClient({ objects: [pod('a', 'n', { app: 'x' })] });
  const pods = c.resource(refs.pods).namespace('n');
  const w = await pods.watch({ labelSelector: 'app=x', resourceVersion: String(c.tracker.revision) });
  await pods.patch('a', 'merge', { metadata: { labels: { app: 'y' } } });
  await pods.patch('a', 'merge', { metadata: { labels: { app: 'x' } } });
  await pods.patch('a', 'merge', { metadata: { annotations: { k: 'v' } } });
  const seen: string[] = [];
  for await (const ev of w) {
    seen.push(ev.type);
    if (seen.length === 3) w.stop();
  }
  assert.deepEqual(seen, ['DELETED', 'ADDED', 'MODIFIED']);
});
