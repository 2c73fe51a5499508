// Path elements of structured-merge-diff (sigs.k8s.io/structured-merge-diff fieldpath): how one step
// from a value to its child is named in FieldsV1 (`f:name`, `k:{"name":"nginx"}`, `v:"x"`, `i:0`)
// and in conflict messages (`.spec`, `[name="nginx"]`, `[="x"]`, `[0]`).
//
// A path element is kept in its serialized FieldsV1 form (a string), so sets can index children by
// plain string keys; the order between elements (fields < keys < values < indexes) is computed on
// demand when a set is serialized or iterated.

/** One serialized path element: `f:<field>`, `k:<json object>`, `v:<json value>` or `i:<index>`. */
export type PathElement = string;
/** A path from the root: one element per step. */
export type Path = readonly PathElement[];

export function fieldElement(name: string): PathElement {
  return 'f:' + name;
}

/** The key of an associative-list element: its key fields sorted by name (upstream FieldList.Sort). */
export function keyElement(fields: Record<string, unknown>): PathElement {
  const names = Object.keys(fields).sort(compareStrings);
  return 'k:{' + names.map((n) => goJson(n) + ':' + goJson(fields[n])).join(',') + '}';
}

export function valueElement(value: unknown): PathElement {
  return 'v:' + goJson(value);
}

export function indexElement(i: number): PathElement {
  return 'i:' + String(i);
}

/** A parsed path element, for ordering and printing. */
export type ParsedElement =
  | { field: string }
  | { key: [string, unknown][] }
  | { value: unknown }
  | { index: number };

const parsedCache = new Map<string, ParsedElement>();

/** Parses a serialized element; throws on a malformed one (callers decoding client input catch it). */
export function parseElement(pe: PathElement): ParsedElement {
  const hit = parsedCache.get(pe);
  if (hit) return hit;
  if (pe.length < 2 || pe[1] !== ':') throw new Error(`invalid path element ${JSON.stringify(pe)}`);
  const body = pe.slice(2);
  let out: ParsedElement;
  switch (pe[0]) {
    case 'f': out = { field: body }; break;
    case 'k': {
      const v: unknown = JSON.parse(body);
      if (v === null || typeof v !== 'object' || Array.isArray(v)) throw new Error(`invalid key element ${JSON.stringify(pe)}`);
      out = { key: Object.entries(v as Record<string, unknown>).sort((a, b) => compareStrings(a[0], b[0])) };
      break;
    }
    case 'v': out = { value: JSON.parse(body) as unknown }; break;
    case 'i': {
      if (!/^-?\d+$/.test(body)) throw new Error(`invalid index element ${JSON.stringify(pe)}`);
      out = { index: Number(body) };
      break;
    }
    default: throw new UnknownElementError(pe);
  }
  if (parsedCache.size > 50_000) parsedCache.clear();
  parsedCache.set(pe, out);
  return out;
}

/** An element of a type this code does not know; upstream drops those when decoding. */
export class UnknownElementError extends Error {
  constructor(pe: string) {
    super(`unknown path element type ${JSON.stringify(pe)}`);
  }
}

/** Re-serializes a decoded element in canonical form (keys sorted, Go JSON escaping). */
export function canonicalElement(pe: PathElement): PathElement {
  const p = parseElement(pe);
  if ('field' in p) return pe;
  if ('key' in p) return keyElement(Object.fromEntries(p.key));
  if ('value' in p) return valueElement(p.value);
  return indexElement(p.index);
}

const RANK = { field: 0, key: 1, value: 2, index: 3 } as const;

function rank(p: ParsedElement): number {
  if ('field' in p) return RANK.field;
  if ('key' in p) return RANK.key;
  if ('value' in p) return RANK.value;
  return RANK.index;
}

