// Small helpers shared by the per-group defaulters. Objects are plain JSON; a default never
// overwrites what a client set (upstream defaults only nil/zero fields).

export type Obj = Record<string, any>;

export const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);

/** Sets o[k] = v when o[k] is absent or null. */
export function setIfMissing(o: Obj, k: string, v: unknown): void {
  if (o[k] === undefined || o[k] === null) o[k] = v;
}

/** Sets o[k] = v when o[k] is absent, null or the empty string (Go's zero value for a string). */
export function setIfEmpty(o: Obj, k: string, v: unknown): void {
  if (o[k] === undefined || o[k] === null || o[k] === '') o[k] = v;
}

/** The object items of a list field (skipping malformed entries, which validation reports). */
export function objects(list: unknown): Obj[] {
  return Array.isArray(list) ? list.filter(isObj) : [];
}
