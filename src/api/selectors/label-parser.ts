// The label selector query-string grammar, lexed and parsed the way upstream does it
// (k8s.io/apimachinery pkg/labels/selector.go: Lexer, Parser, parse) so that the same inputs are
// accepted, the same values come out, and errors carry the same text:
//
//   selector    := requirement ("," requirement)*
//   requirement := ["!"] KEY [ ("in" | "notin") "(" VALUE ("," VALUE)* ")" | ("=" | "==" | "!=" | ">" | "<") VALUE ]
//
// Whitespace (space, tab, CR, LF) separates tokens and is otherwise ignored; "in"/"notin" are
// keywords only where an operator is expected, so `in in (in)` is a valid requirement.

import { labelKeyError, requirementErrors, aggregate } from './requirement.js';
import type { Operator, Requirement } from './requirement.js';

type Tok = 'eos' | 'ident' | ')' | ',' | '!' | '==' | '=' | '>' | '<' | '!=' | '(' | 'in' | 'notin';
interface Item { tok: Tok; lit: string }

const KEYWORDS = new Map<string, Tok>([
  [')', ')'], [',', ','], ['!', '!'], ['==', '=='], ['=', '='], ['>', '>'], ['<', '<'], ['!=', '!='], ['(', '('],
  ['in', 'in'], ['notin', 'notin'],
]);
const SPECIAL = new Set(['=', '!', '(', ')', ',', '>', '<']);
const isSpace = (c: string) => c === ' ' || c === '\t' || c === '\r' || c === '\n';
// Upstream's lexer works on a NUL-terminated view of the input: reading past the end, or reading
// an actual NUL, both yield 0. Keeping that makes odd inputs behave identically.
const END = '\0';

/** Splits a selector into tokens, always ending with 'eos'. */
function lex(s: string): Item[] {
  let pos = 0;
  const read = () => (pos < s.length ? s[pos++]! : END);
  const items: Item[] = [];
  for (;;) {
    let ch = read();
    while (isSpace(ch)) ch = read();
    if (ch === END) { items.push({ tok: 'eos', lit: '' }); return items; }
    pos--;
    if (SPECIAL.has(ch)) {
      // Longest run of special characters that still forms an operator: "!=" but "=(" → "=", "(".
      let buf = '';
      let last: Item | undefined;
      for (;;) {
        const c = read();
        if (c === END) break;
        if (!SPECIAL.has(c)) { pos--; break; }
        buf += c;
        const tok = KEYWORDS.get(buf);
        if (tok) last = { tok, lit: buf };
        else if (last) { pos--; break; }
      }
      // Every single special character is itself a token, so `last` is always set here.
      items.push(last!);
    } else {
      let buf = '';
      for (;;) {
        const c = read();
        if (c === END) break;
        if (SPECIAL.has(c) || isSpace(c)) { pos--; break; }
        buf += c;
      }
      items.push({ tok: KEYWORDS.get(buf) ?? 'ident', lit: buf });
    }
  }
}

class SelectorSyntaxError extends Error {}
const fail = (msg: string): never => { throw new SelectorSyntaxError(msg); };

/** Parses `s` into requirements sorted by key; throws Error with upstream's message on bad input. */
export function parseRequirements(s: string): Requirement[] {
  const items = lex(s);
  let pos = 0;
  // Where a value is expected, the keywords "in" and "notin" are plain identifiers.
  const asValue = (it: Item): Item => (it.tok === 'in' || it.tok === 'notin' ? { tok: 'ident', lit: it.lit } : it);
  const peek = () => asValue(items[pos]!);
  const next = () => asValue(items[pos++]!);
  const nextOperator = () => items[pos++]!;

  const reqs: Requirement[] = [];
  for (;;) {
    const { tok, lit } = peek();
    if (tok === 'eos') break;
    if (tok !== 'ident' && tok !== '!') fail(`found '${lit}', expected: !, identifier, or 'end of string'`);
    try {
      reqs.push(parseRequirement());
    } catch (e) {
      if (e instanceof SelectorSyntaxError) fail(`unable to parse requirement: ${e.message}`);
      throw e;
    }
    const after = next();
    if (after.tok === 'eos') break;
    if (after.tok !== ',') fail(`found '${after.lit}', expected: ',' or 'end of string'`);
    const following = peek();
    if (following.tok !== 'ident' && following.tok !== '!') fail(`found '${following.lit}', expected: identifier after ','`);
  }
  // Stable sort, as upstream's sort.Sort(ByKey) behaves on the short lists selectors are.
  return reqs.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));

  function parseRequirement(): Requirement {
    let operator: Operator | undefined;
    let t = next();
    if (t.tok === '!') { operator = '!'; t = next(); }
    if (t.tok !== 'ident') fail(`found '${t.lit}', expected: identifier`);
    const key = t.lit;
    // Upstream validates the key here with a nil field path, which prints as "<nil>".
    const keyErr = labelKeyError(key, '<nil>');
    if (keyErr) fail(keyErr);
    const ahead = peek().tok;
    if (operator === undefined && (ahead === 'eos' || ahead === ',')) operator = 'exists';
    if (operator === undefined) operator = parseOperator();
    const values = operator === 'exists' || operator === '!' ? []
      : operator === 'in' || operator === 'notin' ? parseValues() : parseExactValue();
    const errs = requirementErrors(key, operator, values);
    if (errs.length) fail(aggregate(errs));
    return { key, operator, values };
  }

  function parseOperator(): Operator {
    const { tok, lit } = nextOperator();
    switch (tok) {
      case 'in': return 'in';
      case 'notin': return 'notin';
      case '=': return '=';
      case '==': return '==';
      case '!=': return '!=';
      case '>': return 'gt';
      case '<': return 'lt';
      default: return fail(`found '${lit}', expected: in, notin, =, ==, !=, gt, lt`);
    }
  }

  // A parenthesised list; empty entries ("()", "(a,)", "(,,)") stand for the empty value.
  // Values form a set: duplicates collapse and the result is sorted, like upstream's sets.String.
  function parseValues(): string[] {
    const open = next();
    if (open.tok !== '(') fail(`found '${open.lit}' expected: '('`);
    const first = peek();
    if (first.tok === ')') { next(); return ['']; }
    if (first.tok !== 'ident' && first.tok !== ',') fail(`found '${first.lit}', expected: ',', ')' or identifier`);
    const set = new Set<string>();
    for (;;) {
      const t = next();
      if (t.tok === 'ident') {
        set.add(t.lit);
        const after = peek();
        if (after.tok === ')') break;
        if (after.tok !== ',') fail(`found '${after.lit}', expected: ',' or ')'`);
      } else if (t.tok === ',') {
        if (set.size === 0) set.add('');
        const after = peek().tok;
        // Current upstream (after apimachinery v0.32) also accepts a trailing ",,)"; older
        // releases rejected it with "found ')', expected: ',', or identifier".
        if (after === ')') { set.add(''); break; }
        if (after === ',') set.add('');
      } else {
        fail(`found '${t.lit}', expected: ',', or identifier`);
      }
    }
    next(); // the ')' seen above
    return [...set].sort();
  }

  // The single value after =, ==, !=, > or <; nothing before ',' or the end means "".
  function parseExactValue(): string[] {
    const ahead = peek().tok;
    if (ahead === 'eos' || ahead === ',') return [''];
    const t = next();
    if (t.tok !== 'ident') fail(`found '${t.lit}', expected: identifier`);
    return [t.lit];
  }
}
