import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { labelSelectorFromObject } from '../../api/selectors/index.js';
import { FakeClient, refs } from '../../client/index.js';
import { FakeClock } from '../../util/clock.js';
import { errors } from '../../util/errors.js';
import { FIXTURE_EPOCH, makePod, makeReplicaSet } from '../testing/index.js';
import {
  ControllerExpectations, ControllerRefManager, UIDTrackingControllerExpectations, isPodAvailable, podFromTemplate,
  rankByRelatedPodsOnSameNode, slowStartBatch, sortPodsForDeletion, type Pod,
} from './index.js';

describe('sortPodsForDeletion', () => {
  const cases: { name: string; first: Pod; second: Pod }[] = [
    { name: 'unassigned before assigned', first: makePod().name('a').obj(), second: makePod().name('b').node('n1').obj() },
    { name: 'pending before running', first: makePod().name('a').node('n').phase('Pending').obj(), second: makePod().name('b').node('n').phase('Running').obj() },
    { name: 'unknown before running', first: makePod().name('a').node('n').phase('Unknown').obj(), second: makePod().name('b').node('n').phase('Running').obj() },
    { name: 'not ready before ready', first: makePod().name('a').node('n').phase('Running').notReady().obj(), second: makePod().name('b').node('n').ready().obj() },
    { name: 'lower deletion cost first', first: makePod().name('a').node('n').ready().annotation('controller.kubernetes.io/pod-deletion-cost', '-5').obj(), second: makePod().name('b').node('n').ready().obj() },
    { name: 'more restarts first', first: makePod().name('a').node('n').phase('Running').restarts(5).obj(), second: makePod().name('b').node('n').phase('Running').restarts(1).obj() },
    { name: 'newer first', first: makePod().name('a').node('n').phase('Running').created(60_000).obj(), second: makePod().name('b').node('n').phase('Running').created(0).obj() },
    { name: 'ready more recently first', first: makePod().name('a').node('n').ready(50_000).obj(), second: makePod().name('b').node('n').ready(0).obj() },
  ];
  for (const c of cases) {
    test(c.name, () => {
      for (const input of [[c.first, c.second], [c.second, c.first]]) {
        const sorted = sortPodsForDeletion(input.map((pod) => ({ pod, rank: 0 })));
        assert.deepEqual(sorted.map((r) => r.pod.metadata.name), ['a', 'b']);
      }
    });
  }
  test('doubled-up pods first', () => {
    const a = makePod().name('a').node('n1').ready().obj();
    const b = makePod().name('b').node('n2').ready().obj();
    const other = makePod().name('o').node('n1').ready().obj();
    const ranked = rankByRelatedPodsOnSameNode([b, a], [a, b, other]);
    assert.deepEqual(sortPodsForDeletion(ranked).map((r) => r.pod.metadata.name), ['a', 'b']);
  });
});

test('isPodAvailable honours minReadySeconds', () => {
  const p = makePod().ready(0).obj();
  assert.equal(isPodAvailable(p, 0, FIXTURE_EPOCH), true);
  assert.equal(isPodAvailable(p, 10, FIXTURE_EPOCH + 9_000), false);
  assert.equal(isPodAvailable(p, 10, FIXTURE_EPOCH + 10_000), true);
  assert.equal(isPodAvailable(makePod().obj(), 0, FIXTURE_EPOCH), false);
});

describe('expectations', () => {
  test('satisfied after observations or TTL', () => {
    const clock = new FakeClock();
    const e = new ControllerExpectations(clock);
    assert.equal(e.satisfied('k'), true);
    e.expectCreations('k', 2);
    assert.equal(e.satisfied('k'), false);
    e.creationObserved('k');
    assert.equal(e.satisfied('k'), false);
    e.creationObserved('k');
    assert.equal(e.satisfied('k'), true);
    e.expectDeletions('k', 1);
    clock.advance(5 * 60_000 + 1);
    assert.equal(e.satisfied('k'), true);
  });
  test('UID tracking counts each deleted pod once', () => {
    const e = new UIDTrackingControllerExpectations(new FakeClock());
    e.expectDeletionsOf('k', ['ns/a', 'ns/b']);
    e.deletionObservedOf('k', 'ns/a');
    e.deletionObservedOf('k', 'ns/a');
    e.deletionObservedOf('k', 'ns/x');
    assert.equal(e.satisfied('k'), false);
    e.deletionObservedOf('k', 'ns/b');
    assert.equal(e.satisfied('k'), true);
  });
});

