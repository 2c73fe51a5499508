import type { Backend } from './backend.js';
import type { CompactionPolicy } from './logstructured/compactor.js';
import { MemoryBackend } from './memory/memory.js';
import { openSqlite } from './sqlite/sqlite.js';
import { EtcdBackend } from './etcd/etcd.js';

export interface OpenOptions {
  /** Automatic compaction policy for backends that compact themselves (sqlite); false disables it. */
  compaction?: CompactionPolicy | false;
  /** sqlite: how often to look for writes made by another process (default 1000 ms). */
  pollIntervalMs?: number;
}

/**
 * Opens a store by URL: `sqlite://PATH` (embedded default), `etcd://h1:2379,h2:2379` (real etcd v3),
 * `memory://` (tests).
 */
export async function openBackend(url: string, opts: OpenOptions = {}): Promise<Backend> {
  const m = /^([a-z0-9]+):\/\/(.*)$/.exec(url);
  if (!m) throw new Error(`datastore URL ${JSON.stringify(url)}: expected sqlite://PATH, etcd://HOST:PORT[,…] or memory://`);
  const [, scheme, rest] = m;
  switch (scheme) {
    case 'memory':
      return new MemoryBackend();
    case 'sqlite':
      if (!rest) throw new Error(`datastore URL ${JSON.stringify(url)}: sqlite:// needs a file path`);
      return openSqlite(rest, { compaction: opts.compaction, pollIntervalMs: opts.pollIntervalMs });
    case 'etcd': {
      const endpoints = (rest ?? '').split(',').map((e) => e.trim()).filter(Boolean);
      if (!endpoints.length || endpoints.some((e) => !/^[^/\s]+:\d+$/.test(e))) {
        throw new Error(`datastore URL ${JSON.stringify(url)}: expected etcd://HOST:PORT[,HOST:PORT…]`);
      }
      return EtcdBackend.open(endpoints);
    }
    default:
      throw new Error(`datastore URL ${JSON.stringify(url)}: unsupported scheme "${scheme}" (sqlite, etcd, memory)`);
  }
}
