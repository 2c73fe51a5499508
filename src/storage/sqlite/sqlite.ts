// sqlite:// — the embedded default store: a kine-style log in one SQLite file.
import type { Backend } from '../backend.js';
import { LogBackend, type LogBackendOptions } from '../logstructured/backend.js';
import { resolve } from 'node:path';
import { openDatabase } from './open.js';
import { SqliteLog } from './dialect.js';

/** Opens the store in the SQLite file at path (created with its directory when missing). */
export function openSqlite(path: string, opts: LogBackendOptions = {}): Backend {
  return new LogBackend(new SqliteLog(openDatabase(path), `${resolve(path)}-wal`), opts);
}
