// The next activation of a schedule after an instant (robfig/cron SpecSchedule.Next): walk month,
// day, hour, minute, second forward in local time. Hours and minutes advance in absolute time, so a
// time skipped by a DST jump does not fire that day and a repeated hour fires twice, as upstream.
import type { Schedule } from './schedule.js';
import { UTC, dateIn, fieldsOf, type Zone } from './zone.js';

/** The first activation strictly after fromMs (whole seconds), or undefined within five years. */
export function nextAfter(s: Schedule, fromMs: number, zone: Zone = UTC): number | undefined {
  if (s.kind === 'every') return Math.floor(fromMs / 1000) * 1000 + s.everyMs;
  const z = s.zone ?? zone;
  let t = Math.floor(fromMs / 1000) * 1000 + 1000;
  let added = false;
  const yearLimit = fieldsOf(t, z).year + 5;
  const dayMatches = (f: { day: number; weekday: number }) => {
    const d = s.dom[f.day] === true;
    const w = s.dow[f.weekday] === true;
    return s.domStar || s.dowStar ? d && w : d || w;
  };
  wrap: for (;;) {
    let f = fieldsOf(t, z);
    if (f.year > yearLimit) return undefined;
    while (!s.month[f.month]) {
      if (!added) {
        added = true;
        t = dateIn(z, f.year, f.month, 1);
        f = fieldsOf(t, z);
      }
      t = dateIn(z, f.year, f.month + 1, f.day, f.hour, f.minute, f.second);
      f = fieldsOf(t, z);
      if (f.month === 1) continue wrap;
    }
    while (!dayMatches(f)) {
      if (!added) {
        added = true;
        t = dateIn(z, f.year, f.month, f.day);
        f = fieldsOf(t, z);
      }
      t = dateIn(z, f.year, f.month, f.day + 1, f.hour, f.minute, f.second);
      f = fieldsOf(t, z);
      // Midnight may have moved under a DST change: snap back to it.
      if (f.hour !== 0) {
        t += (f.hour > 12 ? 24 - f.hour : -f.hour) * 3_600_000;
        f = fieldsOf(t, z);
      }
      if (f.day === 1) continue wrap;
    }
    while (!s.hour[f.hour]) {
      if (!added) {
        added = true;
        t = dateIn(z, f.year, f.month, f.day, f.hour);
      }
      t += 3_600_000;
      f = fieldsOf(t, z);
      if (f.hour === 0) continue wrap;
    }
    while (!s.minute[f.minute]) {
      if (!added) {
        added = true;
        t = Math.floor(t / 60_000) * 60_000;
      }
      t += 60_000;
      f = fieldsOf(t, z);
      if (f.minute === 0) continue wrap;
    }
    while (f.second !== 0) {
      if (!added) added = true;
      t += 1000;
      f = fieldsOf(t, z);
      if (f.second === 0) continue wrap;
    }
    return t;
  }
}
