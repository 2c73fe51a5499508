// Image GC against a real containerd: statfs of the image filesystem it reports, removal by image
// id, the sandbox image kept.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { FakeClock } from '../../util/clock.js';
import { logger } from '../../util/log.js';
import { createCriRuntime } from '../runtime/cri/index.js';
import { criTestSkip, requireCri, startCriTestEnv } from '../runtime/cri/testing/index.js';
import { ImageGCManager } from './gc.js';

test('image GC on containerd: frees unused images, keeps the sandbox image', { skip: criTestSkip(), timeout: 180_000 }, async (t) => {
  requireCri();
  const env = await startCriTestEnv();
  t.after(() => env.stop());
  const rt = await createCriRuntime({ endpoint: env.containerd.endpoint });
  t.after(() => rt.close());
  await rt.pullImage({ image: env.busyboxRef });
  await rt.pullImage({ image: env.pauseRef });
  const clock = new FakeClock();
  const events: string[] = [];
  // Thresholds 0/0: "free the whole disk", which cannot succeed, so every eligible image goes.
  const gc = new ImageGCManager({
    runtime: rt, clock, log: logger('test'), sandboxImage: env.pauseRef,
    policy: { highThresholdPercent: 0, lowThresholdPercent: 0, minAgeMs: 60_000 },
    event: (reason) => events.push(reason),
  });
  await gc.detectImages(clock.now());
  clock.advance(120_000);
  await assert.rejects(gc.garbageCollect(), /Failed to garbage collect required amount of images\. Attempted to free \d+ bytes, but only found [1-9]\d* bytes eligible to free\./);
  assert.deepEqual(events, ['FreeDiskSpaceFailed']);
  assert.equal(await rt.imageStatus({ image: env.busyboxRef }), null);
  assert.ok(await rt.imageStatus({ image: env.pauseRef }), 'the sandbox image stays');
});
