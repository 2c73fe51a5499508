// RFC 6901 JSON pointers, as evanphx/json-patch v4 (the library kube-apiserver applies JSON patches
// with) reads them: "" is the whole document, otherwise "/"-separated tokens in which "~1" stands for
// "/" and "~0" for "~" (decoded in one left-to-right pass, so "~01" is the key "~1").

/** The reference tokens of a pointer; [] for "" (the root). Returns undefined when the pointer does not start with "/". */
export function parsePointer(pointer: string): string[] | undefined {
  if (pointer === '') return [];
  if (!pointer.startsWith('/')) return undefined;
  return pointer.slice(1).split('/').map(unescapeToken);
}

function unescapeToken(t: string): string {
  return t.replace(/~[01]/g, (m) => (m === '~1' ? '/' : '~'));
}

/** Parses an array index token as Go's strconv.Atoi does (optional sign, decimal digits); undefined if it is not one. */
export function parseIndex(token: string): number | undefined {
  if (!/^[+-]?\d+$/.test(token)) return undefined;
  const n = Number(token);
  return Number.isSafeInteger(n) ? n : undefined;
}
