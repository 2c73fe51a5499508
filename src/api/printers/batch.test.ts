import { test } from 'node:test';
import assert from 'node:assert/strict';
import { printerFor } from './index.js';
import { NOW, ago, H, M, S } from './testing/time.js';

const job = printerFor('batch', 'Job');
const cronJob = printerFor('batch', 'CronJob');
const template = { spec: { restartPolicy: 'Never', containers: [{ name: 'pi', image: 'perl:5.34' }] } };

function makeJob(spec: any, status: any, metadata: any = {}) {
  return {
    metadata: { name: 'pi', namespace: 'default', creationTimestamp: ago(10 * M), ...metadata },
    spec: { selector: { matchLabels: { 'batch.kubernetes.io/controller-uid': 'c0ffee' } }, template, ...spec },
    status,
  };
}

void test('Job columns', () => {
  assert.deepEqual(
    job.columns.map((c) => `${c.name}:${c.priority}`),
    ['Name:0', 'Status:0', 'Completions:0', 'Duration:0', 'Age:0', 'Containers:1', 'Images:1', 'Selector:1'],
  );
});

void test('completed job: Complete, n/m, start→completion duration', () => {
  const j = makeJob(
    { completions: 1, parallelism: 1 },
    {
      startTime: ago(10 * M),
      completionTime: ago(10 * M - 37 * S),
      succeeded: 1,
      conditions: [
        { type: 'SuccessCriteriaMet', status: 'True' },
        { type: 'Complete', status: 'True' },
      ],
    },
  );
  assert.deepEqual(job.cells(j, NOW), ['pi', 'Complete', '1/1', '37s', '10m', 'pi', 'perl:5.34', 'batch.kubernetes.io/controller-uid=c0ffee']);
});

void test('running job: duration runs to now; parallel jobs without completions', () => {
  const running = makeJob({ completions: 5, parallelism: 2 }, { startTime: ago(3 * M + 20 * S), active: 2, succeeded: 2 });
  assert.deepEqual(job.cells(running, NOW).slice(1, 4), ['Running', '2/5', '3m20s']);

  const workQueue = makeJob({ parallelism: 4 }, { startTime: ago(2 * H), active: 4 });
  assert.deepEqual(job.cells(workQueue, NOW).slice(1, 4), ['Running', '0/1 of 4', '120m']);

  const notStarted = makeJob({ parallelism: 1 }, {});
  assert.deepEqual(job.cells(notStarted, NOW).slice(1, 4), ['Running', '0/1', '']);
});

void test('Failed, Terminating, Suspended, FailureTarget', () => {
  const failed = makeJob(
    { completions: 1, backoffLimit: 6 },
    {
      startTime: ago(9 * M),
      failed: 7,
      conditions: [
        { type: 'FailureTarget', status: 'True', reason: 'BackoffLimitExceeded' },
        { type: 'Failed', status: 'True', reason: 'BackoffLimitExceeded' },
      ],
    },
  );
  assert.deepEqual(job.cells(failed, NOW).slice(1, 4), ['Failed', '0/1', '9m']);

  const terminating = makeJob({ completions: 1 }, { startTime: ago(M), active: 1 }, { deletionTimestamp: ago(5 * S) });
  assert.equal(job.cells(terminating, NOW)[1], 'Terminating');

  const suspended = makeJob({ completions: 3, suspend: true }, { conditions: [{ type: 'Suspended', status: 'True', reason: 'JobSuspended' }] });
  assert.deepEqual(job.cells(suspended, NOW).slice(1, 4), ['Suspended', '0/3', '']);

  const target = makeJob({ completions: 1 }, { startTime: ago(M), conditions: [{ type: 'FailureTarget', status: 'True' }] });
  assert.equal(job.cells(target, NOW)[1], 'FailureTarget');

  const resumed = makeJob({ completions: 1 }, { startTime: ago(M), conditions: [{ type: 'Suspended', status: 'False' }] });
  assert.equal(job.cells(resumed, NOW)[1], 'Running');
});

void test('CronJob with and without a time zone', () => {
  assert.deepEqual(
    cronJob.columns.map((c) => `${c.name}:${c.type}:${c.priority}`),
    [
      'Name:string:0', 'Schedule:string:0', 'Timezone:string:0', 'Suspend:boolean:0', 'Active:integer:0',
      'Last Schedule:string:0', 'Age:string:0', 'Containers:string:1', 'Images:string:1', 'Selector:string:1',
    ],
  );
  const cj = {
    metadata: { name: 'backup', namespace: 'ops', creationTimestamp: ago(3 * H) },
    spec: {
      schedule: '*/15 * * * *',
      timeZone: 'Europe/Berlin',
      suspend: false,
      jobTemplate: { spec: { template: { spec: { containers: [{ name: 'backup', image: 'restic/restic:0.17' }] } } } },
    },
    status: { active: [{ kind: 'Job', name: 'backup-29012345' }], lastScheduleTime: ago(4 * M) },
  };
  assert.deepEqual(cronJob.cells(cj, NOW), [
    'backup', '*/15 * * * *', 'Europe/Berlin', 'False', 1, '4m', '3h', 'backup', 'restic/restic:0.17', '<none>',
  ]);

  const never = { ...cj, spec: { ...cj.spec, timeZone: undefined, suspend: true }, status: {} };
  assert.deepEqual(cronJob.cells(never, NOW).slice(2, 6), ['<none>', 'True', 0, '<none>']);
});
