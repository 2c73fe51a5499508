// The names the API server's serving certificate must cover. Go's TLS client checks only the SAN
// extension (never the CN), so every address a client may dial has to be listed there: loopback,
// the in-cluster service names and IP, this host's name, and the address the server binds to.
import { isIP } from 'node:net';
import { hostname } from 'node:os';
import * as x509 from '@peculiar/x509';

/** First IP of the default service CIDR 10.43.0.0/16: the ClusterIP of default/kubernetes. */
export const FIRST_SERVICE_IP = '10.43.0.1';

// The DNS names of the `kubernetes` Service, as kube-apiserver and k3s put them in the cert.
const SERVICE_DNS_NAMES = [
  'kubernetes', 'kubernetes.default', 'kubernetes.default.svc', 'kubernetes.default.svc.cluster.local',
];

export interface ServingNames {
  dnsNames: string[];
  ips: string[];
}

/** Default names plus the requested ones, canonicalised and de-duplicated; wildcard binds are dropped. */
export function servingNames(hosts: string[], ips: string[]): ServingNames {
  const dns = new Set<string>();
  const addrs = new Set<string>();
  const add = (value: string): void => {
    const v = value.trim();
    if (!v) return;
    if (isIP(stripBrackets(v))) {
      const ip = canonicalIp(v);
      // 0.0.0.0 and :: are "listen everywhere", never an address a client dials.
      if (ip !== '0.0.0.0' && ip !== '::') addrs.add(ip);
    } else {
      dns.add(v.toLowerCase());
    }
  };
  for (const h of ['localhost', ...SERVICE_DNS_NAMES, hostname(), ...hosts]) add(h);
  for (const ip of ['127.0.0.1', '::1', FIRST_SERVICE_IP, ...ips]) add(ip);
  return { dnsNames: [...dns], ips: [...addrs] };
}

/** The DNS and IP SANs of a PEM certificate, canonicalised like servingNames(). */
export function certificateNames(certPem: string): ServingNames {
  const cert = new x509.X509Certificate(certPem);
  const ext = cert.getExtension(x509.SubjectAlternativeNameExtension);
  const out: ServingNames = { dnsNames: [], ips: [] };
  for (const name of ext?.names.items ?? []) {
    if (name.type === 'dns') out.dnsNames.push(name.value.toLowerCase());
    else if (name.type === 'ip') out.ips.push(canonicalIp(name.value));
  }
  return out;
}

/** True when `have` lists every name in `want`. */
export function covers(have: ServingNames, want: ServingNames): boolean {
  const dns = new Set(have.dnsNames);
  const ips = new Set(have.ips);
  return want.dnsNames.every((d) => dns.has(d)) && want.ips.every((ip) => ips.has(ip));
}

/** Union of two name sets (a re-issued cert keeps the names earlier kubeconfigs may use). */
export function mergeNames(a: ServingNames, b: ServingNames): ServingNames {
  return { dnsNames: [...new Set([...a.dnsNames, ...b.dnsNames])], ips: [...new Set([...a.ips, ...b.ips])] };
}

/** One spelling per address: WHATWG URL parsing compresses IPv6 ("0:0::1" → "::1") and IPv4 alike. */
export function canonicalIp(ip: string): string {
  // A zone index (fe80::1%eth0) is local routing detail, not part of the address a cert names.
  const bare = stripBrackets(ip.trim()).split('%', 1)[0]!;
  if (isIP(bare) === 6) return stripBrackets(new URL(`http://[${bare}]/`).hostname);
  return new URL(`http://${bare}/`).hostname;
}

function stripBrackets(s: string): string {
  return s.startsWith('[') && s.endsWith(']') ? s.slice(1, -1) : s;
}
