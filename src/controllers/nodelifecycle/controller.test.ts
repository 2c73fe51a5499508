import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { KubeObject } from '../../api/types.js';
import { FakeClient, SharedInformerFactory, refs, resolveResource, type Action } from '../../client/index.js';
import { FakeClock } from '../../util/clock.js';
import { errors } from '../../util/errors.js';
import { configureLogging } from '../../util/log.js';
import { NodeLifecycleController } from './controller.js';
import type { NodeCondition, Taint } from './taints.js';

configureLogging({ quiet: true });

const T0 = Date.UTC(2026, 0, 1);
const iso = (ms: number) => new Date(ms).toISOString().replace(/\.\d+Z$/, 'Z');
const node = (name: string, ready: string | undefined, opts: { taints?: Taint[]; zone?: string; conditions?: NodeCondition[]; unschedulable?: boolean } = {}): KubeObject => ({
  apiVersion: 'v1', kind: 'Node',
  metadata: { name, creationTimestamp: iso(T0 - 3600_000), labels: opts.zone ? { 'topology.kubernetes.io/zone': opts.zone } : {} },
  spec: { ...(opts.taints ? { taints: opts.taints } : {}), ...(opts.unschedulable ? { unschedulable: true } : {}) },
  status: { conditions: opts.conditions ?? (ready ? [{ type: 'Ready', status: ready, reason: 'KubeletReady', lastHeartbeatTime: iso(T0), lastTransitionTime: iso(T0) }, { type: 'MemoryPressure', status: 'False', lastHeartbeatTime: iso(T0) }] : []) },
});
const lease = (name: string, renew: number): KubeObject => ({ apiVersion: 'coordination.k8s.io/v1', kind: 'Lease', metadata: { namespace: 'kube-node-lease', name }, spec: { holderIdentity: name, renewTime: new Date(renew).toISOString() } });
const pod = (name: string, nodeName: string): KubeObject => ({
  apiVersion: 'v1', kind: 'Pod', metadata: { namespace: 'ns', name }, spec: { nodeName }, status: { phase: 'Running', conditions: [{ type: 'Ready', status: 'True' }] },
});

async function setup(objects: KubeObject[], evictionRate = 1000) {
  const clock = new FakeClock(T0);
  const client = new FakeClient({ objects, clock });
  const f = new SharedInformerFactory(client);
  const c = new NodeLifecycleController({
    client, nodes: f.forResource(refs.nodes), leases: f.forResource(refs.leases), pods: f.forResource(refs.pods), clock, evictionRate,
  });
  f.start();
  await f.waitForCacheSync();
  client.clearActions();
  return { client, c, f, clock };
}
const writes = (c: FakeClient) => c.filterActions({ writesOnly: true }).map((a) => `${a.verb} ${a.resource}${a.subresource ? '/' + a.subresource : ''} ${a.name}`);
const taintsOf = (a: Action) => ((a.object as { spec: { taints: Taint[] } }).spec.taints).map((t) => `${t.key}:${t.effect}`);