/** Upstream PathElement.Compare: fields, then keys, then values, then indexes. */
export function compareElements(a: PathElement, b: PathElement): number {
  if (a === b) return 0;
  // Fast path: two field names compare as strings.
  if (a.startsWith('f:') && b.startsWith('f:')) return compareStrings(a, b);
  const pa = parseElement(a);
  const pb = parseElement(b);
  const ra = rank(pa);
  const rb = rank(pb);
  if (ra !== rb) return ra - rb;
  if ('field' in pa && 'field' in pb) return compareStrings(pa.field, pb.field);
  if ('key' in pa && 'key' in pb) {
    for (let i = 0; ; i++) {
      if (i >= pa.key.length && i >= pb.key.length) return 0;
      if (i >= pa.key.length) return -1;
      if (i >= pb.key.length) return 1;
      const c = compareStrings(pa.key[i]![0], pb.key[i]![0]) || compareValues(pa.key[i]![1], pb.key[i]![1]);
      if (c !== 0) return c;
    }
  }
  if ('value' in pa && 'value' in pb) return compareValues(pa.value, pb.value);
  if ('index' in pa && 'index' in pb) return pa.index - pb.index;
  return 0;
}

export function compareStrings(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** Upstream value.Compare: numbers < strings < booleans < lists < maps < null. */
export function compareValues(a: unknown, b: unknown): number {
  const order = (v: unknown): number => typeof v === 'number' ? 0 : typeof v === 'string' ? 1 : typeof v === 'boolean' ? 2
    : Array.isArray(v) ? 3 : v !== null && typeof v === 'object' ? 4 : 5;
  const oa = order(a);
  const ob = order(b);
  if (oa !== ob) return oa - ob;
  switch (oa) {
    case 0: return (a as number) - (b as number);
    case 1: return compareStrings(a as string, b as string);
    case 2: return Number(a) - Number(b);
    case 3: {
      const la = a as unknown[];
      const lb = b as unknown[];
      for (let i = 0; i < Math.min(la.length, lb.length); i++) {
        const c = compareValues(la[i], lb[i]);
        if (c !== 0) return c;
      }
      return la.length - lb.length;
    }
    case 4: return compareStrings(goJson(a), goJson(b));
    default: return 0;
  }
}

/** The human form used in conflict messages: `.spec.containers[name="nginx"].image`. */
export function pathString(path: Path): string {
  return path.map(elementString).join('');
}

export function elementString(pe: PathElement): string {
  const p = parseElement(pe);
  if ('field' in p) return '.' + p.field;
  if ('key' in p) return '[' + p.key.map(([k, v]) => `${k}=${goToString(v)}`).join(',') + ']';
  if ('value' in p) return `[=${goToString(p.value)}]`;
  return `[${p.index}]`;
}

/** Upstream value.ToString: strings quoted (Go %q), numbers and booleans plain. */
function goToString(v: unknown): string {
  if (v === null || v === undefined) return 'null';
  if (typeof v === 'string') return JSON.stringify(v);
  if (Array.isArray(v)) return '[' + v.map(goToString).join(',') + ']';
  if (typeof v === 'object') return Object.entries(v as Record<string, unknown>).map(([k, x]) => `${k}=${goToString(x)}`).join('');
  return String(v);
}

/**
 * JSON as Go's encoding/json writes it (what upstream's FieldsV1 keys contain): object keys sorted,
 * `<`, `>`, `&`, U+2028 and U+2029 escaped.
 */
const HTML_UNSAFE = /[<>&\u2028\u2029]/;
const HTML_UNSAFE_ALL = /[<>&\u2028\u2029]/g;

export function goJson(v: unknown): string {
  if (v === null || v === undefined) return 'null';
  if (typeof v === 'string') {
    const s = JSON.stringify(v);
    return HTML_UNSAFE.test(s) ? s.replace(HTML_UNSAFE_ALL, (c) => '\\u' + c.charCodeAt(0).toString(16).padStart(4, '0')) : s;
  }
  if (Array.isArray(v)) return '[' + v.map(goJson).join(',') + ']';
  if (typeof v === 'object') {
    const o = v as Record<string, unknown>;
    return '{' + Object.keys(o).sort(compareStrings).map((k) => goJson(k) + ':' + goJson(o[k])).join(',') + '}';
  }
  return JSON.stringify(v);
}
