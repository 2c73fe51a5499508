// The REST client against an in-process API server.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { startTestServer, type TestServer } from '../../apiserver/testing/inprocess.js';
import { isReason, StatusError } from '../../util/errors.js';
import type { KubeObject } from '../../api/types.js';
import type { WatchEvent } from '../interfaces.js';
import { refs } from '../refs.js';
import { RestClient } from './client.js';
import { configFromLoaded } from './config.js';

describe('RestClient', { timeout: 60_000 }, () => {
  let srv: TestServer;
  let client: RestClient;
  const ns = 'rest';

  before(async () => {
    srv = await startTestServer();
    client = new RestClient(configFromLoaded(srv.credentials, { qps: -1 }));
    await client.resource(refs.namespaces).create({ metadata: { name: ns } });
  });
  after(async () => {
    client?.close();
    await srv?.stop();
  });

  test('create, get, update, patch (json, merge, strategic), delete', async () => {
    const cms = client.resource(refs.configmaps).namespace(ns);
    const created = await cms.create({ metadata: { name: 'a', labels: { app: 'x' } }, data: { k: 'v' } });
    assert.equal(created.metadata.namespace, ns);
    assert.ok(created.metadata.resourceVersion);
    const got = await cms.get('a');
    assert.deepEqual(got.data, { k: 'v' });
    const updated = await cms.update({ ...got, data: { k: 'v2' } });
    assert.notEqual(updated.metadata.resourceVersion, got.metadata.resourceVersion);
    await assert.rejects(cms.update({ ...got, data: { k: 'stale' } }), (e) => isReason(e, 'Conflict') && (e as StatusError).code === 409);
    assert.deepEqual((await cms.patch('a', 'json', [{ op: 'add', path: '/data/j', value: '1' }])).data, { k: 'v2', j: '1' });
    assert.deepEqual((await cms.patch('a', 'merge', { data: { j: null, m: '2' } })).data, { k: 'v2', m: '2' });
    assert.deepEqual((await cms.patch('a', 'strategic', { metadata: { labels: { s: '3' } } })).metadata.labels, { app: 'x', s: '3' });
    // The namespace can come from the object instead of namespace(ns).
    const viaObj = await client.resource(refs.configmaps).update({ ...(await cms.get('a')), data: { o: '1' } });
    assert.deepEqual(viaObj.data, { o: '1' });
    await cms.delete('a');
    await assert.rejects(cms.get('a'), (e: unknown) => {
      assert.ok(e instanceof StatusError);
      assert.equal(e.reason, 'NotFound');
      assert.equal(e.code, 404);
      assert.equal(e.details?.name, 'a');
      return true;
    });
  });

  test('AlreadyExists, Invalid and dryRun', async () => {
    const cms = client.resource({ apiVersion: 'v1', kind: 'ConfigMap' }).namespace(ns);
    await cms.create({ metadata: { name: 'dup' } });
    await assert.rejects(cms.create({ metadata: { name: 'dup' } }), (e) => isReason(e, 'AlreadyExists'));
    await assert.rejects(cms.create({ metadata: { name: 'Not_Valid' } }), (e) => isReason(e, 'Invalid') && (e as StatusError).details?.causes !== undefined);
    await cms.create({ metadata: { name: 'dry' } }, { dryRun: true });
    await assert.rejects(cms.get('dry'), (e) => isReason(e, 'NotFound'));
  });

  test('list with selectors and limit/continue paging; deleteCollection', async () => {
    const secrets = client.resource(refs.secrets).namespace(ns);
    for (let i = 0; i < 5; i++) await secrets.create({ metadata: { name: `s${i}`, labels: { tier: i % 2 ? 'odd' : 'even' } } });
    const even = await secrets.list({ labelSelector: 'tier=even' });
    assert.deepEqual(even.items.map((s) => s.metadata.name), ['s0', 's2', 's4']);
    assert.equal((await secrets.list({ fieldSelector: 'metadata.name=s3' })).items.length, 1);
    const names: string[] = [];
    let cont: string | undefined;
    let pages = 0;
    do {
      const page = await secrets.list({ limit: 2, ...(cont ? { continue: cont } : {}) });
      names.push(...page.items.map((s) => s.metadata.name!));
      cont = page.metadata.continue;
      pages++;
    } while (cont);
    assert.equal(pages, 3);
    assert.deepEqual(names, ['s0', 's1', 's2', 's3', 's4']);
    await secrets.deleteCollection({ labelSelector: 'tier=odd' });
    assert.deepEqual((await secrets.list()).items.map((s) => s.metadata.name), ['s0', 's2', 's4']);
    // Across all namespaces: no namespace() call.
    assert.ok((await client.resource(refs.secrets).list({ labelSelector: 'tier' })).items.length >= 3);
  });

  test('watch delivers ADDED, MODIFIED, DELETED and stops cleanly', async () => {
    const cms = client.resource(refs.configmaps).namespace(ns);
    const rv = (await cms.list()).metadata.resourceVersion!;
    const w = await cms.watch({ resourceVersion: rv, labelSelector: 'w=1' });
    const seen: string[] = [];
    const reading = (async () => {
      for await (const ev of w) {
        seen.push(`${ev.type} ${ev.type === 'ERROR' ? '' : ev.object.metadata.name}`);
        if (seen.length === 3) w.stop();
      }
    })();
    await cms.create({ metadata: { name: 'w', labels: { w: '1' } } });
    await cms.patch('w', 'merge', { data: { a: '1' } });
    await cms.delete('w');
    await reading;
    assert.deepEqual(seen, ['ADDED w', 'MODIFIED w', 'DELETED w']);
  });

  test('watch from a too-old resourceVersion yields an ERROR event with 410 Expired', async () => {
    const tiny = await startTestServer({ watchCacheSize: 5 });
    try {
      const c = new RestClient(configFromLoaded(tiny.credentials, { qps: -1 }));
      const cms = c.resource(refs.configmaps).namespace('default');
      const rv = (await cms.list()).metadata.resourceVersion!;
      for (let i = 0; i < 12; i++) await cms.create({ metadata: { name: `c${i}` } });
      const w = await cms.watch({ resourceVersion: rv });
      const events: WatchEvent[] = [];
      for await (const ev of w) events.push(ev);
      assert.equal(events.length, 1);
      assert.equal(events[0]!.type, 'ERROR');
      assert.equal(events[0]!.type === 'ERROR' && events[0]!.object.code, 410);
      c.close();
    } finally {
      await tiny.stop();
    }
  });

  test('watch rejects when the server refuses it', async () => {
    await assert.rejects(client.resource(refs.configmaps).namespace(ns).watch({ fieldSelector: 'spec.bogus=1' }), (e) => isReason(e, 'BadRequest'));
  });

  test('an aborted signal ends the watch without an error', async () => {
    const ac = new AbortController();
    const w = await client.resource(refs.configmaps).namespace(ns).watch({ resourceVersion: '0', signal: ac.signal });
    setTimeout(() => ac.abort(), 50);
    const types: string[] = [];
    for await (const ev of w) types.push(ev.type);
    assert.ok(types.every((t) => t === 'ADDED'));
  });

  test('subresources: status, scale, binding, eviction', async () => {
    const deploys = client.resource(refs.deployments).namespace(ns);
    const d = await deploys.create({
      metadata: { name: 'd' },
      spec: { replicas: 1, selector: { matchLabels: { app: 'd' } }, template: { metadata: { labels: { app: 'd' } }, spec: { containers: [{ name: 'c', image: 'i' }] } } },
    });
    const withStatus = await deploys.updateStatus({ ...d, status: { replicas: 1, observedGeneration: 1 } });
    assert.equal((withStatus.status as { replicas: number }).replicas, 1);
    const scale = await deploys.getSubresource<KubeObject & { spec: { replicas: number } }>('d', 'scale');
    assert.equal(scale.kind, 'Scale');
    assert.equal(scale.spec.replicas, 1);
    await deploys.updateSubresource('d', 'scale', { ...scale, spec: { replicas: 3 } });
    assert.equal(((await deploys.get('d')).spec as { replicas: number }).replicas, 3);
    const patchedScale = await deploys.patch('d', 'merge', { spec: { replicas: 4 } }, { subresource: 'scale' });
    assert.equal((patchedScale.spec as { replicas: number }).replicas, 4);

    const pods = client.resource(refs.pods).namespace(ns);
    await pods.create({ metadata: { name: 'p' }, spec: { containers: [{ name: 'c', image: 'i' }] } });
    await pods.createSubresource('p', 'binding', { apiVersion: 'v1', kind: 'Binding', metadata: { name: 'p' }, target: { apiVersion: 'v1', kind: 'Node', name: 'n1' } });
    assert.equal(((await pods.get('p')).spec as { nodeName: string }).nodeName, 'n1');
    await pods.createSubresource('p', 'eviction', { apiVersion: 'policy/v1', kind: 'Eviction', metadata: { name: 'p', namespace: ns } });
    const after = await pods.get('p').catch((e: unknown) => e);
    assert.ok(isReason(after, 'NotFound') || (after as KubeObject).metadata.deletionTimestamp, 'evicted pod is gone or terminating');
  });

  test('namespaced names need a namespace', async () => {
    await assert.rejects(client.resource(refs.pods).get('x'), /namespaced/);
  });

  test('client-side rate limit: burst then qps', async () => {
    const slow = new RestClient(configFromLoaded(srv.credentials, { qps: 20, burst: 2 }));
    const t0 = performance.now();
    for (let i = 0; i < 6; i++) await slow.resource(refs.namespaces).get(ns);
    const ms = performance.now() - t0;
    slow.close();
    // 2 free, then 4 more at 20/s = ~200 ms.
    assert.ok(ms >= 180, `6 requests at qps 20 burst 2 took ${ms} ms`);
  });

  test('bearer token: the server rejects an unknown token with 401 Unauthorized', async () => {
    const { certPem: _c, keyPem: _k, ...rest } = srv.credentials;
    const bad = new RestClient({ ...rest, token: 'nope', qps: -1 });
    await assert.rejects(bad.resource(refs.namespaces).list(), (e) => isReason(e, 'Unauthorized'));
    bad.close();
  });
});
