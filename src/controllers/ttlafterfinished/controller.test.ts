// TTL-after-finished controller tests on the fake controller environment.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { KubeObject } from '../../api/types.js';
import { FakeClock } from '../../util/clock.js';
import { configureLogging } from '../../util/log.js';
import { fakeControllerEnv } from '../testing/index.js';
import { TTLAfterFinishedController } from './controller.js';

configureLogging({ quiet: true });
const T0 = Date.UTC(2026, 0, 1);
const iso = (ms: number) => new Date(ms).toISOString().replace(/\.\d+Z$/, 'Z');

function job(ttl: number | undefined, finished: number | undefined, name = 'j'): KubeObject {
  return {
    apiVersion: 'batch/v1', kind: 'Job', metadata: { name, namespace: 'ns', uid: `${name}-uid` },
    spec: ttl === undefined ? {} : { ttlSecondsAfterFinished: ttl },
    status: finished === undefined ? {} : { conditions: [{ type: 'Complete', status: 'True', lastTransitionTime: iso(finished) }] },
  };
}

function setup(objs: KubeObject[], now: number) {
  const env = fakeControllerEnv(objs, { clock: new FakeClock(now) });
  const c = new TTLAfterFinishedController({ client: env.client, informers: env.ctx.informers, clock: env.clock });
  env.fillCaches();
  env.client.clearActions();
  return { env, c };
}

test('deletes an expired finished job in the background, after a fresh GET', async () => {
  const { env, c } = setup([job(60, T0)], T0 + 60_000);
  await c.sync('ns/j');
  const acts = env.client.actions.map((a) => `${a.verb} ${a.resource}`);
  assert.deepEqual(acts, ['get jobs', 'delete jobs']);
  assert.equal(env.client.tracker.list({ group: 'batch', version: 'v1', resource: 'jobs', kind: 'Job', namespaced: true }, {}).items.length, 0);
});

test('not yet expired: requeued for the remaining time, nothing deleted', async () => {
  const { env, c } = setup([job(60, T0)], T0 + 20_000);
  await c.sync('ns/j');
  assert.equal(env.writes().length, 0);
  assert.equal(c.queue.waitingLen(), 1);
  env.clock.advance(39_999);
  assert.equal(c.queue.waitingLen(), 1);
  env.clock.advance(1);
  assert.equal(c.queue.waitingLen(), 0);
});

test('unfinished jobs, jobs without a TTL, and a live TTL raised meanwhile are left alone', async () => {
  for (const j of [job(0, undefined), job(undefined, T0)]) {
    const { env, c } = setup([j], T0 + 3600_000);
    await c.sync('ns/j');
    assert.equal(env.client.actions.length, 0);
  }
  const { env, c } = setup([job(10, T0)], T0 + 60_000);
  // The cache says expired; the live object has a longer TTL now.
  await env.client.resource({ group: 'batch', version: 'v1', resource: 'jobs' }).namespace('ns').update(job(600, T0));
  env.client.clearActions();
  await c.sync('ns/j');
  assert.deepEqual(env.client.actions.map((a) => a.verb), ['get']);
  assert.equal(c.queue.waitingLen(), 1);
});
