import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { configureLogging } from '../../util/log.js';
import type { Deployment, ReplicaSet } from '../controller-utils/index.js';
import { makeDeployment, makePod, FIXTURE_EPOCH } from '../testing/index.js';
import { DESIRED_REPLICAS, MAX_REPLICAS, POD_TEMPLATE_HASH, REVISION, REVISION_HISTORY } from './annotations.js';
import { computeHash } from './hash.js';
import { rsFor, setupDeployment } from './fixtures.js';
import { resolveFenceposts } from './util.js';

configureLogging({ quiet: true });

const writes = (env: ReturnType<typeof setupDeployment>['env']) => env.writes().map((a) => `${a.verb} ${a.resource}${a.subresource ? '/' + a.subresource : ''} ${a.name ?? ''}`.trim());
const rsUpdates = (env: ReturnType<typeof setupDeployment>['env']) =>
  Object.fromEntries(env.client.filterActions({ verb: 'update', resource: 'replicasets' }).filter((a) => !a.subresource).map((a) => [a.name, (a.object as ReplicaSet).spec!.replicas]));
const lastStatus = (env: ReturnType<typeof setupDeployment>['env']) => {
  const st = env.client.filterActions({ verb: 'update', resource: 'deployments' }).filter((a) => a.subresource === 'status');
  return (st[st.length - 1]?.object as Deployment | undefined)?.status;
};

describe('resolveFenceposts rounds surge up and unavailable down', () => {
  const cases: [number | string, number | string, number, number, number][] = [
    ['25%', '25%', 10, 3, 2],
    ['25%', '25%', 3, 1, 0],
    ['25%', '25%', 1, 1, 0],
    [0, 0, 5, 0, 1],
    ['0%', '0%', 5, 0, 1],
    [2, '50%', 5, 2, 2],
    ['100%', 0, 4, 4, 0],
  ];
  for (const [s, u, n, ws, wu] of cases) {
    test(`${s}/${u} of ${n}`, () => assert.deepEqual(resolveFenceposts(s, u, n), { surge: ws, unavailable: wu }));
  }
});

test('computeHash is deterministic, alphabet-safe and moved by collisionCount', () => {
  const d = makeDeployment().obj();
  const h = computeHash(d.spec!.template);
  assert.equal(h, computeHash(structuredClone(d.spec!.template)));
  assert.match(h, /^[bcdfghjklmnpqrstvwxz2456789]+$/);
  assert.notEqual(h, computeHash(d.spec!.template, 1));
  assert.notEqual(h, computeHash(makeDeployment().image('other').obj().spec!.template));
  // Key order does not matter.
  const t = d.spec!.template;
  assert.equal(computeHash({ spec: t.spec, metadata: t.metadata }), h);
});

