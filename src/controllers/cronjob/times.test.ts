// Which scheduled time is due (upstream mostRecentScheduleTime), including irregular schedules.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseSchedule } from './schedule.js';
import { mostRecentScheduleTime, nextScheduleDelay } from './times.js';
import { UTC, loadZone } from './zone.js';

const at = Date.parse;
const iso = (ms: number | undefined) => (ms === undefined ? 'none' : new Date(ms).toISOString().replace('.000Z', 'Z'));
const cj = (created: string, last?: string, deadline?: number) => ({
  metadata: { creationTimestamp: created }, spec: deadline === undefined ? {} : { startingDeadlineSeconds: deadline },
  status: last ? { lastScheduleTime: last } : {},
});

test('most recent unmet schedule time and missed count', () => {
  const table: [string, ReturnType<typeof cj>, string, string, number][] = [
    ['*/5 * * * *', cj('2026-01-01T00:00:00Z'), '2026-01-01T00:04:00Z', 'none', 0],
    ['*/5 * * * *', cj('2026-01-01T00:00:00Z'), '2026-01-01T00:05:00Z', '2026-01-01T00:05:00Z', 1],
    ['*/5 * * * *', cj('2026-01-01T00:00:00Z'), '2026-01-01T00:17:00Z', '2026-01-01T00:15:00Z', 3],
    ['*/5 * * * *', cj('2026-01-01T00:00:00Z', '2026-01-01T00:15:00Z'), '2026-01-01T00:17:00Z', 'none', 0],
    // Irregular: 06:30, 10:30, 14:30 on weekdays (the 1st is a Thursday, the 5th a Monday). The missed
    // count is upstream's estimate from the first interval (4 h): 101.5 h / 4 h + 1 = 26.
    ['30 6-16/4 * * 1-5', cj('2026-01-01T00:00:00Z'), '2026-01-05T12:00:00Z', '2026-01-05T10:30:00Z', 26],
    // startingDeadlineSeconds narrows the window to recent times.
    ['*/5 * * * *', cj('2026-01-01T00:00:00Z', undefined, 120), '2026-01-01T00:17:00Z', 'none', 0],
  ];
  for (const [spec, c, now, want, missed] of table) {
    const r = mostRecentScheduleTime(c, at(now), parseSchedule(spec), UTC, true);
    assert.equal(iso(r.mostRecent), want, `${spec} at ${now}`);
    assert.equal(r.missed, missed, `${spec} at ${now} missed`);
  }
});

test('delay to the next schedule, in a time zone', () => {
  const berlin = loadZone('Europe/Berlin');
  assert.equal(nextScheduleDelay(cj('2026-01-01T00:00:00Z'), at('2026-01-01T07:00:00Z'), parseSchedule('0 9 * * *'), berlin), 3600_000 + 100);
  assert.equal(nextScheduleDelay(cj('2026-01-01T00:00:00Z'), at('2026-01-01T00:00:30Z'), parseSchedule('* * * * *'), UTC), 30_000 + 100);
});
