// Table tests for scoring plugins: each expected figure is worked out in the case's comment.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { PluginHarness, makeNode, makePod } from '../testing/index.js';
import type { Node, Pod } from '../types.js';
import { brokenLinear } from './noderesourcesfit/scorers.js';

interface Case {
  name: string;
  plugin: string;
  pod: Pod;
  nodes: Node[];
  pods?: Pod[];
  args?: Record<string, Record<string, unknown>>;
  want: Record<string, number>;
}

const GI = 'Gi';
const nodesA = () => [
  makeNode().name('n1').capacity({ cpu: '4', memory: `8${GI}`, pods: 110 }).obj(),
  makeNode().name('n2').capacity({ cpu: '2', memory: `8${GI}`, pods: 110 }).obj(),
];
const pod1cpu2g = () => makePod().name('p').req({ cpu: '1', memory: '2Gi' }).obj();

const cases: Case[] = [
  {
    // n1: cpu (4000-1000)/4000=75, mem 6/8=75 → 75; n2: cpu 50, mem 75 → 62
    name: 'NodeResourcesFit LeastAllocated (default)', plugin: 'NodeResourcesFit', pod: pod1cpu2g(), nodes: nodesA(), want: { n1: 75, n2: 62 },
  },
  {
    // n1: 25/25 → 25; n2: 50/25 → 37
    name: 'NodeResourcesFit MostAllocated', plugin: 'NodeResourcesFit', pod: pod1cpu2g(), nodes: nodesA(),
    args: { NodeResourcesFit: { scoringStrategy: { type: 'MostAllocated' } } }, want: { n1: 25, n2: 37 },
  },
  {
    // shape 0→0, 100→10 (×10): n1 25/25 → 25; n2 50/25 → round(37.5) = 38
    name: 'NodeResourcesFit RequestedToCapacityRatio', plugin: 'NodeResourcesFit', pod: pod1cpu2g(), nodes: nodesA(),
    args: { NodeResourcesFit: { scoringStrategy: { type: 'RequestedToCapacityRatio', requestedToCapacityRatio: { shape: [{ utilization: 0, score: 0 }, { utilization: 100, score: 10 }] } } } },
    want: { n1: 25, n2: 38 },
  },
  {
    // pods without requests count 100m/200Mi: n1 (4000-100)/4000 → 97, mem (8192-200)/8192 → 97
    name: 'NodeResourcesFit scores empty requests with the non-zero defaults', plugin: 'NodeResourcesFit', pod: makePod().name('p').image('x').obj(),
    nodes: [nodesA()[0]!], want: { n1: 97 },
  },
  {
    // fractions n1 .25/.25 → std 0 → 100; n2 .5/.25 → std .125 → 87
    name: 'NodeResourcesBalancedAllocation', plugin: 'NodeResourcesBalancedAllocation', pod: pod1cpu2g(), nodes: nodesA(), want: { n1: 100, n2: 87 },
  },
  {
    // intolerable PreferNoSchedule taints 2/1/0 → reversed 0/50/100
    name: 'TaintToleration prefers fewer PreferNoSchedule taints', plugin: 'TaintToleration',
    pod: makePod().name('p').toleration({ key: 'ok', operator: 'Exists', effect: 'PreferNoSchedule' }).obj(),
    nodes: [
      makeNode().name('n1').taint('a', '1', 'PreferNoSchedule').taint('b', '1', 'PreferNoSchedule').taint('ok', '', 'PreferNoSchedule').obj(),
      makeNode().name('n2').taint('a', '1', 'PreferNoSchedule').obj(),
      makeNode().name('n3').obj(),
    ],
    want: { n1: 0, n2: 50, n3: 100 },
  },
  {
    // weights: n1 2+3=5, n2 2, n3 0 → 100, 40, 0
    name: 'NodeAffinity preferred terms', plugin: 'NodeAffinity',
    pod: makePod().name('p').preferredNodeAffinity(2, { key: 'zone', operator: 'In', values: ['a'] }).preferredNodeAffinity(3, { key: 'disk', operator: 'In', values: ['ssd'] }).obj(),
    nodes: [makeNode().name('n1').label('zone', 'a').label('disk', 'ssd').obj(), makeNode().name('n2').label('zone', 'a').obj(), makeNode().name('n3').obj()],
    want: { n1: 100, n2: 40, n3: 0 },
  },
  {
    // 500 MiB on 1 of 2 nodes → 250 MiB; (250-23)/(1000-23) × 100 = 23
    name: 'ImageLocality', plugin: 'ImageLocality', pod: makePod().name('p').image('nginx').obj(),
    nodes: [makeNode().name('n1').images({ 'nginx:latest': 500 * 1024 * 1024 }).obj(), makeNode().name('n2').obj()],
    want: { n1: 23, n2: 0 },
  },
];

for (const c of cases) {
  test(c.name, () => {
    const h = new PluginHarness([c.plugin], c.pods ?? [], c.nodes, { args: c.args });
    assert.deepEqual(h.score(c.pod), c.want);
  });
}

test('weights multiply normalized scores', () => {
  const h = new PluginHarness(['NodeResourcesFit'], [], nodesA(), { weights: { NodeResourcesFit: 3 } });
  assert.deepEqual(h.score(pod1cpu2g()), { n1: 225, n2: 186 });
});

test('brokenLinear interpolates between shape points', () => {
  const f = brokenLinear([{ utilization: 0, score: 100 }, { utilization: 50, score: 0 }, { utilization: 100, score: 50 }]);
  assert.deepEqual([0, 25, 50, 75, 100, 120].map(f), [100, 50, 0, 25, 50, 50]);
});
