// The canonical string of a quantity, as upstream's Quantity.CanonicalizeBytes / String.
import { NANO, type Quantity } from './parse.js';

const DECIMAL_BY_EXPONENT: Record<number, string> = { [-9]: 'n', [-6]: 'u', [-3]: 'm', 0: '', 3: 'k', 6: 'M', 9: 'G', 12: 'T', 15: 'P', 18: 'E' };
const BINARY_BY_EXPONENT: Record<number, string> = { 0: '', 10: 'Ki', 20: 'Mi', 30: 'Gi', 40: 'Ti', 50: 'Pi', 60: 'Ei' };

/**
 * Upstream's serialized form: the input kept verbatim when it was already canonical, else
 * mantissa + suffix — BinarySI only for whole values of at least 1024 in magnitude, decimal
 * formats with an exponent that is a multiple of 3.
 */
export function formatQuantity(q: Quantity): string {
  if (q.cached !== undefined) return q.cached;
  if (q.nanos === 0n) return '0';
  const neg = q.nanos < 0n;
  const mag = neg ? -q.nanos : q.nanos;
  const sign = neg ? '-' : '';
  let format = q.format;
  if (format === 'BinarySI' && (mag < 1024n * NANO || mag % NANO !== 0n)) format = 'DecimalSI';
  if (format === 'BinarySI') {
    let amount = mag / NANO;
    let exp = 0;
    while (amount % 1024n === 0n) {
      amount /= 1024n;
      exp += 10;
    }
    return sign + amount.toString() + (BINARY_BY_EXPONENT[exp] ?? '');
  }
  let amount = mag;
  let exp = -9;
  while (amount % 10n === 0n) {
    amount /= 10n;
    exp++;
  }
  // Make the exponent a multiple of 3 by moving digits back into the mantissa.
  while (exp % 3 !== 0) {
    amount *= 10n;
    exp--;
  }
  let suffix: string;
  if (format === 'DecimalExponent') suffix = exp === 0 ? '' : `e${exp}`;
  // Upstream has no decimal suffix beyond E (10^18) and then prints no suffix at all; kept as is.
  else suffix = DECIMAL_BY_EXPONENT[exp] ?? '';
  return sign + amount.toString() + suffix;
}
