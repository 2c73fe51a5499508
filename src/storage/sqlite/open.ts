// Opening the database file safely: create the directory, refuse (never overwrite) anything that is
// not a readable, intact Skiff store, then set durability pragmas.
import Database from 'better-sqlite3';
import { accessSync, constants, existsSync, mkdirSync, openSync, readSync, closeSync, statSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { CorruptError } from '../errors.js';
import { CREATE_SCHEMA, SCHEMA_VERSION, TABLES } from './schema.js';

const MAGIC = 'SQLite format 3\0';

/** Opens (creating if absent) the store at path; CorruptError with the path and reason otherwise. */
export function openDatabase(path: string): Database.Database {
  const file = resolve(path);
  mkdirSync(dirname(file), { recursive: true });
  const exists = existsSync(file);
  if (exists) checkFile(file);
  let db: Database.Database;
  try {
    db = new Database(file, { fileMustExist: exists });
  } catch (err) {
    throw new CorruptError(file, `cannot open: ${(err as Error).message}`);
  }
  try {
    prepare(db, file);
  } catch (err) {
    db.close();
    throw err instanceof CorruptError ? err : new CorruptError(file, (err as Error).message);
  }
  return db;
}

function checkFile(file: string): void {
  try {
    accessSync(file, constants.R_OK | constants.W_OK);
  } catch (err) {
    throw new CorruptError(file, `not readable and writable: ${(err as Error).message}`);
  }
  if (!statSync(file).isFile()) throw new CorruptError(file, 'not a regular file');
  if (statSync(file).size === 0) return; // SQLite treats an empty file as a new database.
  const fd = openSync(file, 'r');
  const head = Buffer.alloc(16);
  try {
    readSync(fd, head, 0, 16, 0);
  } finally {
    closeSync(fd);
  }
  if (head.toString('latin1') !== MAGIC) throw new CorruptError(file, 'not an SQLite database (bad file header)');
}

function prepare(db: Database.Database, file: string): void {
  const tables = (db.prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'").all() as { name: string }[]).map((t) => t.name);
  if (tables.length === 0) {
    // auto_vacuum must be chosen before the first table exists; INCREMENTAL lets compaction hand
    // freed pages back to the file system in small steps (PRAGMA incremental_vacuum).
    db.pragma('auto_vacuum = INCREMENTAL');
    db.pragma('journal_mode = WAL');
    db.exec(`BEGIN; ${CREATE_SCHEMA} COMMIT;`);
  } else {
    const missing = TABLES.filter((t) => !tables.includes(t));
    if (missing.length) throw new CorruptError(file, `not a Skiff store (tables ${tables.join(', ')}; missing ${missing.join(', ')})`);
    const check = db.pragma('quick_check(1)', { simple: true });
    if (check !== 'ok') throw new CorruptError(file, `integrity check failed: ${String(check)}`);
    const version = db.prepare("SELECT value FROM meta WHERE key = 'schema_version'").pluck().get();
    if (version !== SCHEMA_VERSION) throw new CorruptError(file, `schema version ${String(version)}, expected ${SCHEMA_VERSION}`);
    db.pragma('journal_mode = WAL');
  }
  // WAL + synchronous=NORMAL: a commit writes the WAL without fsync, and the backend acknowledges a
  // write only after fdatasync of the WAL on the thread pool (SqliteLog.sync, durable.ts) — as
  // durable as FULL (kill -9 and power loss), without blocking the event loop on the disk.
  // Checkpoints still fsync in NORMAL mode. Callers of openDatabase without the backend must sync.
  db.pragma('synchronous = NORMAL');
  db.pragma('busy_timeout = 5000');
  // Without a limit the WAL file stays at its high-water mark after checkpoints.
  db.pragma(`journal_size_limit = ${4 * 1024 * 1024}`);
}
