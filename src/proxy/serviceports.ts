// Service → the service ports the proxy programs (upstream pkg/proxy/serviceport.go
// newBaseServiceInfo). Headless and ExternalName Services have no virtual IP and are skipped, as
// upstream's ShouldSkipService does; only IPv4 is proxied (the primary ClusterIP's family).
import { isIPv4 } from 'node:net';
import type { ServiceObject } from './objects.js';
import { servicePortNameString, type Protocol, type ServicePortInfo } from './types.js';

const DEFAULT_AFFINITY_SECONDS = 10800;

export function shouldSkipService(svc: ServiceObject): boolean {
  const ip = svc.spec?.clusterIP;
  return !ip || ip === 'None' || svc.spec?.type === 'ExternalName' || !isIPv4(ip);
}

export function servicePortsOf(svc: ServiceObject): ServicePortInfo[] {
  if (shouldSkipService(svc)) return [];
  const spec = svc.spec!;
  const ns = svc.metadata.namespace ?? 'default';
  const name = svc.metadata.name ?? '';
  const type = spec.type === 'NodePort' || spec.type === 'LoadBalancer' ? spec.type : 'ClusterIP';
  const affinity = spec.sessionAffinity === 'ClientIP' ? spec.sessionAffinityConfig?.clientIP?.timeoutSeconds ?? DEFAULT_AFFINITY_SECONDS : 0;
  const externalIPs = (spec.externalIPs ?? []).filter((ip) => isIPv4(ip));
  const lbIPs = type === 'LoadBalancer' ? (svc.status?.loadBalancer?.ingress ?? []).map((i) => i.ip ?? '').filter((ip) => isIPv4(ip)) : [];
  return (spec.ports ?? []).map((p) => {
    const protocol = (p.protocol ?? 'TCP') as Protocol;
    const spn = { namespace: ns, name, port: p.name ?? '', protocol };
    return {
      key: servicePortNameString(spn),
      name: spn,
      type,
      clusterIP: spec.clusterIP!,
      port: p.port,
      protocol,
      nodePort: type === 'ClusterIP' ? 0 : p.nodePort ?? 0,
      externalIPs,
      loadBalancerIPs: lbIPs,
      loadBalancerSourceRanges: type === 'LoadBalancer' ? [...(spec.loadBalancerSourceRanges ?? [])] : [],
      affinityTimeoutSeconds: affinity,
      externalPolicyLocal: spec.externalTrafficPolicy === 'Local' && (type !== 'ClusterIP' || externalIPs.length > 0),
      internalPolicyLocal: spec.internalTrafficPolicy === 'Local',
      healthCheckNodePort: spec.healthCheckNodePort ?? 0,
    };
  });
}

/** Field-by-field equality of two service ports (decides whether a Service update changed anything). */
export function sameServicePort(a: ServicePortInfo, b: ServicePortInfo): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}
