// Laying out the restore input. Normally one commit per table, as upstream: each table changes
// atomically. In large cluster mode the nat table is split into several commits, because
// iptables-nft 1.8.x (`--noflush`) keeps every chain name a command mentions in a sorted linked
// list (nft-cache.c cache_chain_list_insert) walked with strcmp for each command: with 40,000
// chains one commit costs minutes of CPU (measured: 10,000 services × 2 endpoints ≈ 100 s), while
// commits of a few hundred services stay cheap. The order keeps traffic correct between commits:
// endpoint and service chains first (old entry rules keep pointing at complete chains), then the
// top-level chains, then deletion of chains nothing references any more.
import { KUBE_MARK_MASQ, KUBE_NODEPORTS, KUBE_POSTROUTING, KUBE_SERVICES, NAT_TOP_CHAINS, FILTER_TOP_CHAINS } from './chains.js';

export interface WrittenService {
  /** Chains in dependency order is not required: every chain line precedes the rules of its commit. */
  chains: string[];
  rules: string[];
}

export interface RestoreParts {
  filterRules: string[];
  /** KUBE-POSTROUTING and KUBE-MARK-MASQ rules. */
  fixedNatRules: string[];
  /** Rules of nat KUBE-SERVICES and KUBE-NODEPORTS, per service in key order. */
  topRules: string[];
  /** Per-service chains written by this sync. */
  services: WrittenService[];
  deletedChains: string[];
}

/** Services per nat commit in sectioned mode (a few hundred keeps iptables-nft's lists short). */
export const SECTION_SERVICES = 250;

const chainLine = (c: string) => `:${c} - [0:0]`;

/** Must stay the last rule of KUBE-SERVICES; localhost NodePorts are not supported (no route_localnet). */
export const NODEPORTS_CAPTURE = `-A ${KUBE_SERVICES} -m comment --comment "kubernetes service nodeports; NOTE: this must be the last rule in this chain" -m addrtype --dst-type LOCAL ! -d 127.0.0.0/8 -j ${KUBE_NODEPORTS}`;

function filterSection(p: RestoreParts): string[] {
  return ['*filter', ...FILTER_TOP_CHAINS.map(chainLine), ...p.filterRules, 'COMMIT'];
}

/** One commit per table (upstream's layout, networking brief §2.9). */
export function assembleAtomic(p: RestoreParts): string {
  const lines = filterSection(p);
  lines.push('*nat');
  for (const c of NAT_TOP_CHAINS) lines.push(chainLine(c));
  for (const s of p.services) for (const c of s.chains) lines.push(chainLine(c));
  for (const c of p.deletedChains) lines.push(chainLine(c));
  for (const r of p.fixedNatRules) lines.push(r);
  for (const r of p.topRules) lines.push(r);
  for (const s of p.services) for (const r of s.rules) lines.push(r);
  for (const c of p.deletedChains) lines.push(`-X ${c}`);
  lines.push(NODEPORTS_CAPTURE, 'COMMIT', '');
  return lines.join('\n');
}

// The jump target of a rule (its last word, for the rules built here).
const target = (rule: string) => rule.slice(rule.lastIndexOf(' ') + 1);

/** Several nat commits (large clusters): see the file comment. */
export function assembleSectioned(p: RestoreParts): string {
  const lines = filterSection(p);
  lines.push('*nat', chainLine(KUBE_POSTROUTING), chainLine(KUBE_MARK_MASQ), ...p.fixedNatRules, 'COMMIT');
  for (let i = 0; i < p.services.length; i += SECTION_SERVICES) {
    const batch = p.services.slice(i, i + SECTION_SERVICES);
    lines.push('*nat');
    for (const s of batch) for (const c of s.chains) lines.push(chainLine(c));
    for (const s of batch) for (const r of s.rules) lines.push(r);
    lines.push('COMMIT');
  }
  // Entry rules match distinct (address, port, protocol) tuples, so their order is free: sorting by
  // target, descending, makes each new name the smallest in iptables-nft's sorted list (O(1) insert).
  const services: string[] = [];
  const nodePorts: string[] = [];
  for (const r of p.topRules) (r.startsWith(`-A ${KUBE_SERVICES} `) ? services : nodePorts).push(r);
  const byTargetDesc = (a: string, b: string) => (target(a) < target(b) ? 1 : target(a) > target(b) ? -1 : 0);
  services.sort(byTargetDesc);
  nodePorts.sort(byTargetDesc);
  lines.push('*nat', chainLine(KUBE_SERVICES), chainLine(KUBE_NODEPORTS));
  for (const r of services) lines.push(r);
  lines.push(NODEPORTS_CAPTURE);
  for (const r of nodePorts) lines.push(r);
  lines.push('COMMIT');
  if (p.deletedChains.length) {
    lines.push('*nat');
    for (const c of p.deletedChains) lines.push(chainLine(c));
    for (const c of p.deletedChains) lines.push(`-X ${c}`);
    lines.push('COMMIT');
  }
  lines.push('');
  return lines.join('\n');
}
