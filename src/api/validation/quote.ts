// Go-style value rendering for error messages. Upstream builds its validation and selector
// messages with fmt's %q (strings) and %#v ([]string), so clients that match on message text
// (and humans comparing with a real cluster) see the same bytes from Skiff.

const SIMPLE_ESCAPES: Record<string, string> = {
  '\x07': '\\a', '\b': '\\b', '\f': '\\f', '\n': '\\n', '\r': '\\r', '\t': '\\t', '\v': '\\v',
  '"': '\\"', '\\': '\\\\',
};

/** Renders s the way Go's %q / strconv.Quote does: double quotes, Go escapes, printable Unicode kept. */
export function goQuote(s: string): string {
  let out = '"';
  for (const ch of s) {
    const simple = SIMPLE_ESCAPES[ch];
    if (simple !== undefined) { out += simple; continue; }
    const cp = ch.codePointAt(0)!;
    if (cp < 0x20 || cp === 0x7f) out += '\\x' + cp.toString(16).padStart(2, '0');
    else if (cp >= 0xd800 && cp <= 0xdfff) out += '\\ufffd'; // lone surrogate: not valid UTF-8 in Go either
    else if (!isPrintable(ch)) out += cp > 0xffff ? '\\U' + cp.toString(16).padStart(8, '0') : '\\u' + cp.toString(16).padStart(4, '0');
    else out += ch;
  }
  return out + '"';
}

/** Renders a string slice the way Go's %#v does: `[]string{"a", "b"}`, or `[]string(nil)` for nil. */
export function goStringSlice(values: readonly string[] | null | undefined): string {
  if (values == null) return '[]string(nil)';
  return '[]string{' + values.map(goQuote).join(', ') + '}';
}

// Go's strconv.IsPrint: letters, marks, numbers, punctuation, symbols and the ASCII space.
function isPrintable(ch: string): boolean {
  return ch === ' ' || /^[\p{L}\p{M}\p{N}\p{P}\p{S}]$/u.test(ch);
}
