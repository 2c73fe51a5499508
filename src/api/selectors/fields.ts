// Field selectors: the `fieldSelector` query parameter (`a=b`, `a==b`, `a!=b`, comma = AND).
// Parsing follows k8s.io/apimachinery v0.32 pkg/fields/selector.go (splitTerms, splitTerm,
// UnescapeValue, parseSelector) and the per-kind label check follows the apiserver list/watch
// handlers, which convert every term with the kind's field label conversion and answer 400 with
// that error's text (see field-support.ts). Unsupported fields are refused, never ignored.

import { errors } from '../../util/errors.js';
import { convertFieldLabel } from './field-support.js';
import type { CustomFieldSupport } from './field-support.js';
import { fieldValue } from './field-values.js';

export { fieldValue } from './field-values.js';
export type { CustomFieldSupport } from './field-support.js';

/** One term; '==' is folded into '=' as upstream does. */
export interface FieldRequirement {
  field: string;
  operator: '=' | '!=';
  value: string;
}

/** A parsed field selector: the AND of its requirements, ordered by their text. */
export interface FieldSelector {
  readonly requirements: readonly FieldRequirement[];
  /** True when every requirement holds for obj (compared through fieldValue). */
  matches(obj: any): boolean;
  /** True when the selector does not restrict anything. */
  empty(): boolean;
  /** the value required for field with '=', if any (for indexes) */
  exactValue(field: string): string | undefined;
  /** Canonical text form with values escaped, e.g. "metadata.name=a\\,b". */
  toString(): string;
}

class Selector implements FieldSelector {
  constructor(readonly requirements: readonly FieldRequirement[]) {}
  matches(obj: any): boolean {
    return this.requirements.every((r) => (fieldValue(obj, r.field) === r.value) === (r.operator === '='));
  }
  empty(): boolean {
    return this.requirements.length === 0;
  }
  exactValue(field: string): string | undefined {
    return this.requirements.find((r) => r.operator === '=' && r.field === field)?.value;
  }
  toString(): string {
    return this.requirements.map((r) => `${r.field}${r.operator}${escapeFieldValue(r.value)}`).join(',');
  }
}

/** Escapes `\`, `,` and `=` in a value (upstream EscapeValue). */
export function escapeFieldValue(v: string): string {
  return v.replace(/[\\,=]/g, (c) => '\\' + c);
}

// Splits on commas not preceded by a backslash escape; the escapes stay for unescapeValue.
function splitTerms(s: string): string[] {
  if (s === '') return [];
  const terms: string[] = [];
  let start = 0;
  let inSlash = false;
  for (let i = 0; i < s.length; i++) {
    const c = s[i];
    if (inSlash) inSlash = false;
    else if (c === '\\') inSlash = true;
    else if (c === ',') { terms.push(s.slice(start, i)); start = i + 1; }
  }
  terms.push(s.slice(start));
  return terms;
}

// The leftmost operator wins, trying "!=" then "==" then "=" at each position, so the field name
// can never contain one and "a==b" is never read as field "a", value "=b".
const TERM_OPERATORS = ['!=', '==', '='] as const;
function splitTerm(term: string): [string, (typeof TERM_OPERATORS)[number], string] | undefined {
  for (let i = 0; i < term.length; i++) {
    for (const op of TERM_OPERATORS) {
      if (term.startsWith(op, i)) return [term.slice(0, i), op, term.slice(i + op.length)];
    }
  }
  return undefined;
}

function unescapeValue(v: string): string {
  if (!/[\\,=]/.test(v)) return v;
  let out = '';
  let inSlash = false;
  for (const c of v) {
    if (inSlash) {
      if (c !== '\\' && c !== ',' && c !== '=') throw new Error(`invalid field selector: invalid escape sequence: \\${c}`);
      out += c;
      inSlash = false;
    } else if (c === '\\') {
      inSlash = true;
    } else if (c === ',' || c === '=') {
      // Upstream prints the rune with %v, i.e. as its number ("61" for '=').
      throw new Error(`invalid field selector: unescaped character in value: ${c.codePointAt(0)}`);
    } else {
      out += c;
    }
  }
  if (inSlash) throw new Error('invalid field selector: invalid escape sequence: \\');
  return out;
}

/**
 * Parses `s` ('' = everything) and checks that every field is supported for the resource
 * (group '' = core; resource = plural); `custom` describes a custom resource's CRD instead.
 * Throws a 400 BadRequest with upstream's message for bad syntax or an unsupported field.
 */
export function parseFieldSelector(s: string, group: string, resource: string, custom?: CustomFieldSupport): FieldSelector {
  try {
    // Upstream sorts the terms before parsing; that order is also the order of requirements.
    const parsed = splitTerms(s).sort().filter((t) => t !== '').map((term) => {
      const parts = splitTerm(term);
      if (!parts) throw new Error(`invalid selector: '${s}'; can't understand '${term}'`);
      const [field, op, raw] = parts;
      return { field, operator: op === '!=' ? '!=' as const : '=' as const, value: unescapeValue(raw) };
    });
    // Syntax errors win over unsupported fields: upstream parses everything before converting.
    return new Selector(parsed.map((r) => ({ ...r, field: convertFieldLabel(group, resource, r.field, custom) })));
  } catch (e) {
    throw errors.badRequest(e instanceof Error ? e.message : String(e));
  }
}
