// metav1.MicroTime: RFC 3339 in UTC with six fractional digits (2006-01-02T15:04:05.000000Z), the
// format of Lease acquire/renew times and Event eventTime / series.lastObservedTime.

export function formatMicroTime(ms: number): string {
  return new Date(ms).toISOString().replace(/\.(\d{3})Z$/, '.$1000Z');
}

/** Epoch ms of a MicroTime (or any RFC 3339 time); 0 when absent or unparsable. */
export function parseMicroTime(s: unknown): number {
  if (typeof s !== 'string') return 0;
  const t = Date.parse(s);
  return Number.isNaN(t) ? 0 : t;
}