describe('node lifecycle controller', () => {
  test('a silent node: conditions Unknown, pods not Ready, unreachable NoExecute taint', async () => {
    const { client, c, f, clock } = await setup([node('n1', 'True'), lease('n1', T0), pod('p', 'n1'), node('ok', 'True'), lease('ok', T0)]);
    const renewOk = async () => {
      await client.resource(refs.leases).namespace('kube-node-lease').patch('ok', 'merge', { spec: { renewTime: new Date(clock.now()).toISOString() } });
      const inf = f.forResource(refs.leases);
      for (let k = 0; k < 100 && (inf.lister.get('kube-node-lease', 'ok')!.spec as { renewTime: string }).renewTime !== new Date(clock.now()).toISOString(); k++) await new Promise((r) => setTimeout(r, 2));
      client.clearActions();
    };
    await c.monitorNodeHealth();
    assert.deepEqual(writes(client), []);
    clock.advance(40_000);
    await renewOk();
    await c.monitorNodeHealth();
    assert.deepEqual(writes(client), [], 'exactly the grace period is still fine');
    clock.advance(1_000);
    await renewOk();
    await c.monitorNodeHealth();
    assert.deepEqual(writes(client), ['update nodes/status n1', 'update pods/status p', 'patch nodes n1']);
    const status = client.filterActions({ verb: 'update' })[0]!.object as { status: { conditions: NodeCondition[] } };
    assert.deepEqual(status.status.conditions.map((x) => [x.type, x.status, x.reason, x.message]), [
      ['Ready', 'Unknown', 'NodeStatusUnknown', 'Kubelet stopped posting node status.'],
      ['MemoryPressure', 'Unknown', 'NodeStatusUnknown', 'Kubelet stopped posting node status.'],
      ['DiskPressure', 'Unknown', 'NodeStatusNeverUpdated', 'Kubelet never posted node status.'],
      ['PIDPressure', 'Unknown', 'NodeStatusNeverUpdated', 'Kubelet never posted node status.'],
    ]);
    assert.equal(status.status.conditions[0]!.lastHeartbeatTime, iso(T0), 'the heartbeat is kept');
    const podStatus = client.filterActions({ verb: 'update', resource: 'pods' })[0]!.object as { status: { conditions: { type: string; status: string }[] } };
    assert.deepEqual(podStatus.status.conditions.map((x) => [x.type, x.status]), [['Ready', 'False']]);
    assert.deepEqual(taintsOf(client.filterActions({ verb: 'patch' })[0]!), ['node.kubernetes.io/unreachable:NoExecute']);
    await f.shutdown();
  });

  test('lease renewals keep a node healthy without status updates', async () => {
    const { client, c, f, clock } = await setup([node('n1', 'True'), lease('n1', T0)]);
    await c.monitorNodeHealth();
    for (let i = 1; i <= 6; i++) {
      clock.advance(10_000);
      await client.resource(refs.leases).namespace('kube-node-lease').patch('n1', 'merge', { spec: { renewTime: new Date(T0 + i * 10_000).toISOString() } });
      const inf = f.forResource(refs.leases);
      for (let k = 0; k < 100 && (inf.lister.get('kube-node-lease', 'n1')!.spec as { renewTime: string }).renewTime !== new Date(T0 + i * 10_000).toISOString(); k++) await new Promise((r) => setTimeout(r, 2));
      await c.monitorNodeHealth();
    }
    assert.deepEqual(writes(client).filter((w) => !w.startsWith('patch leases')), []);
    await f.shutdown();
  });

  test('Ready=False gets not-ready NoExecute; Ready=True again drops it', async () => {
    const { client, c, f } = await setup([
      node('bad', 'False', { taints: [{ key: 'example.com/keep', effect: 'NoSchedule' }] }), lease('bad', T0), node('fine', 'True'), lease('fine', T0),
      node('good', 'True', { taints: [{ key: 'node.kubernetes.io/unreachable', effect: 'NoExecute' }] }), lease('good', T0),
    ]);
    await c.monitorNodeHealth();
    const patches = client.filterActions({ verb: 'patch' });
    assert.deepEqual(patches.map((p) => [p.name, taintsOf(p)]), [
      ['bad', ['example.com/keep:NoSchedule', 'node.kubernetes.io/not-ready:NoExecute']],
      ['good', []],
    ]);
    await f.shutdown();
  });

  test('NoExecute tainting is rate limited per zone', async () => {
    const { client, c, f, clock } = await setup([
      node('a', 'False', { zone: 'z1' }), node('b', 'False', { zone: 'z1' }), node('c', 'False', { zone: 'z2' }),
      node('h1', 'True', { zone: 'z1' }), node('h2', 'True', { zone: 'z2' }),
      lease('a', T0), lease('b', T0), lease('c', T0), lease('h1', T0), lease('h2', T0),
    ], 0.1);
    await c.monitorNodeHealth();
    assert.deepEqual(client.filterActions({ verb: 'patch' }).map((p) => p.name), ['a', 'c']);
    client.clearActions();
    clock.advance(5_000);
    await c.monitorNodeHealth();
    assert.deepEqual(client.filterActions({ verb: 'patch' }).map((p) => p.name), []);
    clock.advance(5_000);
    await c.monitorNodeHealth();
    assert.deepEqual(client.filterActions({ verb: 'patch' }).map((p) => p.name), ['b']);
    await f.shutdown();
  });

  test('a Conflict on the NoExecute patch is retried on a fresh copy in the same pass, spending one zone token', async () => {
    const { client, c, f } = await setup([node('bad', 'False'), lease('bad', T0), node('h', 'True'), lease('h', T0)], 0.1);
    let conflicts = 0;
    client.prependReactor('patch', 'nodes', (a) => {
      if (a.name !== 'bad' || conflicts++ > 0) return undefined;
      // Someone (the NoSchedule worker) wrote the node first.
      const nodes = resolveResource(refs.nodes);
      const cur = client.tracker.get(nodes, undefined, 'bad') as KubeObject & { spec: { taints?: Taint[] } };
      client.tracker.update(nodes, undefined, { ...cur, spec: { ...cur.spec, taints: [{ key: 'node.kubernetes.io/not-ready', effect: 'NoSchedule' }] } });
      throw errors.conflict('nodes', '', 'bad');
    });
    await c.monitorNodeHealth();
    assert.deepEqual(writes(client), ['patch nodes bad', 'patch nodes bad']);
    const stored = client.tracker.get(resolveResource(refs.nodes), undefined, 'bad') as KubeObject & { spec: { taints: Taint[] } };
    assert.deepEqual(stored.spec.taints.map((t) => `${t.key}:${t.effect}`), ['node.kubernetes.io/not-ready:NoSchedule', 'node.kubernetes.io/not-ready:NoExecute']);
    await f.shutdown();
  });

  test('zone disruption: all zones down taints nothing and lifts NoExecute; a partially disrupted small zone gets no new taints', async () => {
    const unreachable = [{ key: 'node.kubernetes.io/unreachable', effect: 'NoExecute' }];
    const all = await setup([node('a', 'Unknown', { zone: 'z1', taints: unreachable }), node('b', 'False', { zone: 'z2' }), lease('a', T0), lease('b', T0)]);
    await all.c.monitorNodeHealth();
    assert.deepEqual(all.client.filterActions({ verb: 'patch' }).map((p) => [p.name, taintsOf(p)]), [['a', []]]);
    await all.f.shutdown();
    const partial = await setup([
      ...['a', 'b', 'c'].map((n) => node(n, 'False', { zone: 'z1' })), node('h', 'True', { zone: 'z1' }),
      node('x', 'False', { zone: 'z2' }), node('y', 'True', { zone: 'z2' }),
    ]);
    await partial.c.monitorNodeHealth();
    assert.deepEqual(partial.client.filterActions({ verb: 'patch' }).map((p) => p.name), ['x'], 'z1 is 75% down: paused; z2 is normal');
    await partial.f.shutdown();
  });

  test('NoSchedule taints follow conditions and spec.unschedulable', async () => {
    const { client, c, f } = await setup([
      node('n1', undefined, {
        unschedulable: true,
        taints: [{ key: 'node.kubernetes.io/disk-pressure', effect: 'NoSchedule' }, { key: 'mine', effect: 'NoSchedule' }],
        conditions: [{ type: 'Ready', status: 'Unknown' }, { type: 'MemoryPressure', status: 'True' }, { type: 'DiskPressure', status: 'False' }],
      }),
    ]);
    await c.syncNoSchedule('n1');
    assert.deepEqual(taintsOf(client.filterActions({ verb: 'patch' })[0]!), [
      'mine:NoSchedule', 'node.kubernetes.io/unreachable:NoSchedule', 'node.kubernetes.io/memory-pressure:NoSchedule', 'node.kubernetes.io/unschedulable:NoSchedule',
    ]);
    await f.shutdown();
  });

  test('a new node that never posted status gets the startup grace period', async () => {
    const fresh = node('new', undefined);
    fresh.metadata.creationTimestamp = iso(T0);
    const { client, c, f, clock } = await setup([fresh]);
    clock.advance(50_000);
    await c.monitorNodeHealth();
    assert.deepEqual(writes(client), []);
    clock.advance(11_000);
    await c.monitorNodeHealth();
    assert.deepEqual(writes(client)[0], 'update nodes/status new');
    const status = client.filterActions({ verb: 'update' })[0]!.object as { status: { conditions: NodeCondition[] } };
    assert.equal(status.status.conditions.find((x) => x.type === 'Ready')!.reason, 'NodeStatusNeverUpdated');
    await f.shutdown();
  });
});
