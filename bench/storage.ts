// Storage benchmark: the embedded SQLite store and a real local etcd (3.4) side by side, through
// the same Backend interface and the same harness, 1 KiB values. Cases: create-seq,
// create-32-inflight, update-cas, get, list-10k, watch-100, churn-size.
import { mkdtempSync, rmSync, statSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setMaxListeners } from 'node:events';
import { Etcd3 } from 'etcd3';
import type { Backend } from '../src/storage/backend.js';
import { ConflictError } from '../src/storage/errors.js';
import { openBackend } from '../src/storage/open.js';
import { startEtcd, findEtcd, type EtcdServer } from '../src/storage/etcd/testing/etcd-server.js';
import { drive, emit, latency, progress, round } from './lib.js';

const VALUE = Buffer.alloc(1024, 'v');
const key = (p: string, i: number) => `${p}${String(i).padStart(6, '0')}`;

interface Target {
  backend: string;
  peer?: string;
  store: Backend;
  /** On-disk size of the store in bytes. */
  size(): Promise<{ bytes: number; bytesAfterDefrag?: number }>;
}

export async function run(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'skiff-bench-storage-'));
  let etcd: EtcdServer | undefined;
  const targets: Target[] = [];
  try {
    const path = join(dir, 'sqlite', 'state.db');
    const fileSize = (p: string) => (existsSync(p) ? statSync(p).size : 0);
    targets.push({
      backend: 'sqlite',
      store: await openBackend(`sqlite://${path}`, { compaction: false }),
      size: async () => ({ bytes: fileSize(path) + fileSize(path + '-wal') }),
    });
    if (findEtcd()) {
      progress('storage: starting etcd');
      etcd = await startEtcd();
      const endpoint = etcd.endpoint;
      targets.push({
        backend: 'etcd',
        peer: 'etcd 3.4',
        store: await openBackend(etcd.url),
        size: async () => {
          const admin = new Etcd3({ hosts: `http://${endpoint}` });
          try {
            const before = Number((await admin.maintenance.status()).dbSize);
            // etcd only returns space to the file system on defragmentation.
            await admin.maintenance.defragment();
            return { bytes: before, bytesAfterDefrag: Number((await admin.maintenance.status()).dbSize) };
          } finally {
            admin.close();
          }
        },
      });
    } else progress('storage: etcd not installed, measuring sqlite only');

    for (const c of CASES) {
      for (const t of targets) {
        progress(`storage: ${t.backend} ${c.name}`);
        const figures = await c.run(t);
        emit({ bench: 'storage', backend: t.backend, case: c.name, ...figures, ...(t.peer ? { peer: t.peer } : {}) });
      }
    }
  } finally {
    for (const t of targets) await t.store.close().catch(() => undefined);
    await etcd?.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}

