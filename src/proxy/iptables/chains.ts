// The fixed chains kube-proxy's iptables mode owns and the jumps that lead into them from the
// built-in chains (upstream pkg/proxy/iptables/proxier.go iptablesJumpChains).

export type Table = 'filter' | 'nat' | 'mangle';

export const KUBE_SERVICES = 'KUBE-SERVICES';
export const KUBE_EXTERNAL_SERVICES = 'KUBE-EXTERNAL-SERVICES';
export const KUBE_FORWARD = 'KUBE-FORWARD';
export const KUBE_NODEPORTS = 'KUBE-NODEPORTS';
export const KUBE_PROXY_FIREWALL = 'KUBE-PROXY-FIREWALL';
export const KUBE_POSTROUTING = 'KUBE-POSTROUTING';
export const KUBE_MARK_MASQ = 'KUBE-MARK-MASQ';
/** Empty chain whose disappearance means someone flushed iptables (upstream's canary). */
export const KUBE_PROXY_CANARY = 'KUBE-PROXY-CANARY';
/** Empty mangle chain saying which iptables mode the node uses (upstream's kubelet creates it). */
export const KUBE_IPTABLES_HINT = 'KUBE-IPTABLES-HINT';

/** Top-level chains rewritten on every sync, in the order upstream writes their chain lines. */
export const FILTER_TOP_CHAINS = [KUBE_SERVICES, KUBE_EXTERNAL_SERVICES, KUBE_FORWARD, KUBE_NODEPORTS, KUBE_PROXY_FIREWALL] as const;
export const NAT_TOP_CHAINS = [KUBE_SERVICES, KUBE_NODEPORTS, KUBE_POSTROUTING, KUBE_MARK_MASQ] as const;

/** The masquerade bit (upstream --iptables-masquerade-bit 14). */
export const MASQ_MARK = '0x4000';

export interface JumpRule {
  table: Table;
  /** Built-in chain the rule lives in. */
  from: string;
  /** Our chain it jumps to. */
  to: string;
  /** Everything between the chain name and `-j`. */
  args: string[];
}

const NEW = ['-m', 'conntrack', '--ctstate', 'NEW'];
const comment = (c: string) => ['-m', 'comment', '--comment', c];

/** The jumps ensured one by one outside the restore (kube-proxy must not own built-in chains). */
export const JUMP_RULES: readonly JumpRule[] = [
  { table: 'filter', from: 'INPUT', to: KUBE_EXTERNAL_SERVICES, args: [...NEW, ...comment('kubernetes externally-visible service portals')] },
  { table: 'filter', from: 'FORWARD', to: KUBE_EXTERNAL_SERVICES, args: [...NEW, ...comment('kubernetes externally-visible service portals')] },
  { table: 'filter', from: 'INPUT', to: KUBE_NODEPORTS, args: comment('kubernetes health check service ports') },
  { table: 'filter', from: 'FORWARD', to: KUBE_SERVICES, args: [...NEW, ...comment('kubernetes service portals')] },
  { table: 'filter', from: 'OUTPUT', to: KUBE_SERVICES, args: [...NEW, ...comment('kubernetes service portals')] },
  { table: 'filter', from: 'FORWARD', to: KUBE_FORWARD, args: comment('kubernetes forwarding rules') },
  { table: 'filter', from: 'INPUT', to: KUBE_PROXY_FIREWALL, args: [...NEW, ...comment('kubernetes load balancer firewall')] },
  { table: 'filter', from: 'OUTPUT', to: KUBE_PROXY_FIREWALL, args: [...NEW, ...comment('kubernetes load balancer firewall')] },
  { table: 'filter', from: 'FORWARD', to: KUBE_PROXY_FIREWALL, args: [...NEW, ...comment('kubernetes load balancer firewall')] },
  { table: 'nat', from: 'OUTPUT', to: KUBE_SERVICES, args: comment('kubernetes service portals') },
  { table: 'nat', from: 'PREROUTING', to: KUBE_SERVICES, args: comment('kubernetes service portals') },
  { table: 'nat', from: 'POSTROUTING', to: KUBE_POSTROUTING, args: comment('kubernetes postrouting rules') },
];

/** Fixed chains of each table that cleanup removes (besides the per-service chains). */
export const OWNED_CHAINS: Readonly<Record<Table, readonly string[]>> = {
  filter: [...FILTER_TOP_CHAINS, KUBE_PROXY_CANARY],
  nat: [...NAT_TOP_CHAINS, KUBE_PROXY_CANARY],
  mangle: [KUBE_PROXY_CANARY, KUBE_IPTABLES_HINT],
};
