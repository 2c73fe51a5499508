import { test } from 'node:test';
import assert from 'node:assert/strict';
import { FakeClock } from '../../util/clock.js';
import { Queue } from './queue.js';
import { DelayingQueue } from './delaying.js';
import { RateLimitingQueue } from './ratelimiting.js';
import { ItemExponentialRateLimiter, defaultControllerRateLimiter } from './ratelimiter.js';

const tick = () => new Promise<void>((r) => setImmediate(r));

test('duplicates collapse; FIFO order', async () => {
  const q = new Queue();
  for (const k of ['a', 'b', 'a', 'c', 'b']) q.add(k);
  assert.equal(q.len(), 3);
  assert.deepEqual([await q.get(), await q.get(), await q.get()], ['a', 'b', 'c']);
});

test('an item added while processing is re-queued only at done()', async () => {
  const q = new Queue();
  q.add('a');
  const a = await q.get();
  q.add('a');
  q.add('a');
  assert.equal(q.len(), 0, 'not handed to a second worker while processing');
  q.done(a!);
  assert.equal(q.len(), 1);
  assert.equal(await q.get(), 'a');
  q.done('a');
  assert.equal(q.len(), 0);
});

test('get waits for an add; shutDown releases waiters after the queue empties', async () => {
  const q = new Queue();
  const first = q.get();
  q.add('x');
  assert.equal(await first, 'x');
  q.add('y');
  q.shutDown();
  q.add('ignored');
  assert.equal(await q.get(), 'y', 'queued items are still handed out after shutDown');
  assert.equal(await q.get(), undefined);
});

test('shutDownWithDrain waits for items in processing', async () => {
  const q = new Queue();
  q.add('a');
  const item = await q.get();
  let drained = false;
  const p = q.shutDownWithDrain().then(() => (drained = true));
  await tick();
  assert.equal(drained, false);
  q.done(item!);
  await p;
  assert.equal(drained, true);
});

test('addAfter: fires on the clock and keeps the earlier ready time', async () => {
  const clock = new FakeClock();
  const q = new DelayingQueue(clock);
  q.addAfter('a', 1000);
  q.addAfter('a', 500);
  q.addAfter('a', 2000);
  q.addAfter('b', 0);
  assert.equal(q.len(), 1);
  assert.equal(q.waitingLen(), 1);
  clock.advance(499);
  assert.equal(q.len(), 1);
  clock.advance(1);
  assert.equal(q.len(), 2);
  assert.equal(q.waitingLen(), 0);
  clock.advance(5000);
  assert.equal(q.len(), 2, 'the later timers were cancelled');
});

test('exponential per-item backoff: 5 ms doubling, capped at 1000 s', () => {
  const l = new ItemExponentialRateLimiter();
  const delays = Array.from({ length: 5 }, () => l.when('a'));
  assert.deepEqual(delays, [5, 10, 20, 40, 80]);
  assert.equal(l.numRequeues('a'), 5);
  for (let i = 0; i < 30; i++) l.when('a');
  assert.equal(l.when('a'), 1_000_000);
  assert.equal(l.when('b'), 5, 'items back off independently');
  l.forget('a');
  assert.equal(l.numRequeues('a'), 0);
  assert.equal(l.when('a'), 5);
});

test('default controller limiter: the overall bucket takes over after 100 fast failures', () => {
  const clock = new FakeClock();
  const l = defaultControllerRateLimiter(clock);
  for (let i = 0; i < 100; i++) assert.equal(l.when(`k${i}`), 5);
  assert.equal(Math.round(l.when('k100')), 100, 'the 101st token comes 1/10 s later');
});

test('addRateLimited honours backoff; forget resets it', async () => {
  const clock = new FakeClock();
  const q = new RateLimitingQueue({ clock, rateLimiter: new ItemExponentialRateLimiter(10, 1000) });
  q.addRateLimited('a');
  q.addRateLimited('a');
  assert.equal(q.numRequeues('a'), 2);
  clock.advance(9);
  assert.equal(q.len(), 0);
  clock.advance(1);
  assert.equal(q.len(), 1, 'the earlier of the two ready times wins');
  q.forget('a');
  assert.equal(q.numRequeues('a'), 0);
  q.shutDown();
  q.addRateLimited('b');
  assert.equal(q.waitingLen(), 0, 'nothing is scheduled after shutDown');
});
