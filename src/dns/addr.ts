// IP address helpers: validation, reverse-lookup names (RFC 1035 §3.5 in-addr.arpa, RFC 3596 ip6.arpa)
// and CIDR membership.
import { isIPv4 as netIsIPv4, isIPv6 as netIsIPv6 } from 'node:net';
import { formatIPv6, parseIPv4, parseIPv6 } from './ip.js';

export const isIPv4 = (s: string): boolean => netIsIPv4(s);
export const isIPv6 = (s: string): boolean => netIsIPv6(s);

/** The PTR owner name of an address, e.g. 10.0.0.1 → 1.0.0.10.in-addr.arpa. */
export function reverseName(ip: string): string {
  if (isIPv4(ip)) return `${ip.split('.').reverse().join('.')}.in-addr.arpa`;
  const b = parseIPv6(ip);
  const nibbles: string[] = [];
  for (let i = 15; i >= 0; i--) nibbles.push((b[i]! & 0xf).toString(16), (b[i]! >> 4).toString(16));
  return `${nibbles.join('.')}.ip6.arpa`;
}

/** The address a reverse name stands for (canonical name in), or undefined when it is not a full one. */
export function addressOfReverse(name: string): string | undefined {
  if (name.endsWith('.in-addr.arpa')) {
    const parts = name.slice(0, -'.in-addr.arpa'.length).split('.');
    if (parts.length !== 4 || !parts.every((p) => /^(0|[1-9][0-9]{0,2})$/.test(p) && Number(p) < 256)) return undefined;
    return parts.reverse().join('.');
  }
  if (name.endsWith('.ip6.arpa')) {
    const parts = name.slice(0, -'.ip6.arpa'.length).split('.');
    if (parts.length !== 32 || !parts.every((p) => /^[0-9a-f]$/.test(p))) return undefined;
    const b = new Uint8Array(16);
    for (let i = 0; i < 16; i++) b[15 - i] = parseInt(parts[2 * i]!, 16) | (parseInt(parts[2 * i + 1]!, 16) << 4);
    return formatIPv6(b);
  }
  return undefined;
}

function toBigInt(bytes: Uint8Array): bigint {
  let v = 0n;
  for (const x of bytes) v = (v << 8n) | BigInt(x);
  return v;
}

/** True when ip lies in cidr ("10.96.0.0/12", "fd00::/108"); false for a family mismatch. */
export function cidrContains(cidr: string, ip: string): boolean {
  const [base, bitsText] = cidr.split('/');
  if (!base) return false;
  const v4 = isIPv4(base);
  if (v4 !== isIPv4(ip) || (!v4 && !isIPv6(ip))) return false;
  const width = v4 ? 32 : 128;
  const bits = bitsText === undefined ? width : Number(bitsText);
  if (!Number.isInteger(bits) || bits < 0 || bits > width) return false;
  const a = toBigInt(v4 ? parseIPv4(base) : parseIPv6(base));
  const b = toBigInt(v4 ? parseIPv4(ip) : parseIPv6(ip));
  const shift = BigInt(width - bits);
  return a >> shift === b >> shift;
}
