import { test } from 'node:test';
import assert from 'node:assert/strict';
import { PluginHarness, makeNode, makePod } from '../../testing/index.js';
import type { Pod } from '../../types.js';

const ZONE = 'topology.kubernetes.io/zone';
const HOST = 'kubernetes.io/hostname';
const nodes = () => [
  makeNode().name('n1').label(ZONE, 'a').obj(),
  makeNode().name('n2').label(ZONE, 'a').obj(),
  makeNode().name('n3').label(ZONE, 'b').obj(),
  makeNode().name('n4').obj(),
];
const AFF = "UnschedulableAndUnresolvable: node(s) didn't match pod affinity rules";
const ANTI = "Unschedulable: node(s) didn't match pod anti-affinity rules";
const EXISTING = "Unschedulable: node(s) didn't satisfy existing pods anti-affinity rules";

const cases: { name: string; pods: Pod[]; pod: Pod; want: Record<string, string> }[] = [
  {
    name: 'required affinity: only the zone holding a matching pod',
    pods: [makePod().name('db').label('app', 'db').node('n1').obj()],
    pod: makePod().name('p').podAffinity(ZONE, { matchLabels: { app: 'db' } }).obj(),
    want: { n1: '', n2: '', n3: AFF, n4: AFF },
  },
  {
    name: 'required affinity: namespaces limit the match',
    pods: [makePod().name('db').namespace('other').label('app', 'db').node('n1').obj()],
    pod: makePod().name('p').podAffinity(ZONE, { matchLabels: { app: 'db' } }).obj(),
    want: { n1: AFF, n2: AFF, n3: AFF, n4: AFF },
  },
  {
    name: 'required affinity: the first pod of a self-affine group goes anywhere with the key',
    pods: [],
    pod: makePod().name('p').label('app', 'db').podAffinity(ZONE, { matchLabels: { app: 'db' } }).obj(),
    want: { n1: '', n2: '', n3: '', n4: AFF },
  },
  {
    name: 'required anti-affinity of the incoming pod',
    pods: [makePod().name('w').label('app', 'web').node('n1').obj()],
    pod: makePod().name('p').podAntiAffinity(HOST, { matchLabels: { app: 'web' } }).obj(),
    want: { n1: ANTI, n2: '', n3: '', n4: '' },
  },
  {
    name: "existing pods' anti-affinity",
    pods: [makePod().name('x').node('n2').podAntiAffinity(ZONE, { matchLabels: { app: 'web' } }).obj()],
    pod: makePod().name('p').label('app', 'web').obj(),
    want: { n1: EXISTING, n2: EXISTING, n3: '', n4: '' },
  },
];

for (const c of cases) {
  test(c.name, () => {
    const h = new PluginHarness(['InterPodAffinity'], c.pods, nodes());
    assert.deepEqual(h.filterReasons(c.pod), c.want);
  });
}

test('preferred affinity and anti-affinity scores', () => {
  const h = new PluginHarness(['InterPodAffinity'], [
    makePod().name('db').label('app', 'db').node('n1').obj(),
    makePod().name('web').label('app', 'web').node('n3').obj(),
  ], nodes());
  const pod = makePod().name('p').preferredPodAffinity(10, ZONE, { matchLabels: { app: 'db' } }).preferredPodAntiAffinity(10, ZONE, { matchLabels: { app: 'web' } }).obj();
  // zone a +10, zone b −10, n4 0 → min −10, max 10 → 100, 100, 0, 50
  assert.deepEqual(h.score(pod), { n1: 100, n2: 100, n3: 0, n4: 50 });
});

test("existing pods' required affinity attracts matching pods (hardPodAffinityWeight)", () => {
  const h = new PluginHarness(['InterPodAffinity'], [
    makePod().name('x').node('n3').podAffinity(ZONE, { matchLabels: { app: 'web' } }).obj(),
  ], nodes());
  assert.deepEqual(h.score(makePod().name('p').label('app', 'web').obj()), { n1: 0, n2: 0, n3: 100, n4: 0 });
});
