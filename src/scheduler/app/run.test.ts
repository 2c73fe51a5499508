import { test } from 'node:test';
import assert from 'node:assert/strict';
import { startTestServer } from '../../apiserver/testing/inprocess.js';
import { RestClient, configFromLoaded, refs } from '../../client/index.js';
import type { KubeObject } from '../../api/types.js';
import { HollowNodes } from '../../hollow/index.js';
import { MetricsRegistry } from '../../util/metrics.js';
import { waitFor } from '../../util/wait.js';
import { startScheduler } from './index.js';

const pod = (name: string, cpu: string, extra: Record<string, unknown> = {}): KubeObject => ({
  apiVersion: 'v1', kind: 'Pod', metadata: { name, labels: { app: 'web' } },
  spec: { containers: [{ name: 'app', image: 'registry.example/app:1', resources: { requests: { cpu } } }], ...extra },
});

test('scheduler component: binds pods to hollow nodes, reports FailedScheduling, schedules once a fitting node appears', async () => {
  const ts = await startTestServer();
  const client = new RestClient(configFromLoaded(ts.credentials, { qps: -1 }));
  const small = new HollowNodes({ client, count: 3, capacity: { cpu: '2', memory: '4Gi', pods: '110' } });
  const metrics = new MetricsRegistry();
  let big: HollowNodes | undefined;
  await small.start();
  const app = await startScheduler({ client, identity: 'test-scheduler', leaderElect: true, metrics });
  try {
    const pods = client.resource(refs.pods).namespace('default');
    for (let i = 0; i < 6; i++) await pods.create(pod(`web-${i}`, '500m'));
    await waitFor(async () => (await pods.list()).items.every((p) => (p.spec as { nodeName?: string }).nodeName && (p.status as { phase?: string }).phase === 'Running'), { timeoutMs: 10_000, what: 'pods bound and running' });
    const placed = (await pods.list()).items.map((p) => (p.spec as { nodeName: string }).nodeName);
    // LeastAllocated + spreading: 6 pods over 3 equal nodes land 2 per node.
    for (const n of ['hollow-node-0', 'hollow-node-1', 'hollow-node-2']) assert.equal(placed.filter((x) => x === n).length, 2, `2 pods on ${n}: ${placed.join(',')}`);

    await pods.create(pod('huge', '8'));
    const failed = await waitFor(async () => {
      const p = await pods.get('huge');
      return ((p.status as { conditions?: { type: string; status: string; reason: string; message: string }[] }).conditions ?? []).find((c) => c.type === 'PodScheduled' && c.status === 'False');
    }, { timeoutMs: 10_000, what: 'PodScheduled=False' });
    assert.equal(failed.reason, 'Unschedulable');
    assert.match(failed.message, /^0\/3 nodes are available: 3 Insufficient cpu\. preemption: /);
    const events = await waitFor(async () => {
      const list = await client.resource(refs.events).namespace('default').list();
      return list.items.find((e) => (e as { reason?: string; regarding?: { name?: string } }).reason === 'FailedScheduling' && (e as { regarding?: { name?: string } }).regarding?.name === 'huge');
    }, { timeoutMs: 10_000, what: 'FailedScheduling event' });
    assert.match(String((events as { note?: string }).note), /Insufficient cpu/);

    big = new HollowNodes({ client, count: 1, prefix: 'big-node-', startIndex: 100, capacity: { cpu: '16', memory: '64Gi', pods: '110' } });
    await big.start();
    const bound = await waitFor(async () => (await pods.get('huge')).spec as { nodeName?: string } | undefined, { timeoutMs: 10_000 }).then(async () => waitFor(async () => ((await pods.get('huge')).spec as { nodeName?: string }).nodeName, { timeoutMs: 10_000, what: 'huge bound after the big node joined' }));
    assert.equal(bound, 'big-node-100');
    assert.match(metrics.render(), /scheduler_schedule_attempts_total\{result="scheduled",profile="default-scheduler"\} 7/);
    const text = metrics.render();
    assert.match(text, /scheduler_pending_pods\{queue="active"\} 0/);
    assert.match(text, /scheduler_pod_scheduling_sli_duration_seconds_count\{profile="default-scheduler"\} 7/);
  } finally {
    await app.stop();
    await small.stop();
    await big?.stop();
    client.close();
    await ts.stop();
  }
});
