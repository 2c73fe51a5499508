// The pure renderer: ProxyState → one iptables-restore input for the filter and nat tables, in the
// layout of upstream pkg/proxy/iptables/proxier.go syncProxyRules (networking brief §2). Text is
// built as arrays of lines joined once; services are visited in key order so equal state gives
// equal text.
import { categorizeEndpoints, externallyReachable } from '../categorize.js';
import type { Endpoint, ProxyState, ServicePortInfo } from '../types.js';
import { endpointString } from '../types.js';
import type { RestoreParts, WrittenService } from './assemble.js';
import { NODEPORTS_CAPTURE, assembleAtomic, assembleSectioned, chainLine, filterSection } from './assemble.js';
import {
  KUBE_EXTERNAL_SERVICES, KUBE_FORWARD, KUBE_MARK_MASQ, KUBE_NODEPORTS, KUBE_POSTROUTING,
  KUBE_PROXY_FIREWALL, KUBE_SERVICES, MASQ_MARK,
} from './chains.js';
import { ChainNamer, isServiceChainName } from './hash.js';
import { cidrContainsIPv4 as cidrContains } from '../../util/ipv4.js';

/** What was written for one service port: its nat chains and how many nat rules they hold. */
export interface ServiceRecord {
  chains: string[];
  natRules: number;
}

export interface RenderInput {
  state: ProxyState;
  /** Keys whose per-service chains must be rewritten; null/undefined = full sync (every chain). */
  changed?: ReadonlySet<string> | null;
  /** What the last successful sync wrote; unchanged services found here keep their chains as they are. */
  previous?: ReadonlyMap<string, ServiceRecord>;
  /** Pod network of the cluster (the ClusterCIDR local-traffic detector); '' disables it. */
  clusterCIDR: string;
  masqueradeAll?: boolean;
  /** This node's IPs: loadBalancerSourceRanges containing one also admit traffic from the LB IPs. */
  nodeIPs?: readonly string[];
  /** Chains believed to exist (iptables-save names, our own records); ours that are unused get deleted. */
  existingChains?: Iterable<string>;
  /** Above this many endpoints, per-endpoint rules lose their comments (upstream large cluster mode). */
  largeClusterThreshold?: number;
  namer?: ChainNamer;
  /** Per-service output of earlier syncs, reused while a service port and its endpoints are unchanged. */
  cache?: RenderCache;
  /** Split nat into several commits (see assemble.ts); default: in large cluster mode. */
  sectioned?: boolean;
}

export interface RenderResult {
  text: string;
  full: boolean;
  /** Every service port's record after this sync (written now or kept from before). */
  services: Map<string, ServiceRecord>;
  /** Stale per-service chains this input flushes and deletes. */
  deletedChains: string[];
  /** Service ports whose chains this input writes. */
  written: string[];
  filterRules: number;
  /** nat rules programmed after the restore, including kept chains' rules. */
  natRules: number;
  largeClusterMode: boolean;
}

export const LARGE_CLUSTER_THRESHOLD = 1000;

/** Endpoints over all service ports (upstream's measure of cluster size for large cluster mode). */
export function countEndpoints(state: ProxyState): number {
  let n = 0;
  for (const eps of state.endpoints.values()) n += eps.length;
  return n;
}

const quote = (s: string) => `"${s}"`;

// Upstream precomputes the statistic probabilities: 1/(N-i) with 10 decimals (%0.10f).
const probabilities: string[] = [];
function probability(n: number): string {
  return (probabilities[n] ??= (1 / n).toFixed(10));
}

/** Renders the restore input for state (networking brief §2.1–§2.7), as one string. */
export function renderRules(input: RenderInput): RenderResult {
  const pass = new RenderPass(input);
  for (const _ of pass.services()) { /* collects every written service */ }
  const parts = pass.finish();
  const text = (input.sectioned ?? pass.largeClusterMode) ? assembleSectioned(parts) : assembleAtomic(parts);
  return pass.result(text);
}