const CASES: { name: string; run: (t: Target) => Promise<Record<string, unknown>> }[] = [
  {
    name: 'create-seq',
    async run({ store }) {
      const r = await drive(2000, 1, (i) => store.create(key('/bench/seq/', i), VALUE));
      return { opsPerSec: r.opsPerSec, ...latency(r.samples) };
    },
  },
  {
    name: 'create-32-inflight',
    async run({ store }) {
      const r = await drive(10_000, 32, (i) => store.create(key('/bench/par/', i), VALUE));
      return { opsPerSec: r.opsPerSec, ...latency(r.samples), inflight: 32 };
    },
  },
  {
    name: 'update-cas',
    // 32 callers read-modify-write 8 hot keys: compare-and-swap on modRevision; losers see Conflict
    // (whose current kv must be newer than what they read).
    async run({ store }) {
      const keys = 8;
      await drive(keys, 32, (i) => store.create(key('/bench/cas/', i), VALUE));
      let conflicts = 0;
      let n = 0;
      const r = await drive(5000, 32, async (i) => {
        const k = key('/bench/cas/', i % keys);
        const cur = await store.get(k);
        try {
          await store.update(k, VALUE, cur.kv!.modRevision);
          n++;
        } catch (err) {
          if (!(err instanceof ConflictError) || err.current!.modRevision <= cur.kv!.modRevision) throw err;
          conflicts++;
        }
      });
      // A stale revision must always be refused.
      const stale = await store.update(key('/bench/cas/', 0), VALUE, 1).then(() => false, (e: unknown) => e instanceof ConflictError);
      return { opsPerSec: r.opsPerSec, ...latency(r.samples), inflight: 32, updates: n, conflicts, staleRefused: stale };
    },
  },
  {
    name: 'get',
    async run({ store }) {
      const r = await drive(10_000, 32, (i) => store.get(key('/bench/par/', i % 10_000)));
      return { opsPerSec: r.opsPerSec, ...latency(r.samples), inflight: 32 };
    },
  },
  {
    name: 'list-10k',
    async run({ store }) {
      const r = await drive(20, 1, async () => {
        const l = await store.list('/bench/par/');
        if (l.kvs.length !== 10_000) throw new Error(`listed ${l.kvs.length} keys, expected 10000`);
      });
      return { opsPerSec: r.opsPerSec, ...latency(r.samples), keys: 10_000 };
    },
  },
  {
    name: 'watch-100',
    // Latency from the start of a write to its event reaching each of 100 watchers of the prefix.
    async run({ store }) {
      const prefix = '/bench/watch/';
      const writes = 300;
      const from = await store.currentRevision();
      const sentAt = new Map<number, number>();
      const pending = new Map<string, number>();
      const samples: number[] = [];
      const ac = new AbortController();
      setMaxListeners(0, ac.signal); // one listener per watcher
      let received = 0;
      const watchers = Array.from({ length: 100 }, async () => {
        for await (const batch of store.watch(prefix, from, ac.signal)) {
          const now = performance.now();
          for (const e of batch) {
            const started = sentAt.get(e.kv.modRevision) ?? pending.get(e.kv.key);
            if (started !== undefined) samples.push(now - started);
            if (++received >= writes * 100) ac.abort();
          }
        }
      });
      for (let i = 0; i < writes; i++) {
        const k = key(prefix, i);
        pending.set(k, performance.now());
        const r = await store.create(k, VALUE);
        sentAt.set(r.revision, pending.get(k)!);
        await new Promise((resolve) => setTimeout(resolve, 2));
      }
      const timeout = setTimeout(() => ac.abort(), 10_000);
      await Promise.allSettled(watchers);
      clearTimeout(timeout);
      return { ...latency(samples), watchers: 100, events: samples.length, expected: writes * 100 };
    },
  },
  {
    name: 'churn-size',
    // 1,000 keys x 100 updates, then compaction to the head: how big is the store afterwards
    // (bytes: the whole store, all cases' data; liveBytes: keys + values of every live key)?
    async run(t) {
      const { store } = t;
      const keys = 1000;
      const revs = new Array<number>(keys);
      await drive(keys, 64, async (i) => {
        revs[i] = (await store.create(key('/bench/churn/', i), VALUE)).revision;
      });
      const t0 = performance.now();
      for (let round = 0; round < 100; round++) {
        await drive(keys, 64, async (i) => {
          revs[i] = (await store.update(key('/bench/churn/', i), VALUE, revs[i]!)).revision;
        });
      }
      const writeSeconds = (performance.now() - t0) / 1000;
      const head = await store.currentRevision();
      const c0 = performance.now();
      await store.compact(head);
      const compactSeconds = (performance.now() - c0) / 1000;
      const live = (await store.list('/')).kvs.reduce((n, kv) => n + kv.key.length + kv.value.length, 0);
      return { ...(await t.size()), liveBytes: live, opsPerSec: round(keys * 100 / writeSeconds, 1), compactSeconds: round(compactSeconds) };
    },
  },
];
