// Job controller unit tests: preload a FakeClient, run one sync, assert the recorded actions.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { KubeObject } from '../../api/types.js';
import { FakeClient, SharedInformerFactory, type Action } from '../../client/index.js';
import { FakeClock } from '../../util/clock.js';
import { configureLogging } from '../../util/log.js';
import { JobController } from './controller.js';
import { COMPLETION_INDEX_ANNOTATION, TRACKING_FINALIZER } from './pods.js';
import { formatIndexes, parseIndexes } from './indexes.js';
import { remainingBackoff } from './backoff.js';

configureLogging({ quiet: true });
type Obj = Record<string, any>;
const T0 = Date.UTC(2026, 0, 1);
const iso = (ms: number) => new Date(ms).toISOString().replace(/\.\d+Z$/, 'Z');

function job(spec: Obj = {}, status: Obj = {}): KubeObject {
  return {
    apiVersion: 'batch/v1', kind: 'Job',
    metadata: { name: 'j', namespace: 'ns', uid: 'job-uid', resourceVersion: '1' },
    spec: {
      completions: 1, parallelism: 1, backoffLimit: 6, completionMode: 'NonIndexed', suspend: false, podReplacementPolicy: 'TerminatingOrFailed',
      selector: { matchLabels: { 'batch.kubernetes.io/controller-uid': 'job-uid' } },
      template: { metadata: { labels: { 'batch.kubernetes.io/controller-uid': 'job-uid', 'batch.kubernetes.io/job-name': 'j' } }, spec: { restartPolicy: 'Never', containers: [{ name: 'c', image: 'busybox' }] } },
      ...spec,
    },
    status,
  };
}

let podSeq = 0;
function pod(phase: string, extra: { index?: number; ready?: boolean; finalizer?: boolean; exitCode?: number; finishedAt?: number; deleting?: boolean } = {}): KubeObject {
  const n = ++podSeq;
  const ann: Record<string, string> = extra.index !== undefined ? { [COMPLETION_INDEX_ANNOTATION]: String(extra.index) } : {};
  const status: Obj = { phase, conditions: [{ type: 'Ready', status: extra.ready ? 'True' : 'False' }] };
  if (extra.exitCode !== undefined || extra.finishedAt !== undefined) {
    status.containerStatuses = [{ name: 'c', state: { terminated: { exitCode: extra.exitCode ?? 1, finishedAt: iso(extra.finishedAt ?? T0) } } }];
  }
  return {
    apiVersion: 'v1', kind: 'Pod',
    metadata: {
      name: `j-${n}`, namespace: 'ns', uid: `pod-${n}`, annotations: ann, creationTimestamp: iso(T0 + n * 1000),
      labels: { 'batch.kubernetes.io/controller-uid': 'job-uid' },
      ownerReferences: [{ apiVersion: 'batch/v1', kind: 'Job', name: 'j', uid: 'job-uid', controller: true }],
      finalizers: extra.finalizer === false ? [] : [TRACKING_FINALIZER],
      ...(extra.deleting ? { deletionTimestamp: iso(T0) } : {}),
    },
    spec: { nodeName: 'n1' }, status,
  };
}

async function setup(objects: KubeObject[], clock = new FakeClock(T0)) {
  const client = new FakeClient({ objects, clock });
  const informers = new SharedInformerFactory(client, { freeze: true, clock });
  const c = new JobController({ client, informers, clock });
  informers.start();
  assert.equal(await informers.waitForCacheSync(), true);
  client.clearActions();
  const writes = () => client.filterActions({ writesOnly: true });
  const lastStatus = () => (client.filterActions({ resource: 'jobs', writesOnly: true }).filter((a) => a.subresource === 'status').at(-1)?.object as Obj | undefined)?.status;
  return { client, c, clock, informers, writes, lastStatus };
}

const verbs = (as: Action[]) => as.map((a) => `${a.verb} ${a.resource}${a.subresource ? '/' + a.subresource : ''}`);

