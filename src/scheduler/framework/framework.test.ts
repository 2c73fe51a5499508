import { test } from 'node:test';
import assert from 'node:assert/strict';
import { FitError, Status, fitErrorMessage, newDiagnosis, numFeasibleNodesToFind, selectBestIndex, selectHost, podRequests, expandPoint } from './index.js';
import { makePod } from '../testing/index.js';
import { bytes, milliCPU } from '../quantity.js';

test('numFeasibleNodesToFind: all under 100 nodes, adaptive percentage, floor of 100', () => {
  const cases: [number | undefined, number, number][] = [
    [undefined, 50, 50], [0, 99, 99], [0, 100, 100], [0, 1000, 420], [0, 5000, 500], [0, 6000, 300],
    [0, 10_000, 500], [0, 1500, 570], [30, 1000, 300], [5, 1000, 100], [100, 5000, 5000],
  ];
  for (const [pct, n, want] of cases) assert.equal(numFeasibleNodesToFind(pct, n), want, `${pct}% of ${n}`);
});

test('selectHost: the best score; ties broken by reservoir sampling', () => {
  assert.equal(selectHost([{ name: 'a', score: 1 }, { name: 'b', score: 5 }, { name: 'c', score: 3 }]), 'b');
  const seen = new Set<string>();
  // Missing one of three tied nodes in 300 uniform draws has probability ~1e-52.
  for (let i = 0; i < 300; i++) seen.add(selectHost([{ name: 'a', score: 9 }, { name: 'b', score: 9 }, { name: 'c', score: 9 }, { name: 'd', score: 1 }]));
  assert.deepEqual([...seen].sort(), ['a', 'b', 'c']);
  assert.throws(() => selectHost([]), /empty/);
});

test('FailedScheduling message: sorted histogram, PreFilter message, preemption suffix', () => {
  const d = newDiagnosis();
  for (const n of ['a', 'b', 'c']) d.nodeToStatus.set(n, Status.unschedulable('Insufficient cpu'));
  for (const n of ['d', 'e']) d.nodeToStatus.set(n, Status.unresolvable('node(s) had untolerated taint {node-role.kubernetes.io/control-plane: }'));
  const err = new FitError(makePod().name('p').obj(), 5, d);
  assert.equal(err.message, '0/5 nodes are available: 2 node(s) had untolerated taint {node-role.kubernetes.io/control-plane: }, 3 Insufficient cpu.');
  err.setPostFilterMsg('preemption: 0/5 nodes are available: 5 Preemption is not helpful for scheduling');
  assert.equal(err.message, '0/5 nodes are available: 2 node(s) had untolerated taint {node-role.kubernetes.io/control-plane: }, 3 Insufficient cpu. preemption: 0/5 nodes are available: 5 Preemption is not helpful for scheduling.');
  const pre = newDiagnosis();
  pre.preFilterMsg = 'pod affinity terms conflict';
  pre.nodeToStatus.set('a', Status.unresolvable('pod affinity terms conflict'));
  assert.equal(fitErrorMessage(1, pre), '0/1 nodes are available: pod affinity terms conflict.');
});

test('pod requests: max(sum of containers, init containers), sidecars, overhead, non-zero defaults', () => {
  const pod = makePod().name('p').req({ cpu: '500m', memory: '1Gi' }).req({ cpu: '250m' }).initReq({ cpu: '2', memory: '100Mi' }).overhead({ cpu: '100m' }).obj();
  const r = podRequests(pod);
  assert.equal(r.milliCPU, 2100);
  assert.equal(r.memory, 1024 ** 3);
  const nz = podRequests(pod, true);
  assert.equal(nz.memory, 1024 ** 3 + 200 * 1024 * 1024, 'the second container counts 200Mi');
  const side = makePod().name('s').req({ cpu: '1' }).initReq({ cpu: '1' }, true).initReq({ cpu: '1500m' }).obj();
  // regular 1 + sidecar 1 = 2; init 1.5 + sidecar 1 = 2.5 → 2.5
  assert.equal(podRequests(side).milliCPU, 2500);
});

test('quantities', () => {
  assert.deepEqual(['100m', '0.1', '1', 2, '1.5', '2000m'].map(milliCPU), [100, 100, 1000, 2000, 1500, 2000]);
  assert.deepEqual(['1Ki', '1Mi', '1G', '1e3', '128974848', '1.5Gi', '100m'].map(bytes), [1024, 1024 ** 2, 1e9, 1000, 128974848, 1.5 * 1024 ** 3, 1]);
  assert.throws(() => milliCPU('abc'));
});

test('expandPoint: specific settings win over multiPoint; disabled and "*" respected', () => {
  const profile = {
    schedulerName: 'x',
    plugins: {
      multiPoint: { enabled: [{ name: 'A', weight: 2 }, { name: 'B' }, { name: 'C' }] },
      score: { enabled: [{ name: 'B', weight: 7 }, { name: 'D' }], disabled: [{ name: 'C' }] },
    },
  };
  assert.deepEqual(expandPoint(profile, 'score', () => true), [{ name: 'B', weight: 7 }, { name: 'A', weight: 2 }, { name: 'D' }]);
  assert.deepEqual(expandPoint(profile, 'filter', (n) => n !== 'A'), [{ name: 'B' }, { name: 'C' }]);
});

test('filters count nominated pods of equal or higher priority on their node', async () => {
  const { PluginHarness, makeNode } = await import('../testing/index.js');
  const { PodInfo } = await import('./index.js');
  const nominated = new PodInfo(makePod().name('nom').priority(100).req({ cpu: '2' }).nominatedNodeName('n1').obj());
  const h = new PluginHarness(['NodeResourcesFit'], [], [makeNode().name('n1').capacity({ cpu: '2', memory: '1Gi', pods: 10 }).obj()], {
    nominator: { nominatedPodsForNode: (n: string) => (n === 'n1' ? [nominated] : []) },
  });
  assert.deepEqual(h.filterReasons(makePod().name('low').priority(1).req({ cpu: '1' }).obj()), { n1: 'Unschedulable: Insufficient cpu' });
  assert.deepEqual(h.filterReasons(makePod().name('higher').priority(200).req({ cpu: '1' }).obj()), { n1: '' });
  assert.deepEqual(h.filterReasons(makePod().name('nom').priority(100).req({ cpu: '2' }).obj()), { n1: 'Unschedulable: Insufficient cpu' },
    'a different pod with the same name but another uid still counts the nomination');
});

test('selectBestIndex picks the node selectHost picks, ties broken by the same draws', () => {
  const totals = [10, 30, 30, 5, 30, 29];
  const scores = totals.map((score, i) => ({ name: `n${i}`, score }));
  for (const draws of [[0.9, 0.9], [0.1, 0.9], [0.9, 0.1], [0.4, 0.2]]) {
    const a = [...draws];
    const b = [...draws];
    assert.equal(`n${selectBestIndex(Float64Array.from(totals), () => a.shift()!)}`, selectHost(scores, () => b.shift()!));
  }
  assert.throws(() => selectBestIndex([]), /empty priorityList/);
});
