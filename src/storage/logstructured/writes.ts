// The three write verbs on a log, with etcd's preconditions (kine's create.go/update.go/delete.go):
// each appends exactly one row at head + 1, or throws and appends nothing.
import type { KeyValue, WatchEvent } from '../backend.js';
import { ConflictError, KeyExistsError, NotFoundError } from '../errors.js';
import { rowKv, type Log, type Row } from './log.js';

export type WriteOp =
  | { verb: 'create'; key: string; value: Buffer }
  | { verb: 'update'; key: string; value: Buffer; expect: number }
  | { verb: 'delete'; key: string; expect?: number };

export interface WriteResult {
  revision: number;
  kv: KeyValue;
  prevKv?: KeyValue;
  event: WatchEvent;
}

/** Applies one write inside an open transaction of log; throws KeyExists/NotFound/Conflict. */
export function applyWrite(log: Log, op: WriteOp): WriteResult {
  const last = log.latest(op.key);
  const live = last && !last.deleted ? last : undefined;
  const id = log.head() + 1;
  if (op.verb === 'create') {
    if (live) throw new KeyExistsError(op.key);
    // prev_revision points at the tombstone (if any) so history stays a chain per key, as kine does.
    const row: Row = { id, name: op.key, created: true, deleted: false, createRevision: id, prevRevision: last?.id ?? 0, value: op.value };
    log.append(row);
    const kv = rowKv(row);
    return { revision: id, kv, event: { type: 'PUT', kv } };
  }
  if (!live) throw new NotFoundError(op.key);
  const prevKv = rowKv(live);
  if (op.expect !== undefined && live.id !== op.expect) throw new ConflictError(op.key, prevKv);
  if (op.verb === 'update') {
    const row: Row = { id, name: op.key, created: false, deleted: false, createRevision: live.createRevision, prevRevision: live.id, value: op.value };
    log.append(row);
    const kv = rowKv(row);
    return { revision: id, kv, prevKv, event: { type: 'PUT', kv, prevKv } };
  }
  const row: Row = { id, name: op.key, created: false, deleted: true, createRevision: live.createRevision, prevRevision: live.id, value: Buffer.alloc(0) };
  log.append(row);
  const kv: KeyValue = { key: op.key, value: Buffer.alloc(0), createRevision: live.createRevision, modRevision: id };
  return { revision: id, kv, prevKv, event: { type: 'DELETE', kv, prevKv } };
}
