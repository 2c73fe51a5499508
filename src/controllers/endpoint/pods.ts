// What the endpoints and EndpointSlice controllers read off pods and services (upstream
// pkg/api/v1/pod FindPort, podutil.IsPodReady and endpointslice/util ShouldPodBeInEndpoints,
// ShouldSetHostname): which pods count, their address, readiness and resolved target ports.
import type { KubeObject } from '../../api/types.js';
import { labelSelectorFromSet } from '../../api/selectors/index.js';
import type { Lister } from '../../client/index.js';

export interface ContainerPort { name?: string; containerPort: number; protocol?: string }
export interface Container { name?: string; ports?: ContainerPort[]; restartPolicy?: string; [field: string]: unknown }
export interface PodSpec {
  nodeName?: string;
  hostname?: string;
  subdomain?: string;
  restartPolicy?: string;
  containers?: Container[];
  initContainers?: Container[];
  [field: string]: unknown;
}
export interface PodStatus {
  phase?: string;
  podIP?: string;
  podIPs?: { ip: string }[];
  conditions?: { type: string; status: string; lastTransitionTime?: string }[];
  [field: string]: unknown;
}
export interface Pod extends KubeObject { spec?: PodSpec; status?: PodStatus }

export interface ServicePort { name?: string; port: number; targetPort?: number | string; protocol?: string; appProtocol?: string }
export interface ServiceSpec {
  selector?: Record<string, string>;
  ports?: ServicePort[];
  clusterIP?: string;
  type?: string;
  publishNotReadyAddresses?: boolean;
}
export interface Service extends KubeObject { spec?: ServiceSpec }

export { TRIGGER_TIME_ANNOTATION } from '../../api/endpointslice.js';
export const HEADLESS_LABEL = 'service.kubernetes.io/headless';

/** Ready condition True (podutil.IsPodReady). */
export function isPodReady(pod: Pod): boolean {
  return pod.status?.conditions?.some((c) => c.type === 'Ready' && c.status === 'True') ?? false;
}

/** Has an IP, is not finished, and (unless terminating pods are wanted) is not being deleted. */
export function shouldPodBeInEndpoints(pod: Pod, includeTerminating: boolean): boolean {
  const phase = pod.status?.phase;
  if (phase === 'Failed' || phase === 'Succeeded') return false;
  if (!podIPv4(pod)) return false;
  if (!includeTerminating && pod.metadata.deletionTimestamp) return false;
  return true;
}

/** The pod's IPv4 address (Skiff serves the IPv4 family only). */
export function podIPv4(pod: Pod): string | undefined {
  const ips = [pod.status?.podIP, ...(pod.status?.podIPs ?? []).map((p) => p.ip)].filter((x): x is string => !!x);
  return ips.find((ip) => /^\d+\.\d+\.\d+\.\d+$/.test(ip));
}

/**
 * The pod port a service port sends to (podutil.FindPort): a named targetPort is looked up among
 * the pod's container ports with the same protocol; a number is used as is; none means `port`.
 */
export function findPort(pod: Pod, sp: ServicePort): number | undefined {
  const target = sp.targetPort ?? sp.port;
  if (typeof target === 'number') return target;
  if (/^\d+$/.test(target)) return Number(target);
  const proto = sp.protocol ?? 'TCP';
  const containers = [...(pod.spec?.containers ?? []), ...(pod.spec?.initContainers ?? []).filter((c) => c.restartPolicy === 'Always')];
  for (const c of containers) {
    for (const p of c.ports ?? []) if (p.name === target && (p.protocol ?? 'TCP') === proto) return p.containerPort;
  }
  return undefined;
}

/** Hostname is published when the pod's subdomain names this service (endpointutil.ShouldSetHostname). */
export function hostnameFor(pod: Pod, svc: Service): string | undefined {
  const h = pod.spec?.hostname;
  return h && pod.spec?.subdomain === svc.metadata.name && pod.metadata.namespace === svc.metadata.namespace ? h : undefined;
}

/** Pods a service selects (none for a selector-less service). */
export function selectedPods(svc: Service, pods: Lister<Pod>): Pod[] {
  const sel = svc.spec?.selector;
  if (!sel || !Object.keys(sel).length) return [];
  return pods.listNamespace(svc.metadata.namespace!, labelSelectorFromSet(sel));
}

/** Keys of services (in the pod's namespace) whose selector matches the pod's labels. */
export function servicesForPod(pod: Pod, services: Lister<Service>): string[] {
  const labels = pod.metadata.labels ?? {};
  return services.listNamespace(pod.metadata.namespace!)
    .filter((s) => {
      const sel = s.spec?.selector;
      return !!sel && Object.keys(sel).length > 0 && Object.entries(sel).every(([k, v]) => labels[k] === v);
    })
    .map((s) => `${s.metadata.namespace}/${s.metadata.name}`);
}

/**
 * When the pods and service behind an endpoints change last changed (upstream TriggerTimeTracker,
 * simplified): the latest of the service's creation and each pod's Ready transition or creation.
 */
export function lastChangeTriggerTime(svc: Service, pods: Pod[]): string | undefined {
  let best = svc.metadata.creationTimestamp;
  for (const p of pods) {
    const t = p.status?.conditions?.find((c) => c.type === 'Ready')?.lastTransitionTime ?? p.metadata.creationTimestamp;
    if (t && (!best || Date.parse(t) > Date.parse(best))) best = t;
  }
  return best;
}

/** Labels a service's endpoints carry: the service's own, plus headless when it has no cluster IP. */
export function endpointLabels(svc: Service): Record<string, string> {
  const labels: Record<string, string> = { ...svc.metadata.labels };
  if (svc.spec?.clusterIP === 'None') labels[HEADLESS_LABEL] = '';
  else delete labels[HEADLESS_LABEL];
  return labels;
}

/** Deep equality that ignores object key order (objects from the API server may order keys differently). */
export function semanticEqual(a: unknown, b: unknown): boolean {
  return canonical(a) === canonical(b);
}

function canonical(v: unknown): string {
  if (Array.isArray(v)) return `[${v.map(canonical).join(',')}]`;
  if (v && typeof v === 'object') {
    return `{${Object.keys(v).filter((k) => (v as Record<string, unknown>)[k] !== undefined).sort().map((k) => `${JSON.stringify(k)}:${canonical((v as Record<string, unknown>)[k])}`).join(',')}}`;
  }
  return JSON.stringify(v);
}
