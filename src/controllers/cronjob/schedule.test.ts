// Cron parsing and next-activation tables (robfig/cron behaviour the cronjob controller relies on).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { nextAfter } from './next.js';
import { CronParseError, parseGoDuration, parseSchedule } from './schedule.js';
import { formatRfc3339In, loadZone } from './zone.js';

const at = (s: string) => Date.parse(s);
const iso = (ms: number | undefined) => (ms === undefined ? 'never' : new Date(ms).toISOString().replace('.000Z', 'Z'));

test('next activation (UTC)', () => {
  const table: [string, string, string][] = [
    ['*/1 * * * *', '2026-01-01T00:00:00Z', '2026-01-01T00:01:00Z'],
    ['* * * * *', '2026-01-01T00:00:30Z', '2026-01-01T00:01:00Z'],
    ['*/15 * * * *', '2026-01-01T00:16:00Z', '2026-01-01T00:30:00Z'],
    ['5 4 * * *', '2026-01-01T04:05:00Z', '2026-01-02T04:05:00Z'],
    ['0 0 1 1 *', '2026-06-01T00:00:00Z', '2027-01-01T00:00:00Z'],
    ['@yearly', '2026-06-01T00:00:00Z', '2027-01-01T00:00:00Z'],
    ['@annually', '2026-06-01T00:00:00Z', '2027-01-01T00:00:00Z'],
    ['@monthly', '2026-01-15T00:00:00Z', '2026-02-01T00:00:00Z'],
    ['@weekly', '2026-01-01T00:00:00Z', '2026-01-04T00:00:00Z'], // 2026-01-01 is a Thursday
    ['@daily', '2026-01-01T10:00:00Z', '2026-01-02T00:00:00Z'],
    ['@midnight', '2026-01-01T10:00:00Z', '2026-01-02T00:00:00Z'],
    ['@hourly', '2026-01-01T10:59:59Z', '2026-01-01T11:00:00Z'],
    ['0 9 * * MON-FRI', '2026-01-02T10:00:00Z', '2026-01-05T09:00:00Z'],
    ['0 9 * * mon,wed', '2026-01-05T10:00:00Z', '2026-01-07T09:00:00Z'],
    ['0 0 * JAN,jul *', '2026-02-01T00:00:00Z', '2026-07-01T00:00:00Z'],
    ['0 0 13 * FRI', '2026-01-01T00:00:00Z', '2026-01-02T00:00:00Z'], // dom OR dow when both restricted
    ['0 0 13 * *', '2026-01-01T00:00:00Z', '2026-01-13T00:00:00Z'],
    ['0 0 */10 * *', '2026-01-02T00:00:00Z', '2026-01-11T00:00:00Z'],
    ['0 0 ? * 0', '2026-01-01T00:00:00Z', '2026-01-04T00:00:00Z'],
    ['10-20/5 * * * *', '2026-01-01T00:12:00Z', '2026-01-01T00:15:00Z'],
    ['50/5 * * * *', '2026-01-01T00:56:00Z', '2026-01-01T01:50:00Z'],
    ['0 0 29 2 *', '2026-01-01T00:00:00Z', '2028-02-29T00:00:00Z'],
    ['0 0 30 2 *', '2026-01-01T00:00:00Z', 'never'],
    ['@every 90s', '2026-01-01T00:00:00Z', '2026-01-01T00:01:30Z'],
  ];
  for (const [spec, from, want] of table) assert.equal(iso(nextAfter(parseSchedule(spec), at(from))), want, `${spec} after ${from}`);
});

test('next activation across DST in America/New_York (skipped and repeated hours as robfig)', () => {
  const ny = loadZone('America/New_York');
  const table: [string, string, string][] = [
    ['0 9 * * *', '2026-01-01T00:00:00Z', '2026-01-01T14:00:00Z'], // 09:00 EST
    ['0 9 * * *', '2026-07-01T00:00:00Z', '2026-07-01T13:00:00Z'], // 09:00 EDT
    ['30 2 * * *', '2026-03-07T08:00:00Z', '2026-03-09T06:30:00Z'], // 02:30 does not exist on 8 March
    ['30 1 * * *', '2026-11-01T05:00:00Z', '2026-11-01T05:30:00Z'], // 01:30 EDT
    ['30 1 * * *', '2026-11-01T05:30:00Z', '2026-11-01T06:30:00Z'], // 01:30 EST, the repeated hour
    ['30 1 * * *', '2026-11-01T06:30:00Z', '2026-11-02T06:30:00Z'],
    ['0 0 * * *', '2026-03-07T06:00:00Z', '2026-03-08T05:00:00Z'], // midnight EST
    ['0 0 * * *', '2026-03-08T05:00:00Z', '2026-03-09T04:00:00Z'], // midnight EDT, 23 hours later
  ];
  for (const [spec, from, want] of table) assert.equal(iso(nextAfter(parseSchedule(spec), at(from), ny)), want, `${spec} after ${from}`);
  assert.equal(formatRfc3339In(at('2026-07-01T13:00:00Z'), ny), '2026-07-01T09:00:00-04:00');
  assert.equal(formatRfc3339In(at('2026-07-01T13:00:00Z'), loadZone('UTC')), '2026-07-01T13:00:00Z');
  // A TZ= prefix carries its own zone.
  assert.equal(iso(nextAfter(parseSchedule('TZ=Asia/Tokyo 0 9 * * *'), at('2026-01-01T00:00:00Z'))), '2026-01-02T00:00:00Z');
});

test('parse errors carry robfig messages', () => {
  const table: [string, RegExp][] = [
    ['', /empty spec string/],
    ['* * * *', /expected exactly 5 fields, found 4/],
    ['* * * * * *', /expected exactly 5 fields, found 6/],
    ['60 * * * *', /end of range \(60\) above maximum \(59\)/],
    ['* 24 * * *', /end of range \(24\) above maximum \(23\)/],
    ['* * 0 * *', /beginning of range \(0\) below minimum \(1\)/],
    ['* * * * 7', /end of range \(7\) above maximum \(6\)/],
    ['5-1 * * * *', /beginning of range \(5\) beyond end of range \(1\)/],
    ['1-2-3 * * * *', /too many hyphens/],
    ['*/2/3 * * * *', /too many slashes/],
    ['*/0 * * * *', /step of range should be a positive number/],
    ['x * * * *', /failed to parse int from x/],
    ['@fortnightly', /unrecognized descriptor: @fortnightly/],
    ['TZ=Mars/Base * * * * *', /provided bad location Mars\/Base/],
  ];
  for (const [spec, re] of table) assert.throws(() => parseSchedule(spec), (e: unknown) => e instanceof CronParseError && re.test(e.message), spec);
});

test('Go durations', () => {
  assert.equal(parseGoDuration('1h30m'), 5_400_000);
  assert.equal(parseGoDuration('1.5s'), 1500);
  assert.equal(parseGoDuration('5x'), undefined);
  assert.throws(() => loadZone('Not/AZone'), RangeError);
});
