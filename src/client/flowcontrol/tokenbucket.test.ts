import { test } from 'node:test';
import assert from 'node:assert/strict';
import { FakeClock } from '../../util/clock.js';
import { TokenBucket } from './tokenbucket.js';

test('burst tokens are free, then one every 1/qps seconds', () => {
  const clock = new FakeClock();
  const b = new TokenBucket(5, 10, clock);
  for (let i = 0; i < 10; i++) assert.equal(b.tryAccept(), true, `token ${i}`);
  assert.equal(b.tryAccept(), false);
  clock.advance(199);
  assert.equal(b.tryAccept(), false);
  clock.advance(1);
  assert.equal(b.tryAccept(), true);
});

test('reservations queue up at qps', () => {
  const clock = new FakeClock();
  const b = new TokenBucket(10, 2, clock);
  assert.deepEqual([b.reserve(), b.reserve(), b.reserve(), b.reserve()].map(Math.round), [0, 0, 100, 200]);
});

test('wait resolves after the reserved delay and gives the token back when aborted', async () => {
  const clock = new FakeClock();
  const b = new TokenBucket(1, 1, clock);
  await b.wait();
  let done = false;
  const p = b.wait().then(() => (done = true));
  clock.advance(999);
  await Promise.resolve();
  assert.equal(done, false);
  clock.advance(1);
  await p;
  assert.equal(done, true);

  const ac = new AbortController();
  const aborted = b.wait(ac.signal);
  ac.abort(new Error('stop'));
  await assert.rejects(aborted, /stop/);
  clock.advance(1000);
  assert.equal(b.tryAccept(), true, 'the aborted reservation was returned');
});

test('rejects nonsense', () => {
  assert.throws(() => new TokenBucket(0, 1), RangeError);
  assert.throws(() => new TokenBucket(1, 0), RangeError);
});
