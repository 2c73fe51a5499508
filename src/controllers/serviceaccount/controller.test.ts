import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { KubeObject } from '../../api/types.js';
import { FakeClient, SharedInformerFactory, refs } from '../../client/index.js';
import { configureLogging } from '../../util/log.js';
import { ServiceAccountController } from './controller.js';

configureLogging({ quiet: true });

const ns = (name: string, phase = 'Active'): KubeObject => ({ apiVersion: 'v1', kind: 'Namespace', metadata: { name }, status: { phase } });
const sa = (namespace: string, name: string): KubeObject => ({ apiVersion: 'v1', kind: 'ServiceAccount', metadata: { namespace, name } });

async function setup(objects: KubeObject[]) {
  const client = new FakeClient({ objects });
  const f = new SharedInformerFactory(client);
  const c = new ServiceAccountController({ client, namespaces: f.forResource(refs.namespaces), serviceAccounts: f.forResource(refs.serviceaccounts) });
  f.start();
  await f.waitForCacheSync();
  client.clearActions();
  return { client, c, f };
}

describe('serviceaccount controller', () => {
  test('creates default in an active namespace that lacks it; leaves others alone', async () => {
    const { client, c, f } = await setup([ns('a'), ns('b'), sa('b', 'default'), ns('t', 'Terminating')]);
    for (const k of ['a', 'b', 't', 'missing']) await c.sync(k);
    assert.deepEqual(client.filterActions({ writesOnly: true }).map((a) => `${a.verb} ${a.namespace}/${a.name}`), ['create a/default']);
    await f.shutdown();
  });

  test('a deleted default ServiceAccount enqueues its namespace', async () => {
    const { client, c, f } = await setup([ns('b'), sa('b', 'default')]);
    while (c.queue.len()) c.queue.done((await c.queue.get())!);
    await client.resource(refs.serviceaccounts).namespace('b').delete('default');
    for (let i = 0; i < 50 && !c.queue.len(); i++) await new Promise((r) => setTimeout(r, 5));
    assert.equal(await c.queue.get(), 'b');
    await f.shutdown();
  });
});
