import { test } from 'node:test';
import assert from 'node:assert/strict';
import { FakeClock } from '../../util/clock.js';
import { makeNode, makePod } from '../testing/index.js';
import type { Pod } from '../types.js';
import { Cache } from './cache.js';
import { NodeTree } from './node-tree.js';
import { Snapshot } from './snapshot.js';

const TTL = 30_000;
const node = (name: string, zone?: string) => {
  const w = makeNode().name(name).capacity({ cpu: '4', memory: '8Gi', pods: 110 });
  return (zone ? w.label('topology.kubernetes.io/zone', zone) : w).obj();
};
const bound = (p: Pod, n: string): Pod => ({ ...p, spec: { ...p.spec, nodeName: n } });

function setup() {
  const clock = new FakeClock();
  const cache = new Cache({ clock, assumedPodTTLMs: TTL });
  cache.addNode(node('n1'));
  cache.addNode(node('n2'));
  return { clock, cache };
}

function requestedCPU(cache: Cache, name: string): number {
  const s = new Snapshot();
  cache.updateSnapshot(s);
  return s.get(name)!.requested.milliCPU;
}

test('assume → finishBinding → confirmed by the informer add: never expires', () => {
  const { clock, cache } = setup();
  const pod = bound(makePod().name('p').req({ cpu: '1' }).obj(), 'n1');
  cache.assumePod(pod);
  assert.equal(requestedCPU(cache, 'n1'), 1000);
  assert.ok(cache.isAssumedPod(pod));
  cache.finishBinding(pod);
  cache.addPod(pod);
  assert.ok(!cache.isAssumedPod(pod));
  clock.advance(TTL * 2);
  assert.deepEqual(cache.cleanupAssumedPods(), []);
  assert.equal(requestedCPU(cache, 'n1'), 1000);
});

test('an assumed pod expires TTL after its binding finished; not before binding finished', () => {
  const { clock, cache } = setup();
  const a = bound(makePod().name('a').req({ cpu: '1' }).obj(), 'n1');
  const b = bound(makePod().name('b').req({ cpu: '1' }).obj(), 'n1');
  cache.assumePod(a);
  cache.assumePod(b);
  cache.finishBinding(a);
  cache.run(1000);
  clock.advance(TTL - 1000);
  assert.equal(cache.assumedPodCount(), 2);
  clock.advance(2000);
  assert.equal(cache.assumedPodCount(), 1);
  assert.ok(!cache.getPod(a));
  assert.ok(cache.isAssumedPod(b)); // bind still in flight
  assert.equal(requestedCPU(cache, 'n1'), 1000);
  cache.stop();
  // The informer may still deliver the expired pod: it is added back.
  cache.addPod(a);
  assert.equal(requestedCPU(cache, 'n1'), 2000);
});

test('forgetPod undoes an assumption; forgetting an unknown pod is an error', () => {
  const { cache } = setup();
  const pod = bound(makePod().name('p').req({ cpu: '1' }).obj(), 'n2');
  cache.assumePod(pod);
  cache.forgetPod(pod);
  assert.equal(requestedCPU(cache, 'n2'), 0);
  assert.throws(() => cache.forgetPod(pod), /wasn't assumed/);
  assert.throws(() => { cache.assumePod(pod); cache.assumePod(pod); }, /can't be assumed/);
});

test('confirmation on a different node moves the pod', () => {
  const { cache } = setup();
  const pod = makePod().name('p').req({ cpu: '1' }).obj();
  cache.assumePod(bound(pod, 'n1'));
  cache.addPod(bound(pod, 'n2'));
  assert.equal(requestedCPU(cache, 'n1'), 0);
  assert.equal(requestedCPU(cache, 'n2'), 1000);
});

test('updateSnapshot copies only NodeInfos that changed', () => {
  const { cache } = setup();
  const s = new Snapshot();
  cache.updateSnapshot(s);
  const n1 = s.get('n1')!, n2 = s.get('n2')!;
  const n2gen = n2.generation;
  cache.addPod(bound(makePod().name('p').req({ cpu: '1' }).obj(), 'n1'));
  cache.updateSnapshot(s);
  assert.equal(s.get('n1'), n1, 'updated in place');
  assert.equal(n1.pods.length, 1);
  assert.equal(s.get('n2')!.generation, n2gen, 'n2 untouched');
  assert.equal(s.list().length, 2);
});

test('updateSnapshot drops removed nodes, also when another node arrives; pods keep a ghost entry out of the list', () => {
  const { cache } = setup();
  const s = new Snapshot();
  cache.addPod(bound(makePod().name('p').obj(), 'n2'));
  cache.updateSnapshot(s);
  cache.removeNode(node('n1'));
  cache.removeNode(node('n2'));
  cache.addNode(node('n3'));
  cache.updateSnapshot(s);
  assert.deepEqual(s.list().map((n) => n.name), ['n3']);
  assert.equal(s.get('n1'), undefined);
  assert.equal(s.get('n2'), undefined);
  assert.equal(cache.nodeCount(), 1);
});

test('snapshot lists nodes with (anti-)affinity pods', () => {
  const { cache } = setup();
  const s = new Snapshot();
  cache.updateSnapshot(s);
  assert.equal(s.havePodsWithAffinityList().length, 0);
  const p = bound(makePod().name('p').podAntiAffinity('kubernetes.io/hostname', { matchLabels: { a: 'b' } }).obj(), 'n2');
  cache.addPod(p);
  cache.updateSnapshot(s);
  assert.deepEqual(s.havePodsWithAffinityList().map((n) => n.name), ['n2']);
  assert.deepEqual(s.havePodsWithRequiredAntiAffinityList().map((n) => n.name), ['n2']);
  cache.removePod(p);
  cache.updateSnapshot(s);
  assert.equal(s.havePodsWithRequiredAntiAffinityList().length, 0);
});

test('image states count the nodes holding each image', () => {
  const { cache } = setup();
  cache.addNode(makeNode().name('n1').images({ 'nginx:1.27': 100 }).obj());
  cache.addNode(makeNode().name('n2').images({ 'nginx:1.27': 100, redis: 50 }).obj());
  const s = new Snapshot();
  cache.updateSnapshot(s);
  assert.equal(s.get('n1')!.imageStates.get('nginx:1.27')!.numNodes, 2);
  assert.equal(s.get('n2')!.imageStates.get('redis:latest')!.numNodes, 1);
});

test('the node tree interleaves zones', () => {
  const t = new NodeTree();
  for (const [n, z] of [['a1', 'a'], ['a2', 'a'], ['a3', 'a'], ['b1', 'b'], ['c1', 'c'], ['c2', 'c']] as const) t.add(node(n, z));
  assert.deepEqual(t.list(), ['a1', 'b1', 'c1', 'a2', 'c2', 'a3']);
  t.remove(node('b1', 'b'));
  assert.deepEqual(t.list(), ['a1', 'c1', 'a2', 'c2', 'a3']);
});