test('slowStartBatch: 1, 2, 4 … and stops after a failing batch', async () => {
  const sizes: number[] = [];
  let inBatch = 0;
  const r = await slowStartBatch(10, 1, async (i) => {
    inBatch++;
    await Promise.resolve();
    if (inBatch) sizes.push(inBatch);
    inBatch = 0;
    if (i === 4) throw new Error('quota');
  });
  assert.equal(r.successes, 6); // batches 1, 2 ok; batch of 4 (indexes 3..6) has one failure
  assert.equal(r.skipped, 3);
  assert.match(String(r.error), /quota/);
  const all = await slowStartBatch(7, 1, async () => {});
  assert.deepEqual(all, { successes: 7, skipped: 0 });
});

test('podFromTemplate copies labels, annotations, finalizers and sets the owner', () => {
  const rs = makeReplicaSet().name('web-abc').templateAnnotation('a', 'b').obj();
  rs.spec!.template!.metadata!.finalizers = ['f'];
  const pod = podFromTemplate(rs.spec!.template, 'web-abc', { apiVersion: 'apps/v1', kind: 'ReplicaSet', name: 'web-abc', uid: rs.metadata.uid!, controller: true, blockOwnerDeletion: true });
  assert.equal(pod.metadata.generateName, 'web-abc-');
  assert.deepEqual(pod.metadata.labels, { app: 'web' });
  assert.deepEqual(pod.metadata.annotations, { a: 'b' });
  assert.deepEqual(pod.metadata.finalizers, ['f']);
  assert.equal(pod.metadata.ownerReferences![0]!.controller, true);
  assert.equal(pod.metadata.ownerReferences![0]!.blockOwnerDeletion, true);
  assert.deepEqual(pod.spec, rs.spec!.template!.spec);
});

describe('ControllerRefManager', () => {
  const rs = makeReplicaSet().name('rs').obj();
  const other = makeReplicaSet().name('other').obj();
  const mine = makePod().name('mine').label('app', 'web').owner(rs).obj();
  const orphan = makePod().name('orphan').label('app', 'web').obj();
  const stray = makePod().name('stray').label('app', 'db').owner(rs).obj();
  const foreign = makePod().name('foreign').label('app', 'web').owner(other).obj();
  const setup = (controller = rs) => {
    const client = new FakeClient({ objects: [mine, orphan, stray, foreign] });
    const m = new ControllerRefManager<Pod>({
      controller, controllerKind: { apiVersion: 'apps/v1', kind: 'ReplicaSet' },
      selector: labelSelectorFromObject(rs.spec!.selector), ops: client.resource<Pod>(refs.pods).namespace('default'),
      canAdopt: async () => { if (controller.metadata.deletionTimestamp) throw errors.badRequest('deleting'); },
    });
    return { client, m };
  };
  test('keeps its own, adopts orphans, releases non-matching, ignores others', async () => {
    const { client, m } = setup();
    const claimed = await m.claim([mine, orphan, stray, foreign]);
    assert.deepEqual(claimed.map((p) => p.metadata.name).sort(), ['mine', 'orphan']);
    const patches = client.filterActions({ verb: 'patch' });
    assert.deepEqual(patches.map((a) => a.name), ['orphan', 'stray']);
    assert.deepEqual((await client.resource<Pod>(refs.pods).namespace('default').get('orphan')).metadata.ownerReferences?.map((r) => r.uid), [rs.metadata.uid]);
    assert.deepEqual((await client.resource<Pod>(refs.pods).namespace('default').get('stray')).metadata.ownerReferences ?? [], []);
  });
  test('a controller being deleted neither adopts nor releases', async () => {
    const { client, m } = setup(makeReplicaSet().name('rs').uid(rs.metadata.uid!).deleting().obj());
    const claimed = await m.claim([mine, orphan, stray]);
    assert.deepEqual(claimed.map((p) => p.metadata.name), ['mine']);
    assert.equal(client.filterActions({ writesOnly: true }).length, 0);
  });
});
