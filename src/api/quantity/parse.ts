// Resource quantities as upstream's k8s.io/apimachinery/pkg/api/resource.Quantity: parsing with
// its suffix rules, rounding and caps, and its canonical string form. A value is kept exactly as an
// integer count of nano-units (upstream rounds every value up to 1n precision, so nothing is lost),
// plus the format the suffix chose, plus the input string when upstream would reuse it verbatim.

export type QuantityFormat = 'DecimalExponent' | 'BinarySI' | 'DecimalSI';

/** Upstream's split pattern, quoted in ErrFormatWrong. */
export const QUANTITY_REGEX = '^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$';
export const ERR_FORMAT_WRONG = `quantities must match the regular expression '${QUANTITY_REGEX}'`;
export const ERR_NUMERIC = 'unable to parse numeric part of quantity';
export const ERR_SUFFIX = "unable to parse quantity's suffix";

/** A parse failure carrying upstream's exact message. */
export class QuantityError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'QuantityError';
  }
}

/** An immutable quantity: value = nanos × 10⁻⁹. */
export interface Quantity {
  readonly nanos: bigint;
  readonly format: QuantityFormat;
  /** The input string when upstream keeps it as the serialized form (it was already canonical). */
  readonly cached?: string;
}

export const NANO = 1_000_000_000n;
/** Upstream caps BinarySI values at the largest int64 (maxAllowed). */
const MAX_INT64 = (1n << 63n) - 1n;
/** Exponents beyond this would need enormous integers; upstream's inf.Dec copes, Skiff refuses. */
const MAX_ABS_EXPONENT = 1000;

const DECIMAL_SUFFIXES: Record<string, number> = { n: -9, u: -6, m: -3, '': 0, k: 3, M: 6, G: 9, T: 12, P: 15, E: 18 };
const BINARY_SUFFIXES: Record<string, number> = { Ki: 10, Mi: 20, Gi: 30, Ti: 40, Pi: 50, Ei: 60 };
const SUFFIX_CHARS = 'eEinumkKMGTP';
const isDigit = (c: string | undefined) => c !== undefined && c >= '0' && c <= '9';

interface Split { positive: boolean; num: string; denom: string; suffix: string }

/** Upstream's parseQuantityString: sign, numerator (leading zeros dropped), fraction, suffix. */
export function splitQuantity(str: string): Split {
  let pos = 0;
  const end = str.length;
  let positive = true;
  if (str[0] === '-') { positive = false; pos++; } else if (str[0] === '+') pos++;
  while (pos < end && str[pos] === '0') pos++;
  if (pos >= end) return { positive, num: '0', denom: '', suffix: '' };
  let i = pos;
  while (i < end && isDigit(str[i])) i++;
  const num = str.slice(pos, i) || '0';
  if (i >= end) return { positive, num, denom: '', suffix: '' };
  pos = i;
  let denom = '';
  if (str[pos] === '.') {
    pos++;
    i = pos;
    while (i < end && isDigit(str[i])) i++;
    denom = str.slice(pos, i);
    if (i >= end) return { positive, num, denom, suffix: '' };
    pos = i;
  }
  const suffixStart = pos;
  while (pos < end && SUFFIX_CHARS.includes(str[pos]!)) pos++;
  if (pos < end && (str[pos] === '-' || str[pos] === '+')) pos++;
  while (pos < end && isDigit(str[pos])) pos++;
  if (pos < end) throw new QuantityError(ERR_FORMAT_WRONG);
  return { positive, num, denom, suffix: str.slice(suffixStart) };
}

function interpretSuffix(s: string): { base: 2 | 10; exponent: number; format: QuantityFormat } {
  const dec = DECIMAL_SUFFIXES[s];
  if (dec !== undefined) return { base: 10, exponent: dec, format: 'DecimalSI' };
  const bin = BINARY_SUFFIXES[s];
  if (bin !== undefined) return { base: 2, exponent: bin, format: 'BinarySI' };
  if (s.length > 1 && (s[0] === 'e' || s[0] === 'E') && /^[+-]?[0-9]+$/.test(s.slice(1))) {
    const exponent = Number(s.slice(1));
    // Go parses the exponent as int64 and truncates it to int32.
    if (!Number.isSafeInteger(exponent)) throw new QuantityError(ERR_SUFFIX);
    return { base: 10, exponent: exponent | 0, format: 'DecimalExponent' };
  }
  throw new QuantityError(ERR_SUFFIX);
}

const ceilDiv = (a: bigint, b: bigint) => (a + b - 1n) / b;

/**
 * Parses a quantity string (or a JSON number, as upstream's UnmarshalJSON accepts) exactly as
 * upstream's ParseQuantity; throws QuantityError with upstream's message.
 */
export function parseQuantity(input: string | number): Quantity {
  const str = typeof input === 'number' ? String(input) : input;
  if (typeof str !== 'string' || str.length === 0) throw new QuantityError(ERR_FORMAT_WRONG);
  if (str === '0') return { nanos: 0n, format: 'DecimalSI', cached: '0' };
  const { positive, num, denom, suffix } = splitQuantity(str);
  const { base, exponent, format: suffixFormat } = interpretSuffix(suffix);
  let format = suffixFormat;
  if (Math.abs(exponent) > MAX_ABS_EXPONENT) throw new QuantityError(ERR_NUMERIC);

  const digits = BigInt(num + denom);
  // Exact value = digits × base^exponent / 10^len(denom); in nanos, rounded up (away from zero).
  let numer = digits * NANO;
  let div = 10n ** BigInt(denom.length);
  if (base === 2) numer <<= BigInt(exponent);
  else if (exponent >= 0) numer *= 10n ** BigInt(exponent);
  else div *= 10n ** BigInt(-exponent);
  let magnitude = ceilDiv(numer, div);
  if (format === 'BinarySI') {
    if (magnitude > MAX_INT64 * NANO) magnitude = MAX_INT64 * NANO;
    if (magnitude > 0n && magnitude < NANO) format = 'DecimalSI';
  }
  const nanos = positive ? magnitude : -magnitude;
  const cached = reusableInput(str, num, denom, base, exponent, format);
  return cached === undefined ? { nanos, format } : { nanos, format, cached };
}

// Upstream's int64 fast path keeps the input string as the serialized form when it already looks
// canonical; every other value is re-rendered. Reproduced so that, e.g., `1e3` stays `1e3`.
function reusableInput(str: string, num: string, denom: string, base: number, exponent: number, format: QuantityFormat): string | undefined {
  let precision: number;
  let scale = 0;
  let mantissa = 1n;
  if (base === 10) {
    scale = exponent;
    precision = 18 - (num.length + denom.length);
  } else if (exponent >= 0 && denom.length === 0) {
    mantissa = 1n << BigInt(exponent);
    precision = 15 - num.length - Math.trunc((exponent * 3) / 10) - 1;
  } else precision = -1;
  if (precision < 0) return undefined;
  scale -= denom.length;
  if (scale < -9) return undefined;
  const shifted = num + denom;
  const value = BigInt(shifted);
  if (value * mantissa > MAX_INT64) return undefined;
  if (format === 'BinarySI') return exponent % 10 === 0 && (value & 7n) !== 0n ? str : undefined;
  return scale % 3 === 0 && !shifted.endsWith('000') && shifted[0] !== '0' ? str : undefined;
}
