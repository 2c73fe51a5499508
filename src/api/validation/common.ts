// Validators shared by several kinds (upstream pkg/apis/core/validation helpers and
// apimachinery's metav1 validation): non-negative fields, ports, label selectors, quantities,
// immutability, int-or-percent values.
import { isDNS1123Label, isDNS1123Subdomain, isQualifiedName, isValidLabelValue, regexError, validateLabels } from './names.js';
import { child, field, index, invalidEach, key, type FieldCause } from './field.js';
import { labelSelectorFromObject, labelSelectorFromSet, type LabelSelector } from '../selectors/index.js';
import { parseQuantity, QuantityError, type Quantity } from '../quantity/index.js';

export type Obj = Record<string, any>;
export const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);
export const list = (v: unknown): any[] => (Array.isArray(v) ? v : []);

export const IS_NEGATIVE = 'must be greater than or equal to 0';
export const FIELD_IMMUTABLE = 'field is immutable';

export const inclusiveRangeError = (lo: number, hi: number) => `must be between ${lo} and ${hi}, inclusive`;

/** ValidateNonnegativeField: absent values pass. */
export function nonNegative(v: unknown, path: string): FieldCause[] {
  return typeof v === 'number' && v < 0 ? [field.invalid(path, v, IS_NEGATIVE)] : [];
}

/** IsValidPortNum. */
export function portNumErrors(p: unknown): string[] {
  return typeof p === 'number' && Number.isInteger(p) && p >= 1 && p <= 65535 ? [] : [inclusiveRangeError(1, 65535)];
}

/** IsValidPortName (IANA_SVC_NAME). */
export function portNameErrors(name: string): string[] {
  const errs: string[] = [];
  if (name.length > 15) errs.push('must be no more than 15 characters');
  if (!/^[-a-z0-9]+$/.test(name)) errs.push('must contain only alpha-numeric characters (a-z, 0-9), and hyphens (-)');
  if (!/[a-z]/.test(name)) errs.push('must contain at least one letter (a-z)');
  if (name.includes('--')) errs.push('must not contain consecutive hyphens');
  if (name.length > 0 && (name.startsWith('-') || name.endsWith('-'))) errs.push('must not begin or end with a hyphen');
  return errs;
}

/** ValidatePortNumOrName for an int-or-string port. */
export function portNumOrName(port: unknown, path: string): FieldCause[] {
  if (typeof port === 'number') return invalidEach(path, port, portNumErrors(port));
  if (typeof port === 'string') return invalidEach(path, port, portNameErrors(port));
  return [field.required(path)];
}

export const dnsLabel = (v: string, path: string) => invalidEach(path, v, isDNS1123Label(v));
export const dnsSubdomain = (v: string, path: string) => invalidEach(path, v, isDNS1123Subdomain(v));
export const qualifiedName = (v: string, path: string) => invalidEach(path, v, isQualifiedName(v));

/** metav1 ValidateLabelSelector (values must be valid label values). */
export function labelSelector(sel: unknown, path: string): FieldCause[] {
  if (sel == null) return [];
  if (!isObj(sel)) return [field.typeInvalid(path, sel, 'must be an object')];
  const causes = validateLabels(sel.matchLabels, child(path, 'matchLabels'));
  list(sel.matchExpressions).forEach((e: any, i) => {
    const p = index(child(path, 'matchExpressions'), i);
    const values = list(e?.values);
    switch (e?.operator) {
      case 'In': case 'NotIn':
        if (values.length === 0) causes.push(field.required(child(p, 'values'), "must be specified when `operator` is 'In' or 'NotIn'"));
        break;
      case 'Exists': case 'DoesNotExist':
        if (values.length > 0) causes.push(field.forbidden(child(p, 'values'), "may not be specified when `operator` is 'Exists' or 'DoesNotExist'"));
        break;
      default:
        causes.push(field.invalid(child(p, 'operator'), e?.operator ?? '', 'not a valid selector operator'));
    }
    causes.push(...qualifiedName(String(e?.key ?? ''), child(p, 'key')));
    values.forEach((v, j) => causes.push(...invalidEach(index(child(p, 'values'), j), v, isValidLabelValue(String(v)))));
  });
  return causes;
}

/** The selector for matching, or undefined when it cannot be built (already reported as invalid). */
export function selectorOf(sel: unknown): LabelSelector | undefined {
  try {
    return labelSelectorFromObject(isObj(sel) ? (sel as never) : undefined);
  } catch {
    return undefined;
  }
}

