// The shared informer over the fake client, on fake time.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { FakeClock } from '../../util/clock.js';
import { configureLogging } from '../../util/log.js';
import type { KubeObject } from '../../api/types.js';
import { FakeClient } from '../fake/index.js';
import { refs } from '../refs.js';
import { SharedIndexInformer } from './shared.js';
import { SharedInformerFactory } from './factory.js';
import { DeletedFinalStateUnknown } from './handlers.js';

configureLogging({ quiet: true });
const flush = async (n = 5) => {
  for (let i = 0; i < n; i++) await new Promise<void>((r) => setImmediate(r));
};
const cm = (name: string, ns = 'n', labels: Record<string, string> = {}): KubeObject => ({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name, namespace: ns, labels } });

function recorder() {
  const log: string[] = [];
  const tombstones: DeletedFinalStateUnknown[] = [];
  return {
    log, tombstones,
    handler: {
      add: (o: KubeObject, initial: boolean) => log.push(`add ${o.metadata.name}${initial ? ' (initial)' : ''}`),
      update: (a: KubeObject, b: KubeObject) => log.push(`update ${b.metadata.name}${a === b ? ' (same)' : ''}`),
      delete: (o: KubeObject | DeletedFinalStateUnknown) => {
        if (o instanceof DeletedFinalStateUnknown) {
          tombstones.push(o);
          log.push(`delete ${o.key} (tombstone)`);
        } else log.push(`delete ${o.metadata.name}`);
      },
    },
  };
}

test('lists, syncs, then follows watch events; cached objects are frozen', async () => {
  const clock = new FakeClock();
  const c = new FakeClient({ objects: [cm('a'), cm('b', 'm', { app: 'x' })] });
  const inf = new SharedIndexInformer(c.resource(refs.configmaps), { clock });
  const r = recorder();
  const reg = inf.addEventHandler(r.handler);
  const run = inf.run();
  await flush();
  assert.equal(inf.hasSynced(), true);
  assert.equal(reg.hasSynced(), true);
  assert.deepEqual(r.log.sort(), ['add a (initial)', 'add b (initial)']);
  r.log.length = 0;

  const cms = c.resource(refs.configmaps).namespace('n');
  await cms.create({ metadata: { name: 'c' } });
  await cms.patch('a', 'merge', { data: { k: 'v' } });
  await cms.delete('c');
  await flush();
  assert.deepEqual(r.log, ['add c', 'update a', 'delete c']);

  const a = inf.lister.get('n', 'a')!;
  assert.deepEqual(a.data, { k: 'v' });
  assert.throws(() => {
    (a.metadata as { name: string }).name = 'mutated';
  }, TypeError);
  assert.throws(() => {
    (a.data as Record<string, string>).k = 'x';
  }, TypeError, 'frozen deeply');
  assert.deepEqual(inf.lister.list('app=x').map((o) => o.metadata.name), ['b']);
  assert.deepEqual(inf.lister.listNamespace('n').map((o) => o.metadata.name), ['a']);
  assert.equal(inf.lister.get('n', 'missing'), undefined);
  assert.equal(inf.lastSyncResourceVersion(), String(c.tracker.revision));
  inf.stop();
  await run;
});

test('after a 410 it relists: deletions missed while away arrive as tombstones', async () => {
  const clock = new FakeClock();
  const c = new FakeClient({ objects: [cm('a'), cm('b')] });
  let disconnected = false;
  c.prependReactor('watch', 'configmaps', () => {
    if (disconnected) throw new Error('connect ECONNREFUSED');
    return undefined;
  });
  const inf = new SharedIndexInformer(c.resource(refs.configmaps).namespace('n'), { clock });
  const r = recorder();
  inf.addEventHandler(r.handler);
  const run = inf.run();
  await flush();
  assert.equal(inf.hasSynced(), true);
  r.log.length = 0;

  // The connection drops; while away, a is deleted, c created, and the server forgets that history.
  disconnected = true;
  c.tracker.endWatches(new Error('socket hang up'));
  await flush();
  const cms = c.resource(refs.configmaps).namespace('n');
  await cms.delete('a');
  await cms.create({ metadata: { name: 'c' } });
  c.tracker.compact();
  disconnected = false;
  const listsBefore = c.filterActions({ verb: 'list' }).length;
  // Reconnect (backoff ≤ 1.6 s), re-watch from the old resourceVersion → 410 → relist after another backoff.
  for (let i = 0; i < 10; i++) {
    clock.advance(2000);
    await flush();
  }
  assert.equal(c.filterActions({ verb: 'list' }).length, listsBefore + 1, 'relisted once');
  assert.deepEqual(r.log.sort(), ['add c', 'delete n/a (tombstone)', 'update b']);
  assert.equal(r.tombstones[0]!.obj.metadata.name, 'a');
  assert.deepEqual(inf.lister.list().map((o) => o.metadata.name).sort(), ['b', 'c']);

  // And it is watching again.
  await cms.create({ metadata: { name: 'd' } });
  await flush();
  assert.ok(inf.lister.get('n', 'd'));
  inf.stop();
  await run;
});

