// Disruption controller tests: PDB status from selected pods and their controllers' scale.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { KubeObject, OwnerReference } from '../../api/types.js';
import { FakeClock } from '../../util/clock.js';
import { configureLogging } from '../../util/log.js';
import { fakeControllerEnv } from '../testing/index.js';
import { DisruptionController } from './controller.js';

configureLogging({ quiet: true });
type Obj = Record<string, any>;
const T0 = Date.UTC(2026, 0, 1);
const iso = (ms: number) => new Date(ms).toISOString().replace(/\.\d+Z$/, 'Z');

function pdb(spec: Obj, status: Obj = {}): KubeObject {
  return { apiVersion: 'policy/v1', kind: 'PodDisruptionBudget', metadata: { name: 'b', namespace: 'ns', generation: 4 }, spec: { selector: { matchLabels: { app: 'a' } }, ...spec }, status };
}
const owner = (kind: string, name: string, uid: string, apiVersion = 'apps/v1'): OwnerReference[] => [{ apiVersion, kind, name, uid, controller: true }];
function workload(apiVersion: string, kind: string, name: string, replicas: number, ownerReferences?: OwnerReference[]): KubeObject {
  return { apiVersion, kind, metadata: { name, namespace: 'ns', uid: `${name}-uid`, ...(ownerReferences ? { ownerReferences } : {}) }, spec: { replicas, selector: { matchLabels: { app: 'a' } } } };
}
let n = 0;
function pod(ready: boolean, ownerReferences?: OwnerReference[], name = `p${++n}`): KubeObject {
  return {
    apiVersion: 'v1', kind: 'Pod', metadata: { name, namespace: 'ns', labels: { app: 'a' }, ...(ownerReferences ? { ownerReferences } : {}) },
    spec: {}, status: { phase: 'Running', conditions: [{ type: 'Ready', status: ready ? 'True' : 'False' }] },
  };
}

async function run(objs: KubeObject[], now = T0) {
  const env = fakeControllerEnv(objs, { clock: new FakeClock(now) });
  const c = new DisruptionController({ client: env.client, informers: env.ctx.informers, recorder: env.ctx.recorder('disruption-controller'), clock: env.clock });
  env.fillCaches();
  env.client.clearActions();
  await c.sync('ns/b');
  return { status: (env.writes().at(-1)?.object as Obj | undefined)?.status, env, c };
}

const cond = (s: Obj) => `${s.conditions[0].status}/${s.conditions[0].reason}`;

test('minAvailable integer counts found pods', async () => {
  const rs = owner('ReplicaSet', 'rs', 'rs-uid');
  const { status } = await run([pdb({ minAvailable: 2 }), workload('apps/v1', 'ReplicaSet', 'rs', 5), pod(true, rs), pod(true, rs), pod(true, rs), pod(false, rs)]);
  assert.deepEqual([status.expectedPods, status.currentHealthy, status.desiredHealthy, status.disruptionsAllowed], [4, 3, 2, 1]);
  assert.equal(cond(status), 'True/SufficientPods');
  assert.equal(status.observedGeneration, 4);
  assert.equal(status.conditions[0].observedGeneration, 4);
});

test('maxUnavailable and percentages use the controller scale (Deployment through its ReplicaSet, StatefulSet, RC)', async () => {
  const rs = owner('ReplicaSet', 'rs', 'rs-uid');
  const objs = [workload('apps/v1', 'Deployment', 'd', 10), workload('apps/v1', 'ReplicaSet', 'rs', 3, owner('Deployment', 'd', 'd-uid')), pod(true, rs), pod(true, rs), pod(true, rs)];
  let { status } = await run([pdb({ maxUnavailable: 1 }), ...objs]);
  assert.deepEqual([status.expectedPods, status.desiredHealthy, status.disruptionsAllowed], [10, 9, 0]);
  assert.equal(cond(status), 'False/InsufficientPods');
  ({ status } = await run([pdb({ minAvailable: '25%' }), ...objs]));
  assert.deepEqual([status.expectedPods, status.desiredHealthy, status.disruptionsAllowed], [10, 3, 0]);
  const ss = owner('StatefulSet', 's', 's-uid');
  ({ status } = await run([pdb({ maxUnavailable: '50%' }), workload('apps/v1', 'StatefulSet', 's', 3), pod(true, ss), pod(true, ss), pod(true, ss)]));
  assert.deepEqual([status.expectedPods, status.desiredHealthy, status.disruptionsAllowed], [3, 1, 2]);
  const rc = owner('ReplicationController', 'rc', 'rc-uid', 'v1');
  ({ status } = await run([pdb({ maxUnavailable: 0 }), workload('v1', 'ReplicationController', 'rc', 2), pod(true, rc), pod(true, rc)]));
  assert.deepEqual([status.expectedPods, status.desiredHealthy, status.disruptionsAllowed], [2, 2, 0]);
});

test('pods without a known controller: SyncFailed with no disruptions allowed; unmanaged pods warn', async () => {
  const { status } = await run([pdb({ maxUnavailable: 1 }), pod(true, owner('ReplicaSet', 'missing', 'x'))]);
  assert.equal(status.disruptionsAllowed, 0);
  assert.equal(cond(status), 'False/SyncFailed');
  assert.match(status.conditions[0].message, /found no controllers for pod/);
  const r = await run([pdb({ maxUnavailable: 1 }), pod(true)]);
  assert.ok(r.env.events().some((e) => e.includes('UnmanagedPods')));
});

test('disruptedPods: recent entries are kept (pod not healthy, recheck scheduled), stale ones dropped after 2 minutes', async () => {
  const rs = owner('ReplicaSet', 'rs', 'rs-uid');
  const objs = [workload('apps/v1', 'ReplicaSet', 'rs', 3), pod(true, rs, 'x1'), pod(true, rs, 'x2'), pod(true, rs, 'x3')];
  const fresh = await run([pdb({ minAvailable: 1 }, { disruptedPods: { x1: iso(T0 - 30_000) } }), ...objs]);
  assert.deepEqual(fresh.status.disruptedPods, { x1: iso(T0 - 30_000) });
  assert.equal(fresh.status.currentHealthy, 2);
  assert.equal(fresh.c.queue.waitingLen(), 1);
  const stale = await run([pdb({ minAvailable: 1 }, { disruptedPods: { x1: iso(T0 - 130_000) } }), ...objs]);
  assert.equal(stale.status.disruptedPods, undefined);
  assert.equal(stale.status.currentHealthy, 3);
  assert.ok(stale.env.events().some((e) => e.includes('NotDeleted')));
});

test('no pods: NoPods event and nothing allowed; unchanged status is not rewritten', async () => {
  const { status, env } = await run([pdb({ minAvailable: 1 })]);
  assert.equal(status.disruptionsAllowed, 0);
  assert.ok(env.events().some((e) => e.includes('NoPods')));
  const again = await run([pdb({ minAvailable: 1 }, status)]);
  assert.equal(again.env.writes().length, 0);
});