const NO_ENDPOINTS: readonly Endpoint[] = [];

/**
 * Rendered services kept between syncs. The proxy's change tracker replaces a service port's
 * ServicePortInfo and endpoint list objects whenever either changes, so an entry whose objects are
 * the ones in the state renders to the same lines (for the same options and comment mode); a full
 * sync of 10,000 unchanged services then costs joining strings, not rendering them.
 */
export class RenderCache {
  private entries = new Map<string, { svc: ServicePortInfo; eps: readonly Endpoint[]; out: ServiceOutput }>();
  private seen = new Set<string>();
  private options = '';

  /** Starts a pass; other options than last time drop everything. */
  begin(ctx: ServiceContext): void {
    const options = JSON.stringify([ctx.clusterCIDR, ctx.masqueradeAll, ctx.nodeIPs, ctx.comments]);
    if (options !== this.options) this.entries.clear();
    this.options = options;
    this.seen.clear();
  }

  get(key: string, svc: ServicePortInfo, eps: readonly Endpoint[]): ServiceOutput | undefined {
    this.seen.add(key);
    const e = this.entries.get(key);
    return e && e.svc === svc && e.eps === eps ? e.out : undefined;
  }

  set(key: string, svc: ServicePortInfo, eps: readonly Endpoint[], out: ServiceOutput): void {
    this.entries.set(key, { svc, eps, out });
  }

  /** Ends a pass: forgets services that are gone. */
  end(): void {
    for (const k of this.entries.keys()) if (!this.seen.has(k)) this.entries.delete(k);
  }

  get size(): number {
    return this.entries.size;
  }
}

/** Rendering whose text is produced chunk by chunk (see renderStreamed). */
export interface RenderStream {
  chunks: Iterable<string>;
  /** The result; valid once chunks have been consumed to the end. */
  result(): RenderResult;
}

/** Characters per chunk of streamed output. */
const CHUNK_CHARS = 256 * 1024;

/**
 * The same rules in an order that can be written while later services are still being rendered:
 * nat first, each written service's chain lines right before its rules, then the top-level chains
 * (their rules jump to chains declared above), stale chains, COMMIT, then filter. Every chain line
 * precedes the rules that use it and the commits are still atomic per table, so the kernel ends up
 * with the same rules as assembleAtomic's order; only the order of the input differs. Used in large
 * clusters with the legacy client, whose parsing then overlaps the rendering.
 */
export function renderStreamed(input: RenderInput): RenderStream {
  const pass = new RenderPass(input);
  const sent: string[] = [];
  let res: RenderResult | undefined;
  function* chunks(): Generator<string> {
    let parts: string[] = [['*nat', chainLine(KUBE_POSTROUTING), chainLine(KUBE_MARK_MASQ), ...pass.fixedNatRules, ''].join('\n')];
    let size = 0;
    const flush = (): string => {
      const c = parts.join('');
      parts = [];
      size = 0;
      sent.push(c);
      return c;
    };
    for (const w of pass.services()) {
      const t = (w.text ??= serviceText(w));
      parts.push(t);
      size += t.length;
      if (size >= CHUNK_CHARS) yield flush();
    }
    const p = pass.finish();
    const tail = [chainLine(KUBE_SERVICES), chainLine(KUBE_NODEPORTS), ...p.topRules, NODEPORTS_CAPTURE];
    for (const c of p.deletedChains) tail.push(chainLine(c));
    for (const c of p.deletedChains) tail.push(`-X ${c}`);
    tail.push('COMMIT', ...filterSection(p), '');
    parts.push(tail.join('\n'));
    yield flush();
    // The text is joined only when someone reads it: joining 9 MB here would hold back the end of
    // the input (and so the commit) by the time it takes.
    let text: string | undefined;
    res = pass.result('');
    Object.defineProperty(res, 'text', { get: () => (text ??= sent.join('')), enumerable: true });
  }
  return {
    chunks: chunks(),
    result: () => {
      if (!res) throw new Error('renderStreamed: result() before the chunks were consumed');
      return res;
    },
  };
}

