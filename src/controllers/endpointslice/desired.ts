// The endpoints a service should have, as EndpointSlice endpoints grouped by resolved port set
// (upstream endpointslice/utils.go podToEndpoint, getEndpointPorts).
import type { KubeObject } from '../../api/types.js';
import {
  hostnameFor, isPodReady, podIPv4, resolvePorts, shouldPodBeInEndpoints, type Pod, type Service,
} from '../endpoint/index.js';
import type { DesiredGroup } from './reconciler.js';
import { portKey } from './reconciler.js';
import type { SliceEndpoint, SlicePort } from './types.js';

export const ZONE_LABEL = 'topology.kubernetes.io/zone';

/**
 * Terminating pods are kept with terminating=true. serving follows pod readiness; ready is serving
 * and not terminating, or always true with publishNotReadyAddresses.
 */
export function podToEndpoint(pod: Pod, svc: Service, node?: KubeObject): SliceEndpoint {
  const serving = isPodReady(pod);
  const terminating = !!pod.metadata.deletionTimestamp;
  const ready = svc.spec?.publishNotReadyAddresses === true || (serving && !terminating);
  const ep: SliceEndpoint = {
    addresses: [podIPv4(pod)!],
    conditions: { ready, serving, terminating },
  };
  const hostname = hostnameFor(pod, svc);
  if (hostname) ep.hostname = hostname;
  ep.targetRef = { kind: 'Pod', namespace: pod.metadata.namespace, name: pod.metadata.name, uid: pod.metadata.uid };
  if (pod.spec?.nodeName) ep.nodeName = pod.spec.nodeName;
  const zone = node?.metadata.labels?.[ZONE_LABEL];
  if (zone) ep.zone = zone;
  return ep;
}

/** Slice ports of one pod: every service port that resolves, named as the service names it ('' if unnamed). */
export function slicePorts(pod: Pod, svc: Service): SlicePort[] {
  return resolvePorts(pod, svc).map((p) => ({ name: p.name ?? '', port: p.port, protocol: p.protocol, ...(p.appProtocol ? { appProtocol: p.appProtocol } : {}) }));
}

export function desiredGroups(svc: Service, pods: Pod[], nodeOf: (name: string) => KubeObject | undefined): DesiredGroup[] {
  const groups = new Map<string, DesiredGroup>();
  const seen = new Set<string>();
  for (const pod of pods) {
    if (!shouldPodBeInEndpoints(pod, true)) continue;
    const ip = podIPv4(pod)!;
    if (seen.has(ip)) continue;
    seen.add(ip);
    const ports = slicePorts(pod, svc);
    const k = portKey(ports);
    let g = groups.get(k);
    if (!g) groups.set(k, (g = { ports, endpoints: [] }));
    g.endpoints.push(podToEndpoint(pod, svc, pod.spec?.nodeName ? nodeOf(pod.spec.nodeName) : undefined));
  }
  for (const g of groups.values()) g.endpoints.sort((a, b) => a.addresses[0]!.localeCompare(b.addresses[0]!, 'en', { numeric: true }));
  return [...groups.values()];
}
