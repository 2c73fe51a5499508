// The events.k8s.io/v1 Event a recorder writes (client-go tools/events: makeEvent).
import type { KubeObject } from '../../api/types.js';
import { formatMicroTime } from '../microtime.js';

export type EventType = 'Normal' | 'Warning';

export interface ObjectReference {
  apiVersion?: string;
  kind?: string;
  namespace?: string;
  name?: string;
  uid?: string;
  resourceVersion?: string;
  fieldPath?: string;
}

export interface EventSeries {
  count: number;
  lastObservedTime: string;
}

export interface EventObject extends KubeObject {
  eventTime: string;
  series?: EventSeries;
  reportingController: string;
  reportingInstance: string;
  action: string;
  reason: string;
  regarding: ObjectReference;
  related?: ObjectReference;
  note: string;
  type: EventType;
}

/** Upstream caps a note at 1 KiB. */
export const MAX_NOTE_LENGTH = 1024;

/** An ObjectReference to obj (or obj itself when it already is one). */
export function referenceTo(obj: KubeObject | ObjectReference): ObjectReference {
  if (!('metadata' in obj)) return { ...obj };
  const ref: ObjectReference = {};
  if (obj.apiVersion) ref.apiVersion = obj.apiVersion;
  if (obj.kind) ref.kind = obj.kind;
  if (obj.metadata.namespace) ref.namespace = obj.metadata.namespace;
  if (obj.metadata.name) ref.name = obj.metadata.name;
  if (obj.metadata.uid) ref.uid = obj.metadata.uid;
  if (obj.metadata.resourceVersion) ref.resourceVersion = obj.metadata.resourceVersion;
  return ref;
}

export function makeEvent(args: {
  now: number; regarding: ObjectReference; related?: ObjectReference | undefined; type: EventType; reason: string; action: string;
  note: string; reportingController: string; reportingInstance: string;
}): EventObject {
  const namespace = args.regarding.namespace || 'default';
  // Upstream names events "<regarding name>.<hex of unix nanoseconds>".
  const nanos = BigInt(Math.floor(args.now)) * 1_000_000n + BigInt(Math.floor(Math.random() * 1_000_000));
  const ev: EventObject = {
    apiVersion: 'events.k8s.io/v1', kind: 'Event',
    metadata: { name: `${args.regarding.name ?? 'unknown'}.${nanos.toString(16)}`, namespace },
    eventTime: formatMicroTime(args.now),
    reportingController: args.reportingController,
    reportingInstance: args.reportingInstance,
    action: args.action,
    reason: args.reason,
    regarding: args.regarding,
    note: args.note.length > MAX_NOTE_LENGTH ? args.note.slice(0, MAX_NOTE_LENGTH) : args.note,
    type: args.type,
  };
  if (args.related) ev.related = args.related;
  return ev;
}

/** Events that only differ in time and note are one series (client-go tools/events getKey). */
export function isomorphicKey(ev: EventObject): string {
  const r = ev.regarding;
  const rel = ev.related;
  // client-go's getKey compares the whole regarding reference (resourceVersion included); the note
  // is part of the key too, as in the core/v1 recorder's aggregation that kubectl describe shows,
  // so "Scaled up … to 3" and "Scaled up … to 5" stay two events rather than one series.
  return JSON.stringify([ev.action, ev.reason, ev.reportingController, ev.note,
    r.apiVersion, r.kind, r.namespace, r.name, r.uid, r.fieldPath, r.resourceVersion,
    rel?.apiVersion, rel?.kind, rel?.namespace, rel?.name, rel?.uid, rel?.fieldPath]);
}

/** The spam filter's key: one bucket per source and regarding object (EventSourceObjectSpamFilter). */
export function spamKey(ev: EventObject): string {
  const r = ev.regarding;
  return JSON.stringify([ev.reportingController, ev.reportingInstance, r.apiVersion, r.kind, r.namespace, r.name, r.uid]);
}
