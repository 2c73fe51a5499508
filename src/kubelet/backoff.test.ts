import { test } from 'node:test';
import assert from 'node:assert/strict';
import { FakeClock } from '../util/clock.js';
import { CrashBackoff, goDuration } from './backoff.js';

test('crash-loop back-off doubles from 10 s to 5 min and resets after 10 min', () => {
  const clock = new FakeClock();
  const b = new CrashBackoff(clock);
  const seen: number[] = [];
  let exit = clock.now();
  assert.equal(b.inBackoffSince('k', exit), false);
  for (let i = 0; i < 7; i++) {
    b.next('k', exit);
    seen.push(b.get('k'));
    assert.equal(b.inBackoffSince('k', exit), true);
    clock.advance(b.get('k') - 1);
    assert.equal(b.inBackoffSince('k', exit), true);
    clock.advance(1);
    assert.equal(b.inBackoffSince('k', exit), false);
    exit = clock.now();
  }
  assert.deepEqual(seen, [10_000, 20_000, 40_000, 80_000, 160_000, 300_000, 300_000]);
  // Running for more than twice the maximum (10 min) starts over.
  clock.advance(600_001);
  b.next('k', clock.now());
  assert.equal(b.get('k'), 10_000);
});

test('durations print as Go does', () => {
  const cases: [number, string][] = [[10_000, '10s'], [80_000, '1m20s'], [300_000, '5m0s'], [160_000, '2m40s'], [500, '500ms'], [3_600_000, '1h0m0s']];
  for (const [ms, want] of cases) assert.equal(goDuration(ms), want);
});
