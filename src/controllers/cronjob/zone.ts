// Wall-clock arithmetic in an IANA time zone via Intl (the cron schedule works on local time the way
// Go's time package does: fields of an instant, and time.Date to turn fields back into an instant).

export interface Zone {
  readonly name: string;
  /** Offset of local time from UTC at instant ms, in ms. */
  offset(ms: number): number;
}

const formatters = new Map<string, Intl.DateTimeFormat>();

export const UTC: Zone = { name: 'UTC', offset: () => 0 };

/** The zone with this IANA name ("" or "UTC" is UTC, "Local" is the process zone); throws RangeError when unknown. */
export function loadZone(name: string): Zone {
  if (name === '' || name === 'UTC') return UTC;
  const tz = name === 'Local' ? Intl.DateTimeFormat().resolvedOptions().timeZone : name;
  let f = formatters.get(tz);
  if (!f) {
    // Throws RangeError for names Intl does not know.
    f = new Intl.DateTimeFormat('en-US', { timeZone: tz, hourCycle: 'h23', year: 'numeric', month: 'numeric', day: 'numeric', hour: 'numeric', minute: 'numeric', second: 'numeric' });
    formatters.set(tz, f);
  }
  const fmt = f;
  return {
    name,
    offset(ms: number): number {
      const whole = Math.floor(ms / 1000) * 1000;
      const p: Record<string, number> = {};
      for (const part of fmt.formatToParts(whole)) if (part.type !== 'literal') p[part.type] = Number(part.value);
      return Date.UTC(p.year!, p.month! - 1, p.day!, p.hour!, p.minute!, p.second!) - whole;
    },
  };
}

/** Local calendar fields of an instant (month 1–12, weekday 0 = Sunday). */
export interface Fields {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
  second: number;
  weekday: number;
}

export function fieldsOf(ms: number, z: Zone): Fields {
  const d = new Date(ms + z.offset(ms));
  return {
    year: d.getUTCFullYear(), month: d.getUTCMonth() + 1, day: d.getUTCDate(),
    hour: d.getUTCHours(), minute: d.getUTCMinutes(), second: d.getUTCSeconds(), weekday: d.getUTCDay(),
  };
}

/**
 * The instant of local wall time (fields normalised like Go's time.Date: month 13 is next January).
 * In a DST gap or overlap it picks the offset Go picks: the one in effect just before the transition.
 */
export function dateIn(z: Zone, year: number, month: number, day: number, hour = 0, minute = 0, second = 0): number {
  const local = Date.UTC(year, month - 1, day, hour, minute, second);
  const off1 = z.offset(local);
  const utc = local - off1;
  const off2 = z.offset(utc);
  return off2 === off1 ? utc : local - off2;
}

/** RFC 3339 with the zone's offset ("2026-01-01T09:00:00+01:00", "Z" for UTC), as Go's Format(time.RFC3339). */
export function formatRfc3339In(ms: number, z: Zone): string {
  const off = z.offset(ms);
  const base = new Date(ms + off).toISOString().replace(/\.\d+Z$/, '');
  if (off === 0) return `${base}Z`;
  const m = Math.abs(off) / 60_000;
  return `${base}${off < 0 ? '-' : '+'}${String(Math.floor(m / 60)).padStart(2, '0')}:${String(m % 60).padStart(2, '0')}`;
}
