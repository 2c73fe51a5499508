import { test } from 'node:test';
import assert from 'node:assert/strict';
import { labelSelectorFromSet } from '../../../api/selectors/index.js';
import { PluginHarness, makeNode, makePod } from '../../testing/index.js';
import { CycleState, PodInfo } from '../../framework/index.js';

const ZONE = 'topology.kubernetes.io/zone';
const HOST = 'kubernetes.io/hostname';
const web = { matchLabels: { app: 'web' } };
const zonedNodes = () => [
  makeNode().name('n1').label(ZONE, 'a').obj(),
  makeNode().name('n2').label(ZONE, 'a').obj(),
  makeNode().name('n3').label(ZONE, 'b').obj(),
  makeNode().name('n4').obj(),
];
const webPod = (name: string, node?: string) => {
  const w = makePod().name(name).label('app', 'web');
  return (node ? w.node(node) : w).obj();
};

test('DoNotSchedule: skew over the global minimum, missing topology label', () => {
  const h = new PluginHarness(['PodTopologySpread'], [webPod('a', 'n1'), webPod('b', 'n1')], zonedNodes());
  const pod = makePod().name('p').label('app', 'web').spreadConstraint(1, ZONE, 'DoNotSchedule', web).obj();
  assert.deepEqual(h.filterReasons(pod), {
    n1: "Unschedulable: node(s) didn't match pod topology spread constraints",
    n2: "Unschedulable: node(s) didn't match pod topology spread constraints",
    n3: '',
    n4: "UnschedulableAndUnresolvable: node(s) didn't match pod topology spread constraints (missing required label)",
  });
});

test('DoNotSchedule: pods in other namespaces and terminating pods do not count', () => {
  const other = makePod().name('x').namespace('other').label('app', 'web').node('n1').obj();
  const gone = makePod().name('y').label('app', 'web').node('n1').terminating().obj();
  const h = new PluginHarness(['PodTopologySpread'], [other, gone], zonedNodes().slice(0, 3));
  const pod = makePod().name('p').label('app', 'web').spreadConstraint(1, ZONE, 'DoNotSchedule', web).obj();
  assert.deepEqual(h.filterReasons(pod), { n1: '', n2: '', n3: '' });
});

test('minDomains: fewer domains than minDomains makes the minimum 0', () => {
  const h = new PluginHarness(['PodTopologySpread'], [webPod('a', 'n1')], zonedNodes().slice(0, 2));
  const pod = makePod().name('p').label('app', 'web').spreadConstraint(1, ZONE, 'DoNotSchedule', web, { minDomains: 2 }).obj();
  // zone a holds 1; with one domain < minDomains the minimum is 0 → skew 2 > 1
  assert.deepEqual(h.filterReasons(pod), {
    n1: "Unschedulable: node(s) didn't match pod topology spread constraints",
    n2: "Unschedulable: node(s) didn't match pod topology spread constraints",
  });
});

test('PreFilter AddPod/RemovePod keep counts in step (preemption simulation)', () => {
  const h = new PluginHarness(['PodTopologySpread'], [webPod('a', 'n1')], zonedNodes().slice(0, 3));
  const pod = makePod().name('p').label('app', 'web').spreadConstraint(1, ZONE, 'DoNotSchedule', web).obj();
  const state = new CycleState();
  h.fwk.runPreFilterPlugins(state, pod, h.snapshot.list());
  const n3 = h.snapshot.get('n3')!;
  assert.equal(h.fwk.runFilterPlugins(state, pod, h.snapshot.get('n1')!)?.code, 'Unschedulable');
  const extra = new PodInfo(webPod('c', 'n3'));
  h.fwk.runPreFilterExtensionAddPod(state, pod, extra, n3);
  assert.equal(h.fwk.runFilterPlugins(state, pod, h.snapshot.get('n1')!), undefined);
  h.fwk.runPreFilterExtensionRemovePod(state, pod, extra, n3);
  assert.equal(h.fwk.runFilterPlugins(state, pod, h.snapshot.get('n1')!)?.code, 'Unschedulable');
});

test('ScheduleAnyway scoring prefers the emptier host', () => {
  const nodes = [makeNode().name('n1').obj(), makeNode().name('n2').obj(), makeNode().name('n3').obj()];
  const h = new PluginHarness(['PodTopologySpread'], [webPod('a', 'n1'), webPod('b', 'n1'), webPod('c', 'n2')], nodes);
  const pod = makePod().name('p').label('app', 'web').spreadConstraint(1, HOST, 'ScheduleAnyway', web).obj();
  // raw: counts 2/1/0 × log(5) → 3/2/0; normalized 100 × (max+min−s)/max → 0/33/100
  assert.deepEqual(h.score(pod), { n1: 0, n2: 33, n3: 100 });
});

test('system default constraints apply with the handle selector only', () => {
  const nodes = [makeNode().name('n1').obj(), makeNode().name('n2').obj()];
  const pods = [webPod('a', 'n1'), webPod('b', 'n1'), webPod('c', 'n1')];
  const withSel = new PluginHarness(['PodTopologySpread'], pods, nodes, { defaultSpreadSelector: () => labelSelectorFromSet({ app: 'web' }) });
  const s = withSel.score(webPod('p'));
  assert.ok(s.n2! > s.n1!, `n2 should score higher: ${JSON.stringify(s)}`);
  const without = new PluginHarness(['PodTopologySpread'], pods, nodes);
  // No selector → no default constraints → PreScore skips and every node scores 0.
  assert.deepEqual(without.score(webPod('p')), { n1: 0, n2: 0 });
});
