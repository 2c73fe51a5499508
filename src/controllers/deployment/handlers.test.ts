// The informer side of the Deployment controller: ReplicaSet events enqueue the owning Deployment,
// orphans every Deployment selecting them.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { refs } from '../../client/index.js';
import { configureLogging } from '../../util/log.js';
import { waitFor } from '../../util/wait.js';
import type { ReplicaSet } from '../controller-utils/index.js';
import { fakeControllerEnv, makeDeployment } from '../testing/index.js';
import { DeploymentController } from './controller.js';
import { rsFor } from './fixtures.js';

configureLogging({ quiet: true });

test('ReplicaSet events enqueue their Deployment', async () => {
  const web = makeDeployment().name('web').obj();
  const api = makeDeployment().name('api').selector({ app: 'api' }).obj();
  const env = fakeControllerEnv([web, api]);
  const c = new DeploymentController(env.ctx);
  const ac = new AbortController();
  env.informers.start(ac.signal);
  const drain = async () => {
    const keys: string[] = [];
    while (c.queue.len() > 0) {
      const k = (await c.queue.get())!;
      keys.push(k);
      c.queue.done(k);
    }
    return keys.sort();
  };
  try {
    assert.equal(await env.informers.waitForCacheSync(ac.signal), true);
    assert.deepEqual(await drain(), ['default/api', 'default/web']);
    const rss = env.client.resource<ReplicaSet>(refs.replicasets).namespace('default');
    const owned = rsFor(api, { replicas: 1, revision: 1 });
    await rss.create(owned);
    await waitFor(() => c.queue.len() > 0, { timeoutMs: 5000, what: 'enqueue' });
    assert.deepEqual(await drain(), ['default/api']);
    const orphan = rsFor(web, { replicas: 1, revision: 1, name: 'stray' });
    orphan.metadata.ownerReferences = [];
    await rss.create(orphan);
    await waitFor(() => c.queue.len() > 0, { timeoutMs: 5000, what: 'enqueue' });
    assert.deepEqual(await drain(), ['default/web']);
    await rss.delete(owned.metadata.name!);
    await waitFor(() => c.queue.len() > 0, { timeoutMs: 5000, what: 'enqueue' });
    assert.deepEqual(await drain(), ['default/api']);
  } finally {
    ac.abort();
    await env.informers.shutdown();
  }
});
