import { test } from 'node:test';
import assert from 'node:assert/strict';
import { concurrencyLimit } from './limit.js';

test('concurrencyLimit runs at most size calls at once, in arrival order', async () => {
  const limit = concurrencyLimit(2);
  let active = 0, peak = 0;
  const order: number[] = [];
  const gates: (() => void)[] = [];
  const calls = [0, 1, 2, 3, 4].map((i) => limit(async () => {
    active++;
    peak = Math.max(peak, active);
    order.push(i);
    await new Promise<void>((r) => gates.push(r));
    active--;
    return i;
  }));
  for (let released = 0; released < 5; released++) {
    while (gates.length === 0) await new Promise((r) => setImmediate(r));
    gates.shift()!();
  }
  assert.deepEqual(await Promise.all(calls), [0, 1, 2, 3, 4]);
  assert.equal(peak, 2);
  assert.deepEqual(order, [0, 1, 2, 3, 4]);
});

test('concurrencyLimit frees the slot when a call fails', async () => {
  const limit = concurrencyLimit(1);
  await assert.rejects(limit(() => Promise.reject(new Error('boom'))), /boom/);
  assert.equal(await limit(() => Promise.resolve(7)), 7);
  assert.throws(() => concurrencyLimit(0), RangeError);
});
