// Probe worker state machine: thresholds, initial delay, startup gating, hold after liveness failure.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { FakeClock } from '../../util/clock.js';
import type { Obj } from '../types.js';
import { ProbeManager, type ProbedContainer, type ProbeKind } from './manager.js';
import type { ProbeResult } from './probe.js';

function setup(container: Obj) {
  const clock = new FakeClock();
  const state: { c: ProbedContainer | undefined; next: ProbeResult; runs: Record<string, number>; changes: string[]; failures: string[] } = {
    c: { id: 'c1', running: true, startedAt: clock.now() }, next: 'success', runs: {}, changes: [], failures: [],
  };
  const m = new ProbeManager(clock, {
    container: () => state.c,
    podIP: () => '10.0.0.1',
    probe: async (spec) => {
      const kind = spec === container.livenessProbe ? 'liveness' : spec === container.readinessProbe ? 'readiness' : 'startup';
      state.runs[kind] = (state.runs[kind] ?? 0) + 1;
      return { result: state.next, output: state.next === 'failure' ? 'boom' : '' };
    },
    onChange: (_uid, kind, _n, r) => state.changes.push(`${kind}:${r}`),
    onFailure: (_p, _c, kind, out) => state.failures.push(`${kind}:${out}`),
  }, true);
  const pod = { metadata: { uid: 'u' }, spec: { containers: [container] } };
  m.addPod(pod);
  const round = (kind: ProbeKind) => m.probeNow('u', container.name, kind);
  return { clock, state, m, round };
}

test('readiness: starts not ready, success threshold, failure threshold', async () => {
  const c = { name: 'app', readinessProbe: { exec: { command: ['x'] }, successThreshold: 2, failureThreshold: 2 } };
  const { state, m, round } = setup(c);
  await round('readiness');
  assert.equal(m.ready('c1', c), false); // one success is below threshold 2
  await round('readiness');
  assert.equal(m.ready('c1', c), true);
  state.next = 'failure';
  await round('readiness');
  assert.equal(m.ready('c1', c), true); // one failure below threshold
  await round('readiness');
  assert.equal(m.ready('c1', c), false);
  assert.deepEqual(state.changes, ['readiness:success', 'readiness:failure']);
  assert.deepEqual(state.failures, ['readiness:boom', 'readiness:boom']);
});

test('liveness: failure after threshold, then on hold until a new container', async () => {
  const c = { name: 'app', livenessProbe: { exec: { command: ['x'] }, failureThreshold: 3 } };
  const { state, m, round } = setup(c);
  state.next = 'failure';
  for (let i = 0; i < 2; i++) await round('liveness');
  assert.equal(m.livenessFailed('c1'), false);
  await round('liveness');
  assert.equal(m.livenessFailed('c1'), true);
  await round('liveness');
  assert.equal(state.runs.liveness, 3); // held
  state.c = { id: 'c2', running: true, startedAt: 0 };
  state.next = 'success';
  await round('liveness');
  assert.equal(state.runs.liveness, 4);
  assert.equal(m.livenessFailed('c2'), false);
});

test('initialDelaySeconds and startup gating', async () => {
  const c = { name: 'app', livenessProbe: { exec: { command: ['x'] }, initialDelaySeconds: 5 }, startupProbe: { exec: { command: ['s'] }, failureThreshold: 1 } };
  const { clock, state, m, round } = setup(c);
  clock.advance(6000);
  await round('liveness');
  assert.equal(state.runs.liveness, undefined); // not started yet
  assert.equal(m.started('c1', c), false);
  await round('startup');
  assert.equal(m.started('c1', c), true);
  await round('liveness');
  assert.equal(state.runs.liveness, 1);
  await round('startup');
  assert.equal(state.runs.startup, 1); // startup stops once it succeeded
});

test('initial delay holds probes back', async () => {
  const c = { name: 'app', readinessProbe: { exec: { command: ['x'] }, initialDelaySeconds: 10 } };
  const { clock, state, round } = setup(c);
  await round('readiness');
  assert.equal(state.runs.readiness, undefined);
  clock.advance(10_000);
  await round('readiness');
  assert.equal(state.runs.readiness, 1);
});
