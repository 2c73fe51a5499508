// etcd's wire shapes (string revisions, 'Put'/'Delete') to the store's KeyValue and WatchEvent.
import type { IEvent, IKeyValue } from 'etcd3';
import type { KeyValue, WatchEvent } from '../backend.js';

/** One etcd key-value as a KeyValue. */
export function toKv(kv: IKeyValue): KeyValue {
  return { key: kv.key.toString(), value: kv.value ?? Buffer.alloc(0), createRevision: Number(kv.create_revision), modRevision: Number(kv.mod_revision) };
}

/** One watch event. etcd's DELETE kv carries only key and mod_revision; createRevision comes from prevKv. */
export function toEvent(ev: IEvent): WatchEvent {
  const prevKv = ev.prev_kv ? toKv(ev.prev_kv) : undefined;
  if (ev.type === 'Delete') {
    return { type: 'DELETE', kv: { key: ev.kv.key.toString(), value: Buffer.alloc(0), createRevision: prevKv?.createRevision ?? 0, modRevision: Number(ev.kv.mod_revision) }, prevKv };
  }
  return prevKv ? { type: 'PUT', kv: toKv(ev.kv), prevKv } : { type: 'PUT', kv: toKv(ev.kv) };
}
