// The Log over SQLite (kine's generic SQL dialect, specialised): every query a prepared statement
// on the (name, id) index or the id primary key.
import type Database from 'better-sqlite3';
import { UnavailableError } from '../errors.js';
import { FileSyncer } from './durable.js';
import type { EventRow, Log, Row } from '../logstructured/log.js';

interface RawRow {
  id: number;
  name: string;
  created: number;
  deleted: number;
  create_revision: number;
  prev_revision: number;
  value: Buffer;
  prev_value?: Buffer | null;
  prev_create_revision?: number | null;
}

const COLUMNS = 'l.id, l.name, l.created, l.deleted, l.create_revision, l.prev_revision, l.value';
// "Live at rev": the newest row of its name at or below rev, and not a tombstone.
const LIVE_AT = `l.name >= @start AND l.name < @end AND l.name > @after AND l.id <= @rev AND l.deleted = 0
  AND NOT EXISTS (SELECT 1 FROM log n WHERE n.name = l.name AND n.id > l.id AND n.id <= @rev)`;
const NO_LIMIT = -1;

function toRow(r: RawRow): Row {
  return {
    id: r.id, name: r.name, created: r.created === 1, deleted: r.deleted === 1,
    createRevision: r.create_revision, prevRevision: r.prev_revision, value: r.value,
  };
}

export class SqliteLog implements Log {
  private readonly s;
  private readonly tx: Database.Transaction<(fn: () => unknown) => unknown>;

  private readonly syncer?: FileSyncer;

  /** walPath: fdatasync'd by sync() (the database runs with synchronous=NORMAL, see durable.ts). */
  constructor(private readonly db: Database.Database, walPath?: string) {
    if (walPath) this.syncer = new FileSyncer(walPath);
    const p = (sql: string) => db.prepare(sql);
    this.s = {
      head: p('SELECT COALESCE(MAX(id), 0) FROM log').pluck(),
      compactRev: p("SELECT value FROM meta WHERE key = 'compact_revision'").pluck(),
      latest: p(`SELECT ${COLUMNS} FROM log l WHERE l.name = ? AND l.id <= ? ORDER BY l.id DESC LIMIT 1`),
      list: p(`SELECT ${COLUMNS} FROM log l WHERE ${LIVE_AT} ORDER BY l.name LIMIT @limit`),
      count: p(`SELECT COUNT(*) FROM log l WHERE ${LIVE_AT}`).pluck(),
      since: p(`SELECT ${COLUMNS}, p.value AS prev_value, p.create_revision AS prev_create_revision
        FROM log l LEFT JOIN log p ON p.id = l.prev_revision
        WHERE l.id > ? AND l.name >= ? AND l.name < ? ORDER BY l.id LIMIT ?`),
      insert: p(`INSERT INTO log (id, name, created, deleted, create_revision, prev_revision, value)
        VALUES (?, ?, ?, ?, ?, ?, ?)`),
      // History superseded by a write in [from, to) is unreadable once `to` is the compaction point.
      dropSuperseded: p('DELETE FROM log WHERE id IN (SELECT prev_revision FROM log WHERE id >= ? AND id < ? AND prev_revision > 0)'),
      dropTombstones: p('DELETE FROM log WHERE deleted = 1 AND id >= ? AND id < ?'),
      setCompactRev: p("UPDATE meta SET value = MAX(value, ?) WHERE key = 'compact_revision'"),
    };
    this.tx = db.transaction((fn: () => unknown) => fn());
  }

  head(): number {
    return this.s.head.get() as number;
  }

  compactRevision(): number {
    return this.s.compactRev.get() as number;
  }

  latest(name: string, rev?: number): Row | undefined {
    const r = this.s.latest.get(name, rev ?? Number.MAX_SAFE_INTEGER) as RawRow | undefined;
    return r && toRow(r);
  }

  listAt(start: string, end: string, after: string | undefined, rev: number, limit: number): Row[] {
    return (this.s.list.all({ start, end, after: after ?? '', rev, limit: limit || NO_LIMIT }) as RawRow[]).map(toRow);
  }

  countAt(start: string, end: string, rev: number): number {
    return this.s.count.get({ start, end, after: '', rev }) as number;
  }

  since(after: number, start: string, end: string, limit: number): EventRow[] {
    return (this.s.since.all(after, start, end, limit || NO_LIMIT) as RawRow[]).map((r) => ({
      ...toRow(r),
      prevValue: r.prev_value ?? undefined,
      prevCreateRevision: r.prev_create_revision ?? undefined,
    }));
  }

  write<T>(fn: () => T): T {
    try {
      // IMMEDIATE takes the write lock up front, so a second process cannot interleave and the
      // revision (head + 1) read inside stays ours.
      return this.tx.immediate(fn) as T;
    } catch (err) {
      throw translate(err);
    }
  }

  append(r: Row): void {
    this.s.insert.run(r.id, r.name, r.created ? 1 : 0, r.deleted ? 1 : 0, r.createRevision, r.prevRevision, r.value);
  }

  compactRange(from: number, to: number): number {
    const a = this.s.dropSuperseded.run(from, to).changes;
    const b = this.s.dropTombstones.run(from, to).changes;
    this.s.setCompactRev.run(to);
    return a + b;
  }

  shrink(pages: number): number {
    this.db.pragma(`incremental_vacuum(${Math.max(1, Math.floor(pages))})`);
    const free = this.db.pragma('freelist_count', { simple: true }) as number;
    // The file only shrinks when the WAL is checkpointed; TRUNCATE also empties the WAL file.
    if (free === 0) this.db.pragma('wal_checkpoint(TRUNCATE)');
    return free;
  }

  sync(): Promise<void> {
    return this.syncer ? this.syncer.sync().catch((err: unknown) => { throw translate(err); }) : Promise.resolve();
  }

  async close(): Promise<void> {
    // Whatever committed since the last sync (compaction) is made durable before closing.
    if (this.syncer) await this.syncer.sync().catch(() => undefined);
    await this.syncer?.close();
    this.db.close();
  }
}

/** SQLite's busy/full/I-O failures become UnavailableError; precondition errors pass through. */
function translate(err: unknown): unknown {
  const code = (err as { code?: unknown }).code;
  if (typeof code === 'string' && /^SQLITE_(BUSY|LOCKED|FULL|IOERR|CANTOPEN|READONLY)/.test(code)) {
    return new UnavailableError(`sqlite: ${(err as Error).message} (${code})`);
  }
  if (typeof code === 'string' && /^E[A-Z]+$/.test(code)) return new UnavailableError(`sqlite: syncing the WAL: ${(err as Error).message}`);
  return err;
}
