// Publishes a cluster DNS server as upstream clusters publish CoreDNS: the `kube-system/kube-dns`
// Service on the cluster DNS IP (10.43.0.10) with ports dns/UDP 53 and dns-tcp/TCP 53, whose
// endpoints are this server's address. The Service has no selector (the server is not a pod), so its
// Endpoints carry skip-mirror and its EndpointSlice is written here directly, as the API server does
// for `kubernetes`. Pods then reach DNS through the service proxy exactly as on upstream clusters.
import type { Client } from '../client/index.js';
import { refs } from '../client/index.js';
import type { KubeObject } from '../api/types.js';
import { isReason } from '../util/errors.js';

export interface DNSServiceOptions {
  client: Client;
  /** The Service's ClusterIP (kubelet --cluster-dns). */
  clusterIP: string;
  /** Address the DNS server is reached at (the node's address). */
  address: string;
  /** Port it serves UDP and TCP on. */
  port: number;
  /** Node the server runs on (the endpoint's nodeName). */
  nodeName?: string;
}

export const DNS_SERVICE = { namespace: 'kube-system', name: 'kube-dns' } as const;
const MANAGED_BY = 'skiff-dns';

export async function registerDNSService(o: DNSServiceOptions): Promise<void> {
  const { namespace, name } = DNS_SERVICE;
  const labels = { 'k8s-app': 'kube-dns', 'kubernetes.io/cluster-service': 'true', 'kubernetes.io/name': 'CoreDNS' };
  const ports53 = [
    { name: 'dns', port: 53, protocol: 'UDP', targetPort: o.port },
    { name: 'dns-tcp', port: 53, protocol: 'TCP', targetPort: o.port },
  ];
  const service: KubeObject = {
    apiVersion: 'v1', kind: 'Service',
    metadata: { name, namespace, labels },
    spec: {
      type: 'ClusterIP', clusterIP: o.clusterIP, ports: ports53,
    },
  };
  const svcs = o.client.resource(refs.services).namespace(namespace);
  const existing: (KubeObject & { spec?: { clusterIP?: string; ports?: unknown } }) | undefined = await svcs.get(name).catch((err: unknown) => { if (isReason(err, 'NotFound')) return undefined; throw err; });
  if (!existing) await svcs.create(service).catch((err: unknown) => { if (!isReason(err, 'AlreadyExists')) throw err; });
  else if (existing.spec?.clusterIP !== o.clusterIP) {
    throw new Error(`${namespace}/${name} exists with clusterIP ${String(existing.spec?.clusterIP)}, not --cluster-dns ${o.clusterIP}`);
  } else if (JSON.stringify(existing.spec?.ports) !== JSON.stringify(ports53)) {
    await svcs.update({ ...existing, spec: { ...existing.spec, ports: ports53 } });
  }

  const ports = [{ name: 'dns', port: o.port, protocol: 'UDP' }, { name: 'dns-tcp', port: o.port, protocol: 'TCP' }];
  await upsert(o.client.resource(refs.endpoints).namespace(namespace), {
    apiVersion: 'v1', kind: 'Endpoints',
    metadata: { name, namespace, labels: { ...labels, 'endpointslice.kubernetes.io/skip-mirror': 'true' } },
    subsets: [{ addresses: [{ ip: o.address, ...(o.nodeName ? { nodeName: o.nodeName } : {}) }], ports }],
  });
  await upsert(o.client.resource(refs.endpointslices).namespace(namespace), {
    apiVersion: 'discovery.k8s.io/v1', kind: 'EndpointSlice',
    metadata: { name, namespace, labels: { ...labels, 'kubernetes.io/service-name': name, 'endpointslice.kubernetes.io/managed-by': MANAGED_BY } },
    addressType: 'IPv4',
    endpoints: [{ addresses: [o.address], conditions: { ready: true, serving: true, terminating: false }, ...(o.nodeName ? { nodeName: o.nodeName } : {}) }],
    ports,
  });
}

async function upsert(rc: { get(n: string): Promise<KubeObject>; create(o: KubeObject): Promise<KubeObject>; update(o: KubeObject): Promise<KubeObject> }, obj: KubeObject): Promise<void> {
  const cur = await rc.get(obj.metadata.name!).catch((err: unknown) => { if (isReason(err, 'NotFound')) return undefined; throw err; });
  if (!cur) {
    await rc.create(obj);
    return;
  }
  const { apiVersion: _a, kind: _k, metadata, ...body } = obj;
  const { apiVersion: _b, kind: _l, metadata: curMeta, ...curBody } = cur;
  if (JSON.stringify(body) === JSON.stringify(curBody) && JSON.stringify(curMeta.labels) === JSON.stringify(metadata.labels)) return;
  await rc.update({ ...obj, metadata: { ...curMeta, labels: metadata.labels } });
}
