// Which endpoints a service port sends traffic to, by traffic policy (upstream pkg/proxy/topology.go
// CategorizeEndpoints, without topology-aware hints: Skiff does not publish zone hints).
import type { Endpoint, ServicePortInfo } from './types.js';

export interface CategorizedEndpoints {
  /** Endpoints for traffic under "Cluster" policy: the ready ones, else serving-and-terminating ones. */
  clusterEndpoints: Endpoint[];
  /** Endpoints for traffic under "Local" policy (only computed when a Local policy is in effect). */
  localEndpoints: Endpoint[];
  /** Every endpoint any traffic may reach (for conntrack cleanup and the filter rules). */
  allReachable: Endpoint[];
  /** Some endpoint anywhere is ready or serving-terminating (false: REJECT the service). */
  hasAnyEndpoints: boolean;
}

function usable(eps: readonly Endpoint[]): Endpoint[] {
  const ready = eps.filter((e) => e.ready);
  // Upstream falls back to serving-but-terminating endpoints when nothing is ready (KEP-1669).
  return ready.length ? ready : eps.filter((e) => e.serving && e.terminating);
}

export function categorizeEndpoints(svc: ServicePortInfo, eps: readonly Endpoint[]): CategorizedEndpoints {
  // Any endpoint some traffic could use, on any node (upstream: a DROP rather than a REJECT when a
  // Local policy finds none here but other nodes have some).
  const hasAnyEndpoints = eps.some((e) => e.ready || (e.serving && e.terminating));
  const cluster = usesClusterEndpoints(svc) ? usable(eps) : [];
  if (!usesLocalEndpoints(svc)) return { clusterEndpoints: cluster, localEndpoints: [], allReachable: cluster, hasAnyEndpoints };
  const local = usable(eps.filter((e) => e.isLocal));
  let allReachable = local;
  if (usesClusterEndpoints(svc)) {
    const seen = new Set<Endpoint>([...cluster, ...local]);
    allReachable = eps.filter((e) => seen.has(e));
  }
  return { clusterEndpoints: cluster, localEndpoints: local, allReachable, hasAnyEndpoints };
}

/**
 * Some traffic to the port uses the whole cluster's endpoints (upstream UsesClusterEndpoints): with
 * internal policy Cluster, or whenever it is reachable from outside — even with external policy
 * Local, pods and the node itself short-circuit to the cluster-wide chain.
 */
export function usesClusterEndpoints(svc: ServicePortInfo): boolean {
  return !svc.internalPolicyLocal || externallyReachable(svc);
}

/** Some traffic to the port uses only this node's endpoints (upstream UsesLocalEndpoints). */
export function usesLocalEndpoints(svc: ServicePortInfo): boolean {
  return svc.internalPolicyLocal || (externallyReachable(svc) && svc.externalPolicyLocal);
}

/** Traffic can reach the service from outside the cluster (NodePort, external IPs, LB IPs). */
export function externallyReachable(svc: ServicePortInfo): boolean {
  return svc.nodePort > 0 || svc.externalIPs.length > 0 || svc.loadBalancerIPs.length > 0;
}
