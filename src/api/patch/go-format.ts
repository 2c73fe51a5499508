// Renders JSON values the way Go's fmt prints the map[string]interface{} values that upstream's
// patch code puts in its error messages (`%v`, `%s` and reflect type names), so a Skiff error reads
// like kube-apiserver's, e.g. `map: map[value:b] does not contain declared merge key: name`.
import { isObject } from './json-value.js';

/** Go's `%v` of a decoded JSON value: maps print sorted as `map[k:v]`, slices as `[a b]`, null as `<nil>`. */
export function goValue(v: unknown): string {
  if (v === null || v === undefined) return '<nil>';
  if (Array.isArray(v)) return `[${v.map(goValue).join(' ')}]`;
  if (isObject(v)) {
    const keys = Object.keys(v).sort();
    return `map[${keys.map((k) => `${k}:${goValue(v[k])}`).join(' ')}]`;
  }
  if (typeof v === 'number') return goNumber(v);
  return String(v);
}

/** Go's `%s` of an interface{} value: strings as-is, anything else as `%!s(type=value)`. */
export function goString(v: unknown): string {
  if (typeof v === 'string') return v;
  if (v === null || v === undefined) return '%!s(<nil>)';
  return `%!s(${goType(v)}=${goValue(v)})`;
}

/** The reflect type name of a value decoded by encoding/json into interface{} (integers as int64, as the apiserver decodes them). */
export function goType(v: unknown): string {
  if (v === null || v === undefined) return '<nil>';
  if (Array.isArray(v)) return '[]interface {}';
  if (isObject(v)) return 'map[string]interface {}';
  if (typeof v === 'number') return Number.isInteger(v) ? 'int64' : 'float64';
  if (typeof v === 'boolean') return 'bool';
  return 'string';
}

function goNumber(n: number): string {
  if (Number.isInteger(n) && Math.abs(n) < 1e21) return String(n);
  // Go's %v of a float64 is strconv's 'g' with the shortest repr; exponents carry a sign and two digits.
  const s = String(n);
  return s.replace(/e([+-])(\d)$/, 'e$10$2');
}
