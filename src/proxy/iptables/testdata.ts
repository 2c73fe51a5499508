// Fixture builders for the iptables mode's tests and benchmark (not part of the public surface).
import type { Endpoint, ProxyState, ServicePortInfo } from '../types.js';
import { servicePortNameString } from '../types.js';

/** A service port with upstream defaults; override any field. */
export function makeService(ns: string, name: string, port: string, o: Partial<ServicePortInfo> = {}): ServicePortInfo {
  const protocol = o.protocol ?? 'TCP';
  return {
    key: servicePortNameString({ namespace: ns, name, port }),
    name: { namespace: ns, name, port, protocol },
    type: o.nodePort ? 'NodePort' : 'ClusterIP',
    clusterIP: '10.43.0.1', port: 80, protocol, nodePort: 0,
    externalIPs: [], loadBalancerIPs: [], loadBalancerSourceRanges: [],
    affinityTimeoutSeconds: 0, externalPolicyLocal: false, internalPolicyLocal: false, healthCheckNodePort: 0,
    ...o,
  };
}

/** A ready endpoint; isLocal false unless overridden. */
export function makeEndpoint(ip: string, port: number, o: Partial<Endpoint> = {}): Endpoint {
  return { ip, port, ready: true, serving: true, terminating: false, isLocal: false, ...o };
}

export function makeState(entries: Array<[ServicePortInfo, Endpoint[]]>): ProxyState {
  return {
    services: new Map(entries.map(([s]) => [s.key, s])),
    endpoints: new Map(entries.map(([s, e]) => [s.key, e])),
  };
}

/** The networking brief §2.9 worked example: default/web:http, NodePort 30080, two endpoints. */
export function webExample(o: Partial<ServicePortInfo> = {}, eps?: Endpoint[]): ProxyState {
  const svc = makeService('default', 'web', 'http', { clusterIP: '10.43.0.100', port: 80, nodePort: 30080, type: 'NodePort', ...o });
  return makeState([[svc, eps ?? [makeEndpoint('10.42.0.2', 8080), makeEndpoint('10.42.0.3', 8080)]]]);
}
