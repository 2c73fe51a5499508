// Laying out the restore input. Normally one commit per table, as upstream: each table changes
// atomically. In large cluster mode the nat table is split into several commits, because
// iptables-nft 1.8.x (`--noflush`) keeps every chain name a command mentions in a sorted linked
// list (nft-cache.c cache_chain_list_insert) walked with strcmp for each command: with 40,000
// chains one commit costs minutes of CPU (measured: 10,000 services × 2 endpoints ≈ 100 s), while
// commits ordered and sized as below cost a few seconds. Every commit also makes the kernel
// re-validate the jump graph from the base chains (nft_table_validate), so there should be few.
// The order keeps traffic correct between commits: endpoint chains, then dispatch chains, then
// external-traffic chains (old entry rules keep pointing at complete chains), then the top-level
// chains, then deletion of chains nothing references any more.
import { KUBE_MARK_MASQ, KUBE_NODEPORTS, KUBE_POSTROUTING, KUBE_SERVICES, NAT_TOP_CHAINS, FILTER_TOP_CHAINS } from './chains.js';
import { EXT_PREFIX, FW_PREFIX, SEP_PREFIX, SVC_PREFIX, SVL_PREFIX } from './hash.js';

export interface WrittenService {
  /** Chains in dependency order is not required: every chain line precedes the rules of its commit. */
  chains: string[];
  rules: string[];
  /** [chain, index in rules where its rules start], in rule order (each chain's rules are contiguous). */
  marks: Array<[string, number]>;
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

/** Dispatch (or stale) chains per nat commit in sectioned mode: fewer commits vs shorter lists. */
export const SECTION_CHAINS = 1000;

/** The restore line that creates or flushes chain c. */
export const chainLine = (c: string) => `:${c} - [0:0]`;

/** Must stay the last rule of KUBE-SERVICES; localhost NodePorts are not supported (no route_localnet). */
export const NODEPORTS_CAPTURE = `-A ${KUBE_SERVICES} -m comment --comment "kubernetes service nodeports; NOTE: this must be the last rule in this chain" -m addrtype --dst-type LOCAL ! -d 127.0.0.0/8 -j ${KUBE_NODEPORTS}`;

/** The filter table's commit (small: written whole on every sync). */
export function filterSection(p: RestoreParts): string[] {
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
const desc = (a: string, b: string) => (a < b ? 1 : a > b ? -1 : 0);

// Chain kinds in the order they may be deleted: referrers before the chains they jump to.
const KIND_ORDER = [FW_PREFIX, EXT_PREFIX, SVL_PREFIX, SVC_PREFIX, SEP_PREFIX];
const kindRank = (c: string) => KIND_ORDER.findIndex((p) => c.startsWith(p));

/**
 * Several nat commits (large clusters), see the file comment. iptables-nft walks its sorted name
 * list from the smallest name, so each chain is declared right before its own rules, in descending
 * name order: the chain being filled is then the smallest name so far and found at once.
 */
export function assembleSectioned(p: RestoreParts): string {
  const lines = filterSection(p);
  lines.push('*nat', chainLine(KUBE_POSTROUTING), chainLine(KUBE_MARK_MASQ), ...p.fixedNatRules, 'COMMIT');

  // chain -> [its service's rules, first index, end index]
  const rulesByChain = new Map<string, [string[], number, number]>();
  for (const s of p.services) {
    for (const c of s.chains) rulesByChain.set(c, [s.rules, 0, 0]);
    s.marks.forEach(([c, start], i) => rulesByChain.set(c, [s.rules, start, s.marks[i + 1]?.[1] ?? s.rules.length]));
  }
  // Native sort (no comparator) then reverse: far cheaper than a JS comparator on 40,000 names.
  const all = [...rulesByChain.keys()].sort().reverse();
  const emit = (chains: readonly string[]) => {
    for (const c of chains) {
      lines.push(chainLine(c));
      const [rules, start, end] = rulesByChain.get(c)!;
      for (let i = start; i < end; i++) lines.push(rules[i]!);
    }
  };
  // Endpoint chains only jump to KUBE-MARK-MASQ: one commit, linear whatever its size.
  lines.push('*nat');
  emit(all.filter((c) => c.startsWith(SEP_PREFIX)));
  lines.push('COMMIT');
  // Dispatch chains jump to endpoint chains, whose names sort below theirs: every commit costs
  // (its chains)², hence the batches.
  const dispatch = all.filter((c) => c.startsWith(SVC_PREFIX) || c.startsWith(SVL_PREFIX));
  for (let i = 0; i < dispatch.length; i += SECTION_CHAINS) {
    lines.push('*nat');
    emit(dispatch.slice(i, i + SECTION_CHAINS));
    lines.push('COMMIT');
  }
  const ext = all.filter((c) => c.startsWith(EXT_PREFIX));
  const fw = all.filter((c) => c.startsWith(FW_PREFIX));
  if (ext.length || fw.length) {
    lines.push('*nat');
    emit(ext);
    emit(fw);
    lines.push('COMMIT');
  }

  // Entry rules match distinct (address, port, protocol) tuples, so their order is free: sorting by
  // target, descending, makes each new name the smallest in the list (O(1) insert).
  const services: Array<[string, string]> = [];
  const nodePorts: Array<[string, string]> = [];
  const servicesHead = `-A ${KUBE_SERVICES} `;
  for (const r of p.topRules) (r.startsWith(servicesHead) ? services : nodePorts).push([target(r), r]);
  const byTargetDesc = (a: [string, string], b: [string, string]) => desc(a[0], b[0]) || desc(a[1], b[1]);
  services.sort(byTargetDesc);
  nodePorts.sort(byTargetDesc);
  lines.push('*nat', chainLine(KUBE_SERVICES), chainLine(KUBE_NODEPORTS));
  for (const [, r] of services) lines.push(r);
  lines.push(NODEPORTS_CAPTURE);
  for (const [, r] of nodePorts) lines.push(r);
  lines.push('COMMIT');

  // Stale chains, referrers first, in batches: a chain still referenced cannot be deleted, and
  // every earlier batch has already been flushed and deleted.
  const stale = [...p.deletedChains].sort((a, b) => kindRank(a) - kindRank(b) || desc(a, b));
  for (let i = 0; i < stale.length; i += SECTION_CHAINS) {
    const batch = stale.slice(i, i + SECTION_CHAINS);
    lines.push('*nat');
    for (const c of batch) lines.push(chainLine(c));
    for (const c of batch) lines.push(`-X ${c}`);
    lines.push('COMMIT');
  }
  lines.push('');
  return lines.join('\n');
}
