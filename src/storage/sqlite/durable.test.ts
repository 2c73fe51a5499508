import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Coalescer, FileSyncer } from './durable.js';

test('Coalescer: one op at a time; callers during a run share exactly one following run', async () => {
  let started = 0;
  let active = 0;
  const releases: (() => void)[] = [];
  const c = new Coalescer(() => {
    started++;
    active++;
    assert.equal(active, 1, 'never two ops at once');
    return new Promise<void>((r) => releases.push(() => { active--; r(); }));
  });
  const a = c.run();
  const b = c.run();
  const d = c.run();
  assert.equal(started, 1);
  assert.notEqual(a, b);
  assert.equal(b, d, 'callers waiting behind a running op share the next one');
  releases.shift()!();
  await a;
  await new Promise((r) => setImmediate(r));
  assert.equal(started, 2, 'the waiting callers got a run that began after their call');
  releases.shift()!();
  await b;
  const e = c.run();
  assert.equal(started, 3, 'idle: a new call starts at once');
  releases.shift()!();
  await e;
});

test('Coalescer: a failed run rejects its callers and does not block the next', async () => {
  let n = 0;
  const c = new Coalescer(async () => {
    if (n++ === 0) throw new Error('disk on fire');
  });
  await assert.rejects(c.run(), /disk on fire/);
  await c.run();
  assert.equal(n, 2);
});

test('FileSyncer: fdatasyncs an existing file; a missing file rejects and is retried later', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'skiff-durable-'));
  try {
    const f = join(dir, 'x-wal');
    const s = new FileSyncer(f);
    await assert.rejects(s.sync(), /ENOENT/);
    writeFileSync(f, 'frames');
    await s.sync();
    await s.close();
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
