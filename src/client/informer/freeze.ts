// Cached objects are shared by every handler and lister, so they are frozen (DESIGN §4: "cached
// objects are never mutated"): a write to one throws in strict mode instead of corrupting the cache.
// Freezing walks the object once when it enters the cache; SKIFF_INFORMER_FREEZE=0 turns it off.

export const freezeByDefault = process.env.SKIFF_INFORMER_FREEZE !== '0';

export function deepFreeze<T>(v: T): T {
  if (typeof v !== 'object' || v === null || Object.isFrozen(v)) return v;
  Object.freeze(v);
  for (const child of Object.values(v as object)) deepFreeze(child);
  return v;
}
