// fieldsOf: the set of fields a value sets (upstream typed.TypedValue.ToFieldSet). Leaves are
// scalars, atomic lists and atomic maps; elements of map and set lists are members themselves
// (`k:{"name":"nginx"}` with `.`), and so are empty or null maps.
import { FieldSet } from './fieldset.js';
import { ElementError, elementOf, isMap } from './elements.js';
import { fieldElement, pathString, type PathElement } from './path.js';
import type { NodeInfo, TypeInfo } from './typeinfo.js';

/**
 * The fields obj sets. With `allowDuplicates` false (an applied configuration), two list elements with
 * the same key are an error; otherwise (a live object) the duplicated element is owned as a whole.
 */
export function fieldsOf(obj: Record<string, unknown>, info: TypeInfo, allowDuplicates = true): FieldSet {
  const set = new FieldSet();
  walk(obj, info.root, [], set, info, allowDuplicates);
  return set;
}

function walk(v: unknown, node: NodeInfo, path: PathElement[], set: FieldSet, info: TypeInfo, dups: boolean): void {
  if (Array.isArray(v)) {
    if (node.list.kind === 'atomic') {
      set.insert(path);
      return;
    }
    const list = node.list;
    const pes = v.map((child, i) => {
      try {
        return elementOf(list, child);
      } catch (err) {
        throw new ElementError(`${pathString(path)}: element ${i}: ${(err as Error).message}`);
      }
    });
    const seen = new Set<PathElement>();
    const duplicated = new Set<PathElement>();
    for (const pe of pes) {
      if (!seen.has(pe)) seen.add(pe);
      else if (!duplicated.has(pe)) {
        if (!dups) throw new ElementError(`${pathString(path)}: duplicate entries for key ${pathString([pe])}`);
        duplicated.add(pe);
        set.insert([...path, pe]);
      }
    }
    const elem = info.element(node);
    v.forEach((child, i) => {
      const pe = pes[i]!;
      if (duplicated.has(pe)) return;
      path.push(pe);
      walk(child, elem, path, set, info, dups);
      set.insert(path);
      path.pop();
    });
    return;
  }
  if (isMap(v)) {
    if (node.atomicMap) {
      set.insert(path);
      return;
    }
    for (const key of Object.keys(v)) {
      const child = v[key];
      if (child === undefined) continue;
      path.push(fieldElement(key));
      walk(child, info.field(node, key), path, set, info, dups);
      if (child === null || (isMap(child) && Object.keys(child).length === 0)) set.insert(path);
      path.pop();
    }
    return;
  }
  set.insert(path);
}
