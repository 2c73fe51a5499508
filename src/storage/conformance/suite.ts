// One conformance suite for every Backend (shared/DESIGN.md §3): etcd's semantics, checked the
// same way against memory, SQLite and a real etcd. Tests use their own key space and relative
// revisions, so a factory may hand out one shared store (etcd) instead of a fresh one per test.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Backend } from '../backend.js';
import { MAX_VALUE_BYTES } from '../backend.js';
import { ClosedError, CompactedError, ConflictError, InvalidKeyError, KeyExistsError, NotFoundError, ValueTooLargeError } from '../errors.js';
import { buf, collect, sleep, space } from './helpers.js';

export interface SuiteOptions {
  /** Skip every case with this reason (e.g. etcd is not installed). */
  skip?: string;
}

/** Registers the conformance cases; open() returns a ready backend the case closes when done. */
export function conformance(name: string, open: () => Promise<Backend>, opts: SuiteOptions = {}): void {
  const it = (title: string, fn: (b: Backend) => Promise<void>): void => {
    // node:test queues the case; the returned promise only reports its outcome.
    void test(`${name}: ${title}`, { skip: opts.skip ?? false }, async () => {
      const b = await open();
      try {
        await fn(b);
      } finally {
        await b.close();
      }
    });
  };

  it('every write advances the revision by exactly one', async (b) => {
    const p = space();
    const r0 = await b.currentRevision();
    const c = await b.create(p + 'a', buf('1'));
    assert.equal(c.revision, r0 + 1);
    assert.deepEqual([c.kv.createRevision, c.kv.modRevision], [r0 + 1, r0 + 1]);
    const u = await b.update(p + 'a', buf('2'), c.kv.modRevision);
    assert.equal(u.revision, r0 + 2);
    assert.equal(u.kv.createRevision, r0 + 1);
    assert.equal(u.prevKv.value.toString(), '1');
    const d = await b.delete(p + 'a');
    assert.equal(d.revision, r0 + 3);
    assert.equal(d.prevKv.value.toString(), '2');
    assert.equal(await b.currentRevision(), r0 + 3);
    const again = await b.create(p + 'a', buf('3'));
    assert.equal(again.kv.createRevision, r0 + 4, 'a re-created key starts a new life');
  });

  it('get reads the current and any past revision', async (b) => {
    const p = space();
    const c = await b.create(p + 'k', buf('v1'));
    const u = await b.update(p + 'k', buf('v2'), c.revision);
    const d = await b.delete(p + 'k', u.revision);
    assert.equal((await b.get(p + 'k')).kv, undefined);
    assert.equal((await b.get(p + 'k')).revision, d.revision);
    assert.equal((await b.get(p + 'k', { revision: c.revision })).kv?.value.toString(), 'v1');
    const atU = await b.get(p + 'k', { revision: u.revision });
    assert.equal(atU.revision, u.revision);
    assert.deepEqual(atU.kv, { key: p + 'k', value: buf('v2'), createRevision: c.revision, modRevision: u.revision });
    assert.equal((await b.get(p + 'k', { revision: c.revision - 1 })).kv, undefined);
    assert.equal((await b.get(p + 'missing')).kv, undefined);
  });

  it('list pages by prefix with limit and continue, consistent at one revision', async (b) => {
    const p = space();
    for (let i = 0; i < 10; i++) await b.create(`${p}item/${String(i).padStart(2, '0')}`, buf(`v${i}`));
    await b.create(`${p}itemz`, buf('not under item/'));
    await b.create(`${p}ite`, buf('not under item/'));
    const first = await b.list(p + 'item/', { limit: 4 });
    assert.equal(first.kvs.length, 4);
    assert.equal(first.more, true);
    // Writes after the first page must not show in later pages read at the same revision.
    await b.delete(`${p}item/05`);
    await b.create(`${p}item/05a`, buf('new'));
    await b.update(`${p}item/09`, buf('changed'), (await b.get(`${p}item/09`)).kv!.modRevision);
    const keys = first.kvs.map((kv) => kv.key);
    let cont = keys[keys.length - 1];
    let more = true;
    const values: string[] = first.kvs.map((kv) => kv.value.toString());
    while (more) {
      const page = await b.list(p + 'item/', { limit: 4, continue: cont, revision: first.revision });
      assert.equal(page.revision, first.revision);
      keys.push(...page.kvs.map((kv) => kv.key));
      values.push(...page.kvs.map((kv) => kv.value.toString()));
      cont = page.kvs[page.kvs.length - 1]?.key;
      more = page.more;
    }
    assert.deepEqual(keys, Array.from({ length: 10 }, (_, i) => `${p}item/${String(i).padStart(2, '0')}`));
    assert.equal(values[9], 'v9');
    const now = await b.list(p + 'item/');
    assert.equal(now.more, false);
    assert.equal(now.kvs.length, 10);
    assert.ok(now.kvs.some((kv) => kv.key.endsWith('05a')) && !now.kvs.some((kv) => kv.key.endsWith('/05')));
    assert.deepEqual(await b.count(p + 'item/'), { revision: now.revision, count: 10 });
    assert.equal((await b.count(p)).count, 12);
  });

  it('list returns more than one gRPC message worth (4 MiB) of values', async (b) => {
    const p = space();
    const big = Buffer.alloc(1024 * 1024, 'x');
    for (let i = 0; i < 6; i++) await b.create(`${p}${i}`, big);
    const all = await b.list(p);
    assert.equal(all.kvs.length, 6);
    assert.ok(all.kvs.every((kv) => kv.value.equals(big)));
    const two = await b.list(p, { limit: 2 });
    assert.deepEqual([two.kvs.length, two.more], [2, true]);
  });

  it('create of an existing key fails with KeyExists and changes nothing', async (b) => {
    const p = space();
    await b.create(p + 'a', buf('1'));
    const r = await b.currentRevision();
    await assert.rejects(b.create(p + 'a', buf('2')), KeyExistsError);
    assert.equal(await b.currentRevision(), r);
    assert.equal((await b.get(p + 'a')).kv?.value.toString(), '1');
  });

  it('stale update/delete fail with Conflict carrying the current kv; missing keys with NotFound', async (b) => {
    const p = space();
    const c = await b.create(p + 'a', buf('1'));
    const u = await b.update(p + 'a', buf('2'), c.revision);
    const r = await b.currentRevision();
    const err = await b.update(p + 'a', buf('3'), c.revision).catch((e: unknown) => e);
    assert.ok(err instanceof ConflictError, String(err));
    assert.equal(err.current?.modRevision, u.revision);
    assert.equal(err.current?.value.toString(), '2');
    const derr = await b.delete(p + 'a', c.revision).catch((e: unknown) => e);
    assert.ok(derr instanceof ConflictError);
    assert.equal(derr.current?.modRevision, u.revision);
    await assert.rejects(b.update(p + 'nope', buf('x'), 1), NotFoundError);
    await assert.rejects(b.delete(p + 'nope'), NotFoundError);
    assert.equal(await b.currentRevision(), r, 'failed writes do not consume revisions');
    assert.equal((await b.get(p + 'a')).kv?.value.toString(), '2');
  });

  it('concurrent CAS updates: exactly one wins per round', async (b) => {
    const p = space();
    let cur = (await b.create(p + 'n', buf('0'))).kv.modRevision;
    for (let round = 0; round < 5; round++) {
      const results = await Promise.allSettled(Array.from({ length: 8 }, (_, i) => b.update(p + 'n', buf(`${round}-${i}`), cur)));
      const won = results.filter((r) => r.status === 'fulfilled');
      assert.equal(won.length, 1);
      assert.ok(results.every((r) => r.status === 'fulfilled' || r.reason instanceof ConflictError));
      cur = (won[0] as PromiseFulfilledResult<{ revision: number }>).value.revision;
    }
  });

  it('watch from a past revision delivers every later event in order, with prevKv', async (b) => {
    const p = space();
    const start = await b.currentRevision();
    const c = await b.create(p + 'a', buf('1'));
    await b.update(p + 'a', buf('2'), c.revision);
    await b.create(p + 'b', buf('b'));
    await b.delete(p + 'a');
    await b.create(p.slice(0, -1) + 'x/outside', buf('x')).catch(() => undefined);
    const w = collect(b, p, start);
    try {
      const live = await b.create(p + 'c', buf('c'));
      const ev = await w.waitFor(5);
      await sleep(50);
      assert.equal(ev.length, 5, 'no extra events (outside prefix or duplicates)');
      assert.deepEqual(ev.map((e) => [e.type, e.kv.key.slice(p.length), e.kv.modRevision - start]), [
        ['PUT', 'a', 1], ['PUT', 'a', 2], ['PUT', 'b', 3], ['DELETE', 'a', 4], ['PUT', 'c', live.revision - start],
      ]);
      assert.equal(ev[0]!.prevKv, undefined, 'a create has no prevKv');
      assert.equal(ev[1]!.prevKv?.value.toString(), '1');
      assert.equal(ev[1]!.prevKv?.modRevision, c.revision);
      assert.equal(ev[3]!.prevKv?.value.toString(), '2');
      assert.equal(ev[3]!.kv.value.length, 0);
      assert.equal(ev[0]!.kv.value.toString(), '1');
    } finally {
      w.stop();
    }
  });

  it('many writers and many watchers: no gaps, no duplicates, in order', async (b) => {
    const p = space();
    const start = await b.currentRevision();
    const watchers = Array.from({ length: 10 }, () => collect(b, p, start));
    const writers = 8;
    const perWriter = 25;
    let late: ReturnType<typeof collect> | undefined;
    await Promise.all(Array.from({ length: writers }, async (_, w) => {
      for (let i = 0; i < perWriter; i++) {
        const key = `${p}w${w}/${i % 5}`;
        const cur = await b.get(key);
        if (cur.kv) await b.update(key, buf(`${i}`), cur.kv.modRevision);
        else await b.create(key, buf(`${i}`));
        if (w === 0 && i === 10) late = collect(b, p, start);
      }
    }));
    const total = writers * perWriter;
    const end = await b.currentRevision();
    try {
      for (const w of [...watchers, late!]) {
        const ev = await w.waitFor(total);
        await sleep(20);
        assert.equal(ev.length, total);
        const revs = ev.map((e) => e.kv.modRevision);
        assert.deepEqual(revs, Array.from({ length: total }, (_, i) => start + 1 + i));
        assert.equal(revs[revs.length - 1], end);
        for (const e of ev) if (e.kv.createRevision !== e.kv.modRevision) assert.ok(e.prevKv, 'updates carry prevKv');
      }
    } finally {
      for (const w of [...watchers, late]) w?.stop();
    }
  });

  it('compaction: the compact revision stays readable, older reads and watches fail', async (b) => {
    const p = space();
    const c = await b.create(p + 'a', buf('1'));
    const u = await b.update(p + 'a', buf('2'), c.revision);
    await b.create(p + 'gone', buf('g'));
    await b.delete(p + 'gone');
    const keep = await b.create(p + 'b', buf('b'));
    await b.update(p + 'a', buf('3'), u.revision);
    const r = keep.revision;
    await b.compact(r);
    assert.equal(await b.compactRevision(), r);
    assert.equal((await b.get(p + 'a', { revision: r })).kv?.value.toString(), '2');
    assert.equal((await b.get(p + 'gone', { revision: r })).kv, undefined);
    assert.deepEqual((await b.list(p, { revision: r })).kvs.map((kv) => kv.value.toString()), ['2', 'b']);
    await assert.rejects(b.get(p + 'a', { revision: r - 1 }), CompactedError);
    await assert.rejects(b.list(p, { revision: r - 1 }), CompactedError);
    // fromRevision + 1 == r is still watchable (etcd: start_revision >= compact revision).
    const ok = collect(b, p, r - 1);
    const old = collect(b, p, r - 2);
    try {
      const ev = await ok.waitFor(2);
      assert.deepEqual(ev.map((e) => e.kv.modRevision), [r, r + 1]);
      assert.equal(ev[1]!.prevKv?.value.toString(), '2');
      assert.ok((await old.failure()) instanceof CompactedError);
    } finally {
      ok.stop();
      old.stop();
    }
    await b.compact(r - 1); // compacting an older revision again is harmless
    assert.equal(await b.compactRevision(), r);
    assert.equal((await b.get(p + 'a')).kv?.value.toString(), '3');
  });

  it('invalid keys and oversized values are refused and change nothing', async (b) => {
    const p = space();
    const r = await b.currentRevision();
    for (const key of ['', 'relative', '/has space', '/a//b', '/tab\tkey', '/ü']) {
      await assert.rejects(b.create(key, buf('x')), InvalidKeyError, JSON.stringify(key));
    }
    await assert.rejects(b.get('nope'), InvalidKeyError);
    await assert.rejects(b.create(p + 'big', Buffer.alloc(MAX_VALUE_BYTES + 1)), ValueTooLargeError);
    const c = await b.create(p + 'ok', Buffer.alloc(1024 * 1024, 1));
    await assert.rejects(b.update(p + 'ok', Buffer.alloc(MAX_VALUE_BYTES + 1), c.revision), ValueTooLargeError);
    assert.equal(await b.currentRevision(), r + 1);
    assert.equal((await b.get(p + 'big')).kv, undefined);
    assert.equal((await b.get(p + 'ok')).kv?.value.length, 1024 * 1024);
  });

  it('close ends watches and refuses further calls', async (b) => {
    const p = space();
    const w = collect(b, p, await b.currentRevision());
    await b.create(p + 'a', buf('1'));
    await w.waitFor(1);
    await b.close();
    const err = await w.failure();
    assert.ok(err === undefined || err instanceof ClosedError, String(err));
    await assert.rejects(b.get(p + 'a'), ClosedError);
    await assert.rejects(b.create(p + 'b', buf('1')), ClosedError);
    await b.close(); // idempotent
  });
}
