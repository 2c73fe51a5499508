// Address text ⇄ bytes for A/AAAA record data (IPv6 text per RFC 5952).

export function parseIPv4(s: string): Uint8Array {
  const parts = s.split('.');
  if (parts.length !== 4) throw new RangeError(`not an IPv4 address: ${s}`);
  return Uint8Array.from(parts.map((p) => {
    const n = Number(p);
    if (!/^[0-9]{1,3}$/.test(p) || n > 255) throw new RangeError(`not an IPv4 address: ${s}`);
    return n;
  }));
}

export function parseIPv6(s: string): Uint8Array {
  let text = s;
  const out = new Uint8Array(16);
  const tail: number[] = [];
  // An embedded dotted quad (::ffff:1.2.3.4) becomes two groups.
  const dot = text.lastIndexOf('.');
  if (dot >= 0) {
    const colon = text.lastIndexOf(':');
    const v4 = parseIPv4(text.slice(colon + 1));
    text = text.slice(0, colon + 1) + `${((v4[0]! << 8) | v4[1]!).toString(16)}:${((v4[2]! << 8) | v4[3]!).toString(16)}`;
  }
  const halves = text.split('::');
  if (halves.length > 2) throw new RangeError(`not an IPv6 address: ${s}`);
  const groups = (h: string) => (h === '' ? [] : h.split(':').map((g) => {
    if (!/^[0-9a-fA-F]{1,4}$/.test(g)) throw new RangeError(`not an IPv6 address: ${s}`);
    return parseInt(g, 16);
  }));
  const head = groups(halves[0]!);
  if (halves.length === 2) tail.push(...groups(halves[1]!));
  const total = head.length + tail.length;
  if ((halves.length === 1 && total !== 8) || (halves.length === 2 && total > 7)) throw new RangeError(`not an IPv6 address: ${s}`);
  const all = [...head, ...new Array<number>(8 - total).fill(0), ...tail];
  all.forEach((g, i) => {
    out[i * 2] = g >> 8;
    out[i * 2 + 1] = g & 0xff;
  });
  return out;
}

/** RFC 5952 text of 16 address bytes (longest zero run compressed). */
export function formatIPv6(b: Uint8Array): string {
  const g: number[] = [];
  for (let i = 0; i < 16; i += 2) g.push((b[i]! << 8) | b[i + 1]!);
  let best = -1;
  let bestLen = 1;
  for (let i = 0; i < 8;) {
    if (g[i] !== 0) {
      i++;
      continue;
    }
    let j = i;
    while (j < 8 && g[j] === 0) j++;
    if (j - i > bestLen) {
      best = i;
      bestLen = j - i;
    }
    i = j;
  }
  const hex = g.map((x) => x.toString(16));
  if (best < 0) return hex.join(':');
  return `${hex.slice(0, best).join(':')}::${hex.slice(best + bestLen).join(':')}`;
}
