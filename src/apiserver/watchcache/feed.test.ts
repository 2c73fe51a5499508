import { test } from 'node:test';
import assert from 'node:assert/strict';
import { openBackend } from '../../storage/index.js';
import { WatchCache, type CacheEvent } from './cache.js';
import { CacheFeed } from './feed.js';

const obj = (name: string, extra: Record<string, unknown> = {}) => Buffer.from(JSON.stringify({ metadata: { name }, ...extra }));

async function setup() {
  const backend = await openBackend('memory://');
  const feed = new CacheFeed(backend);
  const pods = new WatchCache('/registry/pods/');
  const deps = new WatchCache('/registry/apps/deployments/');
  feed.add(pods);
  feed.add(deps);
  return { backend, feed, pods, deps };
}

test('CacheFeed: loads every cache at one revision, routes events by prefix, advances all revisions', async () => {
  const { backend, feed, pods, deps } = await setup();
  try {
    await backend.create('/registry/pods/ns/a', obj('a'));
    await backend.create('/registry/apps/deployments/ns/d', obj('d'));
    feed.start();
    await Promise.all([pods.ready(), deps.ready()]);
    assert.deepEqual(pods.list().map((e) => e.key), ['/registry/pods/ns/a']);
    assert.deepEqual(deps.list().map((e) => e.key), ['/registry/apps/deployments/ns/d']);
    assert.equal(pods.revision, deps.revision);

    const seen: CacheEvent[] = [];
    pods.watch(0, { onEvent: (e) => seen.push(e), onError: () => undefined });
    const { revision } = await backend.create('/registry/apps/deployments/ns/e', obj('e'));
    // A write elsewhere advances the pods cache too: a consistent pods list can be served at once.
    assert.equal(await pods.waitUntil(revision, 2000), true);
    assert.equal(pods.revision >= revision, true);
    assert.equal(seen.length, 0, 'no pod events for a deployment write');

    const put = await backend.update('/registry/pods/ns/a', obj('a', { spec: { x: 1 } }), pods.get('/registry/pods/ns/a')!.rev);
    assert.equal(await pods.waitUntil(put.revision, 2000), true);
    assert.deepEqual(seen.map((e) => [e.type, e.rev]), [['MODIFIED', put.revision]]);
    assert.equal(pods.get('/registry/pods/ns/a')!.obj.metadata.resourceVersion, String(put.revision));
  } finally {
    await feed.stop();
    await backend.close();
  }
});

test('WatchCache.waitUntil: false after the timeout when the store never gets there', async () => {
  const { backend, feed, pods } = await setup();
  try {
    feed.start();
    await pods.ready();
    assert.equal(await pods.waitUntil(pods.revision + 100, 50), false);
  } finally {
    await feed.stop();
    await backend.close();
  }
});

test('WatchCache: resuming watchers replay buffered events; too old a revision is refused', async () => {
  const cache = new WatchCache('/registry/pods/', { capacity: 2 });
  cache.reset([], 10);
  const kv = (name: string, rev: number) => ({ key: `/registry/pods/ns/${name}`, value: obj(name), createRevision: rev, modRevision: rev });
  for (const [i, name] of ['a', 'b', 'c'].entries()) cache.apply({ type: 'PUT', kv: kv(name, 11 + i) });
  const got: number[] = [];
  cache.watch(11, { onEvent: (e) => got.push(e.rev), onError: () => undefined });
  assert.deepEqual(got, [12, 13]);
  assert.throws(() => cache.watch(10, { onEvent: () => undefined, onError: () => undefined }), /too old resource version/);
  // A relist tells live watchers what changed, as synthetic events at the relist revision.
  cache.reset([kv('a', 11), kv('d', 20)], 20);
  assert.deepEqual(got, [12, 13, 20, 20, 20]);
  assert.deepEqual(cache.list().map((e) => e.key.split('/').pop()), ['a', 'd']);
});

test('WatchCache.expect: a write\'s own object is taken when the stored bytes match, decoded otherwise', () => {
  const cache = new WatchCache('/registry/pods/');
  cache.reset([], 1);
  const key = '/registry/pods/ns/a';
  const bytes = obj('a', { spec: { n: 1 } });
  const mine = JSON.parse(bytes.toString()) as { metadata: { resourceVersion?: string } };
  cache.expect(key, bytes, mine as never);
  cache.apply({ type: 'PUT', kv: { key, value: bytes, createRevision: 2, modRevision: 2 } });
  assert.equal(cache.get(key)!.obj, mine, 'the hinted object itself');
  assert.equal(cache.get(key)!.obj.metadata.resourceVersion, '2');

  // Someone else's bytes under the same key: the hint is not used.
  cache.expect(key, obj('a', { spec: { n: 2 } }), { metadata: { name: 'wrong' } } as never);
  const other = obj('a', { spec: { n: 3 } });
  cache.apply({ type: 'PUT', kv: { key, value: other, createRevision: 2, modRevision: 3 } });
  assert.deepEqual(cache.get(key)!.obj, { metadata: { name: 'a', resourceVersion: '3' }, spec: { n: 3 } });
});
