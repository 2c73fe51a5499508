// End-to-end in memory: informer events in, bindings and failure reports out.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { FakeClock } from '../util/clock.js';
import { Scheduler } from './scheduler.js';
import type { SchedulingFailure, SchedulerOptions } from './scheduler.js';
import { makeNode, makePod } from './testing/index.js';
import type { Node, Pod } from './types.js';
import { podName } from './types.js';
import { setDefaults } from './config/index.js';
import { inTreeRegistry } from './registry.js';
import { Status } from './framework/index.js';
import type { PermitPlugin, PluginFactory } from './framework/index.js';

const ZONE = 'topology.kubernetes.io/zone';

/** A scheduler whose bind call "writes" the binding and feeds it back as the informer would. */
function harness(nodes: Node[], opts: Partial<SchedulerOptions> = {}) {
  const clock = new FakeClock();
  const bound = new Map<string, string>();
  const failures: { pod: string; failure: SchedulingFailure }[] = [];
  const evicted: string[] = [];
  const pods = new Map<string, Pod>();
  let bindError: Error | undefined;
  const s: Scheduler = new Scheduler({
    clock,
    random: () => 0.5,
    ...opts,
    bind: async (pod, node) => {
      if (bindError) throw bindError;
      bound.set(podName(pod), node);
      const old = pods.get(podName(pod))!;
      const now = { ...old, spec: { ...old.spec, nodeName: node } };
      pods.set(podName(pod), now);
      queueMicrotask(() => s.onPodUpdate(old, now));
    },
    evictVictim: async (victim) => {
      evicted.push(podName(victim));
    },
    events: { failed: (pod, failure) => { failures.push({ pod: podName(pod), failure }); } },
  });
  for (const n of nodes) s.onNodeAdd(n);
  const add = (p: Pod) => {
    pods.set(podName(p), p);
    s.onPodAdd(p);
  };
  /** Schedules until the active queue is empty, finishing each binding. */
  const drain = async () => {
    for (let q = s.queue.tryPop(); q; q = s.queue.tryPop()) {
      const out = await s.scheduleOne(q);
      await out.binding;
      await new Promise((r) => setImmediate(r));
    }
  };
  return { s, clock, bound, failures, evicted, pods, add, drain, failBinds: (e?: Error) => { bindError = e; } };
}

test('100 pods onto 10 nodes spread evenly across hosts and zones', async () => {
  const nodes = Array.from({ length: 10 }, (_, i) => makeNode().name(`n${i}`).label(ZONE, i < 5 ? 'a' : 'b').capacity({ cpu: '4', memory: '16Gi', pods: 110 }).obj());
  const h = harness(nodes);
  for (let i = 0; i < 100; i++) {
    h.add(makePod().name(`web-${i}`).label('app', 'web').req({ cpu: '100m', memory: '128Mi' })
      .spreadConstraint(1, 'kubernetes.io/hostname', 'DoNotSchedule', { matchLabels: { app: 'web' } })
      .spreadConstraint(1, ZONE, 'ScheduleAnyway', { matchLabels: { app: 'web' } }).obj());
  }
  await h.drain();
  assert.equal(h.bound.size, 100);
  assert.deepEqual(h.failures, []);
  const perNode = new Map<string, number>();
  const perZone = new Map<string, number>();
  for (const n of h.bound.values()) {
    perNode.set(n, (perNode.get(n) ?? 0) + 1);
    const z = Number(n.slice(1)) < 5 ? 'a' : 'b';
    perZone.set(z, (perZone.get(z) ?? 0) + 1);
  }
  assert.deepEqual([...perNode.values()], Array(10).fill(10));
  assert.deepEqual(perZone, new Map([['a', 50], ['b', 50]]));
  assert.equal(h.s.cache.assumedPodCount(), 0, 'every binding confirmed by the informer');
  assert.equal(h.s.cache.podCount(), 100);
});

test('FailedScheduling message with the preemption outcome, verbatim', async () => {
  const nodes = [
    ...[1, 2, 3].map((i) => makeNode().name(`w${i}`).capacity({ cpu: '1', memory: '4Gi', pods: 110 }).obj()),
    ...[1, 2].map((i) => makeNode().name(`cp${i}`).capacity({ cpu: '8', memory: '4Gi', pods: 110 }).taint('node-role.kubernetes.io/control-plane', '', 'NoSchedule').obj()),
  ];
  const h = harness(nodes);
  h.add(makePod().name('big').req({ cpu: '2' }).obj());
  await h.drain();
  assert.equal(h.failures.length, 1);
  const f = h.failures[0]!.failure;
  assert.equal(f.reason, 'Unschedulable');
  assert.equal(f.message,
    '0/5 nodes are available: 2 node(s) had untolerated taint {node-role.kubernetes.io/control-plane: }, 3 Insufficient cpu. ' +
    'preemption: 0/5 nodes are available: 2 Preemption is not helpful for scheduling, 3 No preemption victims found for incoming pod.');
  assert.equal(f.nominatedNodeName, '');
  assert.equal(h.s.queue.where(h.pods.get('default/big')!), 'unschedulable');
  // A node that fits arrives: NodeAdd moves the pod (NodeResourcesFit registered it) via backoff.
  h.s.onNodeAdd(makeNode().name('large').capacity({ cpu: '4', memory: '4Gi', pods: 110 }).obj());
  assert.equal(h.s.queue.where(h.pods.get('default/big')!), 'backoff');
  h.clock.advance(1000);
  h.s.queue.flushBackoffQCompleted();
  await h.drain();
  assert.equal(h.bound.get('default/big'), 'large');
});

