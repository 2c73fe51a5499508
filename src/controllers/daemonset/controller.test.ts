// DaemonSet controller unit tests: nodes, pods and revisions preloaded; one sync; recorded actions.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { KubeObject } from '../../api/types.js';
import { FakeClock } from '../../util/clock.js';
import { configureLogging } from '../../util/log.js';
import { fakeControllerEnv } from '../testing/index.js';
import { DaemonSetController } from './controller.js';
import { daemonPodTolerations, matchesNodeAffinity, nodeShouldRunDaemonPod } from './predicates.js';
import { scaledValue } from './update.js';
import { hashRevision, templatePatch } from '../history/index.js';

configureLogging({ quiet: true });
type Obj = Record<string, any>;
const T0 = Date.UTC(2026, 0, 1);
const iso = (ms: number) => new Date(ms).toISOString().replace(/\.\d+Z$/, 'Z');

function ds(spec: Obj = {}): KubeObject & { spec: Obj } {
  return {
    apiVersion: 'apps/v1', kind: 'DaemonSet',
    metadata: { name: 'ds', namespace: 'ns', uid: 'ds-uid', generation: 2, resourceVersion: '1' },
    spec: {
      selector: { matchLabels: { app: 'ds' } },
      template: { metadata: { labels: { app: 'ds' } }, spec: { containers: [{ name: 'c', image: 'i' }] } },
      updateStrategy: { type: 'RollingUpdate', rollingUpdate: { maxUnavailable: 1, maxSurge: 0 } },
      revisionHistoryLimit: 10,
      ...spec,
    },
  };
}

function node(name: string, labels: Record<string, string> = {}, taints: Obj[] = []): KubeObject {
  return { apiVersion: 'v1', kind: 'Node', metadata: { name, labels: { 'kubernetes.io/hostname': name, ...labels } }, spec: { taints } };
}

let seq = 0;
function pod(nodeName: string, hash: string, opts: { ready?: boolean; age?: number; phase?: string } = {}): KubeObject {
  const n = ++seq;
  return {
    apiVersion: 'v1', kind: 'Pod',
    metadata: {
      name: `ds-${n}`, namespace: 'ns', uid: `p${n}`, creationTimestamp: iso(T0 - (opts.age ?? 0) * 1000),
      labels: { app: 'ds', 'controller-revision-hash': hash },
      ownerReferences: [{ apiVersion: 'apps/v1', kind: 'DaemonSet', name: 'ds', uid: 'ds-uid', controller: true }],
    },
    spec: { nodeName, containers: [{ name: 'c', image: 'i' }] },
    status: { phase: opts.phase ?? 'Running', conditions: [{ type: 'Ready', status: opts.ready === false ? 'False' : 'True', lastTransitionTime: iso(T0 - 3600_000) }] },
  };
}

/** The hash the controller gives the current template of d (no collisions). */
const hashOf = (d: { spec: Obj }) => hashRevision(templatePatch(d.spec.template), 0);

function setup(objs: KubeObject[]) {
  const env = fakeControllerEnv(objs, { clock: new FakeClock(T0) });
  const c = new DaemonSetController({ client: env.client, informers: env.ctx.informers, recorder: env.ctx.recorder('daemonset-controller'), clock: env.clock });
  env.fillCaches();
  env.client.clearActions();
  const creates = () => env.client.filterActions({ verb: 'create', resource: 'pods' }).map((a) => a.object as Obj);
  const deletes = () => env.client.filterActions({ verb: 'delete', resource: 'pods' }).map((a) => a.name);
  const status = () => (env.client.filterActions({ resource: 'daemonsets', writesOnly: true }).at(-1)?.object as Obj | undefined)?.status;
  return { env, c, creates, deletes, status };
}

