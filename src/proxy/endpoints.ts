// EndpointSlices of one Service → endpoints per service port (upstream pkg/proxy/endpointslicecache.go):
// slices are merged, endpoints de-duplicated by ip:port (the first slice in name order wins, as
// upstream sorts slices), and a slice port is matched to the service port by name and protocol.
import { compareIPv4 } from '../util/ipv4.js';
import type { EndpointSliceObject } from './objects.js';
import { servicePortNameString, type Endpoint, type Protocol } from './types.js';

/** Endpoints of each service port key ("ns/svc:port") found in the slices of Service ns/svc. */
export function endpointsOfService(namespace: string, service: string, slices: readonly EndpointSliceObject[], nodeName: string): Map<string, Endpoint[]> {
  const out = new Map<string, Map<string, Endpoint>>();
  const ordered = [...slices].sort((a, b) => (a.metadata.name ?? '').localeCompare(b.metadata.name ?? ''));
  for (const slice of ordered) {
    if (slice.addressType !== 'IPv4' || slice.metadata.deletionTimestamp) continue;
    for (const port of slice.ports ?? []) {
      if (port.port == null) continue;
      const key = servicePortNameString({ namespace, name: service, port: port.name ?? '' });
      const protocol = (port.protocol ?? 'TCP') as Protocol;
      let m = out.get(`${key}\0${protocol}`);
      if (!m) out.set(`${key}\0${protocol}`, (m = new Map()));
      for (const ep of slice.endpoints ?? []) {
        const ip = ep.addresses[0];
        if (!ip) continue;
        const id = `${ip}:${port.port}`;
        if (m.has(id)) continue;
        const ready = ep.conditions?.ready ?? true;
        const e: Endpoint = {
          ip, port: port.port, ready,
          serving: ep.conditions?.serving ?? ready,
          terminating: ep.conditions?.terminating ?? false,
          isLocal: !!ep.nodeName && ep.nodeName === nodeName,
        };
        if (ep.nodeName) e.nodeName = ep.nodeName;
        if (ep.zone) e.zone = ep.zone;
        m.set(id, e);
      }
    }
  }
  const result = new Map<string, Endpoint[]>();
  for (const [k, m] of out) result.set(k, [...m.values()].sort(compareEndpoints));
  return result;
}

/** The map key endpointsOfService uses: service port key + protocol. */
export function endpointsKey(servicePortKey: string, protocol: Protocol): string {
  return `${servicePortKey}\0${protocol}`;
}

export function compareEndpoints(a: Endpoint, b: Endpoint): number {
  return compareIPv4(a.ip, b.ip) || a.port - b.port;
}

export function sameEndpoints(a: readonly Endpoint[] | undefined, b: readonly Endpoint[] | undefined): boolean {
  if ((a?.length ?? 0) !== (b?.length ?? 0)) return false;
  return JSON.stringify(a ?? []) === JSON.stringify(b ?? []);
}
