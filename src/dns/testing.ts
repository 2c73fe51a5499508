// Fixtures for tests and benchmarks: Service/EndpointSlice builders, a zone loaded from them, and a
// tiny stub client that asks one question over UDP or TCP.
import dgram from 'node:dgram';
import net from 'node:net';
import { serviceRecords } from './records.js';
import { frame, readFrames } from './tcp-framing.js';
import { SERVICE_NAME_LABEL, type EndpointSlice, type Service, type ServicePort, type SliceEndpoint } from './types.js';
import { RRClass, decode, emptyFlags, encode, type Edns, type Message } from './wire.js';
import { ClusterZone } from './zone.js';

export function makeService(ns: string, name: string, spec: Service['spec']): Service {
  return { apiVersion: 'v1', kind: 'Service', metadata: { namespace: ns, name }, spec };
}

export function makeSlice(ns: string, service: string, endpoints: SliceEndpoint[], ports: ServicePort[] = [], addressType = 'IPv4', name = `${service}-${Math.random().toString(36).slice(2, 7)}`): EndpointSlice {
  return {
    apiVersion: 'discovery.k8s.io/v1', kind: 'EndpointSlice',
    metadata: { namespace: ns, name, labels: { [SERVICE_NAME_LABEL]: service } },
    addressType, endpoints, ports: ports.map((p) => ({ name: p.name ?? '', port: p.port, protocol: p.protocol ?? 'TCP' })),
  };
}

/** A zone holding these Services, each with the slices labelled for it. */
export function zoneOf(services: Service[], slices: EndpointSlice[] = [], domain = 'cluster.local', ttl = 30): ClusterZone {
  const zone = new ClusterZone({ domain, ttl, nowSeconds: () => 1_700_000_000 });
  for (const s of services) {
    const mine = slices.filter((e) => e.metadata.namespace === s.metadata.namespace && e.metadata.labels?.[SERVICE_NAME_LABEL] === s.metadata.name);
    zone.setOwner(`${s.metadata.namespace}/${s.metadata.name}`, serviceRecords(s, mine, { zone: domain, ttl }));
  }
  return zone;
}

export function queryBytes(name: string, type: number, o: { id?: number; edns?: Partial<Edns>; klass?: number; rd?: boolean } = {}): Buffer {
  const m: Message = {
    id: o.id ?? 0x4242, flags: { ...emptyFlags(), rd: o.rd ?? true },
    questions: [{ name, type, class: o.klass ?? RRClass.IN }], answers: [], authority: [], additional: [],
  };
  if (o.edns) m.edns = { udpSize: 1232, extRcode: 0, version: 0, dnssecOk: false, options: [], ...o.edns };
  return encode(m);
}

/** Sends raw bytes over UDP and resolves with the raw reply (undefined after timeoutMs). */
export function udpExchange(port: number, query: Buffer, host = '127.0.0.1', timeoutMs = 2000): Promise<Buffer | undefined> {
  return new Promise((resolve) => {
    const s = dgram.createSocket(net.isIPv6(host) ? 'udp6' : 'udp4');
    const t = setTimeout(() => { s.close(); resolve(undefined); }, timeoutMs);
    s.on('message', (m) => { clearTimeout(t); s.close(); resolve(m); });
    s.send(query, port, host);
  });
}

/** Sends several queries on one TCP connection and resolves with the replies in arrival order. */
export function tcpExchange(port: number, queries: Buffer[], host = '127.0.0.1'): Promise<Buffer[]> {
  return new Promise((resolve, reject) => {
    const out: Buffer[] = [];
    const c = net.connect({ host, port }, () => { for (const q of queries) c.write(frame(q)); });
    c.on('data', readFrames((m) => { out.push(m); if (out.length === queries.length) { c.end(); resolve(out); } }));
    c.on('error', reject);
  });
}

export async function udpQuery(port: number, name: string, type: number, o: Parameters<typeof queryBytes>[2] = {}): Promise<Message> {
  const r = await udpExchange(port, queryBytes(name, type, o));
  if (!r) throw new Error(`no reply to ${name}`);
  return decode(r);
}