test('creates one pinned pod per eligible node, with revision hash, generation label and daemon tolerations', async () => {
  const d = ds({ template: { metadata: { labels: { app: 'ds' } }, spec: { nodeSelector: { disk: 'ssd' }, containers: [{ name: 'c', image: 'i' }] } } });
  const { c, creates, env, status } = setup([d,
    node('a', { disk: 'ssd' }), node('b', { disk: 'hdd' }), node('c', { disk: 'ssd' }, [{ key: 'dedicated', value: 'x', effect: 'NoSchedule' }]),
    node('d', { disk: 'ssd' }, [{ key: 'node.kubernetes.io/not-ready', effect: 'NoExecute' }, { key: 'node.kubernetes.io/unschedulable', effect: 'NoSchedule' }]),
  ]);
  await c.sync('ns/ds');
  const pods = creates();
  const pinned = pods.map((p) => p.spec.affinity.nodeAffinity.requiredDuringSchedulingIgnoredDuringExecution.nodeSelectorTerms[0].matchFields[0].values[0]).sort();
  assert.deepEqual(pinned, ['a', 'd']);
  const p = pods[0]!;
  assert.equal(p.spec.nodeName, undefined, 'the scheduler binds daemon pods');
  assert.equal(p.metadata.labels['controller-revision-hash'], hashOf(d));
  assert.equal(p.metadata.labels['pod-template-generation'], '2');
  assert.equal(p.metadata.ownerReferences[0].kind, 'DaemonSet');
  assert.deepEqual(p.spec.tolerations.map((t: Obj) => `${t.key}:${t.effect}`), [
    'node.kubernetes.io/not-ready:NoExecute', 'node.kubernetes.io/unreachable:NoExecute', 'node.kubernetes.io/disk-pressure:NoSchedule',
    'node.kubernetes.io/memory-pressure:NoSchedule', 'node.kubernetes.io/pid-pressure:NoSchedule', 'node.kubernetes.io/unschedulable:NoSchedule',
  ]);
  const revs = env.client.filterActions({ verb: 'create', resource: 'controllerrevisions' });
  assert.equal(revs.length, 1);
  assert.equal((revs[0]!.object as Obj).revision, 1);
  assert.equal(status()!.desiredNumberScheduled, 2);
  assert.equal(status()!.currentNumberScheduled, 0);
  assert.equal(status()!.observedGeneration, 2);
});

test('deletes pods on nodes that no longer qualify and duplicates (keeping the oldest); NoExecute-tolerating pods stay', async () => {
  const d = ds();
  const h = hashOf(d);
  const old = pod('a', h, { age: 100 });
  const dup = pod('a', h, { age: 10 });
  const onTainted = pod('b', h);
  const onEvicting = pod('c', h);
  const { c, deletes, creates } = setup([d, node('a'), node('b', {}, [{ key: 'k', effect: 'NoSchedule' }]), node('c', {}, [{ key: 'k', effect: 'NoExecute' }]), old, dup, onTainted, onEvicting]);
  await c.sync('ns/ds');
  assert.deepEqual(deletes().sort(), [dup.metadata.name, onEvicting.metadata.name].sort());
  assert.equal(creates().length, 0);
});

test('status counts ready, available, updated and misscheduled', async () => {
  const d = ds();
  const h = hashOf(d);
  const { c, status } = setup([d, node('a'), node('b'), node('c'), node('x', {}, [{ key: 'k', effect: 'NoSchedule' }]),
    pod('a', h), pod('b', 'oldhash'), pod('c', h, { ready: false }), pod('x', h)]);
  await c.sync('ns/ds');
  const s = status()!;
  assert.deepEqual([s.desiredNumberScheduled, s.currentNumberScheduled, s.numberReady, s.numberAvailable, s.updatedNumberScheduled, s.numberMisscheduled, s.numberUnavailable],
    [3, 3, 2, 2, 2, 1, 1]);
});

