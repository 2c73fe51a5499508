// CronJob controller unit tests on the FakeClient with a FakeClock.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { KubeObject } from '../../api/types.js';
import { FakeClient, SharedInformerFactory, type EventRecorder } from '../../client/index.js';
import { FakeClock } from '../../util/clock.js';
import { configureLogging } from '../../util/log.js';
import { CronJobController, SCHEDULED_TIMESTAMP_ANNOTATION, jobNameFor } from './controller.js';

configureLogging({ quiet: true });
type Obj = Record<string, any>;
const iso = (ms: number) => new Date(ms).toISOString().replace(/\.\d+Z$/, 'Z');
const at = Date.parse;

function cronJob(spec: Obj = {}, status: Obj = {}, created = '2026-01-01T00:00:00Z'): KubeObject {
  return {
    apiVersion: 'batch/v1', kind: 'CronJob',
    metadata: { name: 'cj', namespace: 'ns', uid: 'cj-uid', creationTimestamp: created, resourceVersion: '1' },
    spec: {
      schedule: '*/1 * * * *', concurrencyPolicy: 'Allow', suspend: false, successfulJobsHistoryLimit: 3, failedJobsHistoryLimit: 1,
      jobTemplate: { metadata: { labels: { app: 'x' } }, spec: { template: { spec: { containers: [{ name: 'c', image: 'i' }], restartPolicy: 'Never' } } } },
      ...spec,
    },
    status,
  };
}

function childJob(name: string, uid: string, cond?: 'Complete' | 'Failed', startTime?: string): KubeObject {
  return {
    apiVersion: 'batch/v1', kind: 'Job',
    metadata: { name, namespace: 'ns', uid, ownerReferences: [{ apiVersion: 'batch/v1', kind: 'CronJob', name: 'cj', uid: 'cj-uid', controller: true }] },
    spec: {},
    status: {
      ...(startTime ? { startTime } : {}),
      ...(cond ? { conditions: [{ type: cond, status: 'True', lastTransitionTime: '2026-01-01T00:05:00Z' }], ...(cond === 'Complete' ? { completionTime: '2026-01-01T00:05:00Z' } : {}) } : {}),
    },
  };
}

async function setup(objects: KubeObject[], now: number) {
  const clock = new FakeClock(now);
  const client = new FakeClient({ objects, clock });
  const informers = new SharedInformerFactory(client, { freeze: true, clock });
  const events: string[] = [];
  const recorder: EventRecorder = { record: (_o, type, reason, _a, note) => events.push(`${type} ${reason} ${note}`) };
  const c = new CronJobController({ client, informers, recorder, clock });
  informers.start();
  assert.equal(await informers.waitForCacheSync(), true);
  client.clearActions();
  const status = () => (client.filterActions({ resource: 'cronjobs', writesOnly: true }).at(-1)?.object as Obj | undefined)?.status;
  const created = () => client.filterActions({ verb: 'create', resource: 'jobs' }).map((a) => a.object as Obj);
  return { c, client, informers, events, status, created, clock };
}

test('creates the job for the latest schedule time, names it by minutes, annotates it, requeues at the next', async () => {
  const now = at('2026-01-01T00:03:30Z');
  const { c, informers, status, created } = await setup([cronJob()], now);
  await c.sync('ns/cj');
  const jobs = created();
  assert.equal(jobs.length, 1);
  const sched = at('2026-01-01T00:03:00Z');
  assert.equal(jobs[0]!.metadata.name, `cj-${sched / 60_000}`);
  assert.equal(jobs[0]!.metadata.name, jobNameFor('cj', sched));
  assert.equal(jobs[0]!.metadata.annotations[SCHEDULED_TIMESTAMP_ANNOTATION], '2026-01-01T00:03:00Z');
  assert.equal(jobs[0]!.metadata.labels.app, 'x');
  assert.equal(jobs[0]!.metadata.ownerReferences[0].uid, 'cj-uid');
  const st = status()!;
  assert.equal(st.lastScheduleTime, '2026-01-01T00:03:00Z');
  assert.equal(st.active[0].name, jobs[0]!.metadata.name);
  assert.equal(c.queue.waitingLen(), 1, 'requeued for 00:04:00.100');
  await informers.shutdown();
});

