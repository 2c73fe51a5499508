import { test } from 'node:test';
import assert from 'node:assert/strict';
import { CycleState, Status } from '../../framework/index.js';
import type { NodeToStatus } from '../../framework/index.js';
import { PluginHarness, makeNode, makePDB, makePod } from '../../testing/index.js';
import type { Pod, PodDisruptionBudget } from '../../types.js';
import { podName } from '../../types.js';
import { filterPodsWithPDBViolation } from './index.js';
import { PodInfo } from '../../framework/index.js';

const node = (name: string) => makeNode().name(name).capacity({ cpu: '2', memory: '4Gi', pods: 10 }).obj();

function setup(pods: Pod[], pdbs: PodDisruptionBudget[] = []) {
  const evicted: string[] = [];
  const h = new PluginHarness(['NodeResourcesFit', 'DefaultPreemption'], pods, [node('n1'), node('n2')], {
    pdbs: () => pdbs,
    evictVictim: async (v) => { evicted.push(podName(v)); },
    random: () => 0,
  });
  return { h, evicted };
}

async function preempt(h: PluginHarness, pod: Pod) {
  const state = new CycleState();
  const statuses: NodeToStatus = new Map();
  for (const [n, s] of h.filter(pod, state)) if (s) statuses.set(n, s);
  return h.fwk.runPostFilterPlugins(state, pod, statuses);
}

const lowPods = () => [
  makePod().name('p1').priority(1).node('n1').req({ cpu: '1' }).label('app', 'a').obj(),
  makePod().name('p2').priority(2).node('n1').req({ cpu: '1' }).label('app', 'a').obj(),
  makePod().name('p3').priority(5).node('n2').req({ cpu: '2' }).obj(),
];

test('evicts the fewest, lowest-priority victims and nominates the node', async () => {
  const { h, evicted } = setup(lowPods());
  const out = await preempt(h, makePod().name('hi').priority(10).req({ cpu: '1' }).obj());
  assert.equal(out.status.code, 'Success');
  assert.equal(out.result?.nominatedNodeName, 'n1');
  // p2 (more important) is reprieved; p1 alone makes room.
  assert.deepEqual(evicted, ['default/p1']);
});

test('avoids violating a PodDisruptionBudget when another node works', async () => {
  // On n1 both pods are PDB-protected: p2 is reprieved, evicting p1 would violate; n2 violates nothing.
  const { h, evicted } = setup(lowPods(), [makePDB('pdb', 'default', { app: 'a' }, 0)]);
  const out = await preempt(h, makePod().name('hi').priority(10).req({ cpu: '1' }).obj());
  assert.equal(out.result?.nominatedNodeName, 'n2');
  assert.deepEqual(evicted, ['default/p3']);
});

test('no lower-priority pods: the aggregated preemption message', async () => {
  const { h, evicted } = setup(lowPods());
  const out = await preempt(h, makePod().name('lo').priority(0).req({ cpu: '1' }).obj());
  assert.equal(out.status.code, 'Unschedulable');
  assert.equal(out.status.message(), 'preemption: 0/2 nodes are available: 2 No preemption victims found for incoming pod.');
  assert.equal(out.result?.nominatedNodeName, '');
  assert.deepEqual(evicted, []);
});

test('preemptionPolicy Never is not eligible', async () => {
  const { h } = setup(lowPods());
  const out = await preempt(h, makePod().name('hi').priority(10).preemptionPolicy('Never').req({ cpu: '1' }).obj());
  assert.equal(out.status.message(), 'preemption: not eligible due to preemptionPolicy=Never.');
});

test('unresolvable nodes are not helpful', async () => {
  const { h } = setup(lowPods());
  const state = new CycleState();
  const m: NodeToStatus = new Map([['n1', Status.unresolvable('x')], ['n2', Status.unresolvable('y')]]);
  const out = await h.fwk.runPostFilterPlugins(state, makePod().name('hi').priority(10).obj(), m);
  assert.equal(out.status.message(), 'preemption: 0/2 nodes are available: 2 Preemption is not helpful for scheduling.');
});

test('filterPodsWithPDBViolation: budget shared by matching pods, disrupted pods skipped', () => {
  const pods = ['a', 'b', 'c'].map((n) => new PodInfo(makePod().name(n).label('app', 'x').obj()));
  const pdb = makePDB('pdb', 'default', { app: 'x' }, 1);
  pdb.status!.disruptedPods = { a: '2026-01-01T00:00:00Z' };
  const { violating, nonViolating } = filterPodsWithPDBViolation(pods, [pdb]);
  assert.deepEqual(nonViolating.map((p) => p.pod.metadata.name), ['a', 'b']);
  assert.deepEqual(violating.map((p) => p.pod.metadata.name), ['c']);
});
