// Chain names (upstream pkg/proxy/iptables servicePortChainName / servicePortEndpointChainName):
// the first 16 characters of base32 (RFC 4648 alphabet, Go's base32.StdEncoding) of SHA-256 of the
// service port name + lower-case protocol (+ endpoint "ip:port"), with no separators.
import { createHash } from 'node:crypto';

const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';

/** h16(x): 16 base32 characters = exactly the first 10 bytes (80 bits) of the digest. */
export function chainHash(input: string): string {
  const d = createHash('sha256').update(input).digest();
  let out = '';
  // Two groups of 5 bytes, each 8 characters of 5 bits.
  for (let g = 0; g < 10; g += 5) {
    // 40 bits fit exactly in a double, so plain arithmetic is enough.
    let bits = 0;
    for (let i = 0; i < 5; i++) bits = bits * 256 + d[g + i]!;
    for (let i = 7; i >= 0; i--) out += ALPHABET[Math.floor(bits / 2 ** (i * 5)) % 32];
  }
  return out;
}

export const SVC_PREFIX = 'KUBE-SVC-';
export const SVL_PREFIX = 'KUBE-SVL-';
export const EXT_PREFIX = 'KUBE-EXT-';
export const FW_PREFIX = 'KUBE-FW-';
export const SEP_PREFIX = 'KUBE-SEP-';

/** Per-service chains: they all share one hash (upstream newServiceInfo). */
export interface ServiceChains {
  svc: string;
  svl: string;
  ext: string;
  fw: string;
}

/** A chain of one of the per-service kinds, which stale-chain cleanup may delete (upstream isServiceChainName). */
export function isServiceChainName(chain: string): boolean {
  return chain.startsWith(SVC_PREFIX) || chain.startsWith(SVL_PREFIX) || chain.startsWith(EXT_PREFIX) ||
    chain.startsWith(FW_PREFIX) || chain.startsWith(SEP_PREFIX);
}

/**
 * Memoizes chain names across syncs: hashing every endpoint of a 10k-service cluster on every sync
 * would cost ~100 ms. Names used in a sync survive into the next one; unused ones are dropped, so
 * the cache tracks the cluster without growing with churn.
 */
export class ChainNamer {
  private cur = new Map<string, string>();
  private prev = new Map<string, string>();

  private hash(input: string): string {
    let h = this.cur.get(input);
    if (h === undefined) {
      h = this.prev.get(input) ?? chainHash(input);
      this.cur.set(input, h);
    }
    return h;
  }

  /** Names of the service port's SVC/SVL/EXT/FW chains; key is "ns/name:port", protocol lower case. */
  service(key: string, protocol: string): ServiceChains {
    const h = this.hash(key + protocol);
    return { svc: SVC_PREFIX + h, svl: SVL_PREFIX + h, ext: EXT_PREFIX + h, fw: FW_PREFIX + h };
  }

  /** KUBE-SEP- name of one endpoint ("ip:port", IPv6 in brackets) of the service port. */
  endpoint(key: string, protocol: string, endpoint: string): string {
    return SEP_PREFIX + this.hash(key + protocol + endpoint);
  }

  /** Ends a sync: names not used since the previous call are forgotten. */
  rotate(): void {
    this.prev = this.cur;
    this.cur = new Map();
  }
}
