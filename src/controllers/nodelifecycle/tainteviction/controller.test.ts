import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { KubeObject } from '../../../api/types.js';
import { FakeClient, SharedInformerFactory, refs, type EventRecorder } from '../../../client/index.js';
import { FakeClock } from '../../../util/clock.js';
import { configureLogging } from '../../../util/log.js';
import type { Toleration } from '../taints.js';
import { TaintEvictionController } from './controller.js';

configureLogging({ quiet: true });

const DEFAULT_TOLERATIONS: Toleration[] = [
  { key: 'node.kubernetes.io/not-ready', operator: 'Exists', effect: 'NoExecute', tolerationSeconds: 300 },
  { key: 'node.kubernetes.io/unreachable', operator: 'Exists', effect: 'NoExecute', tolerationSeconds: 300 },
];
const node = (name: string, taints: { key: string; effect: string; value?: string }[]): KubeObject => ({ apiVersion: 'v1', kind: 'Node', metadata: { name }, spec: { taints } });
const pod = (name: string, tolerations: Toleration[], nodeName = 'n1'): KubeObject => ({
  apiVersion: 'v1', kind: 'Pod', metadata: { namespace: 'ns', name, uid: `uid-${name}` }, spec: { nodeName, tolerations }, status: { phase: 'Running' },
});

async function setup(objects: KubeObject[], clock = new FakeClock()) {
  const client = new FakeClient({ objects, clock });
  const f = new SharedInformerFactory(client);
  const events: string[] = [];
  const recorder: EventRecorder = { record: (_r, _t, reason, _a, note) => events.push(`${reason}: ${note}`) };
  const c = new TaintEvictionController({ client, pods: f.forResource(refs.pods), nodes: f.forResource(refs.nodes), clock, recorder });
  f.start();
  await f.waitForCacheSync();
  client.clearActions();
  const drain = async () => {
    while (c.evictions.len()) {
      const k = (await c.evictions.get())!;
      await c.evict(k);
      c.evictions.done(k);
    }
  };
  return { client, c, f, clock, events, drain };
}
const deletes = (c: FakeClient) => c.filterActions({ verb: 'delete' }).map((a) => a.name);

describe('taint eviction controller', () => {
  test('no matching toleration: deleted at once, with DisruptionTarget and an event', async () => {
    const { client, c, f, events, drain } = await setup([node('n1', [{ key: 'node.kubernetes.io/unreachable', effect: 'NoExecute' }, { key: 'custom', effect: 'NoExecute' }]), pod('p', DEFAULT_TOLERATIONS)]);
    await c.sync('ns/p');
    await drain();
    assert.deepEqual(client.filterActions({ writesOnly: true }).map((a) => `${a.verb} ${a.subresource ?? ''}`), ['patch status', 'delete ']);
    const cond = (client.filterActions({ verb: 'patch' })[0]!.object as { status: { conditions: { type: string; reason: string }[] } }).status.conditions[0]!;
    assert.deepEqual([cond.type, cond.reason], ['DisruptionTarget', 'DeletionByTaintManager']);
    assert.deepEqual(events, ['TaintManagerEviction: Marking for deletion Pod ns/p']);
    await f.shutdown();
  });

  test('default 300 s tolerations: evicted after 300 s, not before', async () => {
    const { client, c, f, clock, drain } = await setup([node('n1', [{ key: 'node.kubernetes.io/unreachable', effect: 'NoExecute' }]), pod('p', DEFAULT_TOLERATIONS)]);
    await c.sync('ns/p');
    clock.advance(299_000);
    await drain();
    assert.deepEqual(deletes(client), []);
    await c.sync('ns/p');
    clock.advance(1_000);
    await drain();
    assert.deepEqual(deletes(client), ['p'], 'a re-sync does not restart the countdown');
    await f.shutdown();
  });

  test('a timer that fires before the deadline puts the eviction back for the time left', async () => {
    // Real timers run on the monotonic clock and may fire a little before the wall clock reaches
    // the deadline; this clock fires every timer 5 ms early.
    class EarlyClock extends FakeClock {
      override setTimer(ms: number, fn: () => void) { return super.setTimer(Math.max(0, ms - 5), fn); }
    }
    const { client, c, f, clock, drain } = await setup([node('n1', [{ key: 'node.kubernetes.io/unreachable', effect: 'NoExecute' }]), pod('p', DEFAULT_TOLERATIONS)], new EarlyClock());
    await c.sync('ns/p');
    clock.advance(299_998);
    await drain();
    assert.deepEqual(deletes(client), []);
    clock.advance(10);
    await drain();
    assert.deepEqual(deletes(client), ['p']);
    await f.shutdown();
  });

  test('shortest tolerationSeconds wins; a forever toleration keeps the pod; no taints, no eviction', async () => {
    const { client, c, f, clock, drain } = await setup([
      node('n1', [{ key: 'a', effect: 'NoExecute' }, { key: 'b', effect: 'NoExecute' }]),
      pod('short', [{ key: 'a', operator: 'Exists', tolerationSeconds: 10 }, { key: 'b', operator: 'Exists', tolerationSeconds: 60 }]),
      pod('forever', [{ operator: 'Exists' }]),
      node('n2', [{ key: 'x', effect: 'NoSchedule' }]),
      pod('clean', [], 'n2'),
    ]);
    for (const k of ['ns/short', 'ns/forever', 'ns/clean']) await c.sync(k);
    assert.deepEqual(c.pending(), ['ns/short']);
    clock.advance(10_000);
    await drain();
    assert.deepEqual(deletes(client), ['short']);
    await f.shutdown();
  });

  test('the taint going away cancels the eviction', async () => {
    const { client, c, f, clock, events, drain } = await setup([node('n1', [{ key: 'node.kubernetes.io/not-ready', effect: 'NoExecute' }]), pod('p', DEFAULT_TOLERATIONS)]);
    await c.sync('ns/p');
    await client.resource(refs.nodes).patch('n1', 'merge', { spec: { taints: [] } });
    const inf = f.forResource(refs.nodes);
    for (let i = 0; i < 100 && ((inf.lister.get('', 'n1')!.spec as { taints: unknown[] }).taints.length); i++) await new Promise((r) => setTimeout(r, 2));
    await c.sync('ns/p');
    clock.advance(400_000);
    await drain();
    assert.deepEqual(deletes(client), []);
    assert.deepEqual(events, ['TaintManagerEviction: Cancelling deletion of Pod ns/p']);
    await f.shutdown();
  });
});
