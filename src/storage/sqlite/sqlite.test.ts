// sqlite:// beyond the conformance suite: durability under kill -9, refusal of damaged files,
// automatic compaction that shrinks the file, and writes by a second process reaching watchers.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync, existsSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import Database from 'better-sqlite3';
import { CorruptError } from '../errors.js';
import { openSqlite } from './sqlite.js';
import { waitFor } from '../../util/wait.js';
import type { WatchEvent } from '../backend.js';

const dir = mkdtempSync(join(tmpdir(), 'skiff-sqlite-'));
after(() => rmSync(dir, { recursive: true, force: true }));
const writer = fileURLToPath(new URL('./testing/writer.ts', import.meta.url));

function startWriter(path: string, args: string[] = []) {
  const child = spawn(process.execPath, ['--import', 'tsx', writer, path, ...args], { stdio: ['ignore', 'pipe', 'inherit'] });
  const acked: { rev: number; key: string }[] = [];
  let partial = '';
  child.stdout.setEncoding('utf8');
  child.stdout.on('data', (chunk: string) => {
    const lines = (partial + chunk).split('\n');
    partial = lines.pop()!;
    for (const l of lines) {
      const [rev, key] = l.split(' ');
      acked.push({ rev: Number(rev), key: key! });
    }
  });
  const exited = new Promise<void>((resolve) => child.on('close', () => resolve()));
  return { child, acked, exited };
}

void test('every acknowledged write survives kill -9', async () => {
  const path = join(dir, 'crash', 'state.db');
  const w = startWriter(path);
  await waitFor(() => w.acked.length >= 400, { timeoutMs: 30_000, what: '400 acknowledged writes' });
  w.child.kill('SIGKILL');
  await w.exited;
  assert.ok(w.acked.length >= 400);
  const store = openSqlite(path, { compaction: false });
  try {
    for (const a of w.acked) {
      const got = await store.get(a.key);
      assert.equal(got.kv?.modRevision, a.rev, `acknowledged ${a.key}@${a.rev} is missing after the crash`);
    }
    const head = await store.currentRevision();
    assert.ok(head >= Math.max(...w.acked.map((a) => a.rev)));
    // Revisions stay contiguous after recovery: the next write is head + 1.
    assert.equal((await store.create('/after/crash', Buffer.from('x'))).revision, head + 1);
  } finally {
    await store.close();
  }
});

void test('a damaged or foreign file is refused with its path and left untouched', async () => {
  const cases: [string, Buffer | (() => void)][] = [
    ['garbage.db', Buffer.from('this is not a database at all, just text\n'.repeat(200))],
    ['truncated.db', Buffer.concat([Buffer.from('SQLite format 3\0'), Buffer.alloc(5000, 0xab)])],
  ];
  for (const [name, content] of cases) {
    const path = join(dir, name);
    writeFileSync(path, content as Buffer);
    assert.throws(() => openSqlite(path), (err: unknown) => err instanceof CorruptError && err.message.includes(path), name);
    assert.deepEqual(readFileSync(path), content, `${name} was modified`);
    assert.ok(!existsSync(path + '-wal'), `${name} got a WAL`);
  }
  const foreign = join(dir, 'foreign.db');
  const other = new Database(foreign);
  other.exec('CREATE TABLE users (id INTEGER PRIMARY KEY, name TEXT); INSERT INTO users VALUES (1, \'ann\')');
  other.close();
  const before = readFileSync(foreign);
  assert.throws(() => openSqlite(foreign), (err: unknown) => err instanceof CorruptError && /not a Skiff store/.test(err.message));
  assert.deepEqual(readFileSync(foreign), before);
  // A page corrupted inside a real store fails the integrity check.
  const damaged = join(dir, 'damaged', 'state.db');
  const s = openSqlite(damaged, { compaction: false });
  for (let i = 0; i < 200; i++) await s.create(`/k/${i}`, Buffer.alloc(1000, i));
  await s.close();
  const bytes = readFileSync(damaged);
  bytes.fill(0x5a, 4096 * 3, 4096 * 6);
  writeFileSync(damaged, bytes);
  assert.throws(() => openSqlite(damaged), (err: unknown) => err instanceof CorruptError && err.message.includes(damaged));
});

void test('the parent directory is created when missing', async () => {
  const path = join(dir, 'a', 'b', 'c', 'state.db');
  const s = openSqlite(path, { compaction: false });
  await s.create('/x', Buffer.from('1'));
  await s.close();
  assert.ok(statSync(path).isFile());
});

void test('automatic compaction bounds history and shrinks the file', async () => {
  const path = join(dir, 'churn', 'state.db');
  mkdirSync(join(dir, 'churn'));
  const s = openSqlite(path, { compaction: { keepRevisions: 100, intervalMs: 100 } });
  try {
    const keys = 200;
    const value = Buffer.alloc(1024, 'c');
    const revs = await Promise.all(Array.from({ length: keys }, (_, i) => s.create(`/churn/${i}`, value).then((r) => r.revision)));
    for (let round = 0; round < 40; round++) {
      await Promise.all(revs.map(async (rev, i) => {
        revs[i] = (await s.update(`/churn/${i}`, value, rev)).revision;
      }));
    }
    const head = await s.currentRevision();
    await waitFor(async () => (await s.compactRevision()) >= head - 100, { timeoutMs: 10_000, what: 'automatic compaction' });
    await assert.rejects(s.get('/churn/0', { revision: head - 200 }), { code: 'Compacted' });
    assert.equal((await s.list('/churn/')).kvs.length, keys);
    const live = keys * (1024 + 10);
    const size = () => statSync(path).size + (existsSync(path + '-wal') ? statSync(path + '-wal').size : 0);
    await waitFor(() => size() <= 3 * live, { timeoutMs: 10_000, what: `file (${size()} bytes) <= 3x live data (${live})` });
  } finally {
    await s.close();
  }
});

void test('writes by a second process reach watchers through the poll loop', async () => {
  const path = join(dir, 'shared', 'state.db');
  const s = openSqlite(path, { compaction: false, pollIntervalMs: 50 });
  try {
    const from = (await s.create('/mine/0', Buffer.from('x'))).revision;
    const ac = new AbortController();
    const seen: WatchEvent[] = [];
    const watching = (async () => {
      for await (const batch of s.watch('/', from, ac.signal)) seen.push(...batch);
    })();
    const w = startWriter(path, ['50', '/theirs/']);
    // Interleave our own writes: the feed must still be in revision order without gaps.
    for (let i = 1; i <= 10; i++) await s.create(`/mine/${i}`, Buffer.from('x'));
    await w.exited;
    await waitFor(() => seen.length >= 60, { timeoutMs: 10_000, what: '60 events' });
    ac.abort();
    await watching;
    assert.deepEqual(seen.map((e) => e.kv.modRevision), Array.from({ length: 60 }, (_, i) => from + 1 + i));
    assert.equal(seen.filter((e) => e.kv.key.startsWith('/theirs/')).length, 50);
  } finally {
    await s.close();
  }
});
