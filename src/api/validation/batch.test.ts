// Job, CronJob and cron schedule validation tables (upstream pkg/apis/batch/validation, robfig/cron/v3).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { check, podSpec, template } from './fixtures.js';
import { cronScheduleError } from './cron.js';

const job = (spec: Record<string, any> = {}) => ({
  spec: { selector: { matchLabels: { 'batch.kubernetes.io/controller-uid': 'u' } }, template: template({ 'batch.kubernetes.io/controller-uid': 'u' }, podSpec({ restartPolicy: 'Never' })), ...spec },
});

test('jobs: restartPolicy, selector, counts', () => {
  assert.deepEqual(check('batch', 'Job', job()), []);
  assert.deepEqual(check('batch', 'Job', job({ template: template({ 'batch.kubernetes.io/controller-uid': 'u' }) })), ['spec.template.spec.restartPolicy: Required value: valid values: "OnFailure", "Never"']);
  assert.deepEqual(check('batch', 'Job', job({ selector: undefined })), ['spec.selector: Required value']);
  assert.deepEqual(check('batch', 'Job', job({ backoffLimit: -1, parallelism: -2 })), [
    'spec.parallelism: Invalid value: -2: must be greater than or equal to 0',
    'spec.backoffLimit: Invalid value: -1: must be greater than or equal to 0',
  ]);
  assert.deepEqual(check('batch', 'Job', job({ completionMode: 'Indexed', completions: undefined, parallelism: 2 })), ['spec.completions: Required value: when completion mode is Indexed']);
  assert.deepEqual(check('batch', 'Job', job({ selector: { matchLabels: { other: 'x' } } })), ['spec.template.metadata.labels: Invalid value: {"batch.kubernetes.io/controller-uid":"u"}: `selector` does not match template `labels`']);
});

test('job updates: template, selector and completions are immutable; parallelism is not', () => {
  assert.deepEqual(check('batch', 'Job', job({ parallelism: 4, completions: 1 }), job()), []);
  const changed = job({ template: template({ 'batch.kubernetes.io/controller-uid': 'u' }, podSpec({ restartPolicy: 'OnFailure' })) });
  const lines = check('batch', 'Job', changed, job());
  assert.equal(lines.length, 1);
  assert.match(lines[0]!, /^spec\.template: Invalid value: \{.*\}: field is immutable$/);
  assert.deepEqual(check('batch', 'Job', job({ completions: 3 }), job()), ['spec.completions: Invalid value: 3: field is immutable']);
});

test('cronjobs: schedule, policies, generated selectors', () => {
  const cj = (spec: Record<string, any>) => ({ spec: { schedule: '*/5 * * * *', jobTemplate: { spec: { template: template({}, podSpec({ restartPolicy: 'OnFailure' })) } }, ...spec } });
  assert.deepEqual(check('batch', 'CronJob', cj({})), []);
  assert.deepEqual(check('batch', 'CronJob', cj({ schedule: '' })), ['spec.schedule: Required value']);
  assert.deepEqual(check('batch', 'CronJob', cj({ schedule: 'every minute' })), ['spec.schedule: Invalid value: "every minute": expected exactly 5 fields, found 2: [every minute]']);
  assert.deepEqual(check('batch', 'CronJob', cj({ schedule: 'TZ=UTC 0 * * * *' })), ['spec.schedule: Invalid value: "TZ=UTC 0 * * * *": cannot use TZ or CRON_TZ in schedule, use timeZone field instead']);
  assert.deepEqual(check('batch', 'CronJob', cj({ concurrencyPolicy: 'Sometimes' })), ['spec.concurrencyPolicy: Unsupported value: "Sometimes": supported values: "Allow", "Forbid", "Replace"']);
  assert.deepEqual(check('batch', 'CronJob', cj({ jobTemplate: { spec: { selector: { matchLabels: { a: 'b' } }, template: template({ a: 'b' }, podSpec({ restartPolicy: 'Never' })) } } })), [
    'spec.jobTemplate.spec.selector: Invalid value: {"matchLabels":{"a":"b"}}: `selector` will be auto-generated',
  ]);
  assert.deepEqual(check('batch', 'CronJob', cj({ timeZone: 'Mars/Olympus' })), ['spec.timeZone: Invalid value: "Mars/Olympus": unknown time zone Mars/Olympus']);
});

test('cron schedules as robfig/cron/v3 ParseStandard reports them', () => {
  const table: [string, string | undefined][] = [
    ['* * * * *', undefined], ['0 0 1 jan sun', undefined], ['*/15 9-17 * * MON-FRI', undefined], ['@hourly', undefined], ['@every 1h30m', undefined],
    ['0 0 ? * *', undefined],
    ['', 'empty spec string'],
    ['* * * *', 'expected exactly 5 fields, found 4: [* * * *]'],
    ['60 * * * *', 'end of range (60) above maximum (59): 60'],
    ['* * 0 * *', 'beginning of range (0) below minimum (1): 0'],
    ['5-2 * * * *', 'beginning of range (5) beyond end of range (2): 5-2'],
    ['x * * * *', 'failed to parse int from x: strconv.Atoi: parsing "x": invalid syntax'],
    ['1-2-3 * * * *', 'too many hyphens: 1-2-3'],
    ['*/0 * * * *', 'step of range should be a positive number: */0'],
    ['@fortnightly', 'unrecognized descriptor: @fortnightly'],
  ];
  for (const [s, want] of table) assert.equal(cronScheduleError(s), want, s);
});
