// IPv4 addresses as numbers: parsing, formatting, ordering and CIDR membership, shared by the
// Service IP allocator, pod networks, the service proxy and controllers that sort addresses.

/** "a.b.c.d" → its 32-bit value; undefined for anything that is not a dotted quad of 0–255. */
export function parseIPv4(ip: string): number | undefined {
  const parts = ip.split('.');
  if (parts.length !== 4) return undefined;
  let n = 0;
  for (const p of parts) {
    if (!/^\d{1,3}$/.test(p) || Number(p) > 255) return undefined;
    n = n * 256 + Number(p);
  }
  return n;
}

/** parseIPv4 that throws on a malformed address. */
export function mustParseIPv4(ip: string): number {
  const n = parseIPv4(ip);
  if (n === undefined) throw new Error(`invalid IPv4 address ${ip}`);
  return n;
}

export function formatIPv4(n: number): string {
  return [n >>> 24, (n >>> 16) & 255, (n >>> 8) & 255, n & 255].join('.');
}

/** Numeric order of two IPv4 addresses (malformed ones sort first). */
export function compareIPv4(a: string, b: string): number {
  return (parseIPv4(a) ?? -1) - (parseIPv4(b) ?? -1);
}

/** Whether an IPv4 address lies in cidr ("a.b.c.d/n", a bare address = /32); false for anything unparsable. */
export function cidrContainsIPv4(cidr: string, ip: string): boolean {
  const [base, bitsText] = cidr.split('/');
  const bits = bitsText === undefined ? 32 : Number(bitsText);
  const b = parseIPv4(base ?? '');
  const a = parseIPv4(ip);
  if (a === undefined || b === undefined || !Number.isInteger(bits) || bits < 0 || bits > 32) return false;
  const size = 2 ** (32 - bits);
  return Math.floor(a / size) === Math.floor(b / size);
}
