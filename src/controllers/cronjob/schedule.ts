// Cron schedules as the cronjob controller reads them (upstream uses robfig/cron/v3 ParseStandard):
// five fields (minute hour day-of-month month day-of-week), `*` `?` ranges `a-b`, steps `/n`, lists,
// month and weekday names, the @yearly…@hourly descriptors and @every <duration>, and the legacy
// `TZ=`/`CRON_TZ=` prefixes. Messages follow robfig's wording.
import { loadZone, type Zone } from './zone.js';

export interface CronSpec {
  kind: 'cron';
  minute: boolean[];
  hour: boolean[];
  dom: boolean[];
  month: boolean[];
  dow: boolean[];
  /** Whether day-of-month / day-of-week were `*` or `?` (robfig's star bit): then both must match, else either. */
  domStar: boolean;
  dowStar: boolean;
  /** Set by a TZ= / CRON_TZ= prefix. */
  zone?: Zone;
}

export interface EverySpec {
  kind: 'every';
  /** Interval in ms, at least one second. */
  everyMs: number;
  zone?: Zone;
}

export type Schedule = CronSpec | EverySpec;

export class CronParseError extends Error {}

interface Bounds {
  min: number;
  max: number;
  names?: Record<string, number>;
}

const MONTHS: Bounds = { min: 1, max: 12, names: Object.fromEntries(['jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec'].map((n, i) => [n, i + 1])) };
const DOWS: Bounds = { min: 0, max: 6, names: Object.fromEntries(['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'].map((n, i) => [n, i])) };
const MINUTES: Bounds = { min: 0, max: 59 };
const HOURS: Bounds = { min: 0, max: 23 };
const DOMS: Bounds = { min: 1, max: 31 };

const DESCRIPTORS: Record<string, string> = {
  '@yearly': '0 0 1 1 *', '@annually': '0 0 1 1 *', '@monthly': '0 0 1 * *', '@weekly': '0 0 * * 0',
  '@daily': '0 0 * * *', '@midnight': '0 0 * * *', '@hourly': '0 * * * *',
};

/** Upstream's check for a TZ= / CRON_TZ= schedule (validation refuses them; the controller warns). */
export function hasTimeZonePrefix(spec: string): boolean {
  return spec.includes('TZ');
}

/** Parses a standard cron spec; throws CronParseError with robfig's message. */
export function parseSchedule(input: string): Schedule {
  let spec = input.trim();
  if (!spec) throw new CronParseError('empty spec string');
  let zone: Zone | undefined;
  if (spec.startsWith('TZ=') || spec.startsWith('CRON_TZ=')) {
    const eq = spec.indexOf('=');
    const sp = spec.search(/\s/);
    const name = sp < 0 ? spec.slice(eq + 1) : spec.slice(eq + 1, sp);
    try {
      zone = loadZone(name);
    } catch (err) {
      throw new CronParseError(`provided bad location ${name}: unknown time zone ${name}`, { cause: err });
    }
    spec = sp < 0 ? '' : spec.slice(sp).trim();
  }
  if (spec.startsWith('@')) {
    if (spec.startsWith('@every ')) {
      const ms = parseGoDuration(spec.slice(7).trim());
      if (ms === undefined) throw new CronParseError(`failed to parse duration ${spec}`);
      return { kind: 'every', everyMs: Math.max(1000, Math.floor(ms / 1000) * 1000), ...(zone ? { zone } : {}) };
    }
    const expanded = DESCRIPTORS[spec.toLowerCase()];
    if (!expanded) throw new CronParseError(`unrecognized descriptor: ${spec}`);
    spec = expanded;
  }
  const fields = spec.split(/\s+/).filter(Boolean);
  if (fields.length !== 5) throw new CronParseError(`expected exactly 5 fields, found ${fields.length}: [${fields.join(' ')}]`);
  const [mi, h, dom, mo, dow] = fields as [string, string, string, string, string];
  const d = parseField(dom, DOMS);
  const w = parseField(dow, DOWS);
  return {
    kind: 'cron',
    minute: parseField(mi, MINUTES).bits, hour: parseField(h, HOURS).bits, dom: d.bits,
    month: parseField(mo, MONTHS).bits, dow: w.bits, domStar: d.star, dowStar: w.star,
    ...(zone ? { zone } : {}),
  };
}

function parseField(field: string, b: Bounds): { bits: boolean[]; star: boolean } {
  const bits = new Array<boolean>(b.max + 1).fill(false);
  let star = false;
  for (const expr of field.split(',')) {
    const r = parseRange(expr, b);
    if (r.star) star = true;
    for (let i = r.start; i <= r.end; i += r.step) bits[i] = true;
  }
  return { bits, star };
}

function parseRange(expr: string, b: Bounds): { start: number; end: number; step: number; star: boolean } {
  const rangeAndStep = expr.split('/');
  const lowAndHigh = rangeAndStep[0]!.split('-');
  const single = lowAndHigh.length === 1;
  let start: number;
  let end: number;
  let star = false;
  if (lowAndHigh[0] === '*' || lowAndHigh[0] === '?') {
    start = b.min;
    end = b.max;
    star = true;
  } else {
    start = intOrName(lowAndHigh[0]!, b.names);
    if (lowAndHigh.length === 1) end = start;
    else if (lowAndHigh.length === 2) end = intOrName(lowAndHigh[1]!, b.names);
    else throw new CronParseError(`too many hyphens: ${expr}`);
  }
  let step = 1;
  if (rangeAndStep.length === 2) {
    step = mustParseInt(rangeAndStep[1]!);
    // "N/step" means N through the maximum.
    if (single) end = b.max;
    if (step > 1) star = false;
  } else if (rangeAndStep.length > 2) {
    throw new CronParseError(`too many slashes: ${expr}`);
  }
  if (start < b.min) throw new CronParseError(`beginning of range (${start}) below minimum (${b.min}): ${expr}`);
  if (end > b.max) throw new CronParseError(`end of range (${end}) above maximum (${b.max}): ${expr}`);
  if (start > end) throw new CronParseError(`beginning of range (${start}) beyond end of range (${end}): ${expr}`);
  if (step === 0) throw new CronParseError(`step of range should be a positive number: ${expr}`);
  return { start, end, step, star };
}

function intOrName(s: string, names: Record<string, number> | undefined): number {
  const n = names?.[s.toLowerCase()];
  return n ?? mustParseInt(s);
}

function mustParseInt(s: string): number {
  if (!/^[+-]?\d+$/.test(s)) throw new CronParseError(`failed to parse int from ${s}: strconv.Atoi: parsing ${JSON.stringify(s)}: invalid syntax`);
  const n = Number(s);
  if (n < 0) throw new CronParseError(`negative number (${n}) not allowed: ${s}`);
  return n;
}

const UNITS: Record<string, number> = { ns: 1e-6, us: 1e-3, 'µs': 1e-3, ms: 1, s: 1000, m: 60_000, h: 3_600_000 };

/** Go's time.ParseDuration for positive durations ("1h30m", "90s", "1.5h"); undefined when malformed. */
export function parseGoDuration(s: string): number | undefined {
  if (!s) return undefined;
  const re = /(\d+(?:\.\d*)?|\.\d+)(ns|us|µs|ms|s|m|h)/gy;
  let total = 0;
  let pos = 0;
  let m: RegExpExecArray | null;
  while ((m = re.exec(s))) {
    total += Number(m[1]) * UNITS[m[2]!]!;
    pos = re.lastIndex;
  }
  return pos === s.length ? total : undefined;
}
