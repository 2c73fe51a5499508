// A private resource.Quantity reader until src/api/quantity lands: swapping it is a one-line change
// in each function below. Values round up like upstream Quantity.MilliValue()/Value().

const BINARY: Record<string, number> = { Ki: 2 ** 10, Mi: 2 ** 20, Gi: 2 ** 30, Ti: 2 ** 40, Pi: 2 ** 50, Ei: 2 ** 60 };
const DECIMAL: Record<string, number> = { n: 1e-9, u: 1e-6, m: 1e-3, '': 1, k: 1e3, M: 1e6, G: 1e9, T: 1e12, P: 1e15, E: 1e18 };
const RE = /^([+-]?(?:\d+\.?\d*|\.\d+))(?:([eE][+-]?\d+)|(Ki|Mi|Gi|Ti|Pi|Ei|n|u|m|k|M|G|T|P|E))?$/;

function parse(q: string | number | undefined): number {
  if (q === undefined) return 0;
  if (typeof q === 'number') return q;
  const m = RE.exec(q.trim());
  if (!m) throw new Error(`quantities must match the regular expression '^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$'`);
  const n = Number(m[1]);
  if (m[2]) return n * 10 ** Number(m[2].slice(1));
  const suffix = m[3] ?? '';
  return n * (BINARY[suffix] ?? DECIMAL[suffix]!);
}

/** CPU in millicores, rounded up ("100m" → 100, "0.5" → 500, 2 → 2000). */
export function milliCPU(q: string | number | undefined): number {
  // Round first to shed float noise ("0.1" * 1000 = 100.00000000000001), then up as upstream does.
  return Math.ceil(Math.round(parse(q) * 1000 * 1e6) / 1e6);
}

/** A plain integer quantity (memory bytes, pods, extended resources), rounded up. */
export function bytes(q: string | number | undefined): number {
  return Math.ceil(Math.round(parse(q) * 1e6) / 1e6);
}
