// Field errors as upstream's k8s.io/apimachinery/pkg/util/validation/field: one constructor per
// ErrorType, each rendering its message the way ErrorBody does (strings quoted as %q, numbers and
// booleans plain, anything else as JSON), so the 422 Status reads exactly like kube-apiserver's.
import type { FieldCause } from './names.js';
import { goQuote } from './quote.js';

export type { FieldCause };

/** Go's json.Marshal: map keys sorted, <, > and & escaped. */
function goJson(v: unknown): string {
  const sorted = (x: unknown): unknown => {
    if (Array.isArray(x)) return x.map(sorted);
    if (x && typeof x === 'object') {
      const out: Record<string, unknown> = {};
      for (const k of Object.keys(x).sort()) out[k] = sorted((x as Record<string, unknown>)[k]);
      return out;
    }
    return x;
  };
  return (JSON.stringify(sorted(v)) ?? 'null').replace(/[<>&]/g, (c) => `\\u00${c.charCodeAt(0).toString(16)}`);
}

/** How ErrorBody prints a bad value. */
export function renderValue(v: unknown): string {
  if (typeof v === 'string') return goQuote(v);
  if (typeof v === 'number' || typeof v === 'boolean' || typeof v === 'bigint') return String(v);
  if (v === undefined) return 'null';
  return goJson(v);
}

const withDetail = (s: string, detail?: string) => (detail ? `${s}: ${detail}` : s);

export const field = {
  required: (path: string, detail = ''): FieldCause => ({ field: path, reason: 'FieldValueRequired', message: withDetail('Required value', detail) }),
  invalid: (path: string, value: unknown, detail = ''): FieldCause => ({ field: path, reason: 'FieldValueInvalid', message: withDetail(`Invalid value: ${renderValue(value)}`, detail) }),
  notSupported: (path: string, value: unknown, valid: readonly string[]): FieldCause => ({
    field: path, reason: 'FieldValueNotSupported',
    message: withDetail(`Unsupported value: ${renderValue(value)}`, valid.length ? 'supported values: ' + valid.map((s) => goQuote(s)).join(', ') : ''),
  }),
  duplicate: (path: string, value: unknown): FieldCause => ({ field: path, reason: 'FieldValueDuplicate', message: `Duplicate value: ${renderValue(value)}` }),
  forbidden: (path: string, detail = ''): FieldCause => ({ field: path, reason: 'FieldValueForbidden', message: withDetail('Forbidden', detail) }),
  notFound: (path: string, value: unknown): FieldCause => ({ field: path, reason: 'FieldValueNotFound', message: `Not found: ${renderValue(value)}` }),
  tooLong: (path: string, max: number): FieldCause => ({ field: path, reason: 'FieldValueTooLong', message: `Too long: may not be more than ${max} ${max === 1 ? 'byte' : 'bytes'}` }),
  tooMany: (path: string, actual: number, max: number): FieldCause => ({ field: path, reason: 'FieldValueTooMany', message: `Too many: ${actual}: must have at most ${max} ${max === 1 ? 'item' : 'items'}` }),
  typeInvalid: (path: string, value: unknown, detail: string): FieldCause => ({ field: path, reason: 'FieldValueTypeInvalid', message: `Invalid value: ${renderValue(value)}: ${detail}` }),
};

/** Joins path segments: child names with '.', indexes as [i], map keys as [k]. */
export const child = (path: string, name: string) => (path ? `${path}.${name}` : name);
export const index = (path: string, i: number) => `${path}[${i}]`;
export const key = (path: string, k: string) => `${path}[${k}]`;

/** Messages from an Is* check (names.ts), each as one Invalid cause. */
export function invalidEach(path: string, value: unknown, msgs: readonly string[]): FieldCause[] {
  return msgs.map((m) => field.invalid(path, value, m));
}