test('creates parallelism pods, capped by remaining completions, with finalizer and owner', async () => {
  for (const [completions, parallelism, succeeded, want] of [[5, 2, 0, 2], [5, 2, 4, 1], [3, 10, 0, 3], [null, 3, 0, 3]] as const) {
    const { c, client, informers } = await setup([job({ completions, parallelism }, { succeeded })]);
    await c.sync('ns/j');
    const creates = client.filterActions({ verb: 'create', resource: 'pods' });
    assert.equal(creates.length, want, `completions=${completions} parallelism=${parallelism} succeeded=${succeeded}`);
    const p = creates[0]!.object as Obj;
    assert.deepEqual(p.metadata.finalizers, [TRACKING_FINALIZER]);
    assert.equal(p.metadata.generateName, 'j-');
    assert.equal(p.metadata.ownerReferences[0].uid, 'job-uid');
    assert.equal(p.metadata.labels['batch.kubernetes.io/job-name'], 'j');
    await informers.shutdown();
  }
});

test('expectations block a second round of creates until the informer sees the pods', async () => {
  const { c, client, informers } = await setup([job({ completions: 5, parallelism: 2 })]);
  client.prependReactor('create', 'pods', () => { throw new Error('should not be reached'); });
  client.actions.length = 0;
  await assert.rejects(c.sync('ns/j'));
  // The failed creates lowered the expectations, so the next sync tries again.
  client.clearActions();
  await assert.rejects(c.sync('ns/j'));
  assert.ok(client.filterActions({ verb: 'create', resource: 'pods' }).length >= 1);
  await informers.shutdown();
});

test('indexed job creates the missing indexes with annotation, label, hostname and env', async () => {
  const { c, client, informers } = await setup([
    job({ completionMode: 'Indexed', completions: 4, parallelism: 3 }, { completedIndexes: '0' }),
    pod('Running', { index: 1 }),
  ]);
  await c.sync('ns/j');
  const created = client.filterActions({ verb: 'create', resource: 'pods' }).map((a) => a.object as Obj);
  assert.deepEqual(created.map((p) => p.metadata.annotations[COMPLETION_INDEX_ANNOTATION]), ['2', '3']);
  assert.equal(created[0]!.metadata.labels['batch.kubernetes.io/job-completion-index'], '2');
  assert.equal(created[0]!.metadata.generateName, 'j-2-');
  assert.equal(created[0]!.spec.hostname, 'j-2');
  assert.equal(created[0]!.spec.containers[0].env[0].name, 'JOB_COMPLETION_INDEX');
  await informers.shutdown();
});

test('finished pods go through uncountedTerminatedPods, lose the finalizer, then count', async () => {
  const s = pod('Succeeded');
  const { c, client, lastStatus, informers } = await setup([job({ completions: 3, parallelism: 1 }), s, pod('Running', { ready: true })]);
  await c.sync('ns/j');
  const w = client.filterActions({ writesOnly: true });
  assert.deepEqual(verbs(w), ['update jobs/status', 'patch pods', 'update jobs/status']);
  assert.deepEqual((w[0]!.object as Obj).status.uncountedTerminatedPods, { succeeded: [s.metadata.uid] });
  assert.equal(w[1]!.name, s.metadata.name);
  const st = lastStatus()!;
  assert.equal(st.succeeded, 1);
  assert.deepEqual(st.uncountedTerminatedPods, {});
  assert.equal(st.active, 1);
  assert.equal(st.ready, 1);
  assert.ok(st.startTime);
  assert.equal(client.filterActions({ verb: 'create', resource: 'pods' }).length, 0);
  await informers.shutdown();
});

test('job completes: SuccessCriteriaMet, then Complete with completionTime', async () => {
  const { c, lastStatus, informers, client } = await setup([job({ completions: 2, parallelism: 2 }, { succeeded: 1, startTime: iso(T0) }), pod('Succeeded')]);
  await c.sync('ns/j');
  const st = lastStatus()!;
  assert.equal(st.succeeded, 2);
  assert.deepEqual(st.conditions.map((x: Obj) => `${x.type}=${x.status}`), ['SuccessCriteriaMet=True', 'Complete=True']);
  assert.equal(st.completionTime, iso(T0));
  assert.equal(client.filterActions({ verb: 'create', resource: 'pods' }).length, 0);
  await informers.shutdown();
});

