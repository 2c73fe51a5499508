import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { KubeObject, OwnerReference } from '../../api/types.js';
import { FakeClient, SharedInformerFactory } from '../../client/index.js';
import { FakeClock } from '../../util/clock.js';
import { configureLogging } from '../../util/log.js';
import { GarbageCollector } from './controller.js';
import { deletableResources } from './monitors.js';

configureLogging({ quiet: true });

const rs = (name: string, uid: string, extra: Partial<KubeObject['metadata']> = {}, ns = 'ns'): KubeObject => ({
  apiVersion: 'apps/v1', kind: 'ReplicaSet', metadata: { namespace: ns, name, uid, ...extra }, spec: {},
});
const pod = (name: string, uid: string, owners: OwnerReference[], ns = 'ns'): KubeObject => ({
  apiVersion: 'v1', kind: 'Pod', metadata: { namespace: ns, name, uid, ownerReferences: owners }, spec: {},
});
const ref = (name: string, uid: string, block = false): OwnerReference => ({ apiVersion: 'apps/v1', kind: 'ReplicaSet', name, uid, controller: true, ...(block ? { blockOwnerDeletion: true } : {}) });

function setup(objects: KubeObject[], opts: { deleteQps?: number; deleteBurst?: number } = {}) {
  const clock = new FakeClock();
  const client = new FakeClient({ objects, clock });
  const informers = new SharedInformerFactory(client, { clock });
  const events: string[] = [];
  const gc = new GarbageCollector({
    client, clock, ...opts, recorder: { record: (_r, type, reason, _a, note) => events.push(`${type} ${reason} ${note}`) },
    monitors: deletableResources().filter((r) => ['pods', 'replicasets'].includes(r.resource)).map((resource) => ({ resource, informer: informers.forResource(resource) })),
  });
  // Feed the graph what the informers would have listed.
  const observe = (...objs: KubeObject[]) => {
    for (const o of objs) {
      gc.enqueueChange({ type: 'add', obj: o, identity: { apiVersion: o.apiVersion!, kind: o.kind!, namespace: o.metadata.namespace ?? '', name: o.metadata.name!, uid: o.metadata.uid! } });
    }
    gc.processGraphChanges();
  };
  const gone = (o: KubeObject) => {
    gc.enqueueChange({ type: 'delete', obj: o, identity: { apiVersion: o.apiVersion!, kind: o.kind!, namespace: o.metadata.namespace ?? '', name: o.metadata.name!, uid: o.metadata.uid! } });
    gc.processGraphChanges();
  };
  return { client, gc, clock, observe, gone, events };
}

const writes = (c: FakeClient) => c.filterActions({ writesOnly: true }).map((a) => `${a.verb} ${a.resource} ${a.name}${a.patchType ? ' ' + a.patchType : ''}`);

/** Drains the attempt-to-delete queue once, running syncDelete for each uid. */
async function drainDelete(gc: GarbageCollector): Promise<string[]> {
  const seen: string[] = [];
  while (gc.attemptToDelete.len()) {
    const uid = (await gc.attemptToDelete.get())!;
    seen.push(uid);
    await gc.syncDelete(uid);
    gc.attemptToDelete.done(uid);
    gc.processGraphChanges();
  }
  return seen;
}

