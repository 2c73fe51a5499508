// The append-only log beneath a log-structured store, as kine layers it: one row per revision
// (id = revision) and a dialect that only knows how to store and query rows. The log is
// synchronous because its only dialect today is embedded SQLite (better-sqlite3 is synchronous);
// the LogBackend above it adds group commit, watch fan-out and compaction.
import type { KeyValue, WatchEvent } from '../backend.js';

/** One write, as stored. A tombstone (deleted) has an empty value; its prevKv is the row at prevRevision. */
export interface Row {
  id: number;
  name: string;
  /** This write created the key (no previous live version). */
  created: boolean;
  deleted: boolean;
  createRevision: number;
  /** The id of the row this one supersedes (0 when the key never existed). */
  prevRevision: number;
  value: Buffer;
}

/** A row joined with the row it superseded, enough to build a watch event. */
export interface EventRow extends Row {
  prevValue?: Buffer;
  prevCreateRevision?: number;
}

export interface Log {
  /** The highest revision written (0 for an empty log). */
  head(): number;
  compactRevision(): number;
  /** The newest row for name at or below rev (any revision when rev is absent), tombstones included. */
  latest(name: string, rev?: number): Row | undefined;
  /** Live rows at rev under [start, end) in name order, names > after, at most limit (0: all). */
  listAt(start: string, end: string, after: string | undefined, rev: number, limit: number): Row[];
  /** Number of live keys under [start, end) at rev. */
  countAt(start: string, end: string, rev: number): number;
  /** Rows with id > after (and names under [start, end)), in id order, joined with what they replaced. */
  since(after: number, start: string, end: string, limit: number): EventRow[];
  /** Runs fn in one write transaction that excludes other writers (other processes included). */
  write<T>(fn: () => T): T;
  /** Appends a row; only inside write(). */
  append(row: Row): void;
  /**
   * Removes history superseded by writes with ids in [from, to) and tombstones in that range, then
   * records `to` as the compaction revision; only inside write(). Returns the rows removed.
   */
  compactRange(from: number, to: number): number;
  /**
   * Makes every transaction committed so far durable (resolves after an fsync that began after the
   * call). Absent when write() itself is durable.
   */
  sync?(): Promise<void>;
  /** Returns up to `pages` free pages to the file system; returns how many free pages remain. */
  shrink(pages: number): number;
  close(): void | Promise<void>;
}

/** The key/value a live row stores. */
export function rowKv(r: Row): KeyValue {
  return { key: r.name, value: r.value, createRevision: r.createRevision, modRevision: r.id };
}

/** The watch event a row records (etcd shape: DELETE carries an empty kv and the deleted value as prevKv). */
export function rowEvent(r: EventRow): WatchEvent {
  const prevKv: KeyValue | undefined = r.prevValue && !r.created
    ? { key: r.name, value: r.prevValue, createRevision: r.prevCreateRevision ?? r.createRevision, modRevision: r.prevRevision }
    : undefined;
  if (r.deleted) {
    return { type: 'DELETE', kv: { key: r.name, value: Buffer.alloc(0), createRevision: r.createRevision, modRevision: r.id }, prevKv };
  }
  return prevKv ? { type: 'PUT', kv: rowKv(r), prevKv } : { type: 'PUT', kv: rowKv(r) };
}

/** The exclusive upper bound of the keys starting with prefix (prefix with its last byte + 1). */
export function prefixEnd(prefix: string): string {
  // Keys are printable ASCII (validate.ts), so bumping the last character is a byte-order bound.
  return prefix.slice(0, -1) + String.fromCharCode(prefix.charCodeAt(prefix.length - 1) + 1);
}