test('a watch that simply ends is re-opened from the last resourceVersion without relisting', async () => {
  const c = new FakeClient({ objects: [cm('a')] });
  const inf = new SharedIndexInformer(c.resource(refs.configmaps), { clock: new FakeClock() });
  const run = inf.run();
  await flush();
  c.tracker.endWatches();
  await flush();
  await c.resource(refs.configmaps).namespace('n').create({ metadata: { name: 'b' } });
  await flush();
  assert.ok(inf.lister.get('n', 'b'));
  assert.equal(c.filterActions({ verb: 'list' }).length, 1);
  assert.equal(c.filterActions({ verb: 'watch' }).length, 2);
  inf.stop();
  await run;
});

test('late handlers get the cache replayed; resync delivers update(obj, obj); throwing handlers are contained', async () => {
  const clock = new FakeClock();
  const c = new FakeClient({ objects: [cm('a'), cm('b')] });
  const inf = new SharedIndexInformer(c.resource(refs.configmaps), { clock, resyncMs: 30_000 });
  inf.addEventHandler({ add: () => { throw new Error('bad handler'); } });
  const run = inf.run();
  await flush();
  const r = recorder();
  const reg = inf.addEventHandler(r.handler);
  assert.equal(reg.hasSynced(), true);
  assert.deepEqual(r.log.sort(), ['add a (initial)', 'add b (initial)']);
  r.log.length = 0;
  clock.advance(30_000);
  assert.deepEqual(r.log.sort(), ['update a (same)', 'update b (same)']);
  reg.remove();
  r.log.length = 0;
  clock.advance(30_000);
  await c.resource(refs.configmaps).namespace('n').create({ metadata: { name: 'z' } });
  await flush();
  assert.deepEqual(r.log, [], 'removed handlers get nothing');
  inf.stop();
  await run;
});

test('custom indexers and byIndex', async () => {
  const pods = [['p1', 'n1'], ['p2', 'n2'], ['p3', 'n1']].map(([name, node]) => ({ apiVersion: 'v1', kind: 'Pod', metadata: { name: name!, namespace: 'ns' }, spec: { nodeName: node } }));
  const c = new FakeClient({ objects: pods });
  const inf = new SharedIndexInformer(c.resource(refs.pods), { clock: new FakeClock(), indexers: { node: (p) => [(p.spec as { nodeName: string }).nodeName] } });
  const run = inf.run();
  await flush();
  assert.deepEqual(inf.lister.byIndex('node', 'n1').map((p) => p.metadata.name).sort(), ['p1', 'p3']);
  await c.resource(refs.pods).namespace('ns').patch('p1', 'merge', { spec: { nodeName: 'n2' } });
  await flush();
  assert.deepEqual(inf.lister.byIndex('node', 'n1').map((p) => p.metadata.name), ['p3']);
  assert.deepEqual(inf.lister.byIndex('node', 'n2').map((p) => p.metadata.name).sort(), ['p1', 'p2']);
  inf.stop();
  await run;
});

test('the factory shares one informer per resource and syncs them together', async () => {
  const c = new FakeClient({ objects: [cm('a'), { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p', namespace: 'n' } }] });
  const f = new SharedInformerFactory(c, { clock: new FakeClock() });
  const i1 = f.forResource(refs.configmaps);
  const i2 = f.forResource({ apiVersion: 'v1', kind: 'ConfigMap' });
  assert.equal(i1, i2);
  const pods = f.forResource(refs.pods, { node: () => [] });
  f.forResource(refs.pods, { node: () => [] });
  f.start();
  assert.equal(await f.waitForCacheSync(), true);
  assert.equal(i1.lister.list().length, 1);
  assert.equal(pods.lister.list().length, 1);
  assert.equal(c.filterActions({ verb: 'list' }).length, 2, 'one list per resource');
  await f.shutdown();
});
