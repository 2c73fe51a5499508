// The records one Service contributes to the cluster zone, following the Kubernetes DNS-Based Service
// Discovery specification (kubernetes/dns docs/specification.md, schema 1.1.0) and, where the spec
// leaves room, CoreDNS's kubernetes plugin:
//  - ClusterIP: A/AAAA per cluster IP at <svc>.<ns>.svc.<zone>, SRV per named port, PTR per IP.
//  - Headless: A/AAAA per ready endpoint address at the service name and at <host>.<svc>…, where
//    <host> is the endpoint's hostname or (as CoreDNS does) its address with dashes; SRV per named
//    port per endpoint; PTR per address to the per-endpoint name.
//  - ExternalName: CNAME to spec.externalName.
import { RRClass, RRType, type ResourceRecord } from './wire.js';
import type { EndpointSlice, Service } from './types.js';
import { isIPv4, isIPv6, reverseName } from './addr.js';

export interface RecordOptions {
  zone: string;
  ttl: number;
}

export { sliceServiceKey } from '../api/endpointslice.js';

/** Every record of a Service given its EndpointSlices. */
export function serviceRecords(svc: Service, slices: readonly EndpointSlice[], o: RecordOptions): ResourceRecord[] {
  const name = (svc.metadata.name ?? '').toLowerCase();
  const ns = (svc.metadata.namespace ?? '').toLowerCase();
  if (!name || !ns) return [];
  const fqdn = `${name}.${ns}.svc.${o.zone}`;
  const rr = (owner: string, type: number, data: ResourceRecord['data']): ResourceRecord => ({ name: owner, type, class: RRClass.IN, ttl: o.ttl, data });
  const spec = svc.spec ?? {};
  const out: ResourceRecord[] = [];

  if (spec.type === 'ExternalName') {
    const target = (spec.externalName ?? '').replace(/\.$/, '');
    if (target) out.push(rr(fqdn, RRType.CNAME, target));
    return out;
  }

  const ips = (spec.clusterIPs?.length ? spec.clusterIPs : spec.clusterIP ? [spec.clusterIP] : []).filter((ip) => ip !== 'None');
  if (ips.length) {
    for (const ip of ips) {
      const type = addrType(ip);
      if (!type) continue;
      out.push(rr(fqdn, type, ip));
      out.push(rr(reverseName(ip), RRType.PTR, fqdn));
    }
    for (const p of spec.ports ?? []) {
      if (!p.name) continue;
      out.push(rr(`_${p.name.toLowerCase()}._${(p.protocol ?? 'TCP').toLowerCase()}.${fqdn}`, RRType.SRV, { priority: 0, weight: 100, port: p.port, target: fqdn }));
    }
    return out;
  }

  // Headless: endpoints straight from the slices, deduplicated by address.
  const seen = new Set<string>();
  const srv = new Map<string, { port: number; target: string }[]>();
  for (const slice of slices) {
    if (slice.addressType !== 'IPv4' && slice.addressType !== 'IPv6') continue;
    for (const ep of slice.endpoints ?? []) {
      // A nil ready condition means ready (discovery/v1 EndpointConditions).
      if (ep.conditions?.ready === false && !spec.publishNotReadyAddresses) continue;
      for (const ip of ep.addresses ?? []) {
        const type = addrType(ip);
        if (!type || seen.has(ip)) continue;
        seen.add(ip);
        const host = `${(ep.hostname || dashed(ip)).toLowerCase()}.${fqdn}`;
        out.push(rr(fqdn, type, ip));
        out.push(rr(host, type, ip));
        out.push(rr(reverseName(ip), RRType.PTR, host));
        for (const p of slice.ports ?? []) {
          if (!p.name || p.port == null) continue;
          const owner = `_${p.name.toLowerCase()}._${(p.protocol ?? 'TCP').toLowerCase()}.${fqdn}`;
          let list = srv.get(owner);
          if (!list) srv.set(owner, (list = []));
          list.push({ port: p.port, target: host });
        }
      }
    }
  }
  // CoreDNS spreads a weight of 100 over the records of one SRV name.
  for (const [owner, list] of srv) {
    const weight = Math.max(1, Math.floor(100 / list.length));
    for (const t of list) out.push(rr(owner, RRType.SRV, { priority: 0, weight, port: t.port, target: t.target }));
  }
  return out;
}

function addrType(ip: string): number | undefined {
  if (isIPv4(ip)) return RRType.A;
  if (isIPv6(ip)) return RRType.AAAA;
  return undefined;
}

/** An address as a DNS label: dots (IPv4) or colons (IPv6) become dashes, as CoreDNS does. */
export function dashed(ip: string): string {
  return ip.replace(/[.:]/g, '-');
}
