// What a service port should listen on and where each kind of traffic goes. ClusterIP traffic
// follows internalTrafficPolicy; NodePort, external-IP and load-balancer traffic follow
// externalTrafficPolicy (upstream pkg/proxy/topology.go via ../categorize.ts). An address is only
// planned while its traffic has an endpoint: with none the port is left unbound, so connections are
// refused at once instead of hanging.
import { categorizeEndpoints } from '../categorize.js';
import type { Endpoint, ServicePortInfo } from '../types.js';
import type { Target } from './roundrobin.js';

export type TrafficClass = 'internal' | 'external';

export interface ListenAddress {
  /** "ip:port/PROTO", the listener's identity. */
  id: string;
  ip: string;
  port: number;
  protocol: 'TCP' | 'UDP';
  /** The service port (ServicePortInfo.key) that owns it. */
  service: string;
  cls: TrafficClass;
}

export interface PortPlan {
  key: string;
  affinityTimeoutSeconds: number;
  internal: Target[];
  external: Target[];
  addresses: ListenAddress[];
}

export interface PlanContext {
  /** Addresses NodePorts listen on. */
  nodePortAddresses: readonly string[];
  /** Whether an external / load-balancer IP is an address of this node. */
  isLocalAddress: (ip: string) => boolean;
}

export function listenerId(ip: string, port: number, protocol: string): string {
  return ip.includes(':') ? `[${ip}]:${port}/${protocol}` : `${ip}:${port}/${protocol}`;
}

const toTargets = (eps: readonly Endpoint[]): Target[] => eps.map((e) => ({ ip: e.ip, port: e.port }));

/** The plan for one service port; SCTP ports get no addresses (sockets cannot proxy SCTP here). */
export function planPort(svc: ServicePortInfo, eps: readonly Endpoint[], ctx: PlanContext): PortPlan {
  const cat = categorizeEndpoints(svc, eps);
  const internal = toTargets(svc.internalPolicyLocal ? cat.localEndpoints : cat.clusterEndpoints);
  const external = toTargets(svc.externalPolicyLocal ? cat.localEndpoints : cat.clusterEndpoints);
  const plan: PortPlan = { key: svc.key, affinityTimeoutSeconds: svc.affinityTimeoutSeconds, internal, external, addresses: [] };
  if (svc.protocol === 'SCTP') return plan;
  const protocol = svc.protocol;
  const add = (ip: string, port: number, cls: TrafficClass) => {
    const id = listenerId(ip, port, protocol);
    if (!plan.addresses.some((a) => a.id === id)) plan.addresses.push({ id, ip, port, protocol, service: svc.key, cls });
  };
  if (internal.length > 0 && svc.clusterIP) add(svc.clusterIP, svc.port, 'internal');
  if (external.length > 0) {
    if (svc.nodePort > 0) for (const ip of ctx.nodePortAddresses) add(ip, svc.nodePort, 'external');
    for (const ip of [...svc.externalIPs, ...svc.loadBalancerIPs]) if (ctx.isLocalAddress(ip)) add(ip, svc.port, 'external');
  }
  return plan;
}
