// Building an Endpoints object's subsets from the pods a service selects (upstream
// pkg/controller/endpoint syncService + endpoints.RepackSubsets): each pod contributes its address
// under the set of ports it resolves; addresses sharing a port set share a subset; ready pods go to
// addresses, the rest to notReadyAddresses; everything sorted so equal content compares equal.
import {
  findPort, hostnameFor, isPodReady, podIPv4, shouldPodBeInEndpoints, type Pod, type Service,
} from './pods.js';

export interface EndpointAddress {
  ip: string;
  hostname?: string;
  nodeName?: string;
  targetRef?: { kind: string; namespace?: string; name?: string; uid?: string };
}
export interface EndpointPort { name?: string; port: number; protocol: string; appProtocol?: string }
export interface EndpointSubset { addresses?: EndpointAddress[]; notReadyAddresses?: EndpointAddress[]; ports?: EndpointPort[] }

export function addressOf(pod: Pod, svc: Service, ip: string): EndpointAddress {
  const a: EndpointAddress = { ip };
  const hostname = hostnameFor(pod, svc);
  if (hostname) a.hostname = hostname;
  if (pod.spec?.nodeName) a.nodeName = pod.spec.nodeName;
  a.targetRef = { kind: 'Pod', namespace: pod.metadata.namespace, name: pod.metadata.name, uid: pod.metadata.uid };
  return a;
}

/** The ports of a service resolved against one pod; a port that cannot be resolved is left out. */
export function resolvePorts(pod: Pod, svc: Service): EndpointPort[] {
  const out: EndpointPort[] = [];
  for (const sp of svc.spec?.ports ?? []) {
    const port = findPort(pod, sp);
    if (port === undefined) continue;
    const ep: EndpointPort = { port, protocol: sp.protocol ?? 'TCP' };
    if (sp.name) ep.name = sp.name;
    if (sp.appProtocol) ep.appProtocol = sp.appProtocol;
    out.push(ep);
  }
  return out.sort((a, b) => (a.name ?? '').localeCompare(b.name ?? '') || a.port - b.port || a.protocol.localeCompare(b.protocol));
}

/** The subsets for a service and the pods it selects. */
export function buildSubsets(svc: Service, pods: Pod[]): EndpointSubset[] {
  const publish = svc.spec?.publishNotReadyAddresses === true;
  const headlessNoPorts = !(svc.spec?.ports?.length) && svc.spec?.clusterIP === 'None';
  const groups = new Map<string, { ports: EndpointPort[]; ready: EndpointAddress[]; notReady: EndpointAddress[] }>();
  for (const pod of pods) {
    if (!shouldPodBeInEndpoints(pod, publish)) continue;
    const ip = podIPv4(pod)!;
    const ports = resolvePorts(pod, svc);
    if (!ports.length && !headlessNoPorts) continue;
    const key = JSON.stringify(ports);
    let g = groups.get(key);
    if (!g) groups.set(key, (g = { ports, ready: [], notReady: [] }));
    (publish || isPodReady(pod) ? g.ready : g.notReady).push(addressOf(pod, svc, ip));
  }
  const byIp = (a: EndpointAddress, b: EndpointAddress) => cmpIp(a.ip, b.ip) || (a.targetRef?.uid ?? '').localeCompare(b.targetRef?.uid ?? '');
  return [...groups.entries()].sort(([a], [b]) => a.localeCompare(b)).map(([, g]) => {
    const s: EndpointSubset = {};
    if (g.ready.length) s.addresses = g.ready.sort(byIp);
    if (g.notReady.length) s.notReadyAddresses = g.notReady.sort(byIp);
    if (g.ports.length) s.ports = g.ports;
    return s;
  });
}

function cmpIp(a: string, b: string): number {
  const pa = a.split('.').map(Number);
  const pb = b.split('.').map(Number);
  for (let i = 0; i < 4; i++) if (pa[i] !== pb[i]) return (pa[i] ?? 0) - (pb[i] ?? 0);
  return 0;
}

/** Upstream's cap on addresses in one Endpoints object (maxCapacity). */
export const MAX_ENDPOINTS_CAPACITY = 1000;

/**
 * Keeps at most `max` addresses (ready ones first, spread over the subsets in proportion, as upstream
 * truncateEndpoints); returns the subsets and whether anything was cut.
 */
export function truncateSubsets(subsets: EndpointSubset[], max = MAX_ENDPOINTS_CAPACITY): { subsets: EndpointSubset[]; truncated: boolean } {
  const total = subsets.reduce((n, s) => n + (s.addresses?.length ?? 0) + (s.notReadyAddresses?.length ?? 0), 0);
  if (total <= max) return { subsets, truncated: false };
  let left = max;
  const out = subsets.map((s, i) => {
    const size = (s.addresses?.length ?? 0) + (s.notReadyAddresses?.length ?? 0);
    const share = i === subsets.length - 1 ? left : Math.min(left, Math.round((size / total) * max));
    left -= share;
    const ready = (s.addresses ?? []).slice(0, share);
    const notReady = (s.notReadyAddresses ?? []).slice(0, share - ready.length);
    const next: EndpointSubset = {};
    if (ready.length) next.addresses = ready;
    if (notReady.length) next.notReadyAddresses = notReady;
    if (s.ports) next.ports = s.ports;
    return next;
  }).filter((s) => s.addresses || s.notReadyAddresses);
  return { subsets: out, truncated: true };
}
