// What each object counts against a quota (upstream pkg/quota/v1/evaluator/core: pods, services,
// persistentvolumeclaims, and the generic object-count evaluator), and quota scopes.
import { add, formatQuantity, parseQuantity, type Quantity } from '../../api/quantity/index.js';
import type { KubeObject } from '../../api/types.js';

type Obj = Record<string, any>;
export type Usage = Map<string, Quantity>;

const ONE = (): Quantity => parseQuantity(1);

export function addTo(u: Usage, key: string, q: Quantity): void {
  const cur = u.get(key);
  u.set(key, cur ? add(cur, q) : q);
}

/** The usage as a ResourceList of canonical strings. */
export function toResourceList(u: Usage): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of [...u].sort(([a], [b]) => a.localeCompare(b))) out[k] = formatQuantity(v);
  return out;
}

// --- pods ---

const POD_SCOPED = ['Terminating', 'NotTerminating', 'BestEffort', 'NotBestEffort', 'PriorityClass', 'CrossNamespacePodAffinity'];
export const POD_COUNT_RESOURCES = ['pods', 'count/pods'];

/** Upstream QuotaV1Pod: terminal pods, and deleted pods past their grace period, no longer use compute. */
export function podUsesCompute(p: KubeObject & { status?: Obj; spec?: Obj }, now: number): boolean {
  const phase = p.status?.phase;
  if (phase === 'Succeeded' || phase === 'Failed') return false;
  const del = p.metadata.deletionTimestamp;
  if (del && p.metadata.deletionGracePeriodSeconds !== undefined) {
    if (now > Date.parse(del) + p.metadata.deletionGracePeriodSeconds * 1000) return false;
  }
  return true;
}

// Sum of containers, raised to any single init container's value, plus overhead (upstream PodRequests).
function podResources(spec: Obj, which: 'requests' | 'limits'): Usage {
  const sum: Usage = new Map();
  for (const c of spec.containers ?? []) for (const [k, v] of Object.entries(c.resources?.[which] ?? {})) addTo(sum, k, parseQuantity(v as string));
  for (const c of spec.initContainers ?? []) {
    for (const [k, v] of Object.entries(c.resources?.[which] ?? {})) {
      const q = parseQuantity(v as string);
      const cur = sum.get(k);
      if (!cur || q.nanos > cur.nanos) sum.set(k, q);
    }
  }
  for (const [k, v] of Object.entries(spec.overhead ?? {})) if (sum.has(k) || which === 'requests') addTo(sum, k, parseQuantity(v as string));
  return sum;
}

export function podUsage(p: KubeObject & { spec?: Obj; status?: Obj }, now: number): Usage {
  const u: Usage = new Map([['count/pods', ONE()]]);
  if (!podUsesCompute(p, now)) return u;
  u.set('pods', ONE());
  const spec = p.spec ?? {};
  for (const [k, q] of podResources(spec, 'requests')) {
    u.set(`requests.${k}`, q);
    if (k === 'cpu' || k === 'memory' || k === 'ephemeral-storage') u.set(k, q);
  }
  for (const [k, q] of podResources(spec, 'limits')) {
    if (k === 'cpu' || k === 'memory' || k === 'ephemeral-storage') u.set(`limits.${k}`, q);
  }
  return u;
}

function isBestEffort(spec: Obj): boolean {
  for (const c of [...(spec.containers ?? []), ...(spec.initContainers ?? [])]) {
    for (const which of ['requests', 'limits']) {
      const r = c.resources?.[which] ?? {};
      if (r.cpu !== undefined || r.memory !== undefined) return false;
    }
  }
  return true;
}

export interface ScopeRequirement {
  scopeName: string;
  operator: 'In' | 'NotIn' | 'Exists' | 'DoesNotExist';
  values?: string[];
}

/** spec.scopes (as Exists) plus spec.scopeSelector.matchExpressions. */
export function quotaScopes(spec: Obj): ScopeRequirement[] {
  return [
    ...((spec.scopes ?? []) as string[]).map((s) => ({ scopeName: s, operator: 'Exists' as const })),
    ...((spec.scopeSelector?.matchExpressions ?? []) as ScopeRequirement[]),
  ];
}