function serviceText(w: ServiceOutput): string {
  const lines = w.chains.map(chainLine);
  for (const r of w.rules) lines.push(r);
  lines.push('');
  return lines.join('\n');
}

/** One rendering: services in key order, then the stale chains and the fixed filter rules. */
class RenderPass {
  readonly full: boolean;
  readonly largeClusterMode: boolean;
  readonly fixedNatRules = [
    `-A ${KUBE_POSTROUTING} -m mark ! --mark ${MASQ_MARK}/${MASQ_MARK} -j RETURN`,
    `-A ${KUBE_POSTROUTING} -j MARK --xor-mark ${MASQ_MARK}`,
    `-A ${KUBE_POSTROUTING} -m comment --comment "kubernetes service traffic requiring SNAT" -j MASQUERADE --random-fully`,
    `-A ${KUBE_MARK_MASQ} -j MARK --or-mark ${MASQ_MARK}`,
  ];
  private readonly filterRules: string[] = [];
  private readonly topRules: string[] = [];
  private readonly ctx: ServiceContext;
  private readonly records = new Map<string, ServiceRecord>();
  private readonly written: string[] = [];
  private readonly writtenChains: WrittenService[] = [];
  private deletedChains: string[] = [];

  constructor(private readonly input: RenderInput) {
    this.full = input.changed == null;
    this.largeClusterMode = countEndpoints(input.state) > (input.largeClusterThreshold ?? LARGE_CLUSTER_THRESHOLD);
    this.ctx = {
      namer: input.namer ?? new ChainNamer(), clusterCIDR: input.clusterCIDR, masqueradeAll: !!input.masqueradeAll,
      nodeIPs: input.nodeIPs ?? [], comments: !this.largeClusterMode,
    };
  }

  /** Renders every service port in key order, yielding those whose chains are (re)written. */
  *services(): Generator<ServiceOutput> {
    const { state, changed, previous, cache } = this.input;
    cache?.begin(this.ctx);
    const keys = [...state.services.keys()].sort();
    for (const key of keys) {
      const svc = state.services.get(key)!;
      const eps = state.endpoints.get(key) ?? NO_ENDPOINTS;
      const kept = this.full || changed!.has(key) ? undefined : previous?.get(key);
      let out = cache?.get(key, svc, eps);
      if (!out) {
        out = renderService(this.ctx, svc, eps, kept === undefined);
        if (kept === undefined) cache?.set(key, svc, eps, out);
      }
      for (const r of out.topRules) this.topRules.push(r);
      for (const r of out.filterRules) this.filterRules.push(r);
      if (kept) {
        this.records.set(key, kept);
        continue;
      }
      this.written.push(key);
      this.writtenChains.push(out);
      this.records.set(key, { chains: out.chains, natRules: out.rules.length });
      yield out;
    }
    cache?.end();
  }

  /** After services(): the stale chains and the complete filter rules. */
  finish(): RestoreParts {
    // Stale chains: ours that exist (or that we wrote before) but no service uses any more. Writing
    // a chain line flushes the chain, which drops its references; -X then deletes it.
    const active = new Set<string>();
    for (const r of this.records.values()) for (const c of r.chains) active.add(c);
    const known = new Set<string>(this.input.existingChains ?? []);
    for (const r of this.input.previous?.values() ?? []) for (const c of r.chains) known.add(c);
    this.deletedChains = [...known].filter((c) => isServiceChainName(c) && !active.has(c)).sort();
    this.filterRules.push(
      `-A ${KUBE_FORWARD} -m conntrack --ctstate INVALID -j DROP`,
      `-A ${KUBE_FORWARD} -m comment --comment "kubernetes forwarding rules" -m mark --mark ${MASQ_MARK}/${MASQ_MARK} -j ACCEPT`,
      `-A ${KUBE_FORWARD} -m comment --comment "kubernetes forwarding conntrack rule" -m conntrack --ctstate RELATED,ESTABLISHED -j ACCEPT`,
    );
    return {
      filterRules: this.filterRules, fixedNatRules: this.fixedNatRules, topRules: this.topRules,
      services: this.writtenChains, deletedChains: this.deletedChains,
    };
  }

