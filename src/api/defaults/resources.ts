// Quantities are canonicalised on write, as upstream does by decoding into resource.Quantity and
// encoding again; ResourceLists are also rounded up to milli precision (SetDefaults_ResourceList).
// An unparsable quantity fails the whole request with 400, as upstream's decoder does.
import { formatQuantity, parseQuantity, QuantityError, type Quantity } from '../quantity/index.js';
import { isObj, type Obj } from './util.js';

/** Thrown for an unparsable quantity; the strategy turns it into upstream's 400 decode error. */
export class DecodeError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'DecodeError';
  }
}

function parse(v: unknown): Quantity {
  if (typeof v !== 'string' && typeof v !== 'number') throw new DecodeError(`quantities must be a string or a number, got ${JSON.stringify(v)}`);
  try {
    return parseQuantity(v);
  } catch (err) {
    if (err instanceof QuantityError) throw new DecodeError(err.message);
    throw err;
  }
}

const MILLI_NANOS = 1_000_000n;

/** Upstream's RoundUp(Milli): away from zero; the kept input string is dropped only if the value changed. */
function roundUpMilli(q: Quantity): Quantity {
  const rem = q.nanos % MILLI_NANOS;
  if (rem === 0n) return q;
  const nanos = q.nanos - rem + (q.nanos > 0n ? MILLI_NANOS : -MILLI_NANOS);
  return { nanos, format: q.format };
}

/** Canonicalises o[k] in place when it is present. */
export function canonicalField(o: Obj | undefined, k: string): void {
  if (!isObj(o) || o[k] === undefined || o[k] === null) return;
  o[k] = formatQuantity(parse(o[k]));
}

/** Canonicalises (and rounds to milli) every value of a ResourceList in place. */
export function defaultResourceList(list: unknown): void {
  if (!isObj(list)) return;
  for (const [k, v] of Object.entries(list)) {
    if (v === null || v === undefined) continue;
    list[k] = formatQuantity(roundUpMilli(parse(v)));
  }
}

/** Every ResourceList of a ResourceRequirements ({limits, requests}). */
export function defaultRequirements(r: unknown): void {
  if (!isObj(r)) return;
  defaultResourceList(r.limits);
  defaultResourceList(r.requests);
}
