// Comparisons and arithmetic on quantities, for the scheduler, quota and validation
// (upstream's Quantity.Cmp, Add, Sub, Value, MilliValue, AsApproximateFloat64).
import { NANO, parseQuantity, type Quantity } from './parse.js';

export type QuantityLike = Quantity | string | number;

/** A Quantity from a string, a JSON number or a Quantity; throws QuantityError when unparsable. */
export function toQuantity(v: QuantityLike): Quantity {
  return typeof v === 'object' ? v : parseQuantity(v);
}

/** -1, 0 or 1 as a < b, a = b, a > b (exact). */
export function cmp(a: QuantityLike, b: QuantityLike): -1 | 0 | 1 {
  const x = toQuantity(a).nanos;
  const y = toQuantity(b).nanos;
  return x < y ? -1 : x > y ? 1 : 0;
}

/** a + b; the format is a's unless a is zero (upstream Add keeps a suffix either way round). */
export function add(a: QuantityLike, b: QuantityLike): Quantity {
  const x = toQuantity(a);
  const y = toQuantity(b);
  return { nanos: x.nanos + y.nanos, format: x.nanos === 0n ? y.format : x.format };
}

/** a − b, formatted like add. */
export function sub(a: QuantityLike, b: QuantityLike): Quantity {
  const x = toQuantity(a);
  const y = toQuantity(b);
  return { nanos: x.nanos - y.nanos, format: x.nanos === 0n ? y.format : x.format };
}

// Rounds nanos up (away from zero) to a multiple of unit, as upstream's ScaledValue does.
function scaled(nanos: bigint, unit: bigint): bigint {
  const neg = nanos < 0n;
  const mag = neg ? -nanos : nanos;
  const r = (mag + unit - 1n) / unit;
  return neg ? -r : r;
}

/** ceil(q × 1000), as upstream's MilliValue (cpu in millicores). */
export function toMilli(v: QuantityLike): number {
  return Number(scaled(toQuantity(v).nanos, NANO / 1000n));
}

/** The value rounded up to a whole number, as upstream's Value (bytes, counts). */
export function toValue(v: QuantityLike): number {
  return Number(scaled(toQuantity(v).nanos, NANO));
}

/** The value as a float (may lose precision), as upstream's AsApproximateFloat64. */
export function toNumber(v: QuantityLike): number {
  const n = toQuantity(v).nanos;
  const whole = n / NANO;
  return Number(whole) + Number(n - whole * NANO) / 1e9;
}

export function isZero(v: QuantityLike): boolean {
  return toQuantity(v).nanos === 0n;
}

/** -1, 0 or 1 by the sign of the value. */
export function sign(v: QuantityLike): -1 | 0 | 1 {
  return cmp(v, { nanos: 0n, format: 'DecimalSI' });
}

/** True when the value is a whole number (upstream checks this for extended resources). */
export function isInteger(v: QuantityLike): boolean {
  return toQuantity(v).nanos % NANO === 0n;
}