test('no nodes: Unschedulable "no nodes available to schedule pods"', async () => {
  const h = harness([]);
  h.add(makePod().name('p').obj());
  await h.drain();
  assert.deepEqual(h.failures.map((f) => [f.failure.reason, f.failure.message]), [['Unschedulable', 'no nodes available to schedule pods']]);
});

test('preemption: evict the victim, nominate, then schedule once it is gone', async () => {
  const h = harness([makeNode().name('n1').capacity({ cpu: '2', memory: '4Gi', pods: 110 }).obj()]);
  h.add(makePod().name('low').priority(1).req({ cpu: '2' }).obj());
  await h.drain();
  assert.equal(h.bound.get('default/low'), 'n1');
  const high = makePod().name('high').priority(100).req({ cpu: '1' }).obj();
  h.add(high);
  await h.drain();
  assert.deepEqual(h.evicted, ['default/low']);
  assert.equal(h.failures.at(-1)!.failure.nominatedNodeName, 'n1');
  assert.equal(h.s.queue.nominatedPodsForNode('n1').length, 1);
  // A lower-priority newcomer must not take the room reserved for the nominated pod.
  h.add(makePod().name('sneaky').priority(0).req({ cpu: '1' }).obj());
  // The victim leaves; the preemptor retries after its backoff.
  h.s.onPodDelete(h.pods.get('default/low')!);
  h.clock.advance(1000);
  h.s.queue.flushBackoffQCompleted();
  await h.drain();
  assert.equal(h.bound.get('default/high'), 'n1');
  assert.equal(h.bound.get('default/sneaky'), 'n1', 'fits beside it once the preemptor is placed (2 cpu)');
});

test('bind failure: the assumed pod is forgotten and the pod retried', async () => {
  const h = harness([makeNode().name('n1').capacity({ cpu: '1', memory: '1Gi', pods: 110 }).obj()]);
  h.failBinds(new Error('connection refused'));
  h.add(makePod().name('p').req({ cpu: '1' }).obj());
  await h.drain();
  assert.equal(h.failures[0]!.failure.reason, 'SchedulerError');
  assert.match(h.failures[0]!.failure.message, /connection refused/);
  assert.equal(h.s.cache.podCount(), 0);
  assert.equal(h.s.queue.where(h.pods.get('default/p')!), 'backoff');
  h.failBinds(undefined);
  h.clock.advance(1000);
  h.s.queue.flushBackoffQCompleted();
  await h.drain();
  assert.equal(h.bound.get('default/p'), 'n1');
});

test('pods for other schedulers are ignored; profiles are picked by schedulerName', async () => {
  const config = setDefaults({ profiles: [{ schedulerName: 'default-scheduler' }, { schedulerName: 'packer', pluginConfig: [{ name: 'NodeResourcesFit', args: { scoringStrategy: { type: 'MostAllocated' } } }] }] });
  const nodes = [makeNode().name('empty').capacity({ cpu: '4', memory: '4Gi', pods: 110 }).obj(), makeNode().name('busy').capacity({ cpu: '4', memory: '4Gi', pods: 110 }).obj()];
  const h = harness(nodes, { config });
  h.add(makePod().name('base').node('busy').req({ cpu: '2', memory: '2Gi' }).obj());
  h.add(makePod().name('other').schedulerName('someone-else').obj());
  h.add(makePod().name('packed').schedulerName('packer').req({ cpu: '1', memory: '1Gi' }).obj());
  h.add(makePod().name('spread').req({ cpu: '1', memory: '1Gi' }).obj());
  await h.drain();
  assert.equal(h.bound.get('default/packed'), 'busy');
  assert.equal(h.bound.get('default/spread'), 'empty');
  assert.equal(h.bound.has('default/other'), false);
});

test('Permit Wait holds the binding until the plugin allows it', async () => {
  const gate: PluginFactory = () => ({ name: 'Gate', permit: () => ({ status: new Status('Wait'), timeoutMs: 10_000 }) } as PermitPlugin);
  const registry = new Map(inTreeRegistry).set('Gate', gate);
  const config = setDefaults({ profiles: [{ schedulerName: 'default-scheduler', plugins: { permit: { enabled: [{ name: 'Gate' }] } } }] });
  const h = harness([makeNode().name('n1').capacity({ cpu: '1', memory: '1Gi', pods: 10 }).obj()], { config, registry });
  const pod = makePod().name('p').uid('uid-p').obj();
  h.add(pod);
  const q = h.s.queue.tryPop()!;
  const out = await h.s.scheduleOne(q);
  assert.equal(out.node, 'n1');
  await new Promise((r) => setImmediate(r));
  assert.equal(h.bound.size, 0, 'still waiting');
  h.s.profiles.get('default-scheduler')!.waitingPods.allow('uid-p', 'Gate');
  assert.equal(await out.binding, true);
  assert.equal(h.bound.get('default/p'), 'n1');

  // A second pod times out and is unreserved.
  h.add(makePod().name('q').uid('uid-q').obj());
  const out2 = await h.s.scheduleOne(h.s.queue.tryPop()!);
  h.clock.advance(10_000);
  assert.equal(await out2.binding, false);
  assert.match(h.failures.at(-1)!.failure.message, /rejected due to timeout after waiting 10s at plugin Gate/);
});
