// The kubelet end to end on a FakeRuntime, a FakeClient and a FakeClock: registration, pod start,
// status, crash-loop back-off timing, restart policies, init containers, admission, config errors,
// deadlines, graceful deletion and orphans.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { refs } from '../client/index.js';
import { configureLogging } from '../util/log.js';
import { harness, makePod, NODE } from './testing.js';
import { LABEL, type Obj } from './types.js';

configureLogging({ quiet: true });

const cond = (p: Obj, type: string) => p.status?.conditions?.find((c: Obj) => c.type === type)?.status;

describe('kubelet on the fake runtime', () => {
  test('registers the node and its lease', async () => {
    const h = await harness({ reserved: { cpu: '500m', memory: '1Gi' } });
    try {
      const node = await h.client.resource(refs.nodes).get(NODE) as Obj;
      assert.equal(node.metadata.labels['kubernetes.io/hostname'], NODE);
      assert.equal(node.status.capacity.cpu, '4');
      assert.equal(node.status.allocatable.cpu, '3500m');
      assert.equal(node.status.allocatable.memory, '7Gi');
      assert.deepEqual(node.status.addresses, [{ type: 'InternalIP', address: '192.168.1.10' }, { type: 'Hostname', address: NODE }]);
      assert.equal(node.status.nodeInfo.kubeletVersion, 'v1.32.0');
      assert.equal(node.status.nodeInfo.containerRuntimeVersion, 'fake://0.1.0');
      assert.equal(node.status.conditions.find((c: Obj) => c.type === 'Ready').status, 'True');
      const lease = await h.client.resource(refs.leases).namespace('kube-node-lease').get(NODE) as Obj;
      assert.equal(lease.spec.leaseDurationSeconds, 40);
      assert.equal(lease.spec.holderIdentity, NODE);
      const before = h.kubelet.stats().leaseRenewals;
      h.clock.advance(10_000);
      await h.until(() => h.kubelet.stats().leaseRenewals > before, 'lease renewal');
    } finally {
      await h.close();
    }
  });

  test('runs a pod: Running, Ready, pod IP, DNS, events', async () => {
    const h = await harness({ objects: [makePod('web')] });
    try {
      const p = await h.until(async () => { const x = await h.pod('web'); return x.status.phase === 'Running' && cond(x, 'Ready') === 'True' && x; }, 'Running');
      assert.match(p.status.podIP, /^10\.244\./);
      assert.equal(p.status.hostIP, '192.168.1.10');
      assert.equal(p.status.qosClass, 'BestEffort');
      const cs = p.status.containerStatuses[0];
      assert.equal(cs.ready, true);
      assert.equal(cs.started, true);
      assert.match(cs.containerID, /^fake:\/\//);
      assert.ok(cs.state.running.startedAt);
      const run = h.runtime.calls.find((c) => c.method === 'runPodSandbox')!.args[0] as Obj;
      assert.deepEqual(run.dnsConfig, { servers: ['10.43.0.10'], searches: ['default.svc.cluster.local', 'svc.cluster.local', 'cluster.local'], options: ['ndots:5'] });
      assert.equal(run.hostname, 'web');
      const create = h.runtime.calls.find((c) => c.method === 'createContainer')!.args[1] as Obj;
      const env = Object.fromEntries(create.envs.map((e: Obj) => [e.key, e.value]));
      void env;
      await h.until(() => h.client.actions.some((a) => a.resource === 'events' && a.verb === 'create' && (a.object as Obj).reason === 'Started'), 'Started event');
      const ev = h.client.actions.find((a) => a.resource === 'events' && (a.object as Obj).reason === 'Started')!.object as Obj;
      assert.equal(ev.reportingController, 'kubelet');
      assert.equal(ev.reportingInstance, NODE);
      assert.equal(ev.regarding.fieldPath, 'spec.containers{app}');
      assert.equal(ev.note, 'Started container app');
    } finally {
      await h.close();
    }
  });

  test('crash loop: CrashLoopBackOff with doubling back-off, restartCount, lastState', async () => {
    const pod = makePod('crash', {}, { annotations: { 'fake.skiff.io/exit-after-ms': '1000', 'fake.skiff.io/exit-code': '2' } });
    const h = await harness({ objects: [pod] });
    try {
      await h.until(async () => (await h.pod('crash')).status.phase === 'Running', 'Running');
      h.clock.advance(1000); // exits (code 2): the first restart is immediate
      await h.until(async () => { const x = await h.pod('crash'); return x.status.containerStatuses[0].restartCount === 1 && x.status.containerStatuses[0].state.running; }, 'first restart');
      h.clock.advance(1000); // exits again: now in back-off
      let p = await h.until(async () => { const x = await h.pod('crash'); return x.status.containerStatuses?.[0]?.state?.waiting?.reason === 'CrashLoopBackOff' && x; }, 'CrashLoopBackOff');
      p = await h.pod('crash');
      const cs = p.status.containerStatuses[0];
      assert.match(cs.state.waiting.message, /^back-off 10s restarting failed container=app pod=crash_default\(uid-crash\)$/);
      assert.equal(cs.lastState.terminated.exitCode, 2);
      assert.equal(cs.lastState.terminated.reason, 'Error');
      assert.equal(p.status.phase, 'Running');
      const restarts = cs.restartCount;
      h.clock.advance(10_000);
      p = await h.until(async () => { const x = await h.pod('crash'); return x.status.containerStatuses[0].restartCount === restarts + 1 && x.status.containerStatuses[0].state.running && x; }, 'restart after 10s');
      h.clock.advance(1000);
      p = await h.until(async () => { const x = await h.pod('crash'); return x.status.containerStatuses[0].state.waiting?.message?.startsWith('back-off 20s') && x; }, 'back-off 20s');
      assert.ok(h.client.actions.some((a) => a.resource === 'events' && (a.object as Obj).reason === 'BackOff'));
    } finally {
      await h.close();
    }
  });

  test('restartPolicy Never: a failed container fails the pod', async () => {
    const h = await harness({ objects: [makePod('once', { restartPolicy: 'Never' }, { annotations: { 'fake.skiff.io/exit-after-ms': '500', 'fake.skiff.io/exit-code': '3' } })] });
    try {
      await h.until(async () => (await h.pod('once')).status.phase === 'Running', 'Running');
      h.clock.advance(500);
      const p = await h.until(async () => { const x = await h.pod('once'); return x.status.phase === 'Failed' && x; }, 'Failed');
      const t = p.status.containerStatuses[0].state.terminated;
      assert.equal(t.exitCode, 3);
      assert.equal(t.reason, 'Error');
      assert.equal(cond(p, 'Ready'), 'False');
      assert.equal(h.runtime.calls.filter((c) => c.method === 'createContainer').length, 1);
    } finally {
      await h.close();
    }
  });

  test('status is written only when it changes; termination message from the file', async () => {
    const h = await harness({ objects: [makePod('msg', { restartPolicy: 'Never' }, { annotations: { 'fake.skiff.io/exit-after-ms': '500', 'fake.skiff.io/exit-code': '1' } })] });
    try {
      await h.until(async () => (await h.pod('msg')).status.phase === 'Running', 'Running');
      const writes = h.kubelet.stats().statusWrites;
      await h.kubelet.syncPod('uid-msg');
      await h.kubelet.syncPod('uid-msg');
      assert.equal(h.kubelet.stats().statusWrites, writes);
      const cfg = h.runtime.calls.find((c) => c.method === 'createContainer')!.args[1] as Obj;
      const { writeFile } = await import('node:fs/promises');
      await writeFile(cfg.annotations['skiff.io/termination-log-host'], 'goodbye');
      assert.ok(cfg.mounts.some((m: Obj) => m.containerPath === '/dev/termination-log'));
      h.clock.advance(500);
      const p = await h.until(async () => { const x = await h.pod('msg'); return x.status.phase === 'Failed' && x; }, 'Failed');
      assert.equal(p.status.containerStatuses[0].state.terminated.message, 'goodbye');
      const patches = h.client.actions.filter((a) => a.verb === 'patch' && a.resource === 'pods' && a.subresource === 'status');
      assert.ok(patches.length >= 2);
    } finally {
      await h.close();
    }
  });

  test('FallbackToLogsOnError takes the log tail', async () => {
    const pod = makePod('fb', { restartPolicy: 'Never', containers: [{ name: 'app', image: 'busybox', terminationMessagePolicy: 'FallbackToLogsOnError' }] },
      { annotations: { 'fake.skiff.io/exit-after-ms': '500', 'fake.skiff.io/exit-code': '1', 'fake.skiff.io/stdout': 'line one\nlast words' } });
    const h = await harness({ objects: [pod] });
    try {
      await h.until(async () => (await h.pod('fb')).status.phase === 'Running', 'Running');
      h.clock.advance(500);
      const p = await h.until(async () => { const x = await h.pod('fb'); return x.status.phase === 'Failed' && x; }, 'Failed');
      assert.equal(p.status.containerStatuses[0].state.terminated.message, 'line one\nlast words');
    } finally {
      await h.close();
    }
  });

  test('restartPolicy OnFailure: success completes the pod', async () => {
    const h = await harness({ objects: [makePod('job', { restartPolicy: 'OnFailure' }, { annotations: { 'fake.skiff.io/exit-after-ms': '500' } })] });
    try {
      await h.until(async () => (await h.pod('job')).status.phase === 'Running', 'Running');
      h.clock.advance(500);
      const p = await h.until(async () => { const x = await h.pod('job'); return x.status.phase === 'Succeeded' && x; }, 'Succeeded');
      assert.equal(p.status.containerStatuses[0].state.terminated.reason, 'Completed');
      const ready = p.status.conditions.find((c: Obj) => c.type === 'Ready');
      assert.equal(ready.reason, 'PodCompleted');
    } finally {
      await h.close();
    }
  });

  test('init containers run in order before app containers', async () => {
    const pod = makePod('init', {
      initContainers: [{ name: 'i1', image: 'busybox' }, { name: 'i2', image: 'busybox' }],
    });
    const h = await harness({
      objects: [pod],
      runtime: { behaviour: (c) => (c.metadata.name.startsWith('i') ? { exitAfterMs: 1000, exitCode: 0 } : {}) },
    });
    try {
      let p = await h.until(async () => { const x = await h.pod('init'); return x.status.initContainerStatuses?.[0]?.state?.running && x; }, 'i1 running');
      assert.equal(p.status.phase, 'Pending');
      assert.equal(cond(p, 'Initialized'), 'False');
      assert.equal(p.status.conditions.find((c: Obj) => c.type === 'Initialized').message, 'containers with incomplete status: [i1 i2]');
      assert.equal(p.status.containerStatuses[0].state.waiting.reason, 'PodInitializing');
      h.clock.advance(1000);
      p = await h.until(async () => { const x = await h.pod('init'); return x.status.initContainerStatuses?.[1]?.state?.running && x; }, 'i2 running');
      assert.equal(p.status.initContainerStatuses[0].state.terminated.reason, 'Completed');
      h.clock.advance(1000);
      p = await h.until(async () => { const x = await h.pod('init'); return x.status.phase === 'Running' && cond(x, 'Ready') === 'True' && x; }, 'app running');
      assert.equal(cond(p, 'Initialized'), 'True');
      const order = h.runtime.calls.filter((c) => c.method === 'createContainer').map((c) => (c.args[1] as Obj).metadata.name);
      assert.deepEqual(order, ['i1', 'i2', 'app']);
    } finally {
      await h.close();
    }
  });

  test('sidecars start before init and app containers, and stop when the app is done', async () => {
    const pod = makePod('sc', {
      restartPolicy: 'Never',
      initContainers: [{ name: 'proxy', image: 'busybox', restartPolicy: 'Always' }, { name: 'setup', image: 'busybox' }],
    });
    const h = await harness({
      objects: [pod],
      runtime: { behaviour: (c) => (c.metadata.name === 'setup' ? { exitAfterMs: 100 } : c.metadata.name === 'app' ? { exitAfterMs: 1000 } : {}) },
    });
    try {
      let p = await h.until(async () => { const x = await h.pod('sc'); return x.status.initContainerStatuses?.[1]?.state?.running && x; }, 'setup running');
      assert.equal(p.status.initContainerStatuses[0].state.running !== undefined, true);
      assert.equal(p.status.initContainerStatuses[0].ready, true);
      h.clock.advance(100);
      p = await h.until(async () => { const x = await h.pod('sc'); return x.status.phase === 'Running' && x.status.conditions.find((c: Obj) => c.type === 'Ready').status === 'True' && x; }, 'app running');
      assert.equal(cond(p, 'Initialized'), 'True');
      h.clock.advance(1000);
      p = await h.until(async () => { const x = await h.pod('sc'); return x.status.phase === 'Succeeded' && x; }, 'Succeeded');
      await h.until(async () => (await h.runtime.listContainers({ state: 'CONTAINER_RUNNING' })).length === 0, 'sidecar stopped');
      const order = h.runtime.calls.filter((c) => c.method === 'createContainer').map((c) => (c.args[1] as Obj).metadata.name);
      assert.deepEqual(order, ['proxy', 'setup', 'app']);
    } finally {
      await h.close();
    }
  });

  test('admission: a pod that does not fit is rejected with OutOfcpu', async () => {
    const big = makePod('big', { containers: [{ name: 'app', image: 'busybox', resources: { requests: { cpu: '8' } } }] });
    const h = await harness({ objects: [big] });
    try {
      const p = await h.until(async () => { const x = await h.pod('big'); return x.status.phase === 'Failed' && x; }, 'rejected');
      assert.equal(p.status.reason, 'OutOfcpu');
      assert.equal(p.status.message, "Pod was rejected: Node didn't have enough resource: cpu, requested: 8000, used: 0, capacity: 4000");
      assert.equal(h.runtime.calls.filter((c) => c.method === 'runPodSandbox').length, 0);
    } finally {
      await h.close();
    }
  });

  test('a missing configmap in env is CreateContainerConfigError', async () => {
    const pod = makePod('cfg', { containers: [{ name: 'app', image: 'busybox', env: [{ name: 'X', valueFrom: { configMapKeyRef: { name: 'nope', key: 'k' } } }] }] });
    const h = await harness({ objects: [pod] });
    try {
      const p = await h.until(async () => { const x = await h.pod('cfg'); return x.status.containerStatuses?.[0]?.state?.waiting?.reason === 'CreateContainerConfigError' && x; }, 'config error');
      assert.equal(p.status.containerStatuses[0].state.waiting.message, 'configmap "nope" not found');
      assert.equal(p.status.phase, 'Pending');
    } finally {
      await h.close();
    }
  });

  test('image pull failure: ErrImagePull, then ImagePullBackOff', async () => {
    const pod = makePod('img', { containers: [{ name: 'app', image: 'nope:1' }] });
    const h = await harness({ objects: [pod], runtime: { unpullable: ['nope:1'] } });
    try {
      // The failure is ErrImagePull for the first half of the back-off; ImagePullBackOff after that.
      const reason = async () => (await h.pod('img')).status.containerStatuses?.[0]?.state?.waiting?.reason;
      await h.until(async () => (await reason()) === 'ErrImagePull', 'ErrImagePull');
      h.clock.advance(5_000);
      const p = await h.until(async () => { const x = await h.pod('img'); return x.status.containerStatuses?.[0]?.state?.waiting?.reason === 'ImagePullBackOff' && x; }, 'ImagePullBackOff');
      assert.equal(p.status.containerStatuses[0].state.waiting.message, 'Back-off pulling image "nope:1"');
      assert.equal(p.status.phase, 'Pending');
      const pulls = () => h.runtime.calls.filter((c) => c.method === 'pullImage').length;
      assert.equal(pulls(), 1);
      await h.until(() => h.client.actions.some((a) => a.resource === 'events' && String((a.object as Obj).note).startsWith('Failed to pull image "nope:1"')), 'Failed event');
      h.clock.advance(5_100);
      await h.until(() => pulls() === 2, 'second pull after 10s');
      h.clock.advance(10_000);
      await h.kubelet.syncPod('uid-img');
      assert.equal(pulls(), 2); // now 20 s of back-off
    } finally {
      await h.close();
    }
  });

  test('activeDeadlineSeconds fails the pod with DeadlineExceeded', async () => {
    const h = await harness({ objects: [makePod('dl', { activeDeadlineSeconds: 5 })] });
    try {
      await h.until(async () => (await h.pod('dl')).status.phase === 'Running', 'Running');
      h.clock.advance(6000);
      const p = await h.until(async () => { const x = await h.pod('dl'); return x.status.phase === 'Failed' && x; }, 'deadline');
      assert.equal(p.status.reason, 'DeadlineExceeded');
      await h.until(() => h.runtime.calls.some((c) => c.method === 'stopContainer'), 'killed');
    } finally {
      await h.close();
    }
  });

  test('graceful deletion: stop with the grace period, remove the sandbox, delete with uid precondition', async () => {
    const h = await harness({ objects: [makePod('del')] });
    try {
      await h.until(async () => (await h.pod('del')).status.phase === 'Running', 'Running');
      const pods = h.client.resource(refs.pods).namespace('default');
      const cur = await pods.get('del');
      await pods.update({ ...cur, metadata: { ...cur.metadata, deletionTimestamp: '2026-01-01T00:00:10Z', deletionGracePeriodSeconds: 7 } });
      await h.until(() => h.client.actions.some((a) => a.verb === 'delete' && a.resource === 'pods'), 'final delete');
      const stop = h.runtime.calls.find((c) => c.method === 'stopContainer')!;
      assert.equal(stop.args[1], 7);
      assert.ok(h.runtime.calls.some((c) => c.method === 'removePodSandbox'));
      assert.ok(h.client.actions.some((a) => a.resource === 'events' && (a.object as Obj).reason === 'Killing' && (a.object as Obj).note === 'Stopping container app'));
      assert.equal((await h.runtime.listPodSandbox()).length, 0);
    } finally {
      await h.close();
    }
  });

  test('orphaned sandboxes of pods not bound here are removed; adopted pods are not restarted', async () => {
    const h = await harness({ objects: [makePod('keep')] });
    try {
      await h.until(async () => (await h.pod('keep')).status.phase === 'Running', 'Running');
      await h.runtime.runPodSandbox({ metadata: { name: 'ghost', namespace: 'default', uid: 'uid-ghost' }, labels: { [LABEL.podUID]: 'uid-ghost' } });
      h.clock.advance(1000); // relist
      await h.until(async () => (await h.runtime.listPodSandbox({ labelSelector: { [LABEL.podUID]: 'uid-ghost' } })).length === 0, 'orphan removed');
      await h.kubelet.stop();
      // A new kubelet on the same runtime adopts the running pod.
      const { startKubelet } = await import('./kubelet.js');
      const creates = h.runtime.calls.filter((c) => c.method === 'createContainer').length;
      const k2 = await startKubelet({ client: h.client, runtime: h.runtime, nodeName: NODE, dataDir: h.dataDir, clock: h.clock, clusterDNS: '10.43.0.10', clusterDomain: 'cluster.local', privileged: false, hostFacts: { capacity: { cpu: '4', memory: '8Gi', pods: '110' }, internalIP: '192.168.1.10', hostname: 'h', nodeInfo: {} } });
      await k2.syncPod('uid-keep');
      assert.equal(h.runtime.calls.filter((c) => c.method === 'createContainer').length, creates);
      assert.ok(k2.containerId('uid-keep', 'app'));
      const found = k2.find('default', 'keep')!;
      assert.equal(found.uid, 'uid-keep');
      assert.equal(found.containers.get('app')!.id, k2.containerId('uid-keep', 'app'));
      assert.ok(found.sandboxId);
      assert.equal(k2.list().length, 1);
      await k2.stop();
    } finally {
      await h.close();
    }
  });
});
