// The event recorder (client-go tools/events): record() never blocks — it drops spam, builds the
// Event and queues it (bounded; overflow is dropped and logged). One writer drains the queue: a
// first occurrence is created; a repeat of an event seen in the last 6 minutes turns it into a series
// (count 2, written at once), later repeats only bump the cached count, which is written on the
// 30-minute series heartbeat.
import type { KubeObject } from '../../api/types.js';
import { realClock, type Clock, type Timer } from '../../util/clock.js';
import { isReason, StatusError } from '../../util/errors.js';
import { logger, type Logger } from '../../util/log.js';
import type { Client, ResourceClient } from '../interfaces.js';
import { formatMicroTime, parseMicroTime } from '../microtime.js';
import { refs } from '../refs.js';
import { isomorphicKey, makeEvent, referenceTo, spamKey, type EventObject, type EventType, type ObjectReference } from './event.js';
import { SpamFilter } from './spamfilter.js';

export interface EventRecorderOptions {
  client: Client;
  /** Who reports, e.g. "skiff.io/deployment-controller" (events.k8s.io requires it). */
  reportingController: string;
  /** Which instance, e.g. "<controller>-<hostname>". */
  reportingInstance: string;
  clock?: Clock;
  /** Events waiting to be written before new ones are dropped (upstream: 1000). */
  queueSize?: number;
  /** Spam filter: events per object at once, and refill rate (25, one per 300 s). */
  spamBurst?: number;
  spamQps?: number;
  /** Series counts are written this often (upstream: 30 min). */
  heartbeatMs?: number;
  /** A series (or single event) not seen again for this long is finished (upstream: 6 min). */
  finishMs?: number;
  log?: Logger;
}

export interface EventRecorder {
  /** Records an event about `regarding` (an object or reference); never blocks, never throws. */
  record(regarding: KubeObject | ObjectReference, type: EventType, reason: string, action: string, note: string, related?: KubeObject | ObjectReference): void;
}

export class EventBroadcaster implements EventRecorder {
  private readonly queue: EventObject[] = [];
  private readonly cache = new Map<string, EventObject>();
  private readonly events: ResourceClient<EventObject>;
  private readonly clock: Clock;
  private readonly log: Logger;
  private readonly spam: SpamFilter;
  private readonly timers: Timer[] = [];
  private draining?: Promise<void>;
  private stopped = false;
  /** Events dropped because the queue was full or the spam filter said no (for tests and metrics). */
  dropped = 0;

  constructor(private readonly opts: EventRecorderOptions) {
    if (!opts.reportingController || !opts.reportingInstance) throw new RangeError('events: reportingController and reportingInstance are required');
    this.clock = opts.clock ?? realClock;
    this.log = opts.log ?? logger('events');
    this.events = opts.client.resource<EventObject>(refs.events);
    this.spam = new SpamFilter(this.clock, opts.spamQps ?? 1 / 300, opts.spamBurst ?? 25);
    this.every(opts.heartbeatMs ?? 30 * 60_000, () => this.refreshSeries());
    this.every(opts.finishMs ?? 6 * 60_000, () => this.finishSeries());
  }

  record(regarding: KubeObject | ObjectReference, type: EventType, reason: string, action: string, note: string, related?: KubeObject | ObjectReference): void {
    if (this.stopped) return;
    if (type !== 'Normal' && type !== 'Warning') {
      this.log.error('unsupported event type', { type, reason });
      return;
    }
    const ev = makeEvent({
      now: this.clock.now(), regarding: referenceTo(regarding), related: related ? referenceTo(related) : undefined, type, reason, action, note,
      reportingController: this.opts.reportingController, reportingInstance: this.opts.reportingInstance,
    });
    if (!this.spam.allow(spamKey(ev))) {
      this.dropped++;
      return;
    }
    if (this.queue.length >= (this.opts.queueSize ?? 1000)) {
      this.dropped++;
      this.log.warn('event queue full; dropping event', { reason, regarding: ev.regarding.name });
      return;
    }
    this.queue.push(ev);
    this.draining ??= this.drain().finally(() => (this.draining = undefined));
  }

  /** Resolves once every queued event has been written (or given up on). */
  async flush(): Promise<void> {
    while (this.draining) await this.draining;
  }

  /** Stops accepting events and timers; writes what is queued. */
  async shutdown(): Promise<void> {
    this.stopped = true;
    for (const t of this.timers) t.cancel();
    await this.flush();
  }

  private every(ms: number, fn: () => Promise<void> | void): void {
    const tick = () => {
      if (this.stopped) return;
      void Promise.resolve(fn()).catch((err: unknown) => this.log.warn('event series upkeep failed', { err }));
      this.timers.push(this.clock.setTimer(ms, tick));
    };
    this.timers.push(this.clock.setTimer(ms, tick));
  }

  private async drain(): Promise<void> {
    for (let ev = this.queue.shift(); ev; ev = this.queue.shift()) {
      try {
        await this.recordOne(ev);
      } catch (err) {
        this.log.warn('could not write event', { err, reason: ev.reason, regarding: ev.regarding.name });
      }
    }
  }

  private async recordOne(ev: EventObject): Promise<void> {
    const key = isomorphicKey(ev);
    const seen = this.cache.get(key);
    if (!seen) {
      this.cache.set(key, ev);
      await this.create(ev);
      return;
    }
    const now = formatMicroTime(this.clock.now());
    if (seen.series) {
      seen.series.count++;
      seen.series.lastObservedTime = now;
      return;
    }
    seen.series = { count: 2, lastObservedTime: now };
    await this.patchSeries(seen);
  }

  private async create(ev: EventObject): Promise<void> {
    try {
      const written = await this.events.namespace(ev.metadata.namespace!).create(ev);
      ev.metadata.resourceVersion = written.metadata.resourceVersion;
    } catch (err) {
      // As upstream: an event that already exists, or one the server refuses, is dropped.
      if (err instanceof StatusError) {
        if (!isReason(err, 'AlreadyExists')) this.log.warn('server rejected event', { err, reason: ev.reason });
        return;
      }
      throw err;
    }
  }

  private async patchSeries(ev: EventObject): Promise<void> {
    try {
      await this.events.namespace(ev.metadata.namespace!).patch(ev.metadata.name!, 'merge', { series: ev.series });
    } catch (err) {
      // The event expired or was deleted on the server: write it again, series and all.
      if (isReason(err, 'NotFound')) {
        const { resourceVersion: _rv, ...meta } = ev.metadata;
        await this.create({ ...ev, metadata: meta });
        return;
      }
      throw err;
    }
  }

  /** Heartbeat: write the current count of every live series. */
  private async refreshSeries(): Promise<void> {
    for (const ev of [...this.cache.values()]) if (ev.series) await this.patchSeries(ev).catch((err: unknown) => this.log.v(2).info('series refresh failed', { err }));
  }

  /** Forget events and series not seen for finishMs, so the next occurrence starts a new event. */
  private finishSeries(): void {
    const cutoff = this.clock.now() - (this.opts.finishMs ?? 6 * 60_000);
    for (const [key, ev] of this.cache) {
      const last = ev.series ? parseMicroTime(ev.series.lastObservedTime) : parseMicroTime(ev.eventTime);
      if (last < cutoff) this.cache.delete(key);
    }
  }
}
