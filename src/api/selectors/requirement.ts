// One label requirement (`key op values`): construction with upstream's validation messages,
// matching, and printing. Mirrors k8s.io/apimachinery v0.32 pkg/labels/selector.go
// (NewRequirement, Requirement.Matches, Requirement.String).

import { isQualifiedName, isValidLabelValue } from '../validation/names.js';
import { goQuote, goStringSlice } from '../validation/quote.js';

/** Operators spelled as upstream's selection.Operator values ('!' = DoesNotExist). */
export type Operator = 'in' | 'notin' | 'exists' | '!' | '=' | '==' | '!=' | 'gt' | 'lt';

/** One term of a label selector; a selector is the AND of its requirements. */
export interface Requirement {
  key: string;
  operator: Operator;
  values: string[];
}

/** field.Invalid rendered as upstream's field.Error.Error(): `path: Invalid value: <v>: detail`. */
export function invalid(path: string, renderedValue: string, detail: string): string {
  return `${path}: Invalid value: ${renderedValue}: ${detail}`;
}

/** The message for an invalid label key at `path` (all messages joined with "; ", as upstream). */
export function labelKeyError(key: string, path: string): string | undefined {
  const errs = isQualifiedName(key);
  return errs.length ? invalid(path, goQuote(key), errs.join('; ')) : undefined;
}

// Go's strconv.ParseInt(s, 10, 64): optional sign, decimal digits, within int64.
const INT_RE = /^[+-]?[0-9]+$/;
const INT64_MIN = -(2n ** 63n);
const INT64_MAX = 2n ** 63n - 1n;

/** Parses a base-10 int64 the way Go does, or undefined. */
export function parseInt64(s: string): bigint | undefined {
  if (!INT_RE.test(s)) return undefined;
  const n = BigInt(s);
  return n < INT64_MIN || n > INT64_MAX ? undefined : n;
}

/**
 * Validates a requirement as upstream's NewRequirement does and returns every violation message
 * (paths relative to a nil root: "key", "values", "values[i]", "values[i][key]").
 * `values === null` stands for Go's nil slice, which only changes how the value is printed.
 */
export function requirementErrors(key: string, operator: string, values: readonly string[] | null): string[] {
  const errs: string[] = [];
  const keyErr = labelKeyError(key, 'key');
  if (keyErr) errs.push(keyErr);
  const vals = values ?? [];
  const shown = goStringSlice(values);
  switch (operator) {
    case 'in': case 'notin':
      if (vals.length === 0) errs.push(invalid('values', shown, "for 'in', 'notin' operators, values set can't be empty"));
      break;
    case '=': case '==': case '!=':
      if (vals.length !== 1) errs.push(invalid('values', shown, 'exact-match compatibility requires one single value'));
      break;
    case 'exists': case '!':
      if (vals.length !== 0) errs.push(invalid('values', shown, 'values set must be empty for exists and does not exist'));
      break;
    case 'gt': case 'lt':
      if (vals.length !== 1) errs.push(invalid('values', shown, "for 'Gt', 'Lt' operators, exactly one value is required"));
      vals.forEach((v, i) => {
        if (parseInt64(v) === undefined) errs.push(invalid(`values[${i}]`, goQuote(v), "for 'Gt', 'Lt' operators, the value must be an integer"));
      });
      break;
    default:
      errs.push(`operator: Unsupported value: ${goQuote(operator)}: supported values: "in", "notin", "=", "==", "!=", "gt", "lt", "exists", "!"`);
  }
  vals.forEach((v, i) => {
    const msgs = isValidLabelValue(v);
    if (msgs.length) errs.push(invalid(`values[${i}][${key}]`, goQuote(v), msgs.join('; ')));
  });
  return errs;
}

/** Joins errors as upstream's utilerrors aggregate prints them: one alone, else "[a, b]" without repeats. */
export function aggregate(errs: readonly string[]): string {
  const unique = [...new Set(errs)];
  return unique.length === 1 ? unique[0]! : `[${unique.join(', ')}]`;
}

/** True when labels satisfy r (a missing key satisfies only notin, != and !). */
export function requirementMatches(r: Requirement, labels: Record<string, string> | undefined): boolean {
  const has = labels !== undefined && Object.hasOwn(labels, r.key);
  const value = has ? labels[r.key]! : undefined;
  switch (r.operator) {
    case 'in': case '=': case '==':
      return value !== undefined && r.values.includes(value);
    case 'notin': case '!=':
      return value === undefined || !r.values.includes(value);
    case 'exists':
      return has;
    case '!':
      return !has;
    case 'gt': case 'lt': {
      if (value === undefined || r.values.length !== 1) return false;
      const have = parseInt64(value);
      const want = parseInt64(r.values[0]!);
      if (have === undefined || want === undefined) return false;
      return r.operator === 'gt' ? have > want : have < want;
    }
  }
}

const OP_TEXT: Record<Operator, string> = {
  'in': ' in ', 'notin': ' notin ', '=': '=', '==': '==', '!=': '!=', 'gt': '>', 'lt': '<', 'exists': '', '!': '',
};

/** Upstream's Requirement.String: `!k`, `k`, `k=v`, `k in (a,b)` with values printed sorted. */
export function requirementString(r: Requirement): string {
  const head = (r.operator === '!' ? '!' : '') + r.key + OP_TEXT[r.operator];
  if (r.operator === 'exists' || r.operator === '!') return head;
  const values = r.values.length === 1 ? r.values[0]! : [...r.values].sort().join(',');
  return r.operator === 'in' || r.operator === 'notin' ? `${head}(${values})` : head + values;
}
