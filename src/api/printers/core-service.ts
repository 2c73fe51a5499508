// core/v1 Service and Endpoints, after upstream printService / printEndpoints (1.32).
import type { TablePrinter } from './types.js';
import { ageCol, col, nameCol, objAge, objName, str, wide } from './columns.js';
import { formatLabels, joinHostPort } from './format.js';

/**
 * Load-balancer ingress points: IP, else hostname, de-duplicated and sorted (sets.String.List()).
 * The server renders with Wide=true, so upstream's 16-character clipping never applies here.
 */
export function loadBalancerIngress(ingress: any[] | undefined): string {
  const set = new Set<string>();
  for (const i of ingress ?? []) {
    if (i?.ip) set.add(String(i.ip));
    else if (i?.hostname) set.add(String(i.hostname));
  }
  return [...set].sort().join(',');
}

/** The External-IP cell: spec.externalIPs, LB ingress (or `<pending>`), or the ExternalName. */
export function serviceExternalIP(svc: any): string {
  const spec = svc?.spec ?? {};
  const externalIPs: string[] = (spec.externalIPs ?? []).map(String);
  switch (spec.type) {
    case 'ClusterIP':
    case 'NodePort':
      return externalIPs.length > 0 ? externalIPs.join(',') : '<none>';
    case 'LoadBalancer': {
      const lb = loadBalancerIngress(svc?.status?.loadBalancer?.ingress);
      if (externalIPs.length > 0) return [...(lb ? lb.split(',') : []), ...externalIPs].join(',');
      return lb || '<pending>';
    }
    case 'ExternalName':
      return str(spec.externalName);
    default:
      return '<unknown>';
  }
}

/** makePortString: `port/proto`, or `port:nodePort/proto` when a node port is allocated. */
export function servicePorts(ports: any[] | undefined): string {
  return (ports ?? [])
    .map((p) => {
      // Defaulting always sets the protocol; TCP is its default.
      const proto = str(p?.protocol) || 'TCP';
      return p?.nodePort > 0 ? `${p.port}:${p.nodePort}/${proto}` : `${p?.port}/${proto}`;
    })
    .join(',');
}

export const servicePrinter: TablePrinter = {
  columns: [
    nameCol(),
    col('Type', 'string', 'How the service is exposed (spec.type).'),
    col('Cluster-IP', 'string', 'The primary cluster IP (spec.clusterIPs[0]).'),
    col('External-IP', 'string', 'External IPs, load-balancer ingress, or the external name.'),
    col('Port(s)', 'string', 'The ports the service exposes.'),
    ageCol(),
    wide('Selector', 'string', 'The pod label selector (spec.selector).'),
  ],
  cells(svc, now) {
    const spec = svc?.spec ?? {};
    // clusterIPs is defaulted from clusterIP; fall back for objects written before that field.
    const clusterIP = str(spec.clusterIPs?.[0]) || str(spec.clusterIP) || '<none>';
    return [
      objName(svc),
      str(spec.type),
      clusterIP,
      serviceExternalIP(svc),
      servicePorts(spec.ports) || '<none>',
      objAge(svc, now),
      formatLabels(spec.selector),
    ];
  },
};

/** formatEndpoints: up to three `ip:port` (or bare IPs for port-less subsets), then `+ N more...`. */
export function formatEndpoints(subsets: any[] | undefined): string {
  if (!subsets || subsets.length === 0) return '<none>';
  const max = 3;
  const list: string[] = [];
  let count = 0;
  for (const ss of subsets) {
    const addresses: any[] = ss?.addresses ?? [];
    const ports: any[] = ss?.ports ?? [];
    if (ports.length === 0) {
      // Headless services may have no ports.
      count += addresses.length;
      for (const a of addresses) if (list.length < max) list.push(str(a?.ip));
      continue;
    }
    for (const p of ports) {
      count += addresses.length;
      for (const a of addresses) if (list.length < max) list.push(joinHostPort(str(a?.ip), p?.port ?? 0));
    }
  }
  const shown = list.join(',');
  return count > max ? `${shown} + ${count - max} more...` : shown;
}

export const endpointsPrinter: TablePrinter = {
  columns: [nameCol(), col('Endpoints', 'string', 'Ready addresses and ports (subsets).'), ageCol()],
  cells: (ep, now) => [objName(ep), formatEndpoints(ep?.subsets), objAge(ep, now)],
};
