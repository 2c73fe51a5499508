// Fixed clock for printer tests: every timestamp is written relative to NOW.
export const NOW = Date.parse('2025-03-01T12:00:00Z');
export const S = 1000;
export const M = 60 * S;
export const H = 60 * M;
export const D = 24 * H;

/** RFC3339 (second precision, as the API server writes) for `ms` before NOW. */
export function ago(ms: number): string {
  return new Date(NOW - ms).toISOString().replace(/\.\d+Z$/, 'Z');
}
