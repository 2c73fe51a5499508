// The client library against an in-process API server: informers (including recovery from 410
// Expired), leader election between two electors, events, and a tiny controller loop.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { startTestServer, type TestServer } from '../apiserver/testing/inprocess.js';
import type { KubeObject } from '../api/types.js';
import { configureLogging } from '../util/log.js';
import { waitFor } from '../util/wait.js';
import type { ResourceOps } from './interfaces.js';
import { refs } from './refs.js';
import { RestClient, configFromLoaded } from './rest/index.js';
import { DeletedFinalStateUnknown, SharedIndexInformer, SharedInformerFactory } from './informer/index.js';
import { LeaderElector } from './leaderelection/index.js';
import { EventBroadcaster, type EventObject } from './events/index.js';
import { RateLimitingQueue, runWorkers } from './workqueue/index.js';
import { objectKey, splitKey } from './resolve.js';

configureLogging({ quiet: true });

describe('client library against the API server', { timeout: 120_000 }, () => {
  let srv: TestServer;
  let client: RestClient;

  before(async () => {
    // A small watch cache and short watches make 410 Expired reachable in seconds.
    srv = await startTestServer({ watchCacheSize: 20, minRequestTimeoutSeconds: 1 });
    client = new RestClient(configFromLoaded(srv.credentials, { qps: -1, userAgent: 'skiff-client-test' }));
    for (const ns of ['inf', 'churn', 'ctl']) await client.resource(refs.namespaces).create({ metadata: { name: ns } });
  });
  after(async () => {
    client?.close();
    await srv?.stop();
  });

  test('informer sees add, update and delete', async () => {
    const f = new SharedInformerFactory(client, { namespace: 'inf' });
    const inf = f.forResource(refs.configmaps);
    const log: string[] = [];
    inf.addEventHandler({
      add: (o) => log.push(`add ${o.metadata.name}`),
      update: (a, b) => a.metadata.resourceVersion !== b.metadata.resourceVersion && log.push(`update ${b.metadata.name}`),
      delete: (o) => log.push(`delete ${(o instanceof DeletedFinalStateUnknown ? o.obj : o).metadata.name}`),
    });
    const cms = client.resource(refs.configmaps).namespace('inf');
    await cms.create({ metadata: { name: 'pre' } });
    f.start();
    assert.equal(await f.waitForCacheSync(), true);
    assert.ok(inf.lister.get('inf', 'pre'));
    await cms.create({ metadata: { name: 'x' } });
    await cms.patch('x', 'merge', { data: { a: '1' } });
    await cms.delete('x');
    await waitFor(() => log.includes('delete x'), { timeoutMs: 10_000, what: 'delete event' });
    assert.deepEqual(log, ['add pre', 'add x', 'update x', 'delete x']);
    assert.equal(inf.lister.get('inf', 'x'), undefined);
    await f.shutdown();
  });

  test('informer relists after 410 Expired and keeps up', async () => {
    const cms = client.resource(refs.configmaps).namespace('inf');
    let lists = 0;
    const base = client.resource(refs.configmaps).namespace('inf');
    const counting: ResourceOps = { ...bindAll(base), list: (o) => (lists++, base.list(o)) };
    const inf = new SharedIndexInformer(counting, { minWatchTimeoutSeconds: 1, name: 'configmaps' });
    const added = new Set<string>();
    const deleted: string[] = [];
    inf.addEventHandler({
      add: (o) => added.add(o.metadata.name!),
      delete: (o) => deleted.push((o instanceof DeletedFinalStateUnknown ? o.obj : o).metadata.name!),
    });
    await cms.create({ metadata: { name: 'first' } });
    const running = inf.run();
    await waitFor(() => inf.hasSynced(), { timeoutMs: 10_000, what: 'sync' });
    assert.equal(lists, 1);
    // Push the informer's resourceVersion out of the 20-event watch cache with writes elsewhere; its
    // watch ends within 2 s and re-opens from that resourceVersion, gets 410, and relists.
    for (let i = 0; i < 40; i++) await client.resource(refs.configmaps).namespace('churn').create({ metadata: { name: `c${i}` } });
    await waitFor(() => lists >= 2, { timeoutMs: 20_000, what: 'a relist after 410' });
    await cms.create({ metadata: { name: 'after-410' } });
    await cms.delete('first');
    await waitFor(() => added.has('after-410') && deleted.includes('first'), { timeoutMs: 20_000, what: 'events after the relist' });
    inf.stop();
    await running;
  });

  test('two leader electors: only one leads; the other takes over after the first stops', async () => {
    const mk = (id: string) => {
      const state = { leading: false, stopped: false, ac: new AbortController() };
      const el = new LeaderElector({
        client, namespace: 'kube-system', name: 'client-test', identity: id,
        leaseDurationMs: 3000, renewDeadlineMs: 2000, retryPeriodMs: 250,
        callbacks: { onStartedLeading: () => void (state.leading = true), onStoppedLeading: () => void (state.stopped = true) },
      });
      return { el, state, done: el.run(state.ac.signal) };
    };
    const a = mk('a');
    await waitFor(() => a.state.leading, { timeoutMs: 5000, what: 'a to lead' });
    const b = mk('b');
    await new Promise((r) => setTimeout(r, 1500));
    assert.equal(b.state.leading, false, 'b waits while a renews');
    assert.equal(b.el.getLeader(), 'a');
    a.state.ac.abort();
    await a.done;
    assert.equal(a.state.stopped, true);
    const t0 = Date.now();
    await waitFor(() => b.state.leading, { timeoutMs: 5000, what: 'b to take over' });
    assert.ok(Date.now() - t0 < 2800, 'released lease is taken over before it would have expired (3 s)');
    const lease = await client.resource<KubeObject & { spec: Record<string, unknown> }>(refs.leases).namespace('kube-system').get('client-test');
    assert.equal(lease.spec.holderIdentity, 'b');
    assert.equal(lease.spec.leaseTransitions, 1);
    assert.match(String(lease.spec.renewTime), /\.\d{6}Z$/);
    b.state.ac.abort();
    await b.done;
  });

  test('events: created, then aggregated into a series', async () => {
    const pod = await client.resource(refs.configmaps).namespace('ctl').create({ metadata: { name: 'ev-target' } });
    const rec = new EventBroadcaster({ client, reportingController: 'skiff.io/client-test', reportingInstance: 'client-test-1' });
    rec.record(pod, 'Warning', 'Failed', 'Sync', 'first');
    await rec.flush();
    rec.record(pod, 'Warning', 'Failed', 'Sync', 'first');
    await rec.flush();
    const evs = await client.resource<EventObject>(refs.events).namespace('ctl').list();
    assert.equal(evs.items.length, 1);
    assert.equal(evs.items[0]!.reason, 'Failed');
    assert.equal(evs.items[0]!.series?.count, 2);
    await rec.shutdown();
  });

  test('a controller: informer → queue → workers → writes', async () => {
    const f = new SharedInformerFactory(client, { namespace: 'ctl' });
    const inf = f.forResource(refs.configmaps);
    const queue = new RateLimitingQueue<string>({ name: 'stamp' });
    inf.addEventHandler({ add: (o) => queue.add(objectKey(o)), update: (_, o) => queue.add(objectKey(o)) });
    const cms = client.resource(refs.configmaps).namespace('ctl');
    // Level-triggered sync: every configmap gets a "stamped" annotation; cached objects are read-only.
    const workers = runWorkers(queue, 3, async (key) => {
      const { namespace, name } = splitKey(key);
      const cm = inf.lister.get(namespace, name);
      if (!cm || cm.metadata.annotations?.stamped) return;
      await cms.patch(name, 'merge', { metadata: { annotations: { stamped: 'yes' } } });
    });
    f.start();
    await f.waitForCacheSync();
    for (let i = 0; i < 10; i++) await cms.create({ metadata: { name: `w${i}` } });
    await waitFor(() => inf.lister.listNamespace('ctl').filter((o) => o.metadata.annotations?.stamped).length === 11, { timeoutMs: 10_000, what: 'all stamped' });
    await queue.shutDownWithDrain();
    await workers;
    await f.shutdown();
  });
});

// Methods of a class instance as plain bound functions, so a test can wrap one of them.
function bindAll<T extends object>(o: T): T {
  const out: Record<string, unknown> = {};
  let p: object | null = o;
  while (p && p !== Object.prototype) {
    for (const k of Object.getOwnPropertyNames(p)) {
      const v = (o as Record<string, unknown>)[k];
      if (k !== 'constructor' && typeof v === 'function' && !(k in out)) out[k] = (v as (...a: unknown[]) => unknown).bind(o);
    }
    p = Object.getPrototypeOf(p) as object | null;
  }
  return out as T;
}
