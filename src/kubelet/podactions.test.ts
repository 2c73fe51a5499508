// computePodActions table (upstream kuberuntime_manager_test.go TestComputePodActions, in spirit).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { ContainerStatus, PodSandboxStatus } from './runtime/index.js';
import { containerHash } from './hash.js';
import { computePodActions, type ProbeVerdicts } from './podactions.js';
import { LABEL, type Obj, type RuntimePod } from './types.js';

const app = { name: 'app', image: 'busybox' };
const init = (n: string) => ({ name: n, image: 'busybox' });

function pod(spec: Obj = {}): Obj {
  return { metadata: { name: 'p', namespace: 'ns', uid: 'u' }, spec: { restartPolicy: 'Always', containers: [app], ...spec } };
}

function sandbox(state: PodSandboxStatus['state'] = 'SANDBOX_READY', attempt = 0): PodSandboxStatus {
  return { id: `sb${attempt}`, metadata: { name: 'p', namespace: 'ns', uid: 'u', attempt }, state, createdAt: attempt, labels: {}, annotations: {}, network: { ip: '10.0.0.2' } };
}

let seq = 0;
function ctr(spec: Obj, state: ContainerStatus['state'], exitCode = 0, hash = containerHash(spec)): ContainerStatus {
  seq++;
  return {
    id: `c${seq}`, podSandboxId: 'sb0', metadata: { name: spec.name, attempt: 0 }, state, createdAt: 1000 - seq, startedAt: 1, finishedAt: 2, exitCode,
    image: { image: 'busybox' }, imageRef: 'sha256:x', reason: '', message: '', labels: {}, annotations: { [LABEL.hash]: hash }, mounts: [], logPath: '',
  };
}

function rp(sandboxes: PodSandboxStatus[], containers: ContainerStatus[]): RuntimePod {
  return { uid: 'u', name: 'p', namespace: 'ns', sandboxes, containers };
}

const liveFail = (id: string): ProbeVerdicts => ({ livenessFailed: (x) => x === id, startupFailed: () => false });

