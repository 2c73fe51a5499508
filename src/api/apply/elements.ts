// Naming list elements (upstream typed/helpers.go listItemToPathElement): an element of a map list
// by its key fields, of a set by its value. Atomic lists have no named elements.
import { keyElement, valueElement, type PathElement } from './path.js';
import type { ListKind } from './typeinfo.js';

/** A value that cannot be placed in its list (a keyed element with no key, a map in a set…). */
export class ElementError extends Error {}

export function isMap(v: unknown): v is Record<string, unknown> {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}

export function elementOf(list: Exclude<ListKind, { kind: 'atomic' }>, child: unknown): PathElement {
  if (list.kind === 'set') {
    if (isMap(child)) throw new ElementError("associative list without keys has an element that's a map type");
    if (Array.isArray(child)) throw new ElementError('not supported: associative list with lists as elements');
    if (child === null || child === undefined) throw new ElementError("associative list without keys has an element that's an explicit null");
    return valueElement(child);
  }
  if (child === null || child === undefined) throw new ElementError('associative list with keys may not have a null element');
  if (!isMap(child)) throw new ElementError('associative list with keys may not have non-map elements');
  const key: Record<string, unknown> = {};
  let n = 0;
  for (const k of list.keys) {
    if (Object.hasOwn(child, k)) {
      key[k] = child[k];
      n++;
    } else if (Object.hasOwn(list.defaults, k)) {
      key[k] = list.defaults[k];
      n++;
    }
  }
  if (n === 0) {
    throw new ElementError(`associative list with keys has an element that omits all key fields [${list.keys.map((k) => JSON.stringify(k)).join(' ')}] (and doesn't have default values for any key fields)`);
  }
  return keyElement(key);
}