  result(text: string): RenderResult {
    // +1: the NodePort capture rule at the end of KUBE-SERVICES.
    let natTotal = this.fixedNatRules.length + this.topRules.length + 1;
    for (const r of this.records.values()) natTotal += r.natRules;
    return {
      text, full: this.full, services: this.records, deletedChains: this.deletedChains, written: this.written,
      largeClusterMode: this.largeClusterMode, filterRules: this.filterRules.length, natRules: natTotal,
    };
  }
}

interface ServiceContext {
  namer: ChainNamer;
  clusterCIDR: string;
  masqueradeAll: boolean;
  nodeIPs: readonly string[];
  comments: boolean;
}

interface ServiceOutput {
  /** Rules in the top-level nat chains (always written). */
  topRules: string[];
  /** Its filter rules (REJECT/DROP without endpoints, firewall, health check port; always written). */
  filterRules: string[];
  /** Per-service chains and their rules (written only when the service is rewritten). */
  chains: string[];
  rules: string[];
  /** [chain, index in rules where its rules start], in rule order. */
  marks: Array<[string, number]>;
  /** Chain lines then rules as restore text, made once (streamed order; kept in the cache). */
  text?: string;
}

function renderService(ctx: ServiceContext, svc: ServicePortInfo, eps: readonly Endpoint[], writeChains: boolean): ServiceOutput {
  const name = svc.key;
  const proto = svc.protocol.toLowerCase();
  const match = `-m ${proto} -p ${proto}`;
  const { clusterEndpoints, localEndpoints, allReachable, hasAnyEndpoints } = categorizeEndpoints(svc, eps);
  // Upstream's hasEndpoints counts usable endpoints on any node, even when only Local policies are in
  // use: then a ClusterIP without local endpoints is DROPped (others may serve it), not REJECTed.
  const hasEndpoints = hasAnyEndpoints || eps.some((e) => e.ready || (e.serving && e.terminating));
  const ch = ctx.namer.service(name, proto);
  const usesClusterChain = clusterEndpoints.length > 0;
  const usesLocalChain = localEndpoints.length > 0;

  const internalChain = svc.internalPolicyLocal ? ch.svl : ch.svc;
  const hasInternal = hasEndpoints && (!svc.internalPolicyLocal || usesLocalChain);
  const externalPolicyChain = svc.externalPolicyLocal ? ch.svl : ch.svc;
  const hasExternal = hasEndpoints && (!svc.externalPolicyLocal || usesLocalChain);
  // The EXT chain exists whenever there are endpoints at all: its short-circuits for pod and node
  // traffic work even without local endpoints.
  const usesExtChain = hasEndpoints && externallyReachable(svc);
  const usesFwChain = hasEndpoints && svc.loadBalancerIPs.length > 0 && svc.loadBalancerSourceRanges.length > 0;
  const lbChain = usesFwChain ? ch.fw : ch.ext;

  let intTarget = '', intComment = '', extTarget = '', extComment = '';
  if (!hasEndpoints) {
    intTarget = extTarget = 'REJECT';
    intComment = extComment = quote(`${name} has no endpoints`);
  } else {
    // Other nodes may have endpoints: drop (silently) rather than reject.
    if (!hasInternal) { intTarget = 'DROP'; intComment = quote(`${name} has no local endpoints`); }
    if (!hasExternal) { extTarget = 'DROP'; extComment = quote(`${name} has no local endpoints`); }
  }

  const top: string[] = [];
  const filter: string[] = [];
  const dport = `--dport ${svc.port}`;
  if (hasInternal) {
    top.push(`-A ${KUBE_SERVICES} -m comment --comment ${quote(`${name} cluster IP`)} ${match} -d ${svc.clusterIP} ${dport} -j ${internalChain}`);
  } else {
    filter.push(`-A ${KUBE_SERVICES} -m comment --comment ${intComment} ${match} -d ${svc.clusterIP} ${dport} -j ${intTarget}`);
  }
  for (const ip of svc.externalIPs) {
    if (hasEndpoints) top.push(`-A ${KUBE_SERVICES} -m comment --comment ${quote(`${name} external IP`)} ${match} -d ${ip} ${dport} -j ${ch.ext}`);
    if (!hasExternal) filter.push(`-A ${KUBE_EXTERNAL_SERVICES} -m comment --comment ${extComment} ${match} -d ${ip} ${dport} -j ${extTarget}`);
  }
  for (const ip of svc.loadBalancerIPs) {
    if (hasEndpoints) top.push(`-A ${KUBE_SERVICES} -m comment --comment ${quote(`${name} loadbalancer IP`)} ${match} -d ${ip} ${dport} -j ${lbChain}`);
    if (usesFwChain) filter.push(`-A ${KUBE_PROXY_FIREWALL} -m comment --comment ${quote(`${name} traffic not accepted by ${ch.fw}`)} ${match} -d ${ip} ${dport} -j DROP`);
  }
  if (!hasExternal) {
    for (const ip of svc.loadBalancerIPs) filter.push(`-A ${KUBE_EXTERNAL_SERVICES} -m comment --comment ${extComment} ${match} -d ${ip} ${dport} -j ${extTarget}`);
  }
  if (svc.nodePort) {
    // NodePorts are not subject to loadBalancerSourceRanges (upstream keeps it that way).
    if (hasEndpoints) top.push(`-A ${KUBE_NODEPORTS} -m comment --comment ${name} ${match} --dport ${svc.nodePort} -j ${ch.ext}`);
    if (!hasExternal) filter.push(`-A ${KUBE_EXTERNAL_SERVICES} -m comment --comment ${extComment} -m addrtype --dst-type LOCAL ${match} --dport ${svc.nodePort} -j ${extTarget}`);
  }
  if (svc.healthCheckNodePort) {
    filter.push(`-A ${KUBE_NODEPORTS} -m comment --comment ${quote(`${name} health check node port`)} -m tcp -p tcp --dport ${svc.healthCheckNodePort} -j ACCEPT`);
  }
  if (!writeChains) return { topRules: top, filterRules: filter, chains: [], rules: [], marks: [] };

  const chains: string[] = [];
  const rules: string[] = [];
  // Each chain's rules are contiguous; remember where each starts (sectioned output regroups them).
  const marks: Array<[string, number]> = [];
  const mark = (chain: string) => { marks.push([chain, rules.length]); };
  if (usesClusterChain) chains.push(ch.svc);
  if (usesLocalChain) chains.push(ch.svl);

  if (usesExtChain) {
    chains.push(ch.ext);
    mark(ch.ext);
    if (!svc.externalPolicyLocal) {
      // The endpoint may be on another node, so the reply must come back through this one.
      rules.push(`-A ${ch.ext} -m comment --comment ${quote(`masquerade traffic for ${name} external destinations`)} -j ${KUBE_MARK_MASQ}`);
    } else if (usesClusterChain) {
      // Pods reaching an external address behave as if they went out and came back in: any endpoint.
      if (ctx.clusterCIDR) rules.push(`-A ${ch.ext} -m comment --comment ${quote(`pod traffic for ${name} external destinations`)} -s ${ctx.clusterCIDR} -j ${ch.svc}`);
      // The node itself: its source address is local, so it must be masqueraded.
      rules.push(`-A ${ch.ext} -m comment --comment ${quote(`masquerade LOCAL traffic for ${name} external destinations`)} -m addrtype --src-type LOCAL -j ${KUBE_MARK_MASQ}`);
      rules.push(`-A ${ch.ext} -m comment --comment ${quote(`route LOCAL traffic for ${name} external destinations`)} -m addrtype --src-type LOCAL -j ${ch.svc}`);
    }
    if (hasExternal) rules.push(`-A ${ch.ext} -j ${externalPolicyChain}`);
  }

  if (usesFwChain) {
    chains.push(ch.fw);
    mark(ch.fw);
    const head = `-A ${ch.fw} -m comment --comment ${quote(`${name} loadbalancer IP`)}`;
    let allowFromNode = false;
    for (const cidr of svc.loadBalancerSourceRanges) {
      rules.push(`${head} -s ${cidr} -j ${ch.ext}`);
      if (ctx.nodeIPs.some((ip) => cidrContains(cidr, ip))) allowFromNode = true;
    }
    // A VIP bound locally makes the node's own requests arrive with the VIP as source.
    if (allowFromNode) for (const ip of svc.loadBalancerIPs) rules.push(`${head} -s ${ip} -j ${ch.ext}`);
    rules.push(`-A ${ch.fw} -m comment --comment ${quote(`other traffic to ${name} will be dropped by ${KUBE_PROXY_FIREWALL}`)}`);
  }

  const sep = (e: Endpoint) => ctx.namer.endpoint(name, proto, endpointString(e));
  const masqRule = (chain: string) => {
    if (!hasInternal || chain !== internalChain) return;
    const head = `-A ${chain} -m comment --comment ${quote(`${name} cluster IP`)} ${match} -d ${svc.clusterIP} ${dport}`;
    // Off-cluster sources reaching a ClusterIP routed to this node must come back through it.
    if (ctx.masqueradeAll) rules.push(`${head} -j ${KUBE_MARK_MASQ}`);
    else if (ctx.clusterCIDR) rules.push(`${head} ! -s ${ctx.clusterCIDR} -j ${KUBE_MARK_MASQ}`);
  };
  if (usesClusterChain) {
    mark(ch.svc);
    masqRule(ch.svc);
    dispatch(ctx, rules, ch.svc, svc, clusterEndpoints, sep);
  }
  if (usesLocalChain) {
    mark(ch.svl);
    masqRule(ch.svl);
    dispatch(ctx, rules, ch.svl, svc, localEndpoints, sep);
  }

  for (const e of allReachable) {
    const c = sep(e);
    chains.push(c);
    mark(c);
    const head = ctx.comments ? `-A ${c} -m comment --comment ${name}` : `-A ${c}`;
    // Hairpin: a pod reaching itself through the service must be SNATed or the reply bypasses the node.
    rules.push(`${head} -s ${e.ip} -j ${KUBE_MARK_MASQ}`);
    const affinity = svc.affinityTimeoutSeconds > 0 ? ` -m recent --name ${c} --set` : '';
    rules.push(`${head}${affinity} ${match} -j DNAT --to-destination ${endpointString(e)}`);
  }
  return { topRules: top, filterRules: filter, chains, rules, marks };
}

/** The SVC/SVL dispatch: affinity lookups first, then one probability rule per endpoint (§2.3, §2.6). */
function dispatch(ctx: ServiceContext, rules: string[], chain: string, svc: ServicePortInfo, eps: readonly Endpoint[], sep: (e: Endpoint) => string): void {
  const comment = (e: Endpoint) => ctx.comments ? ` -m comment --comment ${quote(`${svc.key} -> ${endpointString(e)}`)}` : '';
  if (svc.affinityTimeoutSeconds > 0) {
    for (const e of eps) {
      const c = sep(e);
      rules.push(`-A ${chain}${comment(e)} -m recent --name ${c} --rcheck --seconds ${svc.affinityTimeoutSeconds} --reap -j ${c}`);
    }
  }
  const n = eps.length;
  eps.forEach((e, i) => {
    const stat = i < n - 1 ? ` -m statistic --mode random --probability ${probability(n - i)}` : '';
    rules.push(`-A ${chain}${comment(e)}${stat} -j ${sep(e)}`);
  });
}
