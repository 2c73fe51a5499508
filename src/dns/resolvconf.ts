// Upstream resolvers: the `nameserver` lines of the host's resolv.conf (resolv.conf(5)), minus the
// cluster DNS server itself so a host pointed at us does not make us forward to ourselves.
import { readFileSync } from 'node:fs';
import net from 'node:net';
import type { Upstream } from './forward.js';

/** Nameserver addresses listed in resolv.conf text (zone suffixes like %eth0 dropped). */
export function parseResolvConf(text: string): string[] {
  const out: string[] = [];
  for (const raw of text.split('\n')) {
    const line = raw.replace(/[#;].*$/, '').trim();
    const m = /^nameserver\s+(\S+)/.exec(line);
    if (!m) continue;
    const addr = m[1]!.replace(/%.*$/, '');
    if (net.isIP(addr)) out.push(addr);
  }
  return out;
}

/** "1.2.3.4", "1.2.3.4:5353", "::1", "[::1]:5353" → address and port (53 by default). */
export function parseUpstream(s: string): Upstream {
  const bracket = /^\[([^\]]+)\](?::(\d+))?$/.exec(s);
  if (bracket) return { address: bracket[1]!, port: bracket[2] ? Number(bracket[2]) : 53 };
  if (net.isIP(s)) return { address: s, port: 53 };
  const i = s.lastIndexOf(':');
  const address = s.slice(0, i);
  const port = Number(s.slice(i + 1));
  if (i < 0 || !net.isIPv4(address) || !Number.isInteger(port) || port <= 0 || port > 65535) throw new RangeError(`bad upstream ${JSON.stringify(s)}: want ip, ip:port or [ip6]:port`);
  return { address, port };
}

/** Upstreams from a resolv.conf file, without any that is one of our own listen addresses. */
export function upstreamsFromResolvConf(path: string, own: readonly Upstream[]): Upstream[] {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch {
    return [];
  }
  return parseResolvConf(text).map((a) => ({ address: a, port: 53 })).filter((u) => !isOwn(u, own));
}

function isOwn(u: Upstream, own: readonly Upstream[]): boolean {
  return own.some((o) => {
    if (o.port !== u.port) return false;
    if (o.address === u.address) return true;
    // A wildcard listener answers on every local address, loopback included.
    const wildcard = o.address === '0.0.0.0' || o.address === '::';
    return wildcard && (u.address.startsWith('127.') || u.address === '::1');
  });
}
