// Table tests for the node-level filter plugins, with upstream's failure reasons verbatim.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { PluginHarness, makeNode, makePod } from '../testing/index.js';
import type { Node, Pod } from '../types.js';

interface Case {
  name: string;
  plugin: string;
  pod: Pod;
  nodes: Node[];
  pods?: Pod[];
  args?: Record<string, Record<string, unknown>>;
  want: Record<string, string>;
}

const UNRES = 'UnschedulableAndUnresolvable: ';
const UNSCH = 'Unschedulable: ';
const n1 = () => makeNode().name('n1').capacity({ cpu: '4', memory: '8Gi', pods: 110 });

const cases: Case[] = [
  {
    name: 'NodeUnschedulable rejects a cordoned node',
    plugin: 'NodeUnschedulable',
    pod: makePod().name('p').obj(),
    nodes: [n1().unschedulable().obj(), makeNode().name('n2').obj()],
    want: { n1: `${UNRES}node(s) were unschedulable`, n2: '' },
  },
  {
    name: 'NodeUnschedulable: the unschedulable toleration lets the pod in',
    plugin: 'NodeUnschedulable',
    pod: makePod().name('p').toleration({ key: 'node.kubernetes.io/unschedulable', operator: 'Exists', effect: 'NoSchedule' }).obj(),
    nodes: [n1().unschedulable().obj()],
    want: { n1: '' },
  },
  {
    name: 'NodeName matches only the named node',
    plugin: 'NodeName',
    pod: makePod().name('p').node('n2').obj(),
    nodes: [n1().obj(), makeNode().name('n2').obj()],
    want: { n1: `${UNRES}node(s) didn't match the requested node name`, n2: '' },
  },
  {
    name: 'TaintToleration: untolerated NoSchedule taint, PreferNoSchedule ignored',
    plugin: 'TaintToleration',
    pod: makePod().name('p').obj(),
    nodes: [
      n1().taint('node-role.kubernetes.io/control-plane', '', 'NoSchedule').obj(),
      makeNode().name('n2').taint('dedicated', 'gpu', 'NoExecute').obj(),
      makeNode().name('n3').taint('soft', 'x', 'PreferNoSchedule').obj(),
    ],
    want: {
      n1: `${UNRES}node(s) had untolerated taint {node-role.kubernetes.io/control-plane: }`,
      n2: `${UNRES}node(s) had untolerated taint {dedicated: gpu}`,
      n3: '',
    },
  },
  {
    name: 'TaintToleration: Equal and Exists tolerations',
    plugin: 'TaintToleration',
    pod: makePod().name('p').toleration({ key: 'dedicated', operator: 'Equal', value: 'gpu', effect: 'NoExecute' }).toleration({ operator: 'Exists', key: 'cp' }).obj(),
    nodes: [n1().taint('dedicated', 'gpu', 'NoExecute').taint('cp', 'a', 'NoSchedule').obj(), makeNode().name('n2').taint('dedicated', 'cpu', 'NoExecute').obj()],
    want: { n1: '', n2: `${UNRES}node(s) had untolerated taint {dedicated: cpu}` },
  },
  {
    name: 'NodeAffinity: nodeSelector',
    plugin: 'NodeAffinity',
    pod: makePod().name('p').nodeSelector({ disk: 'ssd' }).obj(),
    nodes: [n1().label('disk', 'ssd').obj(), makeNode().name('n2').label('disk', 'hdd').obj()],
    want: { n1: '', n2: `${UNRES}node(s) didn't match Pod's node affinity/selector` },
  },
  {
    name: 'NodeAffinity: required terms OR, expressions AND, NotIn/Exists/Gt',
    plugin: 'NodeAffinity',
    pod: makePod().name('p')
      .nodeAffinityTerm({ key: 'zone', operator: 'In', values: ['a'] }, { key: 'gen', operator: 'Gt', values: ['3'] })
      .nodeAffinityTerm({ key: 'special', operator: 'Exists' })
      .obj(),
    nodes: [
      n1().label('zone', 'a').label('gen', '4').obj(),
      makeNode().name('n2').label('zone', 'a').label('gen', '2').obj(),
      makeNode().name('n3').label('special', '').obj(),
    ],
    want: { n1: '', n2: `${UNRES}node(s) didn't match Pod's node affinity/selector`, n3: '' },
  },
  {
    name: 'NodeAffinity: addedAffinity is enforced with its own reason',
    plugin: 'NodeAffinity',
    pod: makePod().name('p').obj(),
    nodes: [n1().label('pool', 'a').obj(), makeNode().name('n2').obj()],
    args: { NodeAffinity: { addedAffinity: { requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms: [{ matchExpressions: [{ key: 'pool', operator: 'In', values: ['a'] }] }] } } } },
    want: { n1: '', n2: `${UNRES}node(s) didn't match scheduler-enforced node affinity` },
  },
  {
    name: 'NodeAffinity: metadata.name matchFields narrows the nodes at PreFilter',
    plugin: 'NodeAffinity',
    pod: makePod().name('p').nodeFieldAffinity('n2').obj(),
    nodes: [n1().obj(), makeNode().name('n2').obj()],
    want: { n1: `${UNRES}filtered by PreFilter result`, n2: '' },
  },
  {
    name: 'NodePorts: host port in use, 0.0.0.0 conflicts with any IP, other protocol is free',
    plugin: 'NodePorts',
    pod: makePod().name('p').hostPort(8080).obj(),
    nodes: [n1().obj(), makeNode().name('n2').obj(), makeNode().name('n3').obj()],
    pods: [
      makePod().name('a').node('n1').hostPort(8080, 'TCP', '10.0.0.1').obj(),
      makePod().name('b').node('n2').hostPort(8080, 'UDP').obj(),
    ],
    want: { n1: `${UNSCH}node(s) didn't have free ports for the requested pod ports`, n2: '', n3: '' },
  },
  {
    name: 'NodeResourcesFit: cpu, memory and pod count',
    plugin: 'NodeResourcesFit',
    pod: makePod().name('p').req({ cpu: '2', memory: '1Gi' }).obj(),
    nodes: [
      n1().obj(),
      makeNode().name('n2').capacity({ cpu: '1', memory: '512Mi', pods: 110 }).obj(),
      makeNode().name('n3').capacity({ cpu: '8', memory: '8Gi', pods: 1 }).obj(),
    ],
    pods: [makePod().name('x').node('n3').obj()],
    want: { n1: '', n2: `${UNSCH}Insufficient cpu, Insufficient memory`, n3: `${UNSCH}Too many pods` },
  },
  {
    name: 'NodeResourcesFit: existing requests, init containers, sidecars and overhead count',
    plugin: 'NodeResourcesFit',
    // containers 1 cpu + sidecar 1 cpu = 2; init 2.5 cpu + earlier sidecar 0 = 2.5 → 2.5 cpu; +0.5 overhead = 3
    pod: makePod().name('p').req({ cpu: '1' }).initReq({ cpu: '2500m' }).initReq({ cpu: '1' }, true).overhead({ cpu: '500m' }).obj(),
    nodes: [n1().obj(), makeNode().name('n2').capacity({ cpu: '4', memory: '8Gi', pods: 110 }).obj()],
    pods: [makePod().name('x').node('n2').req({ cpu: '1500m' }).obj()],
    want: { n1: '', n2: `${UNSCH}Insufficient cpu` },
  },
  {
    name: 'NodeResourcesFit: extended resources, ignored ones skipped',
    plugin: 'NodeResourcesFit',
    pod: makePod().name('p').req({ 'example.com/gpu': 1, 'ignored.io/foo': 5 }).obj(),
    nodes: [n1().obj(), makeNode().name('n2').capacity({ cpu: '1', pods: 10, 'example.com/gpu': 2 }).obj()],
    args: { NodeResourcesFit: { ignoredResourceGroups: ['ignored.io'] } },
    want: { n1: `${UNSCH}Insufficient example.com/gpu`, n2: '' },
  },
];

for (const c of cases) {
  test(c.name, () => {
    const h = new PluginHarness([c.plugin], c.pods ?? [], c.nodes, { args: c.args });
    assert.deepEqual(h.filterReasons(c.pod), c.want);
  });
}

test('SchedulingGates gates a pod at PreEnqueue', () => {
  const h = new PluginHarness(['SchedulingGates'], [], []);
  const s = h.fwk.runPreEnqueuePlugins(makePod().name('p').schedulingGates('a', 'b').obj());
  assert.equal(s?.code, 'UnschedulableAndUnresolvable');
  assert.equal(s?.message(), 'waiting for scheduling gates: [a b]');
  assert.equal(s?.plugin, 'SchedulingGates');
  assert.equal(h.fwk.runPreEnqueuePlugins(makePod().name('q').obj()), undefined);
});
