// Which scheduled time a CronJob should act on now (upstream pkg/controller/cronjob/utils.go:
// mostRecentScheduleTime, nextScheduleTime, nextScheduleTimeDuration).
import { nextAfter } from './next.js';
import type { Schedule } from './schedule.js';
import type { Zone } from './zone.js';

type Obj = Record<string, any>;
export type CronJob = { metadata: { creationTimestamp?: string; name?: string; namespace?: string; uid?: string; deletionTimestamp?: string }; spec: Obj; status?: Obj };

/** Upstream's nextScheduleDelta: requeue a little after the schedule so the time has surely come. */
export const NEXT_SCHEDULE_DELTA_MS = 100;

export interface RecentSchedule {
  earliest: number;
  /** The latest unmet scheduled time ≤ now, if any. */
  mostRecent?: number;
  missed: number;
}

/**
 * The unmet schedule times since the last one acted on (or creation), optionally not older than
 * startingDeadlineSeconds: how many were missed and the latest of them.
 */
export function mostRecentScheduleTime(cj: CronJob, now: number, s: Schedule, z: Zone, includeDeadline: boolean): RecentSchedule {
  let earliest = cj.status?.lastScheduleTime ? Date.parse(cj.status.lastScheduleTime) : Date.parse(cj.metadata.creationTimestamp ?? '');
  if (Number.isNaN(earliest)) earliest = now;
  const deadline = cj.spec.startingDeadlineSeconds;
  if (includeDeadline && typeof deadline === 'number') {
    const schedulingDeadline = now - deadline * 1000;
    if (schedulingDeadline > earliest) earliest = schedulingDeadline;
  }
  const t1 = nextAfter(s, earliest, z);
  if (t1 === undefined || now < t1) return { earliest, missed: 0 };
  const t2 = nextAfter(s, t1, z);
  if (t2 === undefined || now < t2) return { earliest, mostRecent: t1, missed: 1 };
  const interval = t2 - t1;
  if (interval < 1000) throw new Error('time difference between two schedules is less than 1 second');
  // Jump close to now by whole intervals (one short, as upstream), then walk: schedules such as
  // "30 6-16/4 * * 1-5" are not evenly spaced.
  const missed = Math.floor((now - t1) / interval) + 1;
  let recent: number | undefined;
  const walk = (from: number) => {
    for (let t = nextAfter(s, from, z); t !== undefined && t <= now; t = nextAfter(s, t, z)) recent = t;
  };
  walk(t1 + (missed - 2) * interval);
  if (recent === undefined) walk(t1 - 1000);
  return { earliest, mostRecent: recent, missed };
}

/** How long to wait before the next scheduled time (plus the small delta), from now. */
export function nextScheduleDelay(cj: CronJob, now: number, s: Schedule, z: Zone): number | undefined {
  const r = mostRecentScheduleTime(cj, now, s, z, false);
  const from = r.mostRecent ?? r.earliest;
  const next = nextAfter(s, from, z);
  if (next === undefined) return undefined;
  return Math.max(0, next + NEXT_SCHEDULE_DELTA_MS - now);
}
