// Domain-name text ⇄ labels (RFC 1035 §3.1, §5.1). Names are kept as presentation text without the
// trailing dot ("" is the root); a label byte that is '.', '\' or non-printable is escaped as `\.`,
// `\\` or `\DDD`, so any wire label round-trips.

/** The wire labels of a presentation-form name (escapes undone). Throws on an over-long label. */
export function nameToLabels(name: string): Buffer[] {
  if (name === '' || name === '.') return [];
  const labels: Buffer[] = [];
  let cur: number[] = [];
  for (let i = 0; i < name.length; i++) {
    const c = name.charCodeAt(i);
    if (c === 0x2e /* . */) {
      labels.push(Buffer.from(cur));
      cur = [];
    } else if (c === 0x5c /* \ */ && i + 1 < name.length) {
      const d = name.slice(i + 1, i + 4);
      if (/^[0-9]{3}$/.test(d)) {
        cur.push(Number(d) & 0xff);
        i += 3;
      } else {
        cur.push(name.charCodeAt(++i) & 0xff);
      }
    } else {
      cur.push(c & 0xff);
    }
  }
  if (cur.length || !name.endsWith('.')) labels.push(Buffer.from(cur));
  for (const l of labels) {
    if (l.length === 0) throw new RangeError(`empty label in ${JSON.stringify(name)}`);
    if (l.length > 63) throw new RangeError(`label longer than 63 bytes in ${JSON.stringify(name)}`);
  }
  return labels;
}

/** Presentation text of one wire label. */
export function labelToText(buf: Uint8Array, start: number, end: number): string {
  let s = '';
  for (let i = start; i < end; i++) {
    const c = buf[i]!;
    if (c === 0x2e || c === 0x5c) s += '\\' + String.fromCharCode(c);
    else if (c > 0x20 && c < 0x7f) s += String.fromCharCode(c);
    else s += '\\' + String(c).padStart(3, '0');
  }
  return s;
}

/** Canonical form for lookups: lower case, no trailing dot (DNS names compare case-insensitively). */
export function canonical(name: string): string {
  const n = name.endsWith('.') && !name.endsWith('\\.') ? name.slice(0, -1) : name;
  return n.toLowerCase();
}

/** True when name equals zone or lies beneath it (both canonical). */
export function inZone(name: string, zone: string): boolean {
  if (zone === '') return true;
  return name === zone || (name.length > zone.length && name.endsWith(zone) && name.charCodeAt(name.length - zone.length - 1) === 0x2e);
}
