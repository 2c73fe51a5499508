// Node status reporting: written on change and at least every minute; transition times only move
// when a condition's status changes; the lease renews every 10 s.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { FakeClient, refs } from '../../client/index.js';
import { FakeClock } from '../../util/clock.js';
import { logger } from '../../util/log.js';
import { waitFor } from '../../util/wait.js';
import type { RuntimeStatus } from '../runtime/index.js';
import type { Obj } from '../types.js';
import { NodeAgent } from './agent.js';

test('node status and lease cadence', async () => {
  const clock = new FakeClock(Date.UTC(2026, 0, 1));
  const client = new FakeClient({ clock });
  let rs: RuntimeStatus = { conditions: [{ type: 'RuntimeReady', status: true }, { type: 'NetworkReady', status: true }] };
  const agent = new NodeAgent({
    client, nodeName: 'n1', clock, log: logger('test'), dataDir: '/tmp', reserved: { cpu: '1' },
    facts: { capacity: { cpu: '2', memory: '1Gi', pods: '110' }, internalIP: '10.0.0.1', hostname: 'h', nodeInfo: { architecture: 'arm64' } },
    runtimeStatus: async () => rs,
    runtimeVersion: async () => ({ version: '1', runtimeName: 'skiff-process', runtimeVersion: '0.1.0', runtimeApiVersion: 'v1' }),
    pressure: async () => ({ memory: false, disk: false, pid: false }),
  });
  await agent.register();
  const nodes = client.resource(refs.nodes);
  let node = await nodes.get('n1') as Obj;
  assert.equal(node.metadata.labels['kubernetes.io/arch'], 'arm64');
  assert.equal(node.status.allocatable.cpu, '1');
  assert.equal(node.status.nodeInfo.containerRuntimeVersion, 'process://0.1.0');
  const ready0 = node.status.conditions.find((c: Obj) => c.type === 'Ready');
  agent.start();
  try {
    // Nothing changed: the 10 s computation writes nothing.
    clock.advance(10_000);
    await waitFor(() => agent.counts.leaseRenewals >= 2, { what: 'lease renewal' });
    await new Promise((r) => setTimeout(r, 20));
    assert.equal(agent.counts.statusWrites, 0);
    // The runtime's network goes down: written at the next computation, with a new transition time.
    rs = { conditions: [{ type: 'RuntimeReady', status: true }, { type: 'NetworkReady', status: false, reason: 'NoCNI', message: 'cni not ready' }] };
    clock.advance(10_000);
    await waitFor(() => agent.counts.statusWrites === 1, { what: 'status write on change' });
    node = await nodes.get('n1') as Obj;
    const ready1 = node.status.conditions.find((c: Obj) => c.type === 'Ready');
    assert.equal(ready1.status, 'False');
    assert.equal(ready1.message, 'container runtime network not ready: NetworkReady=false reason:NoCNI message:cni not ready');
    assert.notEqual(ready1.lastTransitionTime, ready0.lastTransitionTime);
    const mem1 = node.status.conditions.find((c: Obj) => c.type === 'MemoryPressure');
    // Unchanged for a minute: reported anyway, transition times kept, heartbeat moved.
    for (let i = 0; i < 6; i++) {
      clock.advance(10_000);
      await new Promise((r) => setTimeout(r, 10));
    }
    await waitFor(() => agent.counts.statusWrites === 2, { what: 'status write after a minute' });
    node = await nodes.get('n1') as Obj;
    const mem2 = node.status.conditions.find((c: Obj) => c.type === 'MemoryPressure');
    assert.equal(mem2.lastTransitionTime, mem1.lastTransitionTime);
    assert.notEqual(mem2.lastHeartbeatTime, mem1.lastHeartbeatTime);
    const lease = await client.resource(refs.leases).namespace('kube-node-lease').get('n1') as Obj;
    assert.equal(lease.metadata.ownerReferences[0].name, 'n1');
  } finally {
    agent.stop();
  }
});