test('backoffLimit exceeded: FailureTarget, active pods deleted, Failed once none terminate', async () => {
  const { c, client, lastStatus, informers } = await setup([job({ completions: 3, parallelism: 2, backoffLimit: 1 }, { failed: 1 }), pod('Failed'), pod('Running')]);
  await c.sync('ns/j');
  assert.equal(client.filterActions({ verb: 'delete', resource: 'pods' }).length, 1);
  let st = lastStatus()!;
  assert.equal(st.failed, 3, 'the failed pod and the deleted running pod both count');
  assert.deepEqual(st.conditions.map((x: Obj) => `${x.type}/${x.reason}`), ['FailureTarget/BackoffLimitExceeded']);
  // The deleted pod was terminating: the terminal condition waits for a later sync.
  const j2 = { ...job({ completions: 3, parallelism: 2, backoffLimit: 1 }, st) };
  const r = await setup([j2]);
  await r.c.sync('ns/j');
  st = r.lastStatus()!;
  assert.deepEqual(st.conditions.map((x: Obj) => `${x.type}/${x.reason}`), ['FailureTarget/BackoffLimitExceeded', 'Failed/BackoffLimitExceeded']);
  await informers.shutdown();
  await r.informers.shutdown();
});

test('activeDeadlineSeconds: DeadlineExceeded once past, requeue before', async () => {
  const clock = new FakeClock(T0 + 100_000);
  const { c, lastStatus, informers } = await setup([job({ activeDeadlineSeconds: 60 }, { startTime: iso(T0) })], clock);
  await c.sync('ns/j');
  assert.equal(lastStatus()!.conditions[0].reason, 'DeadlineExceeded');
  await informers.shutdown();
  const clock2 = new FakeClock(T0 + 10_000);
  const r = await setup([job({ activeDeadlineSeconds: 60 }, { startTime: iso(T0), active: 1, ready: 0, terminating: 0 }), pod('Running')], clock2);
  await r.c.sync('ns/j');
  assert.equal(r.c.queue.waitingLen(), 1, 'requeued for the deadline');
  await r.informers.shutdown();
});

test('podFailurePolicy: FailJob on exit code, Ignore does not count', async () => {
  const policy = { rules: [{ action: 'Ignore', onPodConditions: [{ type: 'DisruptionTarget', status: 'True' }] }, { action: 'FailJob', onExitCodes: { operator: 'In', values: [42] } }] };
  const failing = pod('Failed', { exitCode: 42 });
  const { c, lastStatus, informers } = await setup([job({ podFailurePolicy: policy, podReplacementPolicy: 'Failed' }), failing]);
  await c.sync('ns/j');
  const st = lastStatus()!;
  assert.equal(st.conditions[0].type, 'FailureTarget');
  assert.equal(st.conditions[0].reason, 'PodFailurePolicy');
  assert.match(st.conditions[0].message, /Container c for pod ns\/j-\d+ failed with exit code 42 matching FailJob rule at index 1/);
  assert.equal(st.conditions[1].type, 'Failed');
  await informers.shutdown();

  const disrupted = pod('Failed', { exitCode: 1 });
  (disrupted.status as Obj).conditions.push({ type: 'DisruptionTarget', status: 'True' });
  const r = await setup([job({ podFailurePolicy: policy, podReplacementPolicy: 'Failed', backoffLimit: 0 }), disrupted], new FakeClock(T0 + 60_000));
  await r.c.sync('ns/j');
  const st2 = r.lastStatus()!;
  assert.equal(st2.failed ?? 0, 0, 'ignored failure is not counted');
  assert.equal((st2.conditions ?? []).length, 0);
  assert.equal(r.client.filterActions({ verb: 'create', resource: 'pods' }).length, 1, 'replacement created');
  await r.informers.shutdown();
});

test('pod failure backoff delays replacements: 10 s doubling, capped', async () => {
  assert.equal(remainingBackoff({ failuresAfterLastSuccess: 1, lastFailureTime: 0 }, 0, 10_000, 600_000), 10_000);
  assert.equal(remainingBackoff({ failuresAfterLastSuccess: 3, lastFailureTime: 0 }, 5_000, 10_000, 600_000), 35_000);
  assert.equal(remainingBackoff({ failuresAfterLastSuccess: 20, lastFailureTime: 0 }, 0, 10_000, 600_000), 600_000);
  assert.equal(remainingBackoff({ failuresAfterLastSuccess: 0 }, 0, 10_000, 600_000), 0);
  const clock = new FakeClock(T0 + 3_000);
  const { c, client, informers } = await setup([job(), pod('Failed', { exitCode: 1, finishedAt: T0 })], clock);
  await c.sync('ns/j');
  assert.equal(client.filterActions({ verb: 'create', resource: 'pods' }).length, 0, 'no pod within the backoff');
  assert.equal(c.queue.waitingLen(), 1);
  await informers.shutdown();
});

