// A logger that lets each warning message through at most once per interval and reports how many
// it held back. The event recorder warns once per dropped event; when the API server falls behind
// thousands of Scheduled events are dropped per minute, and formatting a JSON line for each cost the
// scheduler more CPU than the events themselves.
import type { Clock } from '../../util/clock.js';
import type { Fields, Logger } from '../../util/log.js';

export function throttleWarnings(log: Logger, clock: Clock, intervalMs: number): Logger {
  const last = new Map<string, { at: number; held: number }>();
  const warn = (msg: string, fields?: Fields): void => {
    const now = clock.monotonic();
    const st = last.get(msg);
    if (st && now - st.at < intervalMs) {
      st.held++;
      return;
    }
    const held = st?.held ?? 0;
    last.set(msg, { at: now, held: 0 });
    log.warn(msg, held ? { ...fields, suppressedSinceLast: held } : fields);
  };
  const wrap = (inner: Logger): Logger => ({
    debug: (m, f) => inner.debug(m, f),
    info: (m, f) => inner.info(m, f),
    warn,
    error: (m, f) => inner.error(m, f),
    v: (level) => wrap(inner.v(level)),
    with: (fields) => throttleWarnings(inner.with(fields), clock, intervalMs),
  });
  return wrap(log);
}