test('computePodActions table', () => {
  const running = ctr(app, 'CONTAINER_RUNNING');
  const exited0 = ctr(app, 'CONTAINER_EXITED', 0);
  const exited1 = ctr(app, 'CONTAINER_EXITED', 1);
  const changed = ctr(app, 'CONTAINER_RUNNING', 0, 'other');
  const initRunning = ctr(init('i1'), 'CONTAINER_RUNNING');
  const initFailed = ctr(init('i1'), 'CONTAINER_EXITED', 1);
  const initDone = ctr(init('i1'), 'CONTAINER_EXITED', 0);
  const cases: { name: string; pod: Obj; rp: RuntimePod | undefined; probes?: ProbeVerdicts; want: Partial<{ killPod: boolean; createSandbox: boolean; attempt: number; start: number[]; kill: string[]; init: string }> }[] = [
    { name: 'new pod: sandbox and all containers', pod: pod(), rp: undefined, want: { createSandbox: true, killPod: true, attempt: 0, start: [0] } },
    { name: 'running: nothing', pod: pod(), rp: rp([sandbox()], [running]), want: { createSandbox: false, killPod: false, start: [], kill: [] } },
    { name: 'exited, Always: restart', pod: pod(), rp: rp([sandbox()], [exited0]), want: { start: [0], killPod: false } },
    { name: 'exited 0, OnFailure: kill pod', pod: pod({ restartPolicy: 'OnFailure' }), rp: rp([sandbox()], [exited0]), want: { start: [], killPod: true } },
    { name: 'exited 1, OnFailure: restart', pod: pod({ restartPolicy: 'OnFailure' }), rp: rp([sandbox()], [exited1]), want: { start: [0] } },
    { name: 'exited 1, Never: kill pod', pod: pod({ restartPolicy: 'Never' }), rp: rp([sandbox()], [exited1]), want: { start: [], killPod: true } },
    { name: 'sandbox dead, Always: new sandbox attempt 1', pod: pod(), rp: rp([sandbox('SANDBOX_NOTREADY')], [exited1]), want: { createSandbox: true, attempt: 1, start: [0] } },
    { name: 'sandbox dead, Never with containers: no sandbox', pod: pod({ restartPolicy: 'Never' }), rp: rp([sandbox('SANDBOX_NOTREADY')], [exited1]), want: { createSandbox: false, killPod: true } },
    { name: 'sandbox dead, OnFailure all succeeded: no sandbox', pod: pod({ restartPolicy: 'OnFailure' }), rp: rp([sandbox('SANDBOX_NOTREADY')], [exited0]), want: { createSandbox: false, start: [] } },
    { name: 'spec changed: kill and restart', pod: pod(), rp: rp([sandbox()], [changed]), want: { kill: [changed.id], start: [0] } },
    { name: 'liveness failed: kill and restart', pod: pod(), rp: rp([sandbox()], [running]), probes: liveFail(running.id), want: { kill: [running.id], start: [0] } },
    { name: 'liveness failed, Never: kill only', pod: pod({ restartPolicy: 'Never' }), rp: rp([sandbox()], [running]), probes: liveFail(running.id), want: { kill: [running.id], start: [], killPod: true } },
    { name: 'init: new pod starts first init', pod: pod({ initContainers: [init('i1'), init('i2')] }), rp: undefined, want: { createSandbox: true, init: 'i1', start: [] } },
    { name: 'init running: wait', pod: pod({ initContainers: [init('i1')] }), rp: rp([sandbox()], [initRunning]), want: { start: [], kill: [], killPod: false } },
    { name: 'init done: next init', pod: pod({ initContainers: [init('i1'), init('i2')] }), rp: rp([sandbox()], [initDone]), want: { init: 'i2' } },
    { name: 'last init done: app containers', pod: pod({ initContainers: [init('i1')] }), rp: rp([sandbox()], [initDone]), want: { start: [0] } },
    { name: 'init failed, Always: restart it', pod: pod({ initContainers: [init('i1')] }), rp: rp([sandbox()], [initFailed]), want: { init: 'i1', killPod: false } },
    { name: 'init failed, Never: kill pod', pod: pod({ restartPolicy: 'Never', initContainers: [init('i1')] }), rp: rp([sandbox()], [initFailed]), want: { killPod: true } },
  ];
  const side = { name: 'side', image: 'busybox', restartPolicy: 'Always' };
  const sideRunning = ctr(side, 'CONTAINER_RUNNING');
  const sideExited = ctr(side, 'CONTAINER_EXITED', 0);
  const appDone = ctr(app, 'CONTAINER_EXITED', 0);
  const sp = (extra: Obj = {}) => pod({ initContainers: [side, init('i1')], ...extra });
  const notStarted: ProbeVerdicts = { livenessFailed: () => false, startupFailed: () => false, started: () => false };
  cases.push(
    { name: 'sidecar first on a new pod', pod: sp(), rp: undefined, want: { createSandbox: true, start: [] } },
    { name: 'sidecar running: next init', pod: sp(), rp: rp([sandbox()], [sideRunning]), want: { init: 'i1', start: [] } },
    { name: 'sidecar not started yet: wait', pod: sp(), rp: rp([sandbox()], [sideRunning]), probes: notStarted, want: { start: [], killPod: false } },
    { name: 'sidecar + init done: app', pod: sp(), rp: rp([sandbox()], [sideRunning, initDone]), want: { start: [0] } },
    { name: 'sidecar exited after init: restarted even with Never', pod: sp({ restartPolicy: 'Never' }), rp: rp([sandbox()], [sideExited, initDone, running]), want: { start: [], killPod: false } },
    { name: 'app done, Never: kill pod and sidecar', pod: sp({ restartPolicy: 'Never' }), rp: rp([sandbox()], [sideRunning, initDone, appDone]), want: { killPod: true, start: [] } },
  );
  for (const c of cases) {
    const a = computePodActions(c.pod, c.rp, c.probes);
    const w = c.want;
    if (w.killPod !== undefined) assert.equal(a.killPod, w.killPod, `${c.name}: killPod`);
    if (w.createSandbox !== undefined) assert.equal(a.createSandbox, w.createSandbox, `${c.name}: createSandbox`);
    if (w.attempt !== undefined) assert.equal(a.attempt, w.attempt, `${c.name}: attempt`);
    if (w.start) assert.deepEqual(a.containersToStart, w.start, `${c.name}: start`);
    if (w.kill) assert.deepEqual([...a.containersToKill.keys()], w.kill, `${c.name}: kill`);
    if (w.init !== undefined) assert.equal(a.nextInitContainerToStart?.name, w.init, `${c.name}: init`);
    if (c.name.startsWith('sidecar first')) assert.deepEqual(a.sidecarsToStart.map((x) => x.name), ['side']);
    if (c.name.startsWith('sidecar exited')) assert.deepEqual(a.sidecarsToStart.map((x) => x.name), ['side']);
    if (c.name.startsWith('app done')) assert.deepEqual(a.sidecarsToStart, []);
  }
});

test('kill reasons carry upstream messages', () => {
  const running = ctr(app, 'CONTAINER_RUNNING');
  const a = computePodActions(pod(), rp([sandbox()], [running]), liveFail(running.id));
  assert.equal(a.containersToKill.get(running.id)?.message, 'Container app failed liveness probe, will be restarted');
});
