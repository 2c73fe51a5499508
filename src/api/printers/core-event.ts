// Events, after upstream printEvent (1.32). core/v1 and events.k8s.io/v1 Events are one internal type
// upstream, so both are printed by the same code; events.k8s.io fields are mapped onto core names first.
import type { TablePrinter } from './types.js';
import { age } from './duration.js';
import { col, nameCol, objName, str, wide } from './columns.js';

const columns = [
  col('Last Seen', 'string', 'When the event was last observed.'),
  col('Type', 'string', 'Type of this event (Normal, Warning).'),
  col('Reason', 'string', 'Short, machine understandable reason for the event.'),
  col('Object', 'string', 'The object this event is about, as kind/name.'),
  wide('Subobject', 'string', 'The part of the object the event is about (involvedObject.fieldPath).'),
  wide('Source', 'string', 'The component (and host) that reported the event.'),
  col('Message', 'string', 'A human-readable description of the event.'),
  wide('First Seen', 'string', 'When the event was first observed.'),
  wide('Count', 'string', 'How many times the event has occurred.'),
  nameCol(1),
];

/** The fields printEvent reads, in core/v1 terms. */
interface CoreEventView {
  name: string;
  type: string;
  reason: string;
  message: string;
  involved: any;
  source: any;
  reportingController: string;
  reportingInstance: string;
  firstTimestamp: string | undefined;
  lastTimestamp: string | undefined;
  eventTime: string | undefined;
  count: number;
  series: any;
}

function coreView(ev: any): CoreEventView {
  return {
    name: objName(ev),
    type: str(ev?.type),
    reason: str(ev?.reason),
    message: str(ev?.message),
    involved: ev?.involvedObject ?? {},
    source: ev?.source ?? {},
    reportingController: str(ev?.reportingComponent ?? ev?.reportingController),
    reportingInstance: str(ev?.reportingInstance),
    firstTimestamp: ev?.firstTimestamp ?? undefined,
    lastTimestamp: ev?.lastTimestamp ?? undefined,
    eventTime: ev?.eventTime ?? undefined,
    count: Number(ev?.count ?? 0) || 0,
    series: ev?.series,
  };
}

// events.k8s.io/v1 → core: regarding→involvedObject, note→message, deprecated* → the legacy fields.
function eventsV1View(ev: any): CoreEventView {
  return {
    name: objName(ev),
    type: str(ev?.type),
    reason: str(ev?.reason),
    message: str(ev?.note),
    involved: ev?.regarding ?? {},
    source: ev?.deprecatedSource ?? {},
    reportingController: str(ev?.reportingController),
    reportingInstance: str(ev?.reportingInstance),
    firstTimestamp: ev?.deprecatedFirstTimestamp ?? undefined,
    lastTimestamp: ev?.deprecatedLastTimestamp ?? undefined,
    eventTime: ev?.eventTime ?? undefined,
    count: Number(ev?.deprecatedCount ?? 0) || 0,
    series: ev?.series,
  };
}

/** formatEventSource: component (or reportingController), then `, host` (or reportingInstance) if any. */
function eventSource(v: CoreEventView): string {
  const component = str(v.source?.component) || v.reportingController;
  const host = str(v.source?.host) || v.reportingInstance;
  return host ? `${component}, ${host}` : component;
}

function eventCells(v: CoreEventView, now: number): unknown[] {
  const first = v.firstTimestamp ? age(v.firstTimestamp, now) : age(v.eventTime, now);
  let last = v.lastTimestamp ? age(v.lastTimestamp, now) : first;
  let count = v.count;
  if (v.series) {
    last = age(v.series.lastObservedTime, now);
    count = Number(v.series.count ?? 0) || 0;
  } else if (count === 0) {
    // Singleton events written through events.k8s.io carry no count.
    count = 1;
  }
  const kind = str(v.involved?.kind).toLowerCase();
  const target = v.involved?.name ? `${kind}/${v.involved.name}` : kind;
  return [
    last,
    v.type,
    v.reason,
    target,
    str(v.involved?.fieldPath),
    eventSource(v),
    v.message.trim(),
    first,
    count,
    v.name,
  ];
}

export const coreEventPrinter: TablePrinter = {
  columns,
  cells: (ev, now) => eventCells(coreView(ev), now),
};

export const eventsV1EventPrinter: TablePrinter = {
  columns,
  cells: (ev, now) => eventCells(eventsV1View(ev), now),
};
