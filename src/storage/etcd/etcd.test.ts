// etcd:// beyond the conformance suite: watchers share one etcd watch, and a member restart is
// survived by reads, writes and watches (resumed from the last delivered revision).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import type { Backend } from '../backend.js';
import { openBackend } from '../open.js';
import { collect, sleep } from '../conformance/helpers.js';
import { etcdSkipReason, startEtcd, type EtcdServer } from './testing/etcd-server.js';
import { waitFor } from '../../util/wait.js';

const skip = etcdSkipReason() ?? false;
let server: EtcdServer | undefined;
before(async () => {
  if (!skip) server = await startEtcd();
});
after(async () => server?.stop());

/** etcd's own count of watchers on its store (a Prometheus gauge). */
async function etcdWatchers(): Promise<number> {
  const text = await (await fetch(`http://${server!.endpoint}/metrics`)).text();
  const line = text.split('\n').find((l) => l.startsWith('etcd_debugging_mvcc_watcher_total '));
  return Number(line?.split(' ')[1]);
}

async function withBackend(fn: (b: Backend) => Promise<void>): Promise<void> {
  const b = await openBackend(server!.url);
  try {
    await fn(b);
  } finally {
    await b.close();
  }
}

void test('watchers of one prefix share a single etcd watch', { skip }, () => withBackend(async (b) => {
  const p = '/shared/';
  const base = await etcdWatchers();
  const start = await b.currentRevision();
  for (let i = 0; i < 5; i++) await b.create(`${p}${i}`, Buffer.from('x'));
  // Watchers from the past, the present and the middle all ride one upstream watch.
  const ws = Array.from({ length: 20 }, (_, i) => collect(b, p, start + (i % 3)));
  try {
    for (let i = 5; i < 10; i++) await b.create(`${p}${i}`, Buffer.from('x'));
    for (const [i, w] of ws.entries()) {
      const ev = await w.waitFor(10 - (i % 3));
      assert.deepEqual(ev.map((e) => e.kv.modRevision), Array.from({ length: 10 - (i % 3) }, (_, j) => start + 1 + (i % 3) + j));
    }
    assert.equal(await etcdWatchers(), base + 1);
  } finally {
    for (const w of ws) w.stop();
  }
  await waitFor(async () => (await etcdWatchers()) === base, { what: 'the etcd watch to be released' });
}));

void test('a member restart mid-watch: reads, writes and watches resume without gaps', { skip }, () => withBackend(async (b) => {
  const p = '/restart/';
  const start = await b.currentRevision();
  const w = collect(b, p, start);
  const w2 = collect(b, p, start);
  try {
    for (let i = 0; i < 20; i++) await b.create(`${p}a${i}`, Buffer.from(`${i}`));
    await w.waitFor(20);
    // kill -9 the member; a write issued while it is down waits (retries) until it is back.
    const restarting = server!.restart({ hard: true, downMs: 500 });
    await sleep(200);
    const during = b.create(`${p}during`, Buffer.from('x'));
    const read = b.get(`${p}a0`);
    await restarting;
    assert.equal((await during).revision, start + 21);
    assert.equal((await read).kv?.value.toString(), '0');
    for (let i = 0; i < 20; i++) await b.create(`${p}b${i}`, Buffer.from(`${i}`));
    for (const c of [w, w2]) {
      const ev = await c.waitFor(41, 20_000);
      await sleep(50);
      assert.deepEqual(ev.map((e) => e.kv.modRevision), Array.from({ length: 41 }, (_, i) => start + 1 + i));
    }
  } finally {
    w.stop();
    w2.stop();
  }
}));
