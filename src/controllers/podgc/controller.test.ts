import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { KubeObject } from '../../api/types.js';
import { FakeClient, SharedInformerFactory, refs } from '../../client/index.js';
import { FakeClock } from '../../util/clock.js';
import { configureLogging } from '../../util/log.js';
import { PodGCController } from './controller.js';

configureLogging({ quiet: true });

const node = (name: string, extra: Record<string, unknown> = {}): KubeObject => ({ apiVersion: 'v1', kind: 'Node', metadata: { name }, ...extra });
const pod = (name: string, opts: { node?: string; phase?: string; created?: string; deleting?: boolean; reason?: string } = {}): KubeObject => ({
  apiVersion: 'v1', kind: 'Pod',
  metadata: { namespace: 'ns', name, uid: `uid-${name}`, creationTimestamp: opts.created ?? '2026-01-01T00:00:00Z', ...(opts.deleting ? { deletionTimestamp: '2026-01-01T00:00:00Z', finalizers: ['x'] } : {}) },
  spec: opts.node ? { nodeName: opts.node } : {},
  status: { phase: opts.phase ?? 'Running', ...(opts.reason ? { reason: opts.reason } : {}) },
});

async function setup(objects: KubeObject[], threshold = 0) {
  const clock = new FakeClock();
  const client = new FakeClient({ objects, clock });
  const f = new SharedInformerFactory(client);
  const c = new PodGCController({ client, pods: f.forResource(refs.pods), nodes: f.forResource(refs.nodes), terminatedPodThreshold: threshold, clock });
  f.start();
  await f.waitForCacheSync();
  client.clearActions();
  return { client, c, f, clock };
}
const writes = (c: FakeClient) => c.filterActions({ writesOnly: true }).map((a) => `${a.verb} ${a.resource}${a.subresource ? '/' + a.subresource : ''} ${a.name}`);

describe('pod garbage collector', () => {
  test('terminated pods beyond the threshold: evicted first, then oldest', async () => {
    const { client, c, f } = await setup([
      node('n1'),
      pod('old', { node: 'n1', phase: 'Succeeded', created: '2026-01-01T00:00:00Z' }),
      pod('mid', { node: 'n1', phase: 'Failed', created: '2026-01-02T00:00:00Z' }),
      pod('new', { node: 'n1', phase: 'Succeeded', created: '2026-01-03T00:00:00Z' }),
      pod('evicted', { node: 'n1', phase: 'Failed', reason: 'Evicted', created: '2026-01-04T00:00:00Z' }),
      pod('running', { node: 'n1' }),
    ], 2);
    await c.gc();
    assert.deepEqual(writes(client), ['delete pods evicted', 'delete pods old']);
    await f.shutdown();
  });

  test('pods on a missing node are deleted only after quarantine and a live check', async () => {
    const { client, c, f, clock } = await setup([node('n1'), pod('a', { node: 'gone' }), pod('b', { node: 'n1' })]);
    await c.gc();
    assert.deepEqual(writes(client), [], 'first sighting starts the quarantine');
    clock.advance(39_000);
    await c.gc();
    assert.deepEqual(writes(client), []);
    clock.advance(2_000);
    await c.gc();
    assert.deepEqual(writes(client), ['patch pods/status a', 'delete pods a']);
    const patch = client.filterActions({ verb: 'patch' })[0]!.object as { status: { phase: string; conditions: { type: string; reason: string }[] } };
    assert.equal(patch.status.phase, 'Failed');
    assert.deepEqual(patch.status.conditions.map((x) => [x.type, x.reason]), [['DisruptionTarget', 'DeletionByPodGC']]);
    assert.ok(client.filterActions({ verb: 'get', resource: 'nodes' }).some((a) => a.name === 'gone'));
    await f.shutdown();
  });

  test('a node the cache missed but the API has is not treated as gone', async () => {
    const { client, c, f, clock } = await setup([pod('a', { node: 'late' })]);
    client.tracker.create({ group: '', version: 'v1', resource: 'nodes', kind: 'Node', namespaced: false }, undefined, node('late'));
    // The informer would see it soon; simulate a lagging cache by checking before it does.
    await c.gc();
    clock.advance(41_000);
    client.clearActions();
    await c.gc();
    assert.deepEqual(writes(client), []);
    await f.shutdown();
  });

  test('unscheduled terminating pods are force-deleted', async () => {
    const { client, c, f } = await setup([pod('u', { deleting: true }), pod('s', { deleting: true, node: 'n1' }), node('n1')]);
    await c.gc();
    assert.deepEqual(writes(client), ['patch pods/status u', 'delete pods u']);
    await f.shutdown();
  });

  test('terminating pods on an out-of-service NotReady node are force-deleted', async () => {
    const { client, c, f } = await setup([
      node('n1', { spec: { taints: [{ key: 'node.kubernetes.io/out-of-service', effect: 'NoExecute' }] }, status: { conditions: [{ type: 'Ready', status: 'Unknown' }] } }),
      pod('t', { deleting: true, node: 'n1' }), pod('r', { node: 'n1' }),
    ]);
    await c.gc();
    assert.deepEqual(writes(client), ['patch pods/status t', 'delete pods t']);
    await f.shutdown();
  });
});
