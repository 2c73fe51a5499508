import { test } from 'node:test';
import assert from 'node:assert/strict';
import { FakeClock } from '../../util/clock.js';
import { configureLogging } from '../../util/log.js';
import { RateLimitingQueue } from './ratelimiting.js';
import { ItemExponentialRateLimiter } from './ratelimiter.js';
import { runWorkers } from './workers.js';

configureLogging({ quiet: true });
const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

test('never two workers on one key, every add after a get is processed, under concurrency', async () => {
  const q = new RateLimitingQueue<string>({ name: 'invariants' });
  const active = new Set<string>();
  const processed = new Map<string, number>();
  let violations = 0;
  let maxConcurrent = 0;
  const keys = Array.from({ length: 20 }, (_, i) => `ns/k${i}`);
  const lastAdd = new Map<string, number>();
  const lastStart = new Map<string, number>();
  let seq = 0;
  const workers = runWorkers(q, 8, async (key) => {
    if (active.has(key)) violations++;
    active.add(key);
    lastStart.set(key, ++seq);
    maxConcurrent = Math.max(maxConcurrent, active.size);
    await sleep(Math.random() * 3);
    processed.set(key, (processed.get(key) ?? 0) + 1);
    active.delete(key);
  });
  for (let round = 0; round < 200; round++) {
    const k = keys[Math.floor(Math.random() * keys.length)]!;
    lastAdd.set(k, ++seq);
    q.add(k);
    if (round % 10 === 0) await sleep(1);
  }
  // Wait until idle, then drain.
  while (q.len() > 0 || active.size > 0) await sleep(5);
  await q.shutDownWithDrain();
  await workers;
  assert.equal(violations, 0, 'a key was handed to two workers at once');
  assert.ok(maxConcurrent > 1, 'workers ran in parallel');
  // Level-triggered guarantee: every key's last add was followed by a sync that started after it.
  for (const [k, addedAt] of lastAdd) assert.ok((lastStart.get(k) ?? 0) > addedAt, `${k} was synced after its last add`);
});

test('a failing sync is retried with backoff and forgotten after success; thrown errors do not kill workers', async () => {
  const clock = new FakeClock();
  const q = new RateLimitingQueue<string>({ clock, rateLimiter: new ItemExponentialRateLimiter(100, 10_000) });
  let calls = 0;
  const workers = runWorkers(q, 1, (key) => {
    calls++;
    if (key === 'bad' && calls < 3) throw new Error('boom');
  });
  q.add('bad');
  await sleep(5);
  assert.equal(calls, 1);
  assert.equal(q.numRequeues('bad'), 1);
  clock.advance(100);
  await sleep(5);
  assert.equal(calls, 2);
  assert.equal(q.numRequeues('bad'), 2);
  clock.advance(199);
  await sleep(5);
  assert.equal(calls, 2, 'second retry waits 200 ms');
  clock.advance(1);
  await sleep(5);
  assert.equal(calls, 3);
  assert.equal(q.numRequeues('bad'), 0, 'forgotten after success');
  q.add('good');
  await sleep(5);
  assert.equal(calls, 4);
  q.shutDown();
  await workers;
});

test('maxRetries drops an item', async () => {
  const clock = new FakeClock();
  const q = new RateLimitingQueue<string>({ clock, rateLimiter: new ItemExponentialRateLimiter(1, 1) });
  let calls = 0;
  const workers = runWorkers(q, 2, () => {
    calls++;
    throw new Error('always');
  }, { maxRetries: 2 });
  q.add('x');
  for (let i = 0; i < 5; i++) {
    await sleep(2);
    clock.advance(1);
  }
  assert.equal(calls, 3);
  assert.equal(q.numRequeues('x'), 0);
  q.shutDown();
  await workers;
});