test('nothing due yet: no job, requeue exactly at the next schedule', async () => {
  const { c, client, informers, clock } = await setup([cronJob({ schedule: '0 * * * *' }, {}, '2026-01-01T00:10:00Z')], at('2026-01-01T00:20:00Z'));
  await c.sync('ns/cj');
  assert.equal(client.filterActions({ writesOnly: true }).length, 0);
  assert.equal(c.queue.waitingLen(), 1);
  clock.advance(at('2026-01-01T01:00:00Z') - clock.now() + 99);
  assert.equal(c.queue.waitingLen(), 1, 'not before the delta');
  clock.advance(1);
  assert.equal(c.queue.waitingLen(), 0, 'due at 01:00:00.100');
  await informers.shutdown();
});

test('time zone: schedule in spec.timeZone and the annotation in that zone', async () => {
  const { c, informers, created } = await setup([cronJob({ schedule: '0 9 * * *', timeZone: 'Europe/Berlin' })], at('2026-01-01T08:30:00Z'));
  await c.sync('ns/cj');
  const j = created()[0]!;
  assert.equal(j.metadata.annotations[SCHEDULED_TIMESTAMP_ANNOTATION], '2026-01-01T09:00:00+01:00');
  assert.equal(j.metadata.name, `cj-${at('2026-01-01T08:00:00Z') / 60_000}`);
  await informers.shutdown();
});

test('unknown time zone and unparseable schedule only warn', async () => {
  for (const [spec, reason] of [[{ timeZone: 'Mars/Olympus' }, 'UnknownTimeZone'], [{ schedule: '61 * * * *' }, 'UnparseableSchedule']] as const) {
    const { c, client, informers, events } = await setup([cronJob(spec)], at('2026-01-01T00:03:30Z'));
    await c.sync('ns/cj');
    assert.equal(client.filterActions({ writesOnly: true }).length, 0);
    assert.ok(events.some((e) => e.startsWith(`Warning ${reason}`)), events.join('\n'));
    assert.equal(c.queue.waitingLen(), 0);
    await informers.shutdown();
  }
});

test('startingDeadlineSeconds: a missed start too late is skipped; too many missed times warns', async () => {
  const r = await setup([cronJob({ schedule: '0 * * * *', startingDeadlineSeconds: 60 })], at('2026-01-01T01:05:00Z'));
  await r.c.sync('ns/cj');
  assert.equal(r.created().length, 0);
  await r.informers.shutdown();
  const r2 = await setup([cronJob({ schedule: '0 * * * *', startingDeadlineSeconds: 600 })], at('2026-01-01T01:05:00Z'));
  await r2.c.sync('ns/cj');
  assert.equal(r2.created().length, 1, 'within the deadline');
  await r2.informers.shutdown();
  const r3 = await setup([cronJob()], at('2026-01-01T03:00:30Z'));
  await r3.c.sync('ns/cj');
  assert.ok(r3.events.some((e) => e.includes('TooManyMissedTimes too many missed start times: 180')), r3.events.join('\n'));
  assert.equal(r3.created()[0]!.metadata.annotations[SCHEDULED_TIMESTAMP_ANNOTATION], '2026-01-01T03:00:00Z');
  await r3.informers.shutdown();
});

