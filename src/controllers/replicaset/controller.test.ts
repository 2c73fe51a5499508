import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { KubeObject } from '../../api/types.js';
import { errors } from '../../util/errors.js';
import { configureLogging } from '../../util/log.js';
import type { Pod } from '../controller-utils/index.js';
import { fakeControllerEnv, makePod, makeReplicaSet, makeReplicationController, FIXTURE_EPOCH } from '../testing/index.js';
import { ReplicaSetController } from './controller.js';
import { replicaSetKind, replicationControllerKind, type ReplicaSetKind } from './kind.js';

configureLogging({ quiet: true });

function setup(objects: KubeObject[], kind: ReplicaSetKind = replicaSetKind) {
  const env = fakeControllerEnv(objects);
  const c = new ReplicaSetController(env.ctx, { kind });
  env.fillCaches();
  return { env, c };
}

const rs3 = makeReplicaSet().name('rs').replicas(3);

describe('ReplicaSet controller sync', () => {
  test('creates missing pods from the template, owned by the ReplicaSet', async () => {
    const rs = rs3.obj();
    const { env, c } = setup([rs]);
    await c.sync('default/rs');
    const creates = env.client.filterActions({ verb: 'create', resource: 'pods' });
    assert.equal(creates.length, 3);
    const pod = creates[0]!.object as Pod;
    assert.equal(pod.metadata.generateName, 'rs-');
    assert.deepEqual(pod.metadata.labels, { app: 'web' });
    assert.deepEqual(pod.metadata.ownerReferences, [{ apiVersion: 'apps/v1', kind: 'ReplicaSet', name: 'rs', uid: rs.metadata.uid, controller: true, blockOwnerDeletion: true }]);
    assert.equal(env.events().filter((e) => e.startsWith('Normal SuccessfulCreate Created pod: rs-')).length, 3);
    // Status written once: 0 replicas seen, generation observed.
    const st = env.client.filterActions({ verb: 'update', resource: 'replicasets' });
    assert.equal(st.length, 1);
    assert.equal(st[0]!.subresource, 'status');
    assert.deepEqual((st[0]!.object as { status: unknown }).status, { replicas: 0, fullyLabeledReplicas: 0, readyReplicas: 0, availableReplicas: 0, observedGeneration: 1 });
  });

  test('does not create again before the informer saw its pods (expectations)', async () => {
    const { env, c } = setup([rs3.obj()]);
    await c.sync('default/rs');
    env.client.clearActions();
    await c.sync('default/rs');
    assert.equal(env.client.filterActions({ verb: 'create', resource: 'pods' }).length, 0);
  });

  test('deletes the least valuable surplus pods', async () => {
    const rs = makeReplicaSet().name('rs').replicas(1).obj();
    const pods = [
      makePod().name('running').label('app', 'web').owner(rs).node('n1').ready().obj(),
      makePod().name('pending').label('app', 'web').owner(rs).node('n1').phase('Pending').obj(),
      makePod().name('unscheduled').label('app', 'web').owner(rs).obj(),
    ];
    const { env, c } = setup([rs, ...pods]);
    await c.sync('default/rs');
    assert.deepEqual(env.client.filterActions({ verb: 'delete', resource: 'pods' }).map((a) => a.name).sort(), ['pending', 'unscheduled']);
    assert.equal(env.events().filter((e) => e.startsWith('Normal SuccessfulDelete')).length, 2);
    assert.equal(c.expectations.satisfied('default/rs'), false);
  });

  test('adopts a matching orphan instead of creating, and releases a pod that stopped matching', async () => {
    const rs = makeReplicaSet().name('rs').replicas(1).obj();
    const orphan = makePod().name('orphan').label('app', 'web').obj();
    const stray = makePod().name('stray').label('app', 'db').owner(rs).obj();
    const { env, c } = setup([rs, orphan, stray]);
    await c.sync('default/rs');
    const writes = env.writes().filter((a) => a.resource === 'pods').sort((a, b) => a.name!.localeCompare(b.name!));
    assert.deepEqual(writes.map((a) => `${a.verb} ${a.name}`), ['patch orphan', 'patch stray']);
    assert.deepEqual(writes[0]!.object, { metadata: { ownerReferences: [{ apiVersion: 'apps/v1', kind: 'ReplicaSet', name: 'rs', uid: rs.metadata.uid, controller: true, blockOwnerDeletion: true }], uid: orphan.metadata.uid } });
    assert.deepEqual(writes[1]!.object, { metadata: { ownerReferences: [{ $patch: 'delete', uid: rs.metadata.uid }], uid: stray.metadata.uid } });
  });

  test('ignores pods of other owners, terminating and finished pods', async () => {
    const rs = makeReplicaSet().name('rs').replicas(2).obj();
    const other = makeReplicaSet().name('other').obj();
    const pods = [
      makePod().name('foreign').label('app', 'web').owner(other).obj(),
      makePod().name('done').label('app', 'web').owner(rs).phase('Succeeded').obj(),
      makePod().name('going').label('app', 'web').owner(rs).deleting().obj(),
    ];
    const { env, c } = setup([rs, other, ...pods]);
    await c.sync('default/rs');
    assert.equal(env.client.filterActions({ verb: 'create', resource: 'pods' }).length, 2);
    assert.equal(env.client.filterActions({ verb: 'patch' }).length, 0);
  });

  test('a ReplicaSet being deleted neither creates nor adopts', async () => {
    const rs = makeReplicaSet().name('rs').replicas(2).deleting().obj();
    const { env, c } = setup([rs, makePod().name('orphan').label('app', 'web').obj()]);
    await c.sync('default/rs');
    assert.deepEqual(env.writes().filter((a) => a.resource === 'pods'), []);
  });

  test('status counts fully labeled, ready and available pods (minReadySeconds) and requeues', async () => {
    const rs = makeReplicaSet().name('rs').replicas(2).minReadySeconds(30).templateLabel('tier', 'fe').obj();
    const pods = [
      makePod().name('a').labels({ app: 'web', tier: 'fe' }).owner(rs).node('n').ready(-60_000).obj(),
      makePod().name('b').labels({ app: 'web' }).owner(rs).node('n').ready(-10_000).obj(),
    ];
    const { env, c } = setup([rs, ...pods]);
    await c.sync('default/rs');
    const st = env.client.filterActions({ verb: 'update', resource: 'replicasets' })[0]!.object as { status: Record<string, number> };
    assert.deepEqual(st.status, { replicas: 2, fullyLabeledReplicas: 1, readyReplicas: 2, availableReplicas: 1, observedGeneration: 1 });
    assert.equal(c.queue.len(), 0);
    env.clock.advance(30_000);
    assert.equal(c.queue.len(), 1, 'requeued after minReadySeconds');
    assert.equal(env.clock.now(), FIXTURE_EPOCH + 30_000);
  });

  test('no status write when nothing changed', async () => {
    const rs = makeReplicaSet().name('rs').replicas(1).status({ replicas: 1, fullyLabeledReplicas: 1, readyReplicas: 1, availableReplicas: 1, observedGeneration: 1 }).obj();
    const { env, c } = setup([rs, makePod().name('a').label('app', 'web').owner(rs).node('n').ready().obj()]);
    await c.sync('default/rs');
    assert.deepEqual(env.writes(), []);
  });

  test('create errors stop the slow start, set ReplicaFailure and are returned; success clears it', async () => {
    const rs = makeReplicaSet().name('rs').replicas(5).obj();
    const { env, c } = setup([rs]);
    env.client.prependReactor('create', 'pods', () => {
      throw errors.forbidden('pods "rs-x" is forbidden: exceeded quota: q, requested: pods=1, used: pods=0, limited: pods=0');
    });
    await assert.rejects(c.sync('default/rs'), /exceeded quota/);
    assert.equal(env.client.filterActions({ verb: 'create', resource: 'pods' }).length, 1);
    assert.ok(env.events().some((e) => e.startsWith('Warning FailedCreate Error creating: pods "rs-x" is forbidden')));
    const st = (env.client.filterActions({ verb: 'update', resource: 'replicasets' })[0]!.object as { status: { conditions: { type: string; reason: string }[] } }).status;
    assert.deepEqual(st.conditions.map((x) => [x.type, x.reason]), [['ReplicaFailure', 'FailedCreate']]);
    assert.equal(c.expectations.satisfied('default/rs'), true, 'failed creations are not expected');
  });

  test('a missing ReplicaSet is a no-op', async () => {
    const { env, c } = setup([]);
    await c.sync('default/gone');
    assert.deepEqual(env.client.actions, []);
  });

  test('creates at most burstReplicas per sync', async () => {
    const env = fakeControllerEnv([makeReplicaSet().name('rs').replicas(20).obj()]);
    const c = new ReplicaSetController(env.ctx, { kind: replicaSetKind, burstReplicas: 7 });
    env.fillCaches();
    await c.sync('default/rs');
    assert.equal(env.client.filterActions({ verb: 'create', resource: 'pods' }).length, 7);
  });
});

test('ReplicationController: same controller, core/v1 owner and map selector', async () => {
  const rc = makeReplicationController().name('rc').replicas(2).obj();
  const { env, c } = setup([rc, makePod().name('orphan').label('app', 'web').obj()], replicationControllerKind);
  await c.sync('default/rc');
  const writes = env.writes().filter((a) => a.resource === 'pods');
  assert.deepEqual(writes.map((a) => a.verb), ['patch', 'create']);
  const created = writes[1]!.object as Pod;
  assert.equal(created.metadata.ownerReferences![0]!.kind, 'ReplicationController');
  assert.equal(created.metadata.ownerReferences![0]!.apiVersion, 'v1');
  assert.equal(env.client.filterActions({ verb: 'update', resource: 'replicationcontrollers' }).length, 1);
  assert.ok(env.recorders.has('replication-controller'));
});