export function podMatchesScope(p: { spec?: Obj }, s: ScopeRequirement): boolean {
  const spec = p.spec ?? {};
  switch (s.scopeName) {
    case 'Terminating': return typeof spec.activeDeadlineSeconds === 'number' && spec.activeDeadlineSeconds >= 0;
    case 'NotTerminating': return !(typeof spec.activeDeadlineSeconds === 'number' && spec.activeDeadlineSeconds >= 0);
    case 'BestEffort': return isBestEffort(spec);
    case 'NotBestEffort': return !isBestEffort(spec);
    case 'PriorityClass': {
      const pc: string = spec.priorityClassName ?? '';
      switch (s.operator) {
        case 'In': return (s.values ?? []).includes(pc);
        case 'NotIn': return !(s.values ?? []).includes(pc);
        case 'Exists': return pc !== '';
        case 'DoesNotExist': return pc === '';
      }
      return false;
    }
    case 'CrossNamespacePodAffinity': {
      const terms = [...(spec.affinity?.podAffinity?.requiredDuringSchedulingIgnoredDuringExecution ?? []), ...(spec.affinity?.podAntiAffinity?.requiredDuringSchedulingIgnoredDuringExecution ?? [])];
      return terms.some((t: Obj) => (t.namespaces?.length ?? 0) > 0 || t.namespaceSelector !== undefined);
    }
    default: return false;
  }
}

/** Resources a scoped quota may track (upstream MatchingResources per scope: BestEffort tracks only pod counts). */
export function scopeAllows(scopes: ScopeRequirement[], resource: string): boolean {
  if (!scopes.length) return true;
  if (!isPodResource(resource)) return false;
  if (scopes.some((s) => s.scopeName === 'BestEffort')) return POD_COUNT_RESOURCES.includes(resource);
  return scopes.every((s) => POD_SCOPED.includes(s.scopeName));
}

export function isPodResource(r: string): boolean {
  return r === 'pods' || r === 'count/pods' || r === 'cpu' || r === 'memory' || r === 'ephemeral-storage'
    || r.startsWith('requests.') || r.startsWith('limits.');
}

// --- services and claims ---

export function serviceUsage(s: { spec?: Obj }): Usage {
  const u: Usage = new Map([['services', ONE()], ['count/services', ONE()]]);
  const spec = s.spec ?? {};
  const ports: Obj[] = spec.ports ?? [];
  if (spec.type === 'NodePort') u.set('services.nodeports', parseQuantity(ports.length));
  if (spec.type === 'LoadBalancer') {
    u.set('services.loadbalancers', ONE());
    const n = spec.allocateLoadBalancerNodePorts === false ? ports.filter((p) => p.nodePort).length : ports.length;
    u.set('services.nodeports', parseQuantity(n));
  }
  return u;
}

const SC = '.storageclass.storage.k8s.io/';

export function claimUsage(c: { spec?: Obj; status?: Obj }): Usage {
  const u: Usage = new Map([['persistentvolumeclaims', ONE()], ['count/persistentvolumeclaims', ONE()]]);
  const req = c.spec?.resources?.requests?.storage;
  const sc: string | undefined = c.spec?.storageClassName;
  if (sc) u.set(`${sc}${SC}persistentvolumeclaims`, ONE());
  if (req !== undefined) {
    // A resize in progress counts its larger allocation (upstream, RecoverVolumeExpansionFailure).
    let q = parseQuantity(req);
    const alloc = c.status?.allocatedResources?.storage;
    if (alloc !== undefined && parseQuantity(alloc).nanos > q.nanos) q = parseQuantity(alloc);
    u.set('requests.storage', q);
    if (sc) u.set(`${sc}${SC}requests.storage`, q);
  }
  return u;
}

/** Which object kind a quota resource name is about: 'pods' | 'services' | 'persistentvolumeclaims' | {group, resource} for counts. */
export function resourceKindOf(r: string): { group: string; resource: string } | undefined {
  if (isPodResource(r)) return { group: '', resource: 'pods' };
  if (r === 'services' || r.startsWith('services.') || r === 'count/services') return { group: '', resource: 'services' };
  if (r === 'persistentvolumeclaims' || r === 'requests.storage' || r.includes(SC) || r === 'count/persistentvolumeclaims') return { group: '', resource: 'persistentvolumeclaims' };
  if (['configmaps', 'secrets', 'replicationcontrollers', 'resourcequotas'].includes(r)) return { group: '', resource: r };
  const m = /^count\/([^.]+)(?:\.(.+))?$/.exec(r);
  if (m) return { group: m[2] ?? '', resource: m[1]! };
  return undefined;
}
