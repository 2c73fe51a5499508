// @kubernetes/client-node 1.x (2.x needs Node >= 22) against `skiff server`: CRUD, selectors, a raw
// watch, and an informer that recovers from 410 Expired by relisting.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import * as k8s from '@kubernetes/client-node';
import { startServer, type RunningServer } from './harness.js';
import { waitFor } from '../../src/util/wait.js';

describe('@kubernetes/client-node against skiff server', { timeout: 180_000 }, () => {
  let srv: RunningServer;
  let kc: k8s.KubeConfig;
  let core: k8s.CoreV1Api;
  const ns = 'cn';

  before(async () => {
    // A small watch cache and short watches make the 410 path reachable in seconds.
    srv = await startServer(['--no-agent', '--default-watch-cache-size=20', '--min-request-timeout=2']);
    kc = new k8s.KubeConfig();
    kc.loadFromFile(srv.kubeconfig);
    core = kc.makeApiClient(k8s.CoreV1Api);
    await core.createNamespace({ body: { metadata: { name: ns } } });
  });
  after(async () => {
    await srv?.stop();
  });

  test('create, read, update, delete', async () => {
    const created = await core.createNamespacedConfigMap({ namespace: ns, body: { metadata: { name: 'a', labels: { app: 'x' } }, data: { k: 'v' } } });
    assert.equal(created.metadata?.name, 'a');
    const read = await core.readNamespacedConfigMap({ name: 'a', namespace: ns });
    assert.equal(read.data?.k, 'v');
    read.data = { k: 'v2' };
    const updated = await core.replaceNamespacedConfigMap({ name: 'a', namespace: ns, body: read });
    assert.equal(updated.data?.k, 'v2');
    assert.notEqual(updated.metadata?.resourceVersion, read.metadata?.resourceVersion);
    await assert.rejects(core.replaceNamespacedConfigMap({ name: 'a', namespace: ns, body: read }), (err: any) => err.code === 409);
    const patched = await core.patchNamespacedConfigMap({ name: 'a', namespace: ns, body: [{ op: 'add', path: '/data/extra', value: '1' }] });
    assert.equal(patched.data?.extra, '1');
    await core.deleteNamespacedConfigMap({ name: 'a', namespace: ns });
    await assert.rejects(core.readNamespacedConfigMap({ name: 'a', namespace: ns }), (err: any) => err.code === 404);
  });

  test('list with label and field selectors', async () => {
    for (const [name, tier] of [['s1', 'web'], ['s2', 'web'], ['s3', 'db']]) {
      await core.createNamespacedSecret({ namespace: ns, body: { metadata: { name, labels: { tier } }, stringData: { a: 'b' } } });
    }
    const web = await core.listNamespacedSecret({ namespace: ns, labelSelector: 'tier=web' });
    assert.deepEqual(web.items.map((s) => s.metadata?.name), ['s1', 's2']);
    const notWeb = await core.listNamespacedSecret({ namespace: ns, labelSelector: 'tier notin (web)' });
    assert.deepEqual(notWeb.items.map((s) => s.metadata?.name), ['s3']);
    const byName = await core.listNamespacedSecret({ namespace: ns, fieldSelector: 'metadata.name=s2' });
    assert.deepEqual(byName.items.map((s) => s.metadata?.name), ['s2']);
    await assert.rejects(core.listNamespacedSecret({ namespace: ns, fieldSelector: 'spec.bogus=1' }), (err: any) => err.code === 400);
  });

  test('watch delivers ADDED, MODIFIED, DELETED', async () => {
    const events: string[] = [];
    const watch = new k8s.Watch(kc);
    const req = await watch.watch(`/api/v1/namespaces/${ns}/configmaps`, { labelSelector: 'w=1' }, (type, obj) => {
      events.push(`${type} ${obj.metadata.name} ${obj.kind}`);
    }, () => undefined);
    await core.createNamespacedConfigMap({ namespace: ns, body: { metadata: { name: 'w', labels: { w: '1' } }, data: { a: '1' } } });
    await core.patchNamespacedConfigMap({ name: 'w', namespace: ns, body: [{ op: 'replace', path: '/data/a', value: '2' }] });
    await core.deleteNamespacedConfigMap({ name: 'w', namespace: ns });
    await waitFor(() => events.length >= 3, { timeoutMs: 10_000, what: 'three watch events' });
    req.abort();
    assert.deepEqual(events, ['ADDED w ConfigMap', 'MODIFIED w ConfigMap', 'DELETED w ConfigMap']);
  });

  test('informer relists after 410 Expired and keeps up', async () => {
    const watched = 'inf';
    await core.createNamespace({ body: { metadata: { name: watched } } });
    await core.createNamespacedConfigMap({ namespace: watched, body: { metadata: { name: 'first' } } });
    const informer = k8s.makeInformer(kc, `/api/v1/namespaces/${watched}/configmaps`, () => core.listNamespacedConfigMap({ namespace: watched }));
    const added = new Set<string>();
    informer.on('add', (o) => added.add(o.metadata!.name!));
    let stopped = false;
    informer.on('error', () => stopped || setTimeout(() => stopped || void informer.start(), 200));
    await informer.start();
    await waitFor(() => added.has('first'), { timeoutMs: 10_000, what: 'initial list' });
    const oldRv = (await core.listNamespacedConfigMap({ namespace: watched })).metadata!.resourceVersion!;
    // Push the informer's resourceVersion out of the 20-event watch cache with writes elsewhere.
    for (let i = 0; i < 40; i++) await core.createNamespacedConfigMap({ namespace: ns, body: { metadata: { name: `churn-${i}` } } });
    // The server now answers a watch from that resourceVersion with 410 Expired, as upstream does.
    const errors: any[] = [];
    const w = await new k8s.Watch(kc).watch(`/api/v1/namespaces/${watched}/configmaps`, { resourceVersion: oldRv }, (type, obj) => {
      if (type === 'ERROR') errors.push(obj);
    }, () => undefined);
    await waitFor(() => errors.length > 0, { timeoutMs: 10_000, what: 'ERROR event' });
    w.abort();
    assert.equal(errors[0].code, 410);
    assert.equal(errors[0].reason, 'Expired');
    // The informer's own watch ends (min-request-timeout=2), re-watches from the expired
    // resourceVersion, gets 410, relists — and then sees new objects again.
    await new Promise((r) => setTimeout(r, 4500));
    await core.createNamespacedConfigMap({ namespace: watched, body: { metadata: { name: 'after-410' } } });
    await waitFor(() => added.has('after-410'), { timeoutMs: 20_000, what: 'informer to see an object created after the 410' });
    stopped = true;
    await informer.stop();
  });
});