describe('garbage collector', () => {
  test('a pod whose owner does not exist is deleted in the background', async () => {
    const p = pod('p', 'pod-1', [ref('rs', 'rs-1')]);
    const { client, gc, observe } = setup([p]);
    observe(p);
    assert.deepEqual(await drainDelete(gc), ['rs-1', 'pod-1'], 'the virtual owner is checked, then its dependent');
    assert.deepEqual(writes(client), ['delete pods p']);
  });

  test('a pod with a live owner is kept', async () => {
    const o = rs('rs', 'rs-1');
    const p = pod('p', 'pod-1', [ref('rs', 'rs-1')]);
    const { client, gc, observe } = setup([o, p]);
    observe(o, p);
    gc.attemptToDelete.add('pod-1');
    await drainDelete(gc);
    assert.deepEqual(writes(client), []);
  });

  test('an owner with the same name but another uid counts as absent', async () => {
    const o = rs('rs', 'rs-NEW');
    const p = pod('p', 'pod-1', [ref('rs', 'rs-OLD')]);
    const { client, gc, observe } = setup([o, p]);
    observe(o, p);
    await drainDelete(gc);
    assert.deepEqual(writes(client), ['delete pods p']);
  });

  test('with one live and one absent owner, only the dangling reference is removed', async () => {
    const o = rs('rs', 'rs-1');
    const p = pod('p', 'pod-1', [ref('gone', 'rs-gone'), ref('rs', 'rs-1')]);
    const { client, gc, observe } = setup([o, p]);
    observe(o, p);
    gc.attemptToDelete.add('pod-1');
    await drainDelete(gc);
    assert.deepEqual(writes(client), ['patch pods p json']);
    const patch = client.filterActions({ verb: 'patch' })[0]!.object as { op: string; path: string }[];
    assert.deepEqual(patch.map((x) => `${x.op} ${x.path}`), ['test /metadata/uid', 'test /metadata/ownerReferences/0/uid', 'remove /metadata/ownerReferences/0']);
    const after = await client.resource({ apiVersion: 'v1', kind: 'Pod' }).namespace('ns').get('p');
    assert.deepEqual(after.metadata.ownerReferences?.map((r) => r.uid), ['rs-1']);
  });

  test('foreground: blocking dependents are deleted first, then the finalizer goes', async () => {
    const o = rs('rs', 'rs-1', { deletionTimestamp: '2026-01-01T00:00:00Z', finalizers: ['foregroundDeletion'] });
    const p1 = pod('p1', 'pod-1', [ref('rs', 'rs-1', true)]);
    const p2 = pod('p2', 'pod-2', [ref('rs', 'rs-1', true)]);
    const { client, gc, observe, gone } = setup([o, p1, p2]);
    observe(p1, p2, o);
    await drainDelete(gc);
    assert.deepEqual(writes(client).sort(), ['delete pods p1', 'delete pods p2']);
    client.clearActions();
    gone(p1);
    await drainDelete(gc);
    assert.deepEqual(writes(client), [], 'p2 still blocks');
    gone(p2);
    await drainDelete(gc);
    assert.deepEqual(writes(client), ['patch replicasets rs merge']);
    assert.deepEqual((client.filterActions({ verb: 'patch' })[0]!.object as { metadata: { finalizers: string[] } }).metadata.finalizers, []);
  });

  test('orphan: references to the owner are removed from dependents, then the orphan finalizer', async () => {
    const o = rs('rs', 'rs-1', { deletionTimestamp: '2026-01-01T00:00:00Z', finalizers: ['orphan'] });
    const p1 = pod('p1', 'pod-1', [ref('rs', 'rs-1', true)]);
    const p2 = pod('p2', 'pod-2', [ref('rs', 'rs-1', true)]);
    const { client, gc, observe } = setup([o, p1, p2]);
    observe(p1, p2, o);
    assert.equal(gc.attemptToOrphan.len(), 1);
    await gc.syncOrphan('rs-1');
    assert.deepEqual(writes(client), ['patch pods p1 json', 'patch pods p2 json', 'patch replicasets rs merge']);
    const left = await client.resource({ apiVersion: 'v1', kind: 'Pod' }).namespace('ns').get('p1');
    assert.deepEqual(left.metadata.ownerReferences, []);
  });

  test('an owner reference into another namespace never resolves: the dependent is deleted', async () => {
    const o = rs('rs', 'rs-1', {}, 'a');
    const p = pod('p', 'pod-1', [ref('rs', 'rs-1')], 'b');
    const { client, gc, observe, events } = setup([o, p]);
    observe(o, p);
    await drainDelete(gc);
    assert.deepEqual(writes(client), ['delete pods p']);
    assert.deepEqual(events, ['Warning OwnerRefInvalidNamespace ownerRef [apps/v1/ReplicaSet, namespace: b, name: rs, uid: rs-1] does not exist in namespace "b"']);
  });

  test('deletes are rate limited', async () => {
    const pods = [1, 2, 3].map((i) => pod(`p${i}`, `pod-${i}`, [ref('rs', 'rs-gone')]));
    const { client, gc, clock, observe } = setup(pods, { deleteQps: 1, deleteBurst: 1 });
    observe(...pods);
    const run = drainDelete(gc);
    for (let i = 0; i < 20 && writes(client).length < 1; i++) await new Promise((r) => setImmediate(r));
    for (let i = 0; i < 20; i++) await new Promise((r) => setImmediate(r));
    assert.equal(writes(client).length, 1, 'one delete within the burst');
    clock.advance(1000);
    for (let i = 0; i < 20; i++) await new Promise((r) => setImmediate(r));
    assert.equal(writes(client).length, 2, 'the next one a second later');
    clock.advance(1000);
    await run;
    assert.equal(writes(client).length, 3);
  });
});
