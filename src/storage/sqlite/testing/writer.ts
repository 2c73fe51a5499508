// A child process for the sqlite tests: creates keys with 16 writes in flight against the store at
// argv[2] and prints "<revision> <key>" for each acknowledged write (pipes to the parent are
// synchronous on Linux, so a printed line was acknowledged before the process could die).
// argv[3] limits the number of writes (default: until killed).
import { openSqlite } from '../sqlite.js';

const [path, limitArg, prefix = '/crash/'] = process.argv.slice(2);
if (!path) throw new Error('usage: writer.ts PATH [COUNT] [PREFIX]');
const limit = limitArg ? Number(limitArg) : Infinity;
const store = openSqlite(path, { compaction: false });
const value = Buffer.alloc(256, 'v');
let next = 0;

async function worker(): Promise<void> {
  while (next < limit) {
    const key = `${prefix}${String(next++).padStart(8, '0')}`;
    const r = await store.create(key, value);
    process.stdout.write(`${r.revision} ${key}\n`);
  }
}

await Promise.all(Array.from({ length: 16 }, worker));
await store.close();
