// `$(VAR)` expansion as upstream (third_party/forked/golang/expansion): `$$` is a literal `$`, an
// unknown or unterminated reference is left as written, and anything else after `$` is kept.

/** Expands $(NAME) references in input using lookup (undefined = leave as written). */
export function expand(input: string, lookup: (name: string) => string | undefined): string {
  let out = '';
  let checkpoint = 0;
  for (let cursor = 0; cursor < input.length; cursor++) {
    if (input[cursor] !== '$' || cursor + 1 >= input.length) continue;
    out += input.slice(checkpoint, cursor);
    const rest = input.slice(cursor + 1);
    let advance = 1;
    if (rest[0] === '$') out += '$';
    else if (rest[0] === '(') {
      const close = rest.indexOf(')', 1);
      if (close < 0) out += '$(';
      else {
        const name = rest.slice(1, close);
        out += lookup(name) ?? `$(${name})`;
        advance = close + 1;
      }
    } else out += `$${rest[0]}`;
    cursor += advance;
    checkpoint = cursor + 1;
  }
  return out + input.slice(checkpoint);
}

/** A lookup over maps tried in order (upstream MappingFuncFor). */
export function mappingFor(...maps: Map<string, string>[]): (name: string) => string | undefined {
  return (name) => {
    for (const m of maps) if (m.has(name)) return m.get(name);
    return undefined;
  };
}