test('concurrencyPolicy Forbid skips, Replace deletes the running job, Allow adds', async () => {
  const running = childJob('cj-old', 'old-uid');
  const active = { active: [{ kind: 'Job', name: 'cj-old', namespace: 'ns', uid: 'old-uid' }], lastScheduleTime: '2026-01-01T00:02:00Z' };
  const now = at('2026-01-01T00:03:10Z');
  const f = await setup([cronJob({ concurrencyPolicy: 'Forbid' }, active), running], now);
  await f.c.sync('ns/cj');
  assert.equal(f.created().length, 0);
  assert.ok(f.events.some((e) => e.startsWith('Normal JobAlreadyActive')));
  await f.informers.shutdown();
  const r = await setup([cronJob({ concurrencyPolicy: 'Replace' }, active), running], now);
  await r.c.sync('ns/cj');
  assert.deepEqual(r.client.filterActions({ verb: 'delete', resource: 'jobs' }).map((a) => a.name), ['cj-old']);
  assert.equal(r.created().length, 1);
  assert.deepEqual(r.status()!.active.map((a: Obj) => a.uid).includes('old-uid'), false);
  await r.informers.shutdown();
  const a = await setup([cronJob({}, active), running], now);
  await a.c.sync('ns/cj');
  assert.equal(a.created().length, 1);
  assert.equal(a.status()!.active.length, 2);
  await a.informers.shutdown();
});

test('suspend creates nothing; the same scheduled time is not run twice', async () => {
  const s = await setup([cronJob({ suspend: true })], at('2026-01-01T00:03:30Z'));
  await s.c.sync('ns/cj');
  assert.equal(s.created().length, 0);
  await s.informers.shutdown();
  const d = await setup([cronJob({}, { lastScheduleTime: '2026-01-01T00:03:00Z' })], at('2026-01-01T00:03:30Z'));
  await d.c.sync('ns/cj');
  assert.equal(d.created().length, 0);
  await d.informers.shutdown();
});

test('finished jobs leave active, set lastSuccessfulTime, and history beyond the limits is deleted', async () => {
  const jobs = [
    childJob('s1', 'u1', 'Complete', '2026-01-01T00:01:00Z'), childJob('s2', 'u2', 'Complete', '2026-01-01T00:02:00Z'),
    childJob('s3', 'u3', 'Complete', '2026-01-01T00:03:00Z'), childJob('s4', 'u4', 'Complete', '2026-01-01T00:04:00Z'),
    childJob('f1', 'u5', 'Failed', '2026-01-01T00:01:30Z'), childJob('f2', 'u6', 'Failed', '2026-01-01T00:02:30Z'),
  ];
  const { c, client, informers, status, events } = await setup([cronJob({ suspend: true }, { active: [{ name: 's4', uid: 'u4' }] }), ...jobs], at('2026-01-01T00:06:00Z'));
  await c.sync('ns/cj');
  assert.deepEqual(client.filterActions({ verb: 'delete', resource: 'jobs' }).map((a) => a.name).sort(), ['f1', 's1']);
  const st = status()!;
  assert.equal(st.active.length, 0);
  assert.equal(st.lastSuccessfulTime, '2026-01-01T00:05:00Z');
  assert.ok(events.some((e) => e.startsWith('Normal SawCompletedJob Saw completed job: s4, condition: Complete')));
  await informers.shutdown();
});

test('an active entry whose job is gone is dropped (MissingJob)', async () => {
  const { c, informers, status, events } = await setup([cronJob({ suspend: true }, { active: [{ name: 'gone', uid: 'g' }] })], at('2026-01-01T00:06:00Z'));
  await c.sync('ns/cj');
  assert.equal(status()!.active.length, 0);
  assert.ok(events.some((e) => e.includes('MissingJob')));
  assert.equal(iso(at('2026-01-01T00:06:00Z')), '2026-01-01T00:06:00Z');
  await informers.shutdown();
});

test('a TZ= prefix together with spec.timeZone warns UnsupportedSchedule (the prefix zone applies)', async () => {
  const { c, informers, events, created } = await setup([cronJob({ schedule: 'TZ=UTC */1 * * * *', timeZone: 'Europe/Berlin' })], at('2026-01-01T00:03:30Z'));
  await c.sync('ns/cj');
  assert.ok(events.some((e) => e.startsWith('Warning UnsupportedSchedule CRON_TZ or TZ used in schedule')), events.join('\n'));
  assert.equal(created().length, 1);
  await informers.shutdown();
});