describe('Deployment controller sync', () => {
  test('a new Deployment gets a ReplicaSet with the hash label, revision 1 and the replicas annotations', async () => {
    const d = makeDeployment().replicas(3).obj();
    const { env, c } = setupDeployment([d]);
    await c.sync('default/web');
    const hash = computeHash(d.spec!.template);
    const created = env.client.filterActions({ verb: 'create', resource: 'replicasets' });
    assert.equal(created.length, 1);
    const rs = created[0]!.object as ReplicaSet;
    assert.equal(rs.metadata.name, `web-${hash}`);
    assert.equal(rs.spec!.replicas, 3);
    assert.equal(rs.metadata.labels![POD_TEMPLATE_HASH], hash);
    assert.equal(rs.spec!.template!.metadata!.labels![POD_TEMPLATE_HASH], hash);
    assert.deepEqual(rs.spec!.selector, { matchLabels: { app: 'web', [POD_TEMPLATE_HASH]: hash } });
    assert.equal(rs.metadata.annotations![REVISION], '1');
    assert.equal(rs.metadata.annotations![DESIRED_REPLICAS], '3');
    assert.equal(rs.metadata.annotations![MAX_REPLICAS], '4');
    assert.deepEqual(rs.metadata.ownerReferences, [{ apiVersion: 'apps/v1', kind: 'Deployment', name: 'web', uid: d.metadata.uid, controller: true, blockOwnerDeletion: true }]);
    assert.deepEqual(env.events(), [`Normal ScalingReplicaSet Scaled up replica set web-${hash} from 0 to 3`]);
    const stored = await env.client.resource<Deployment>({ apiVersion: 'apps/v1', kind: 'Deployment' }).namespace('default').get('web');
    assert.equal(stored.metadata.annotations![REVISION], '1');
    const progressing = stored.status!.conditions!.find((x) => x.type === 'Progressing')!;
    assert.equal(progressing.reason, 'NewReplicaSetCreated');
    assert.equal(progressing.message, `Created new replica set "web-${hash}"`);
  });

  test('a template change starts a rolling update within maxSurge', async () => {
    const old = makeDeployment().replicas(4).obj();
    const oldRS = rsFor(old, { replicas: 4, revision: 1, max: 5 });
    const d = makeDeployment().uid(old.metadata.uid!).replicas(4).image('v2').generation(2).annotation(REVISION, '1').obj();
    const { env, c } = setupDeployment([d, oldRS]);
    await c.sync('default/web');
    const rs = env.client.filterActions({ verb: 'create', resource: 'replicasets' })[0]!.object as ReplicaSet;
    // maxSurge 25% of 4 = 1 extra pod; nothing may go down before the new pod is available.
    assert.equal(rs.spec!.replicas, 1);
    assert.equal(rs.metadata.annotations![REVISION], '2');
    // …and 25% of 4 rounds down to 1 pod that may be unavailable: the old RS goes to 3 at once.
    assert.deepEqual(rsUpdates(env), { [oldRS.metadata.name!]: 3 });
  });

  test('old ReplicaSets scale down as new pods become available, unhealthy ones first', async () => {
    const old = makeDeployment().replicas(4).obj();
    const d = makeDeployment().uid(old.metadata.uid!).replicas(4).image('v2').generation(2).annotation(REVISION, '2').obj();
    const oldRS = rsFor(old, { replicas: 4, available: 3, revision: 1, max: 5 });
    const newRS = rsFor(d, { replicas: 1, available: 1, revision: 2, createdOffsetMs: 1000, max: 5 });
    const { env, c } = setupDeployment([d, oldRS, newRS]);
    await c.sync('default/web');
    // total 5, minAvailable 3 (25% of 4 rounds down to 1 unavailable), new RS all available:
    // may remove 2 — the old RS's one unavailable pod first, then one healthy.
    assert.deepEqual(rsUpdates(env), { [oldRS.metadata.name!]: 2 });
    assert.deepEqual(env.events(), [`Normal ScalingReplicaSet Scaled down replica set ${oldRS.metadata.name} from 4 to 3`, `Normal ScalingReplicaSet Scaled down replica set ${oldRS.metadata.name} from 3 to 2`]);
  });

  test('a complete rollout reports NewReplicaSetAvailable and Available', async () => {
    const d = makeDeployment().replicas(2).annotation(REVISION, '1').obj();
    d.status = { replicas: 2, updatedReplicas: 2, readyReplicas: 1, availableReplicas: 1, observedGeneration: 1 };
    const rs = rsFor(d, { replicas: 2, revision: 1, max: 3, desired: 2 });
    const { env, c } = setupDeployment([d, rs]);
    await c.sync('default/web');
    const st = lastStatus(env)!;
    assert.equal(st.availableReplicas, 2);
    assert.equal(st.updatedReplicas, 2);
    const byType = Object.fromEntries(st.conditions!.map((x) => [x.type, x]));
    assert.equal(byType.Available!.reason, 'MinimumReplicasAvailable');
    assert.equal(byType.Available!.status, 'True');
    assert.equal(byType.Progressing!.reason, 'NewReplicaSetAvailable');
    assert.equal(byType.Progressing!.message, `ReplicaSet "${rs.metadata.name}" has successfully progressed.`);
  });

  test('no progress past progressDeadlineSeconds reports ProgressDeadlineExceeded', async () => {
    const d = makeDeployment().replicas(2).progressDeadlineSeconds(60).annotation(REVISION, '1').obj();
    const t = new Date(FIXTURE_EPOCH - 120_000).toISOString().replace(/\.\d+Z$/, 'Z');
    d.status = {
      replicas: 2, updatedReplicas: 2, readyReplicas: 0, availableReplicas: 0, unavailableReplicas: 2, observedGeneration: 1,
      conditions: [
        { type: 'Available', status: 'False', reason: 'MinimumReplicasUnavailable', message: 'Deployment does not have minimum availability.', lastUpdateTime: t, lastTransitionTime: t },
        { type: 'Progressing', status: 'True', reason: 'ReplicaSetUpdated', message: 'x', lastUpdateTime: t, lastTransitionTime: t },
      ],
    };
    const rs = rsFor(d, { replicas: 2, available: 0, revision: 1, desired: 2, max: 3 });
    const { env, c } = setupDeployment([d, rs]);
    await c.sync('default/web');
    const p = lastStatus(env)!.conditions!.find((x) => x.type === 'Progressing')!;
    assert.equal(p.status, 'False');
    assert.equal(p.reason, 'ProgressDeadlineExceeded');
    assert.equal(p.message, `ReplicaSet "${rs.metadata.name}" has timed out progressing.`);
  });

  test('a stuck rollout within its deadline is requeued for when the deadline passes', async () => {
    const d = makeDeployment().replicas(2).progressDeadlineSeconds(60).annotation(REVISION, '1').obj();
    const t = new Date(FIXTURE_EPOCH - 20_000).toISOString().replace(/\.\d+Z$/, 'Z');
    const rs = rsFor(d, { replicas: 2, available: 0, revision: 1, desired: 2, max: 3 });
    d.status = {
      replicas: 2, updatedReplicas: 2, readyReplicas: 0, availableReplicas: 0, unavailableReplicas: 2, observedGeneration: 1,
      conditions: [
        { type: 'Available', status: 'False', reason: 'MinimumReplicasUnavailable', message: 'Deployment does not have minimum availability.', lastUpdateTime: t, lastTransitionTime: t },
        { type: 'Progressing', status: 'True', reason: 'ReplicaSetUpdated', message: `ReplicaSet "${rs.metadata.name}" is progressing.`, lastUpdateTime: t, lastTransitionTime: t },
      ],
    };
    const { env, c } = setupDeployment([d, rs]);
    await c.sync('default/web');
    assert.deepEqual(writes(env), []);
    env.clock.advance(39_999);
    assert.equal(c.queue.len(), 0);
    env.clock.advance(1);
    assert.equal(c.queue.len(), 1);
  });

  test('scaling mid-rollout is proportional to ReplicaSet sizes', async () => {
    const old = makeDeployment().replicas(10).rollingUpdate(3, 2).obj();
    const d = makeDeployment().uid(old.metadata.uid!).replicas(15).rollingUpdate(3, 2).image('v2').annotation(REVISION, '2').obj();
    const oldRS = rsFor(old, { replicas: 8, revision: 1, desired: 10, max: 13 });
    const newRS = rsFor(d, { replicas: 5, available: 0, revision: 2, desired: 10, max: 13, createdOffsetMs: 1000 });
    const { env, c } = setupDeployment([d, oldRS, newRS]);
    await c.sync('default/web');
    assert.deepEqual(rsUpdates(env), { [oldRS.metadata.name!]: 11, [newRS.metadata.name!]: 7 });
    const upd = env.client.filterActions({ verb: 'update', resource: 'replicasets' }).map((a) => (a.object as ReplicaSet).metadata.annotations!);
    assert.ok(upd.every((a) => a[DESIRED_REPLICAS] === '15' && a[MAX_REPLICAS] === '18'));
    assert.equal(env.client.filterActions({ verb: 'create', resource: 'replicasets' }).length, 0);
  });

  test('a paused Deployment does not roll out but reports status and DeploymentPaused', async () => {
    const old = makeDeployment().replicas(2).obj();
    const d = makeDeployment().uid(old.metadata.uid!).replicas(2).image('v2').paused().annotation(REVISION, '1').obj();
    const oldRS = rsFor(old, { replicas: 2, revision: 1, desired: 2, max: 3 });
    const { env, c } = setupDeployment([d, oldRS]);
    await c.sync('default/web');
    assert.equal(env.client.filterActions({ verb: 'create', resource: 'replicasets' }).length, 0);
    const st = lastStatus(env)!;
    assert.equal(st.updatedReplicas, 0);
    assert.equal(st.replicas, 2);
    assert.equal(st.conditions!.find((x) => x.type === 'Progressing')!.reason, 'DeploymentPaused');
  });

  test('Recreate scales old ReplicaSets to zero first, then creates the new one when their pods are gone', async () => {
    const old = makeDeployment().replicas(3).recreate().obj();
    const d = makeDeployment().uid(old.metadata.uid!).replicas(3).recreate().image('v2').annotation(REVISION, '1').obj();
    const oldRS = rsFor(old, { replicas: 3, revision: 1, desired: 3, max: 3 });
    let { env, c } = setupDeployment([d, oldRS]);
    await c.sync('default/web');
    assert.deepEqual(rsUpdates(env), { [oldRS.metadata.name!]: 0 });
    assert.equal(env.client.filterActions({ verb: 'create', resource: 'replicasets' }).length, 0);
    // Next round: old at zero, no pods left.
    const drained = structuredClone(oldRS);
    drained.spec!.replicas = 0;
    drained.status = { replicas: 0, observedGeneration: 1 };
    ({ env, c } = setupDeployment([d, drained]));
    await c.sync('default/web');
    const created = env.client.filterActions({ verb: 'create', resource: 'replicasets' });
    assert.equal(created.length, 1);
    assert.equal((created[0]!.object as ReplicaSet).spec!.replicas, 3);
  });

  test('going back to an old template reuses its ReplicaSet with a new revision and revision-history', async () => {
    const v1 = makeDeployment().replicas(2).obj();
    const v2 = makeDeployment().uid(v1.metadata.uid!).replicas(2).image('v2').obj();
    const rs1 = rsFor(v1, { replicas: 0, revision: 1, desired: 2, max: 3 });
    const rs2 = rsFor(v2, { replicas: 2, revision: 2, desired: 2, max: 3, createdOffsetMs: 1000 });
    const d = makeDeployment().uid(v1.metadata.uid!).replicas(2).annotation(REVISION, '2').generation(3).obj(); // back to v1's template
    const { env, c } = setupDeployment([d, rs1, rs2]);
    await c.sync('default/web');
    const upd = env.client.filterActions({ verb: 'update', resource: 'replicasets' }).map((a) => a.object as ReplicaSet);
    assert.equal(env.client.filterActions({ verb: 'create', resource: 'replicasets' }).length, 0);
    assert.equal(upd[0]!.metadata.name, rs1.metadata.name);
    assert.equal(upd[0]!.metadata.annotations![REVISION], '3');
    assert.equal(upd[0]!.metadata.annotations![REVISION_HISTORY], '1');
  });

  test('kubectl rollout undo (old template with creationTimestamp: null, as Go marshals it) reuses the old ReplicaSet', async () => {
    const v1 = makeDeployment().replicas(2).obj();
    const v2 = makeDeployment().uid(v1.metadata.uid!).replicas(2).image('v2').obj();
    const rs1 = rsFor(v1, { replicas: 0, revision: 1, desired: 2, max: 3 });
    const rs2 = rsFor(v2, { replicas: 2, revision: 2, desired: 2, max: 3, createdOffsetMs: 1000 });
    const d = makeDeployment().uid(v1.metadata.uid!).replicas(2).annotation(REVISION, '2').generation(3).obj();
    (d.spec!.template.metadata as Record<string, unknown>).creationTimestamp = null;
    d.spec!.template.spec = { ...d.spec!.template.spec!, securityContext: {} };
    const { env, c } = setupDeployment([d, rs1, rs2]);
    await c.sync('default/web');
    assert.equal(env.client.filterActions({ verb: 'create', resource: 'replicasets' }).length, 0);
    const upd = env.client.filterActions({ verb: 'update', resource: 'replicasets' }).map((a) => a.object as ReplicaSet);
    assert.equal(upd[0]!.metadata.name, rs1.metadata.name);
    assert.equal(upd[0]!.metadata.annotations![REVISION], '3');
  });

  test('computeHash ignores null members (as a decoded Go struct would)', () => {
    const t = makeDeployment().obj().spec!.template;
    const withNull = structuredClone(t);
    (withNull.metadata as Record<string, unknown>).creationTimestamp = null;
    assert.equal(computeHash(withNull), computeHash(t));
  });

  test('kubectl rollout restart (a template annotation) makes a new ReplicaSet', async () => {
    const v1 = makeDeployment().replicas(1).obj();
    const rs1 = rsFor(v1, { replicas: 1, revision: 1, desired: 1, max: 2 });
    const d = makeDeployment().uid(v1.metadata.uid!).replicas(1).templateAnnotation('kubectl.kubernetes.io/restartedAt', '2026-01-01T00:00:00Z').annotation(REVISION, '1').obj();
    const { env, c } = setupDeployment([d, rs1]);
    await c.sync('default/web');
    const created = env.client.filterActions({ verb: 'create', resource: 'replicasets' });
    assert.equal(created.length, 1);
    assert.notEqual(created[0]!.name ?? (created[0]!.object as ReplicaSet).metadata.name, rs1.metadata.name);
  });

  test('history beyond revisionHistoryLimit is deleted, oldest first, only when scaled to zero', async () => {
    const base = makeDeployment().replicas(1).revisionHistoryLimit(1);
    const d = base.obj();
    const olds = [1, 2, 3].map((rev) => rsFor(makeDeployment().uid(d.metadata.uid!).image(`v${rev}`).obj(), { replicas: 0, revision: rev, desired: 1, max: 2, createdOffsetMs: rev * 1000 }));
    olds[0]!.status!.replicas = 1; // revision 1 still has a pod: kept
    const cur = rsFor(d, { replicas: 1, revision: 4, desired: 1, max: 2, createdOffsetMs: 9000 });
    d.metadata.annotations = { [REVISION]: '4' };
    d.status = { replicas: 1, updatedReplicas: 1, readyReplicas: 1, availableReplicas: 1, observedGeneration: 1 };
    const { env, c } = setupDeployment([d, ...olds, cur]);
    await c.sync('default/web');
    assert.deepEqual(env.client.filterActions({ verb: 'delete', resource: 'replicasets' }).map((a) => a.name), [olds[1]!.metadata.name]);
  });

  test('an empty selector is refused with a SelectingAll warning', async () => {
    const d = makeDeployment().with((o) => (o.spec!.selector = {})).obj();
    const { env, c } = setupDeployment([d]);
    await c.sync('default/web');
    assert.deepEqual(env.events(), ['Warning SelectingAll This deployment is selecting all pods. A non-empty selector is required.']);
    assert.equal(env.client.filterActions({ verb: 'create' }).length, 0);
  });

  test('orphaned matching ReplicaSets are adopted', async () => {
    const d = makeDeployment().replicas(1).obj();
    const rs = rsFor(d, { replicas: 1, revision: 1, desired: 1, max: 2 });
    rs.metadata.ownerReferences = [];
    const { env, c } = setupDeployment([d, rs]);
    await c.sync('default/web');
    assert.equal(env.client.filterActions({ verb: 'patch', resource: 'replicasets' }).length, 1);
    assert.equal(env.client.filterActions({ verb: 'create', resource: 'replicasets' }).length, 0);
  });

  test('a hash collision with a foreign ReplicaSet bumps collisionCount', async () => {
    const d = makeDeployment().replicas(1).obj();
    const hash = computeHash(d.spec!.template);
    const foreign = makeDeployment().name('other').image('x').obj();
    const squatter = rsFor(foreign, { replicas: 0, revision: 1, name: `web-${hash}` });
    squatter.metadata.labels = { app: 'other' };
    const { env, c } = setupDeployment([d, squatter]);
    await assert.rejects(c.sync('default/web'), /already exists/);
    assert.equal(lastStatus(env)!.collisionCount, 1);
    assert.notEqual(computeHash(d.spec!.template, 1), hash);
  });

  test('a ReplicaFailure of the new ReplicaSet is surfaced on the Deployment', async () => {
    const d = makeDeployment().replicas(2).annotation(REVISION, '1').obj();
    const rs = rsFor(d, { replicas: 2, available: 0, revision: 1, desired: 2, max: 3 });
    rs.status = { replicas: 0, observedGeneration: 1, conditions: [{ type: 'ReplicaFailure', status: 'True', reason: 'FailedCreate', message: 'pods "x" is forbidden: exceeded quota', lastTransitionTime: '2026-01-01T00:00:00Z' }] };
    const { env, c } = setupDeployment([d, rs]);
    await c.sync('default/web');
    const f = lastStatus(env)!.conditions!.find((x) => x.type === 'ReplicaFailure')!;
    assert.equal(f.reason, 'FailedCreate');
    assert.match(f.message!, /exceeded quota/);
  });

  test('Recreate waits while an old pod still runs', async () => {
    const old = makeDeployment().replicas(1).recreate().obj();
    const d = makeDeployment().uid(old.metadata.uid!).replicas(1).recreate().image('v2').annotation(REVISION, '1').obj();
    const oldRS = rsFor(old, { replicas: 0, revision: 1, desired: 1, max: 1 });
    oldRS.status = { replicas: 0, observedGeneration: 1 };
    const pod = makePod().name('lingering').labels(oldRS.spec!.template!.metadata!.labels!).owner(oldRS).node('n').phase('Running').obj();
    const { env, c } = setupDeployment([d, oldRS, pod]);
    await c.sync('default/web');
    assert.equal(env.client.filterActions({ verb: 'create', resource: 'replicasets' }).length, 0);
  });

  test('minReadySeconds changes reach the current ReplicaSet', async () => {
    const d = makeDeployment().replicas(1).annotation(REVISION, '1').obj();
    const rs = rsFor(d, { replicas: 1, revision: 1, desired: 1, max: 2 });
    const d2 = makeDeployment().uid(d.metadata.uid!).replicas(1).minReadySeconds(7).annotation(REVISION, '1').generation(2).obj();
    const { env, c } = setupDeployment([d2, rs]);
    await c.sync('default/web');
    const upd = env.client.filterActions({ verb: 'update', resource: 'replicasets' });
    assert.equal((upd[0]!.object as ReplicaSet).spec!.minReadySeconds, 7);
  });
});
