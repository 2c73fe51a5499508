import { test } from 'node:test';
import assert from 'node:assert/strict';
import { startTestServer } from '../apiserver/testing/inprocess.js';
import { RestClient, configFromLoaded, refs } from '../client/index.js';
import type { KubeObject } from '../api/types.js';
import { waitFor } from '../util/wait.js';
import { HollowNodes, EXIT_AFTER_ANNOTATION, qosClass } from './index.js';

const pod = (name: string, annotations: Record<string, string> = {}): KubeObject => ({
  apiVersion: 'v1', kind: 'Pod', metadata: { name, annotations },
  spec: { containers: [{ name: 'app', image: 'registry.example/app:1', resources: { requests: { cpu: '100m' }, limits: { cpu: '100m' } } }] },
});

test('hollow nodes register, renew leases, run bound pods, finish scripted exits and graceful deletes', async () => {
  const ts = await startTestServer();
  const client = new RestClient(configFromLoaded(ts.credentials, { qps: -1 }));
  const hollow = new HollowNodes({ client, count: 20, renewIntervalMs: 300, statusIntervalMs: 500 });
  try {
    await hollow.start();
    const nodes = await client.resource(refs.nodes).list();
    assert.equal(nodes.items.length, 20);
    const n0 = nodes.items.find((n) => n.metadata.name === 'hollow-node-0')!;
    const ready = (n0.status as any).conditions.find((c: any) => c.type === 'Ready');
    assert.equal(ready.status, 'True');
    assert.equal((n0.status as any).capacity.pods, '110');
    assert.equal(n0.metadata.labels?.['kubernetes.io/hostname'], 'hollow-node-0');

    const leases = client.resource(refs.leases).namespace('kube-node-lease');
    const first = (await leases.get('hollow-node-3')).spec as { renewTime: string; holderIdentity: string };
    assert.equal(first.holderIdentity, 'hollow-node-3');
    await waitFor(async () => ((await leases.get('hollow-node-3')).spec as { renewTime: string }).renewTime !== first.renewTime, { timeoutMs: 15_000 });

    const pods = client.resource(refs.pods).namespace('default');
    await pods.create(pod('web'));
    await pods.create(pod('job-like', { [EXIT_AFTER_ANNOTATION]: '0.2' }));
    for (const name of ['web', 'job-like']) {
      await pods.createSubresource(name, 'binding', { apiVersion: 'v1', kind: 'Binding', metadata: { name }, target: { apiVersion: 'v1', kind: 'Node', name: 'hollow-node-7' } });
    }
    const running = await waitFor(async () => {
      const p = await pods.get('web');
      return (p.status as any)?.phase === 'Running' ? p : undefined;
    }, { timeoutMs: 15_000 });
    const st = running.status as any;
    assert.match(st.podIP, /^100\.64\.7\.\d+$/);
    assert.equal(st.hostIP, '10.128.0.7');
    assert.equal(st.qosClass, 'Burstable');
    assert.equal(st.containerStatuses[0].ready, true);
    assert.equal(st.conditions.find((c: any) => c.type === 'Ready').status, 'True');

    await waitFor(async () => ((await pods.get('job-like')).status as any)?.phase === 'Succeeded', { timeoutMs: 15_000 });
    const done = (await pods.get('job-like')).status as any;
    assert.equal(done.containerStatuses[0].state.terminated.reason, 'Completed');

    // Graceful deletion: the API server marks the pod, the hollow kubelet completes the delete.
    await pods.delete('web', { gracePeriodSeconds: 30 });
    await waitFor(async () => pods.get('web').then(() => false, () => true), { timeoutMs: 15_000 });
    const stats = hollow.snapshot();
    assert.equal(stats.nodes, 20);
    assert.ok(stats.leaseRenewals > 0);
    assert.ok(stats.podsStarted >= 2);
    assert.equal(stats.podsDeleted, 1);
  } finally {
    await hollow.stop();
    client.close();
    await ts.stop();
  }
});

test('qosClass as upstream', () => {
  const mk = (resources: Record<string, unknown>): KubeObject => ({ metadata: {}, spec: { containers: [{ name: 'a', resources }] } });
  assert.equal(qosClass(mk({})), 'BestEffort');
  assert.equal(qosClass(mk({ limits: { cpu: '1', memory: '1Gi' } })), 'Guaranteed');
  assert.equal(qosClass(mk({ requests: { cpu: '1', memory: '1Gi' }, limits: { cpu: '1', memory: '1Gi' } })), 'Guaranteed');
  assert.equal(qosClass(mk({ requests: { cpu: '500m' }, limits: { cpu: '1' } })), 'Burstable');
});
