// The informer side of the ReplicaSet controller: events observe expectations and enqueue owners.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { refs } from '../../client/index.js';
import { configureLogging } from '../../util/log.js';
import { waitFor } from '../../util/wait.js';
import type { Pod } from '../controller-utils/index.js';
import { fakeControllerEnv, makePod, makeReplicaSet } from '../testing/index.js';
import { ReplicaSetController } from './controller.js';
import { replicaSetKind } from './kind.js';

configureLogging({ quiet: true });

test('pods created by a sync satisfy the expectations once the informer sees them', async () => {
  const env = fakeControllerEnv([makeReplicaSet().name('rs').replicas(2).obj()]);
  const c = new ReplicaSetController(env.ctx, { kind: replicaSetKind });
  env.fillCaches();
  await c.sync('default/rs');
  assert.equal(c.expectations.satisfied('default/rs'), false);
  const ac = new AbortController();
  env.informers.start(ac.signal);
  try {
    await waitFor(() => c.expectations.satisfied('default/rs'), { timeoutMs: 5000, what: 'creations observed' });
    assert.ok(c.queue.len() >= 1);
  } finally {
    ac.abort();
    await env.informers.shutdown();
  }
});

test('an orphan enqueues the ReplicaSets whose selector matches it; an owned pod its owner only', async () => {
  const web = makeReplicaSet().name('web').obj();
  const db = makeReplicaSet().name('db').selector({ app: 'db' }).obj();
  const env = fakeControllerEnv([web, db]);
  const c = new ReplicaSetController(env.ctx, { kind: replicaSetKind });
  const ac = new AbortController();
  env.informers.start(ac.signal);
  try {
    assert.equal(await env.informers.waitForCacheSync(ac.signal), true);
    const drain = async () => {
      const keys: string[] = [];
      while (c.queue.len() > 0) {
        const k = (await c.queue.get())!;
        keys.push(k);
        c.queue.done(k);
      }
      return keys.sort();
    };
    await drain();
    const pods = env.client.resource<Pod>(refs.pods).namespace('default');
    await pods.create(makePod().name('orphan').label('app', 'web').obj());
    await waitFor(() => c.queue.len() > 0, { timeoutMs: 5000, what: 'enqueue' });
    assert.deepEqual(await drain(), ['default/web']);
    await pods.create(makePod().name('owned').label('app', 'web').owner(db).obj());
    await waitFor(() => c.queue.len() > 0, { timeoutMs: 5000, what: 'enqueue' });
    assert.deepEqual(await drain(), ['default/db']);
  } finally {
    ac.abort();
    await env.informers.shutdown();
  }
});
