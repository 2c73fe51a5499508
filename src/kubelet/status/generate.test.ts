// Pod status computation table: phase, conditions, container states and reasons.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { ContainerStatus } from '../runtime/index.js';
import { LABEL, type Obj, type RuntimePod } from '../types.js';
import { generatePodStatus, getPhase, keepTransitionTimes } from './generate.js';

let seq = 0;
function ctr(name: string, state: ContainerStatus['state'], exitCode = 0, reason = '', restart = 0): ContainerStatus {
  seq++;
  return {
    id: `c${seq}`, podSandboxId: 'sb', metadata: { name, attempt: restart }, state, createdAt: 1000 - seq, startedAt: Date.UTC(2026, 0, 1), finishedAt: state === 'CONTAINER_EXITED' ? Date.UTC(2026, 0, 1, 0, 1) : 0,
    exitCode, image: { image: 'busybox' }, imageRef: 'sha256:img', reason, message: '', labels: {}, annotations: { [LABEL.restartCount]: String(restart) }, mounts: [], logPath: '',
  };
}

function pod(spec: Obj = {}, status: Obj = {}): Obj {
  return { metadata: { name: 'p', namespace: 'ns', uid: 'u' }, spec: { restartPolicy: 'Always', containers: [{ name: 'app', image: 'busybox' }], ...spec }, status };
}

function gen(p: Obj, containers: ContainerStatus[], extra: Partial<Parameters<typeof generatePodStatus>[0]> = {}): Obj {
  const rp: RuntimePod = { uid: 'u', name: 'p', namespace: 'ns', sandboxes: [{ id: 'sb', metadata: { name: 'p', namespace: 'ns', uid: 'u' }, state: 'SANDBOX_READY', createdAt: 0, labels: {}, annotations: {}, network: { ip: '10.42.0.9' } }], containers };
  return generatePodStatus({ pod: p, rp, hostIP: '192.168.0.1', runtimeName: 'process', now: Date.UTC(2026, 0, 1), ready: () => true, started: () => true, reasons: new Map(), messages: new Map(), podIsTerminal: false, ...extra });
}

const cond = (s: Obj, t: string) => s.conditions.find((c: Obj) => c.type === t);

