import { test } from 'node:test';
import assert from 'node:assert/strict';
import { setImmediate as tick } from 'node:timers/promises';
import { FakeClock } from '../../util/clock.js';
import { logger } from '../../util/log.js';
import { FakeRuntime, normalizeRef } from '../runtime/index.js';
import { ImageGCManager, validateImageGCPolicy, type ImageGCPolicy } from './gc.js';

const MiB = 1 << 20;
const sandbox = { metadata: { name: 'p', namespace: 'ns', uid: 'u' } };

/**
 * A node whose image filesystem holds `otherMiB` besides the fake's images (1 MiB each) on a
 * `capacityMiB` disk; images named "pinned…" are reported pinned by the runtime.
 */
function setup(o: { capacityMiB?: number; otherMiB?: number; policy?: Partial<ImageGCPolicy> } = {}) {
  const clock = new FakeClock();
  const rt = new FakeRuntime({ clock });
  const list = rt.listImages.bind(rt);
  rt.listImages = async (f) => (await list(f)).map((i) => (i.repoTags.some((t) => t.includes('/pinned')) ? { ...i, pinned: true } : i));
  const events: Array<[string, string]> = [];
  const capacity = (o.capacityMiB ?? 10) * MiB;
  const gc = new ImageGCManager({
    runtime: rt, clock, log: logger('test'), sandboxImage: 'pause:1', policy: o.policy,
    fsCapacity: async (u) => ({ capacityBytes: capacity, availableBytes: capacity - u.usedBytes - (o.otherMiB ?? 0) * MiB }),
    event: (reason, message) => events.push([reason, message]),
  });
  // removeImage gets image ids: name them by the refs pulled.
  const names = new Map<string, string>();
  const pull = rt.pullImage.bind(rt);
  rt.pullImage = async (spec) => {
    const id = await pull(spec);
    names.set(id, normalizeRef(spec.image));
    return id;
  };
  const removed = () => rt.calls.filter((c) => c.method === 'removeImage').map((c) => (c.args[0] as { image: string }).image).map((id) => names.get(id) ?? id);
  const idOf = async (ref: string) => (await rt.imageStatus({ image: ref }))!.id;
  return { clock, rt, gc, events, removed, idOf };
}

test('image GC: below the high threshold nothing goes', async () => {
  const { rt, gc, clock, removed } = setup({ capacityMiB: 100 });
  for (const i of ['a:1', 'b:1']) await rt.pullImage({ image: i });
  await gc.detectImages(clock.now());
  clock.advance(10 * 60_000);
  await gc.garbageCollect();
  assert.deepEqual(removed(), []);
});

test('image GC: least recently used first, never in-use, sandbox, pinned or young images, down to the low threshold', async () => {
  // 10 MiB disk, 3 MiB other data + 7 images = full: free 2 MiB (to 80%).
  const { rt, gc, clock, removed, idOf } = setup({ otherMiB: 3 });
  for (const i of ['pause:1', 'inuse:1', 'used-earlier:1', 'old-a:1', 'old-b:1', 'pinned:1']) await rt.pullImage({ image: i });
  const sid = await rt.runPodSandbox(sandbox);
  await rt.createContainer(sid, { metadata: { name: 'app' }, image: { image: 'inuse:1' } }, sandbox);
  const earlier = await rt.createContainer(sid, { metadata: { name: 'old' }, image: { image: 'used-earlier:1' } }, sandbox);
  await gc.detectImages(clock.now());
  assert.equal(gc.record(await idOf('used-earlier:1'))!.lastUsed, clock.now());
  assert.equal(gc.record(await idOf('old-a:1'))!.lastUsed, 0);
  await rt.removeContainer(earlier);
  clock.advance(60_000);
  await rt.pullImage({ image: 'young:1' });
  clock.advance(90_000);
  // young:1 is 90 s old (< 2 min): skipped; the never-used ones go before the one used earlier.
  await gc.garbageCollect();
  assert.deepEqual(removed(), ['docker.io/library/old-a:1', 'docker.io/library/old-b:1']);
  assert.equal(await rt.imageStatus({ image: 'old-a:1' }), null);
  assert.equal(gc.record(await idOf('young:1'))!.firstDetected, clock.now());
});