test('RollingUpdate without surge deletes up to maxUnavailable old available pods', async () => {
  const d = ds({ updateStrategy: { type: 'RollingUpdate', rollingUpdate: { maxUnavailable: '50%', maxSurge: 0 } } });
  const { c, deletes } = setup([d, node('a'), node('b'), node('c'), node('e'), pod('a', 'old'), pod('b', 'old'), pod('c', 'old'), pod('e', 'old')]);
  await c.sync('ns/ds');
  assert.equal(deletes().length, 2);
  // An unavailable new pod uses up the budget.
  const d2 = ds();
  const r = setup([d2, node('a'), node('b'), pod('a', hashOf(d2), { ready: false }), pod('b', 'old')]);
  await r.c.sync('ns/ds');
  assert.equal(r.deletes().length, 0);
});

test('RollingUpdate with maxSurge creates new pods beside old ones and deletes old ones once the new are available', async () => {
  const d = ds({ updateStrategy: { type: 'RollingUpdate', rollingUpdate: { maxUnavailable: 0, maxSurge: 1 } } });
  const { c, creates } = setup([d, node('a'), node('b'), pod('a', 'old'), pod('b', 'old')]);
  await c.sync('ns/ds');
  assert.equal(creates().length, 1);
  const h = hashOf(d);
  const oldA = pod('a', 'old', { age: 100 });
  const r = setup([d, node('a'), node('b'), oldA, pod('a', h), pod('b', 'old')]);
  await r.c.sync('ns/ds');
  assert.deepEqual(r.deletes(), [oldA.metadata.name]);
  // The manage pass deleted it; the rolling update waits for that deletion to be observed.
  assert.equal(r.creates().length, 0);
});

test('OnDelete never deletes old pods', async () => {
  const d = ds({ updateStrategy: { type: 'OnDelete' } });
  const { c, deletes, creates } = setup([d, node('a'), pod('a', 'old')]);
  await c.sync('ns/ds');
  assert.equal(deletes().length + creates().length, 0);
});

test('predicates: affinity operators, tolerations, hostNetwork, scaled values', () => {
  const n = node('n1', { zone: 'z1', gen: '5' });
  const aff = (expr: Obj) => ({ affinity: { nodeAffinity: { requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms: [expr] } } } });
  assert.equal(matchesNodeAffinity(aff({ matchExpressions: [{ key: 'zone', operator: 'In', values: ['z1'] }] }), n), true);
  assert.equal(matchesNodeAffinity(aff({ matchExpressions: [{ key: 'gen', operator: 'Gt', values: ['4'] }] }), n), true);
  assert.equal(matchesNodeAffinity(aff({ matchExpressions: [{ key: 'zone', operator: 'DoesNotExist' }] }), n), false);
  assert.equal(matchesNodeAffinity(aff({ matchFields: [{ key: 'metadata.name', operator: 'In', values: ['n2'] }] }), n), false);
  assert.equal(daemonPodTolerations({ hostNetwork: true }).some((t) => t.key === 'node.kubernetes.io/network-unavailable'), true);
  assert.deepEqual(nodeShouldRunDaemonPod(node('t', {}, [{ key: 'node.kubernetes.io/network-unavailable', effect: 'NoSchedule' }]), ds()), { shouldRun: false, shouldContinueRunning: true });
  assert.equal(scaledValue('10%', 15, true, 1), 2);
  assert.equal(scaledValue('10%', 15, false, 1), 1);
  assert.equal(scaledValue(undefined, 15, true, 1), 1);
});

test('failed daemon pods are replaced with a per-node backoff', async () => {
  const d = ds();
  const failed = pod('a', hashOf(d), { phase: 'Failed' });
  const { c, deletes, env } = setup([d, node('a'), failed]);
  await c.sync('ns/ds');
  assert.deepEqual(deletes(), [failed.metadata.name]);
  assert.ok(env.events().some((e) => e.includes('FailedDaemonPod')));
  // Another failure right away on the same node waits for the backoff (informer caught up meanwhile).
  env.client.seed(pod('a', hashOf(d), { phase: 'Failed' }));
  env.fillCaches();
  (c as unknown as { expectations: { delete(k: string): void } }).expectations.delete('ns/ds');
  env.client.clearActions();
  await c.sync('ns/ds');
  assert.deepEqual(deletes(), []);
  assert.equal(c.queue.waitingLen(), 1);
});