export function selectorOfSet(set: unknown): LabelSelector | undefined {
  try {
    return labelSelectorFromSet(isObj(set) ? (set as Record<string, string>) : undefined);
  } catch {
    return undefined;
  }
}

/** A quantity as stored (already canonical), or undefined when unparsable. */
export function quantityOf(v: unknown): Quantity | undefined {
  if (typeof v !== 'string' && typeof v !== 'number') return undefined;
  try {
    return parseQuantity(v);
  } catch (err) {
    if (err instanceof QuantityError) return undefined;
    throw err;
  }
}

/** ValidateNonnegativeQuantity. */
export function nonNegativeQuantity(v: unknown, path: string): FieldCause[] {
  const q = quantityOf(v);
  if (!q) return [field.invalid(path, v, 'must be a valid resource quantity')];
  return q.nanos < 0n ? [field.invalid(path, String(v), IS_NEGATIVE)] : [];
}

/** Deep equality of JSON values (upstream apiequality.Semantic.DeepEqual on decoded objects). */
export function deepEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (a == null || b == null) return (a ?? null) === (b ?? null);
  if (typeof a !== 'object' || typeof b !== 'object') return false;
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  if (Array.isArray(a)) {
    const bb = b as unknown[];
    return a.length === bb.length && a.every((x, i) => deepEqual(x, bb[i]));
  }
  const ka = Object.keys(a as object).filter((k) => (a as Obj)[k] != null);
  const kb = Object.keys(b as object).filter((k) => (b as Obj)[k] != null);
  return ka.length === kb.length && ka.every((k) => deepEqual((a as Obj)[k], (b as Obj)[k]));
}

/** ValidateImmutableField: `field is immutable` on any change, showing the new value. */
export function immutable(next: unknown, old: unknown, path: string): FieldCause[] {
  return deepEqual(next, old) ? [] : [field.invalid(path, next ?? null, FIELD_IMMUTABLE)];
}

const PERCENT_RE = /^[0-9]+%$/;

/** ValidatePositiveIntOrPercent. */
export function positiveIntOrPercent(v: unknown, path: string): FieldCause[] {
  if (typeof v === 'string') {
    return PERCENT_RE.test(v) ? [] : [field.invalid(path, v, regexError("a valid percent string must be a numeric string followed by an ending '%'", '[0-9]+%', '1%', '93%'))];
  }
  return nonNegative(v, path);
}

/** The int value of an int-or-percent (percent number for strings), as getIntOrPercentValue. */
export function intOrPercentValue(v: unknown): number {
  if (typeof v === 'number') return v;
  if (typeof v === 'string' && PERCENT_RE.test(v)) return Number(v.slice(0, -1));
  return 0;
}

/** IsNotMoreThan100Percent. */
export function notMoreThan100Percent(v: unknown, path: string): FieldCause[] {
  if (typeof v !== 'string' || !PERCENT_RE.test(v)) return [];
  return Number(v.slice(0, -1)) > 100 ? [field.invalid(path, v, 'must not be greater than 100%')] : [];
}

/** An enum field: Required when empty, NotSupported when unknown. */
export function oneOf(v: unknown, valid: readonly string[], path: string, requiredWhenEmpty = true): FieldCause[] {
  if (v === undefined || v === null || v === '') return requiredWhenEmpty ? [field.required(path)] : [];
  return valid.includes(v as string) ? [] : [field.notSupported(path, v, valid)];
}

const CONFIG_KEY_RE = /^[-._a-zA-Z0-9]+$/;

/** IsConfigMapKey: keys of ConfigMaps and Secrets (and projected items). */
export function configKeyErrors(k: string): string[] {
  const errs: string[] = [];
  if (Buffer.byteLength(k) > 253) errs.push('must be no more than 253 characters');
  if (!CONFIG_KEY_RE.test(k)) errs.push(regexError("a valid config key must consist of alphanumeric characters, '-', '_' or '.'", '[-._a-zA-Z0-9]+', 'key.name', 'KEY_NAME', 'key-name'));
  if (k === '.') errs.push("must not be '.'");
  else if (k === '..') errs.push("must not be '..'");
  else if (k.startsWith('..')) errs.push("must not start with '..'");
  return errs;
}

export { child, field, index, key, invalidEach, type FieldCause };
