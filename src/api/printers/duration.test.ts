import { test } from 'node:test';
import assert from 'node:assert/strict';
import { age, humanDuration } from './index.js';
import { NOW, ago, S, M, H, D } from './testing/time.js';

const Y = 365 * D;

void test('humanDuration matches upstream at every boundary', () => {
  const cases: Array<[number, string]> = [
    [-2 * S, '<invalid>'],
    [-1999, '0s'], // Go truncates toward zero: -1.999s is "-1", tolerated skew
    [-1 * S, '0s'],
    [-500, '0s'],
    [0, '0s'],
    [999, '0s'],
    [59 * S, '59s'],
    [119 * S, '119s'],
    [2 * M, '2m'],
    [2 * M + 5 * S, '2m5s'],
    [9 * M + 59 * S, '9m59s'],
    [10 * M, '10m'],
    [10 * M + 30 * S, '10m'],
    [179 * M + 59 * S, '179m'],
    [3 * H, '3h'],
    [3 * H + 4 * M, '3h4m'],
    [7 * H + 59 * M, '7h59m'],
    [8 * H, '8h'],
    [47 * H + 59 * M, '47h'],
    [48 * H, '2d'],
    [5 * D, '5d'],
    [5 * D + 3 * H, '5d3h'],
    [7 * D + 23 * H, '7d23h'],
    [8 * D, '8d'],
    [8 * D + 5 * H, '8d'],
    [729 * D, '729d'],
    [2 * Y, '2y'],
    [2 * Y + 3 * D, '2y3d'],
    [7 * Y + 364 * D, '7y364d'],
    [8 * Y, '8y'],
    [8 * Y + 100 * D, '8y'],
    [20 * Y, '20y'],
  ];
  for (const [ms, want] of cases) assert.equal(humanDuration(ms), want, `humanDuration(${ms})`);
});

void test('age renders from an RFC3339 timestamp relative to now', () => {
  assert.equal(age(ago(5 * M), NOW), '5m');
  assert.equal(age('2025-03-01T11:59:30.123456Z', NOW), '29s'); // MicroTime precision
  assert.equal(age(undefined, NOW), '<unknown>');
  assert.equal(age('', NOW), '<unknown>');
  assert.equal(age('not-a-time', NOW), '<unknown>');
  assert.equal(age(new Date(NOW + 10 * S).toISOString(), NOW), '<invalid>');
});