test('image GC: a used-earlier image goes after never-used ones, before nothing else', async () => {
  const { rt, gc, clock, removed } = setup({ otherMiB: 5 });
  for (const i of ['pause:1', 'used-earlier:1', 'old-a:1', 'old-b:1', 'inuse:1']) await rt.pullImage({ image: i });
  const sid = await rt.runPodSandbox(sandbox);
  await rt.createContainer(sid, { metadata: { name: 'app' }, image: { image: 'inuse:1' } }, sandbox);
  const earlier = await rt.createContainer(sid, { metadata: { name: 'old' }, image: { image: 'used-earlier:1' } }, sandbox);
  await gc.detectImages(clock.now());
  await rt.removeContainer(earlier);
  clock.advance(5 * 60_000);
  // 5 + 5 of 10 MiB: full; 2 MiB to free but only 3 images are eligible — takes the two LRU ones.
  await gc.garbageCollect();
  assert.deepEqual(removed(), ['docker.io/library/old-a:1', 'docker.io/library/old-b:1']);
});

test('image GC: not enough eligible → FreeDiskSpaceFailed; repeated loop failures → ImageGCFailed', async () => {
  const { rt, gc, clock, events, removed } = setup({ otherMiB: 6 });
  for (const i of ['pause:1', 'pinned:1', 'old:1']) await rt.pullImage({ image: i });
  await gc.detectImages(clock.now());
  clock.advance(5 * 60_000);
  await rt.pullImage({ image: 'young:1' });
  // 6 + 4 = full: 2 MiB to free, only old:1 (1 MiB) may go.
  await assert.rejects(gc.garbageCollect(), /Attempted to free 2097152 bytes, but only found 1048576 bytes eligible to free/);
  assert.deepEqual(removed(), ['docker.io/library/old:1']);
  assert.deepEqual(events.map((e) => e[0]), ['FreeDiskSpaceFailed']);

  // The loop: the first failure is only logged, the next one also gets ImageGCFailed.
  events.length = 0;
  await gc.tick();
  assert.deepEqual(events.map((e) => e[0]), ['FreeDiskSpaceFailed']);
  await gc.tick();
  assert.deepEqual(events.map((e) => e[0]), ['FreeDiskSpaceFailed', 'FreeDiskSpaceFailed', 'ImageGCFailed']);
});

test('image GC: zero capacity → InvalidDiskCapacity', async () => {
  const { gc, events } = setup({ capacityMiB: 0 });
  await assert.rejects(gc.garbageCollect(), /invalid capacity 0 on image filesystem/);
  assert.deepEqual(events.map((e) => e[0]), ['InvalidDiskCapacity']);
});

test('image GC loop: detect at start, first pass after a minute, then every 5 minutes; stop ends it', async () => {
  const { rt, gc, clock, removed } = setup({ otherMiB: 8 });
  for (const i of ['pause:1', 'a:1', 'b:1', 'c:1']) await rt.pullImage({ image: i });
  gc.start();
  await tick();
  // a, b, c first detected now: at +1 min they are too young, at +6 min they may go.
  clock.advance(60_000);
  await tick();
  await tick();
  assert.deepEqual(removed(), []);
  clock.advance(5 * 60_000);
  for (let i = 0; i < 5; i++) await tick();
  // 8 + 4 = 12 of 10 MiB: available clamps to 0 → 2 MiB to free.
  assert.deepEqual(removed(), ['docker.io/library/a:1', 'docker.io/library/b:1']);
  gc.stop();
  assert.equal(clock.pendingTimers(), 0);
});

test('image GC policy validation (upstream NewImageGCManager)', () => {
  const cases: Array<[Partial<ImageGCPolicy>, RegExp | undefined]> = [
    [{ highThresholdPercent: 85, lowThresholdPercent: 80 }, undefined],
    [{ highThresholdPercent: 100, lowThresholdPercent: 80 }, undefined],
    [{ highThresholdPercent: 101 }, /HighThresholdPercent/],
    [{ lowThresholdPercent: -1 }, /LowThresholdPercent -1/],
    [{ highThresholdPercent: 70, lowThresholdPercent: 80 }, /can not be higher/],
  ];
  for (const [p, err] of cases) {
    const full = { highThresholdPercent: 85, lowThresholdPercent: 80, minAgeMs: 0, ...p };
    if (err) assert.throws(() => validateImageGCPolicy(full), err);
    else assert.doesNotThrow(() => validateImageGCPolicy(full));
  }
});

test('image GC: an image filesystem not on this host (fake runtime) turns collection off without events', async () => {
  const clock = new FakeClock();
  const rt = new FakeRuntime({ clock });
  const events: string[] = [];
  const gc = new ImageGCManager({ runtime: rt, clock, log: logger('test'), event: (r) => events.push(r) });
  await assert.rejects(gc.garbageCollect(), /mount point \/var\/lib\/fake\/images does not exist on this host/);
  await gc.tick();
  await gc.tick();
  assert.deepEqual(events, []);
});
