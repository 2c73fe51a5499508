// Age and duration rendering, matching apimachinery's duration.HumanDuration: about two significant
// figures, coarser as the span grows, so `kubectl get` columns stay narrow.

const SECOND = 1000;
const MINUTE = 60 * SECOND;
const HOUR = 60 * MINUTE;

/** Upstream's HumanDuration: 0s, 59s, 2m5s, 10m, 3h4m, 5d, 2y3d … and '<invalid>' below -1s. */
export function humanDuration(ms: number): string {
  // Go truncates toward zero (int(d.Seconds())); up to a second of clock skew still reads "0s".
  const seconds = Math.trunc(ms / SECOND);
  if (seconds < -1) return '<invalid>';
  if (seconds < 0) return '0s';
  if (seconds < 120) return `${seconds}s`;
  const minutes = Math.floor(ms / MINUTE);
  if (minutes < 10) {
    const s = seconds % 60;
    return s === 0 ? `${minutes}m` : `${minutes}m${s}s`;
  }
  if (minutes < 180) return `${minutes}m`;
  const hours = Math.floor(ms / HOUR);
  if (hours < 8) {
    const m = minutes % 60;
    return m === 0 ? `${hours}h` : `${hours}h${m}m`;
  }
  if (hours < 48) return `${hours}h`;
  const days = Math.floor(hours / 24);
  if (hours < 8 * 24) {
    const h = hours % 24;
    return h === 0 ? `${days}d` : `${days}d${h}h`;
  }
  if (hours < 2 * 365 * 24) return `${days}d`;
  const years = Math.floor(hours / 24 / 365);
  if (hours < 8 * 365 * 24) {
    const d = days % 365;
    return d === 0 ? `${years}y` : `${years}y${d}d`;
  }
  return `${years}y`;
}

/** Milliseconds since epoch for an RFC3339 (or MicroTime) string; undefined when absent or unparsable. */
export function parseTime(ts: unknown): number | undefined {
  if (typeof ts !== 'string' || ts === '') return undefined;
  const t = Date.parse(ts);
  return Number.isNaN(t) ? undefined : t;
}

/** Age cell from an RFC3339 timestamp ('<unknown>' when missing), as upstream translateTimestampSince. */
export function age(ts: string | undefined, now: number): string {
  const t = parseTime(ts);
  return t === undefined ? '<unknown>' : humanDuration(now - t);
}
