import { test } from 'node:test';
import assert from 'node:assert/strict';
import { FakeClock } from '../../util/clock.js';
import { PodInfo, Status } from '../framework/index.js';
import type { QueuedPodInfo } from '../framework/index.js';
import { makePod } from '../testing/index.js';
import type { Pod } from '../types.js';
import { SchedulingQueue } from './scheduling-queue.js';

function newQueue(clock = new FakeClock()) {
  const q = new SchedulingQueue({
    clock,
    enqueueEvents: new Map([['NodeResourcesFit', ['NodeAdd', 'AssignedPodDelete'] as const]]),
    preEnqueue: (pod: Pod) => (pod.spec.schedulingGates?.length ? Status.unresolvable('gated').withPlugin('SchedulingGates') : undefined),
  });
  return { q, clock };
}

/** Pops and fails the pod with these rejecting plugins in the cycle it was popped. */
function fail(q: SchedulingQueue, plugins: string[]): QueuedPodInfo {
  const p = q.tryPop()!;
  p.unschedulablePlugins = new Set(plugins);
  q.addUnschedulableIfNotPresent(p, q.schedulingCycle());
  return p;
}

test('activeQ pops by priority, then by arrival', () => {
  const { q, clock } = newQueue();
  q.add(makePod().name('low').priority(1).obj());
  clock.advance(1);
  q.add(makePod().name('high').priority(100).obj());
  clock.advance(1);
  q.add(makePod().name('low2').priority(1).obj());
  const order = [q.tryPop(), q.tryPop(), q.tryPop()].map((p) => p?.pod.metadata.name);
  assert.deepEqual(order, ['high', 'low', 'low2']);
  assert.equal(q.tryPop(), undefined);
});

test('backoff doubles per attempt from 1 s and caps at 10 s', () => {
  const { q } = newQueue();
  const info = { attempts: 0 } as QueuedPodInfo;
  const got = [1, 2, 3, 4, 5, 6].map((attempts) => q.backoffDuration({ ...info, attempts }));
  assert.deepEqual(got, [1000, 2000, 4000, 8000, 10_000, 10_000]);
});

test('an event registered by the rejecting plugin moves the pod via backoff', () => {
  const { q, clock } = newQueue();
  const pod = makePod().name('p').obj();
  q.add(pod);
  fail(q, ['NodeResourcesFit']);
  assert.equal(q.where(pod), 'unschedulable');
  q.moveAllToActiveOrBackoffQueue('NodeUpdate'); // NodeResourcesFit did not register NodeUpdate here
  assert.equal(q.where(pod), 'unschedulable');
  q.moveAllToActiveOrBackoffQueue('NodeAdd');
  assert.equal(q.where(pod), 'backoff'); // 1 attempt → 1 s backoff not over yet
  clock.advance(999);
  q.flushBackoffQCompleted();
  assert.equal(q.where(pod), 'backoff');
  clock.advance(1);
  q.flushBackoffQCompleted();
  assert.equal(q.where(pod), 'active');
});

test('a move request during the attempt sends the failed pod to backoff, not unschedulable', () => {
  const { q } = newQueue();
  const pod = makePod().name('p').obj();
  q.add(pod);
  const p = q.tryPop()!;
  q.moveAllToActiveOrBackoffQueue('NodeAdd'); // arrives while p is being scheduled
  p.unschedulablePlugins = new Set(['NodeResourcesFit']);
  q.addUnschedulableIfNotPresent(p, q.schedulingCycle());
  assert.equal(q.where(pod), 'backoff');
});

test('a failure without rejecting plugins (an error) retries via backoff', () => {
  const { q } = newQueue();
  const pod = makePod().name('p').obj();
  q.add(pod);
  fail(q, []);
  assert.equal(q.where(pod), 'backoff');
});

test('unschedulable pods are retried after 5 minutes (flush every 30 s with run())', () => {
  const { q, clock } = newQueue();
  const pod = makePod().name('p').obj();
  q.add(pod);
  fail(q, ['NodeResourcesFit']);
  q.run();
  clock.advance(4 * 60_000);
  assert.equal(q.where(pod), 'unschedulable');
  clock.advance(90_000);
  assert.equal(q.where(pod), 'active');
  q.close();
});

test('PreEnqueue gates a pod until an update lifts the gate', () => {
  const { q } = newQueue();
  const gated = makePod().name('g').schedulingGates('wait').obj();
  q.add(gated);
  assert.equal(q.where(gated), 'gated');
  assert.deepEqual(q.pending(), { active: 0, backoff: 0, unschedulable: 0, gated: 1 });
  q.moveAllToActiveOrBackoffQueue('NodeAdd');
  assert.equal(q.where(gated), 'gated');
  const open: Pod = { ...gated, spec: { ...gated.spec, schedulingGates: [] } };
  q.update(gated, open);
  assert.equal(q.where(open), 'active');
});

test('pop waits for a pod; close releases waiters', async () => {
  const { q } = newQueue();
  const waiting = q.pop();
  q.add(makePod().name('late').obj());
  assert.equal((await waiting)?.pod.metadata.name, 'late');
  const w2 = q.pop();
  q.close();
  assert.equal(await w2, undefined);
});

test('pop honours an abort signal', async () => {
  const { q } = newQueue();
  const ac = new AbortController();
  const w = q.pop(ac.signal);
  ac.abort();
  assert.equal(await w, undefined);
});

test('delete removes the pod from every sub-queue and the nominator', () => {
  const { q } = newQueue();
  const pod = makePod().name('p').nominatedNodeName('n1').obj();
  q.add(pod);
  assert.equal(q.nominatedPodsForNode('n1').length, 1);
  q.delete(pod);
  assert.equal(q.where(pod), undefined);
  assert.equal(q.nominatedPodsForNode('n1').length, 0);
});

test('nominator: add, override, delete', () => {
  const { q } = newQueue();
  const pod = makePod().name('p').obj();
  q.nominator.add(new PodInfo(pod), 'n1');
  assert.deepEqual(q.nominatedPodsForNode('n1').map((p) => p.pod.metadata.name), ['p']);
  q.nominator.add(new PodInfo(pod), 'n2');
  assert.equal(q.nominatedPodsForNode('n1').length, 0);
  assert.equal(q.nominator.nominatedNodeFor(pod), 'n2');
  q.nominator.delete(pod);
  assert.equal(q.nominatedPodsForNode('n2').length, 0);
});
