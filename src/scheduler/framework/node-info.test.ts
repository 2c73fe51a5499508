import { test } from 'node:test';
import assert from 'node:assert/strict';
import { makeNode, makePod } from '../testing/index.js';
import { NodeInfo } from './node-info.js';

/** The copies the filter and scorers read must always equal what the node's own objects say. */
function assertCopies(ni: NodeInfo): void {
  const a = ni.allocatable, r = ni.requested, nz = ni.nonZeroRequested;
  assert.deepEqual(
    { freeMilliCPU: ni.freeMilliCPU, freeMemory: ni.freeMemory, freeEphemeralStorage: ni.freeEphemeralStorage, freePods: ni.freePods, allocMilliCPU: ni.allocMilliCPU, allocMemory: ni.allocMemory, reqMilliCPU: ni.reqMilliCPU, reqMemory: ni.reqMemory, nonZeroMilliCPU: ni.nonZeroMilliCPU, nonZeroMemory: ni.nonZeroMemory },
    { freeMilliCPU: a.milliCPU - r.milliCPU, freeMemory: a.memory - r.memory, freeEphemeralStorage: a.ephemeralStorage - r.ephemeralStorage, freePods: a.allowedPodNumber - ni.pods.length, allocMilliCPU: a.milliCPU, allocMemory: a.memory, reqMilliCPU: r.milliCPU, reqMemory: r.memory, nonZeroMilliCPU: nz.milliCPU, nonZeroMemory: nz.memory },
  );
  assert.equal(ni.name, ni.node?.metadata.name ?? '');
  assert.equal(ni.unschedulable, !!ni.node?.spec?.unschedulable);
  assert.equal(ni.taints, ni.node?.spec?.taints);
}

test('NodeInfo keeps its filter and score copies in step with nodes, pods and clones', () => {
  const web = makePod().name('web').uid('u1').req({ cpu: '250m', memory: '1Gi' }).obj();
  const bare = makePod().name('bare').uid('u2').obj();
  const ni = new NodeInfo(web);
  assertCopies(ni);
  ni.setNode(makeNode().name('n1').capacity({ cpu: '4', memory: '8Gi', pods: 10 }).taint('k', 'v', 'NoSchedule').unschedulable().obj());
  assertCopies(ni);
  assert.equal(ni.freeMilliCPU, 3750);
  assert.equal(ni.freePods, 9);
  ni.addPod(bare);
  assertCopies(ni);
  assert.equal(ni.reqMilliCPU, 250);
  const copy = ni.clone();
  assert.equal(ni.removePod(web), true);
  assertCopies(ni);
  assertCopies(copy);
  assert.equal(copy.freeMilliCPU, 3750);
  ni.removeNode();
  assertCopies(ni);
});