test('suspend deletes active pods (finalizer first) and sets Suspended; resume resets startTime', async () => {
  const p = pod('Running');
  const { c, client, lastStatus, informers } = await setup([job({ suspend: true, parallelism: 2, completions: 2 }), p]);
  await c.sync('ns/j');
  assert.deepEqual(verbs(client.filterActions({ resource: 'pods', writesOnly: true })), ['patch pods', 'delete pods']);
  const st = lastStatus()!;
  assert.equal(st.active, 0);
  assert.deepEqual(st.conditions.map((x: Obj) => `${x.type}=${x.status}/${x.reason}`), ['Suspended=True/JobSuspended']);
  assert.equal(st.startTime, undefined);
  await informers.shutdown();

  const clock = new FakeClock(T0 + 50_000);
  const r = await setup([job({ suspend: false }, { startTime: iso(T0), conditions: [{ type: 'Suspended', status: 'True', reason: 'JobSuspended' }] })], clock);
  await r.c.sync('ns/j');
  const st2 = r.lastStatus()!;
  assert.equal(st2.conditions[0].status, 'False');
  assert.equal(st2.conditions[0].reason, 'JobResumed');
  assert.equal(st2.startTime, iso(T0 + 50_000));
  await r.informers.shutdown();
});

test('finished jobs are left alone; orphans of a deleted job lose the finalizer', async () => {
  const { c, writes, informers } = await setup([job({}, { conditions: [{ type: 'Complete', status: 'True' }] }), pod('Running')]);
  await c.sync('ns/j');
  assert.equal(writes().length, 0);
  await informers.shutdown();
  const orphan = pod('Succeeded');
  const r = await setup([orphan]);
  await r.c.sync('ns/j');
  assert.deepEqual(verbs(r.writes()), ['patch pods']);
  await r.informers.shutdown();
});

test('completed indexes are parsed and formatted as upstream', () => {
  for (const [s, n, out] of [['1,3-5,7', 10, '1,3-5,7'], ['0-2', 2, '0-1'], ['', 3, ''], ['4,0,1', 5, '0-1,4']] as const) {
    assert.equal(formatIndexes(parseIndexes(s, n)), out);
  }
});

test('indexed job: a succeeded pod adds its index to completedIndexes and succeeded', async () => {
  const { c, lastStatus, informers } = await setup([job({ completionMode: 'Indexed', completions: 3, parallelism: 1 }, { completedIndexes: '0', succeeded: 1 }), pod('Succeeded', { index: 2 })]);
  await c.sync('ns/j');
  const st = lastStatus()!;
  assert.equal(st.completedIndexes, '0,2');
  assert.equal(st.succeeded, 2);
  assert.equal(st.uncountedTerminatedPods.succeeded, undefined, 'indexes, not uids, track indexed successes');
  await informers.shutdown();
});

test('podReplacementPolicy Failed waits for terminating pods; TerminatingOrFailed replaces at once', async () => {
  const r1 = await setup([job({ podReplacementPolicy: 'Failed', podFailurePolicy: undefined }, { active: 0 }), pod('Running', { deleting: true })], new FakeClock(T0 + 3600_000));
  await r1.c.sync('ns/j');
  assert.equal(r1.client.filterActions({ verb: 'create', resource: 'pods' }).length, 0);
  assert.equal(r1.lastStatus()!.terminating, 1);
  await r1.informers.shutdown();
  const r2 = await setup([job({}, { active: 0 }), pod('Running', { deleting: true })], new FakeClock(T0 + 3600_000));
  await r2.c.sync('ns/j');
  assert.equal(r2.client.filterActions({ verb: 'create', resource: 'pods' }).length, 1);
  assert.equal(r2.lastStatus()!.failed, 1, 'a pod deleted before succeeding counts as failed');
  await r2.informers.shutdown();
});

test('restartPolicy OnFailure: container restarts count against backoffLimit', async () => {
  const p = pod('Running');
  (p.status as Obj).containerStatuses = [{ name: 'c', restartCount: 2 }];
  const j = job({ backoffLimit: 2 });
  ((j.spec as Obj).template.spec as Obj).restartPolicy = 'OnFailure';
  const { c, lastStatus, informers } = await setup([j, p]);
  await c.sync('ns/j');
  assert.equal(lastStatus()!.conditions[0].reason, 'BackoffLimitExceeded');
  await informers.shutdown();
});