test('status table', () => {
  const cases: { name: string; pod: Obj; cs: ContainerStatus[]; extra?: Obj; phase: string; ready?: string; state?: Obj; check?: (s: Obj) => void }[] = [
    { name: 'nothing yet', pod: pod(), cs: [], phase: 'Pending', ready: 'False', state: { waiting: { reason: 'ContainerCreating' } } },
    { name: 'running', pod: pod(), cs: [ctr('app', 'CONTAINER_RUNNING')], phase: 'Running', ready: 'True' },
    { name: 'running, not ready', pod: pod(), cs: [ctr('app', 'CONTAINER_RUNNING')], extra: { ready: () => false }, phase: 'Running', ready: 'False',
      check: (s) => assert.equal(cond(s, 'Ready').message, 'containers with unready status: [app]') },
    { name: 'exited 0, Never', pod: pod({ restartPolicy: 'Never' }), cs: [ctr('app', 'CONTAINER_EXITED', 0, 'Completed')], phase: 'Succeeded', ready: 'False',
      check: (s) => assert.equal(cond(s, 'Ready').reason, 'PodCompleted') },
    { name: 'exited 1, Never', pod: pod({ restartPolicy: 'Never' }), cs: [ctr('app', 'CONTAINER_EXITED', 1, 'Error')], phase: 'Failed',
      state: { terminated: { exitCode: 1, reason: 'Error', startedAt: '2026-01-01T00:00:00Z', finishedAt: '2026-01-01T00:01:00Z' } } },
    { name: 'OOMKilled, Never', pod: pod({ restartPolicy: 'Never' }), cs: [ctr('app', 'CONTAINER_EXITED', 137, 'OOMKilled')], phase: 'Failed',
      check: (s) => assert.equal(s.containerStatuses[0].state.terminated.reason, 'OOMKilled') },
    { name: 'exited 1, Always: Running', pod: pod(), cs: [ctr('app', 'CONTAINER_EXITED', 1, 'Error')], phase: 'Running' },
    { name: 'exited 1, OnFailure: Running', pod: pod({ restartPolicy: 'OnFailure' }), cs: [ctr('app', 'CONTAINER_EXITED', 1, 'Error')], phase: 'Running' },
    { name: 'exited 0, OnFailure: Succeeded', pod: pod({ restartPolicy: 'OnFailure' }), cs: [ctr('app', 'CONTAINER_EXITED', 0)], phase: 'Succeeded' },
    { name: 'terminal, Always, killed 143: Failed', pod: pod(), cs: [ctr('app', 'CONTAINER_EXITED', 143, 'Error')], extra: { podIsTerminal: true }, phase: 'Failed' },
    { name: 'crash loop waiting', pod: pod(), cs: [ctr('app', 'CONTAINER_EXITED', 2, 'Error', 3), ctr('app', 'CONTAINER_EXITED', 2, 'Error', 2)],
      extra: { reasons: new Map([['app', { reason: 'CrashLoopBackOff', message: 'back-off 40s restarting failed container=app pod=p_ns(u)' }]]) }, phase: 'Running',
      check: (s) => {
        const c = s.containerStatuses[0];
        assert.equal(c.state.waiting.reason, 'CrashLoopBackOff');
        assert.equal(c.lastState.terminated.exitCode, 2);
        assert.equal(c.restartCount, 3);
        assert.equal(c.containerID, `process://${c.lastState.terminated.containerID.slice('process://'.length)}`);
      } },
    { name: 'config error while pending', pod: pod(), cs: [], extra: { reasons: new Map([['app', { reason: 'CreateContainerConfigError', message: 'configmap "x" not found' }]]) }, phase: 'Pending',
      state: { waiting: { reason: 'CreateContainerConfigError', message: 'configmap "x" not found' } } },
    { name: 'init running', pod: pod({ initContainers: [{ name: 'i', image: 'b' }] }), cs: [ctr('i', 'CONTAINER_RUNNING')], phase: 'Pending',
      check: (s) => {
        assert.equal(cond(s, 'Initialized').status, 'False');
        assert.equal(s.containerStatuses[0].state.waiting.reason, 'PodInitializing');
      } },
    { name: 'init failed, Never', pod: pod({ restartPolicy: 'Never', initContainers: [{ name: 'i', image: 'b' }] }), cs: [ctr('i', 'CONTAINER_EXITED', 1, 'Error')], phase: 'Failed' },
  ];
  for (const c of cases) {
    const s = gen(c.pod, c.cs, c.extra);
    assert.equal(s.phase, c.phase, `${c.name}: phase`);
    if (c.ready) assert.equal(cond(s, 'Ready').status, c.ready, `${c.name}: ready`);
    if (c.state) {
      const st = structuredClone(s.containerStatuses[0].state);
      if (st.terminated) delete st.terminated.containerID;
      assert.deepEqual(st, c.state, `${c.name}: state`);
    }
    c.check?.(s);
    assert.equal(s.podIP, '10.42.0.9');
    assert.equal(s.hostIP, '192.168.0.1');
    assert.equal(s.qosClass, 'BestEffort');
    assert.equal(cond(s, 'PodScheduled').status, 'True');
  }
});

test('termination messages land in terminated state', () => {
  const c = ctr('app', 'CONTAINER_EXITED', 1, 'Error');
  const s = gen(pod({ restartPolicy: 'Never' }), [c], { messages: new Map([[c.id, 'bye']]) });
  assert.equal(s.containerStatuses[0].state.terminated.message, 'bye');
});

test('a terminal phase never goes back', () => {
  const s = gen(pod({}, { phase: 'Failed' }), [ctr('app', 'CONTAINER_RUNNING')]);
  assert.equal(s.phase, 'Failed');
});

test('getPhase: waiting with a previous failure counts as stopped', () => {
  const p = pod({ restartPolicy: 'OnFailure' });
  assert.equal(getPhase(p, [], [{ name: 'app', state: { waiting: { reason: 'CrashLoopBackOff' } }, lastState: { terminated: { exitCode: 1 } } }], false), 'Running');
  assert.equal(getPhase(p, [], [{ name: 'app', state: { waiting: { reason: 'ContainerCreating' } }, lastState: {} }], false), 'Pending');
});

test('transition times change only with status', () => {
  const prev = [{ type: 'Ready', status: 'False', lastTransitionTime: '2026-01-01T00:00:00Z' }];
  const same = keepTransitionTimes([{ type: 'Ready', status: 'False' }], prev, Date.UTC(2026, 0, 2));
  assert.equal(same[0]!.lastTransitionTime, '2026-01-01T00:00:00Z');
  const changed = keepTransitionTimes([{ type: 'Ready', status: 'True' }], prev, Date.UTC(2026, 0, 2));
  assert.equal(changed[0]!.lastTransitionTime, '2026-01-02T00:00:00Z');
});
