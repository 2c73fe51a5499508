// The kinds registry: every built-in resource the API server serves, with upstream's group, version,
// kind, plural, short names, categories, verbs and subresources (as `kubectl api-resources -o wide`
// shows them on a 1.32 cluster). Discovery, routing, OpenAPI and storage keys are all derived from it.
import { createHash } from 'node:crypto';
import { groupVersion } from './types.js';

export type Verb = 'create' | 'delete' | 'deletecollection' | 'get' | 'list' | 'patch' | 'update' | 'watch';

export interface SubresourceInfo {
  name: string;
  /** The kind the subresource takes and returns (e.g. Scale for /scale). */
  kind: { group: string; version: string; kind: string };
  verbs: string[];
}

export interface ResourceInfo {
  group: string;
  version: string;
  kind: string;
  listKind: string;
  /** Plural resource name, used in URLs. */
  resource: string;
  singular: string;
  namespaced: boolean;
  shortNames: string[];
  categories: string[];
  verbs: Verb[];
  subresources: SubresourceInfo[];
  /** Where objects are stored; resources served in several versions share one storage resource. */
  storage: { group: string; resource: string };
  /** False for virtual resources (reviews, bindings) that are never stored. */
  stored: boolean;
}

const ALL: Verb[] = ['create', 'delete', 'deletecollection', 'get', 'list', 'patch', 'update', 'watch'];
const NO_COLLECTION: Verb[] = ['create', 'delete', 'get', 'list', 'patch', 'update', 'watch'];
const STATUS_VERBS = ['get', 'patch', 'update'];

interface Spec {
  kind: string;
  resource: string;
  namespaced?: boolean;
  shortNames?: string[];
  all?: boolean;
  verbs?: Verb[];
  /** Subresources: 'status', 'scale', or explicit entries. */
  sub?: (string | SubresourceInfo)[];
  storage?: { group: string; resource: string };
  stored?: boolean;
}

function group(g: string, v: string, specs: Spec[]): ResourceInfo[] {
  return specs.map((s) => ({
    group: g,
    version: v,
    kind: s.kind,
    listKind: `${s.kind}List`,
    resource: s.resource,
    singular: s.kind.toLowerCase(),
    namespaced: s.namespaced ?? true,
    shortNames: s.shortNames ?? [],
    categories: s.all ? ['all'] : [],
    verbs: s.verbs ?? ALL,
    subresources: (s.sub ?? []).map((x) => {
      if (typeof x !== 'string') return x;
      if (x === 'status') return { name: 'status', kind: { group: g, version: v, kind: s.kind }, verbs: STATUS_VERBS };
      if (x === 'scale') return { name: 'scale', kind: { group: 'autoscaling', version: 'v1', kind: 'Scale' }, verbs: STATUS_VERBS };
      throw new Error(`registry: unknown subresource shorthand ${x}`);
    }),
    storage: s.storage ?? { group: g, resource: s.resource },
    stored: s.stored ?? true,
  }));
}

const sub = (name: string, kind: string, verbs: string[], g = '', v = 'v1'): SubresourceInfo => ({ name, kind: { group: g, version: v, kind }, verbs });

/** Every served resource, in discovery order. */
export const resources: ResourceInfo[] = [
  ...group('', 'v1', [
    { kind: 'Binding', resource: 'bindings', verbs: ['create'], stored: false },
    { kind: 'ConfigMap', resource: 'configmaps', shortNames: ['cm'] },
    { kind: 'Endpoints', resource: 'endpoints', shortNames: ['ep'] },
    { kind: 'Event', resource: 'events', shortNames: ['ev'] },
    { kind: 'LimitRange', resource: 'limitranges', shortNames: ['limits'] },
    { kind: 'Namespace', resource: 'namespaces', namespaced: false, shortNames: ['ns'], verbs: NO_COLLECTION,
      sub: [sub('finalize', 'Namespace', ['update']), 'status'] },
    { kind: 'Node', resource: 'nodes', namespaced: false, shortNames: ['no'], sub: [sub('proxy', 'NodeProxyOptions', ['create', 'delete', 'get', 'patch', 'update']), 'status'] },
    { kind: 'PersistentVolumeClaim', resource: 'persistentvolumeclaims', shortNames: ['pvc'], sub: ['status'] },
    { kind: 'PersistentVolume', resource: 'persistentvolumes', namespaced: false, shortNames: ['pv'], sub: ['status'] },
    { kind: 'Pod', resource: 'pods', shortNames: ['po'], all: true, sub: [
      sub('attach', 'PodAttachOptions', ['create', 'get']),
      sub('binding', 'Binding', ['create']),
      sub('ephemeralcontainers', 'Pod', STATUS_VERBS),
      sub('eviction', 'Eviction', ['create'], 'policy'),
      sub('exec', 'PodExecOptions', ['create', 'get']),
      sub('log', 'Pod', ['get']),
      sub('portforward', 'PodPortForwardOptions', ['create', 'get']),
      sub('proxy', 'PodProxyOptions', ['create', 'delete', 'get', 'patch', 'update']),
      'status',
    ] },
    { kind: 'PodTemplate', resource: 'podtemplates' },
    { kind: 'ReplicationController', resource: 'replicationcontrollers', shortNames: ['rc'], all: true, sub: ['scale', 'status'] },
    { kind: 'ResourceQuota', resource: 'resourcequotas', shortNames: ['quota'], sub: ['status'] },
    { kind: 'Secret', resource: 'secrets' },
    { kind: 'ServiceAccount', resource: 'serviceaccounts', shortNames: ['sa'], sub: [sub('token', 'TokenRequest', ['create'], 'authentication.k8s.io')] },
    { kind: 'Service', resource: 'services', shortNames: ['svc'], all: true,
      sub: [sub('proxy', 'ServiceProxyOptions', ['create', 'delete', 'get', 'patch', 'update']), 'status'] },
  ]),
  ...group('apps', 'v1', [
    { kind: 'ControllerRevision', resource: 'controllerrevisions' },
    { kind: 'DaemonSet', resource: 'daemonsets', shortNames: ['ds'], all: true, sub: ['status'] },
    { kind: 'Deployment', resource: 'deployments', shortNames: ['deploy'], all: true, sub: ['scale', 'status'] },
    { kind: 'ReplicaSet', resource: 'replicasets', shortNames: ['rs'], all: true, sub: ['scale', 'status'] },
    { kind: 'StatefulSet', resource: 'statefulsets', shortNames: ['sts'], all: true, sub: ['scale', 'status'] },
  ]),
  ...group('authentication.k8s.io', 'v1', [
    { kind: 'SelfSubjectReview', resource: 'selfsubjectreviews', namespaced: false, verbs: ['create'], stored: false },
    { kind: 'TokenReview', resource: 'tokenreviews', namespaced: false, verbs: ['create'], stored: false },
  ]),
  ...group('authorization.k8s.io', 'v1', [
    { kind: 'LocalSubjectAccessReview', resource: 'localsubjectaccessreviews', verbs: ['create'], stored: false },
    { kind: 'SelfSubjectAccessReview', resource: 'selfsubjectaccessreviews', namespaced: false, verbs: ['create'], stored: false },
    { kind: 'SelfSubjectRulesReview', resource: 'selfsubjectrulesreviews', namespaced: false, verbs: ['create'], stored: false },
    { kind: 'SubjectAccessReview', resource: 'subjectaccessreviews', namespaced: false, verbs: ['create'], stored: false },
  ]),
  ...group('autoscaling', 'v2', [
    { kind: 'HorizontalPodAutoscaler', resource: 'horizontalpodautoscalers', shortNames: ['hpa'], all: true, sub: ['status'] },
  ]),
  ...group('autoscaling', 'v1', [
    { kind: 'HorizontalPodAutoscaler', resource: 'horizontalpodautoscalers', shortNames: ['hpa'], all: true, sub: ['status'] },
  ]),
  ...group('batch', 'v1', [
    { kind: 'CronJob', resource: 'cronjobs', shortNames: ['cj'], all: true, sub: ['status'] },
    { kind: 'Job', resource: 'jobs', all: true, sub: ['status'] },
  ]),
  ...group('certificates.k8s.io', 'v1', [
    { kind: 'CertificateSigningRequest', resource: 'certificatesigningrequests', namespaced: false, shortNames: ['csr'],
      sub: [sub('approval', 'CertificateSigningRequest', STATUS_VERBS, 'certificates.k8s.io'), 'status'] },
  ]),
  ...group('coordination.k8s.io', 'v1', [{ kind: 'Lease', resource: 'leases' }]),
  ...group('discovery.k8s.io', 'v1', [{ kind: 'EndpointSlice', resource: 'endpointslices' }]),
  ...group('events.k8s.io', 'v1', [{ kind: 'Event', resource: 'events', shortNames: ['ev'], storage: { group: '', resource: 'events' } }]),
  ...group('networking.k8s.io', 'v1', [
    { kind: 'IngressClass', resource: 'ingressclasses', namespaced: false },
    { kind: 'Ingress', resource: 'ingresses', shortNames: ['ing'], sub: ['status'] },
    { kind: 'NetworkPolicy', resource: 'networkpolicies', shortNames: ['netpol'] },
  ]),
  ...group('node.k8s.io', 'v1', [{ kind: 'RuntimeClass', resource: 'runtimeclasses', namespaced: false }]),
  ...group('policy', 'v1', [{ kind: 'PodDisruptionBudget', resource: 'poddisruptionbudgets', shortNames: ['pdb'], sub: ['status'] }]),
  ...group('rbac.authorization.k8s.io', 'v1', [
    { kind: 'ClusterRoleBinding', resource: 'clusterrolebindings', namespaced: false },
    { kind: 'ClusterRole', resource: 'clusterroles', namespaced: false },
    { kind: 'RoleBinding', resource: 'rolebindings' },
    { kind: 'Role', resource: 'roles' },
  ]),
  ...group('scheduling.k8s.io', 'v1', [{ kind: 'PriorityClass', resource: 'priorityclasses', namespaced: false, shortNames: ['pc'] }]),
  ...group('storage.k8s.io', 'v1', [{ kind: 'StorageClass', resource: 'storageclasses', namespaced: false, shortNames: ['sc'] }]),
];

// HPAs are one stored resource served as autoscaling/v2 (preferred) and v1.
for (const r of resources) if (r.group === 'autoscaling') r.storage = { group: 'autoscaling', resource: 'horizontalpodautoscalers' };

/** Group versions in discovery order; the first version listed for a group is its preferred one. */
export function groupVersions(): { group: string; versions: string[] }[] {
  const out: { group: string; versions: string[] }[] = [];
  for (const r of resources) {
    let g = out.find((x) => x.group === r.group);
    if (!g) out.push((g = { group: r.group, versions: [] }));
    if (!g.versions.includes(r.version)) g.versions.push(r.version);
  }
  return out;
}

const byPath = new Map<string, ResourceInfo>();
const byKind = new Map<string, ResourceInfo>();
for (const r of resources) {
  byPath.set(`${r.group}/${r.version}/${r.resource}`, r);
  byKind.set(`${r.group}/${r.version}/${r.kind}`, r);
}

/** The resource served at /api(s)/<group>/<version>/<resource>, if any. */
export function lookupResource(group: string, version: string, resource: string): ResourceInfo | undefined {
  return byPath.get(`${group}/${version}/${resource}`);
}

/** The resource of a kind in a group/version, if served. */
export function lookupKind(group: string, version: string, kind: string): ResourceInfo | undefined {
  return byKind.get(`${group}/${version}/${kind}`);
}

/** All resources served in one group/version. */
export function resourcesIn(group: string, version: string): ResourceInfo[] {
  return resources.filter((r) => r.group === group && r.version === version);
}

/** The store key prefix for a resource (DESIGN §3): /registry/[<group>/]<resource>/ */
export function storagePrefix(r: ResourceInfo, namespace?: string): string {
  const base = r.storage.group ? `/registry/${r.storage.group}/${r.storage.resource}/` : `/registry/${r.storage.resource}/`;
  return namespace && r.namespaced ? `${base}${namespace}/` : base;
}

/** The store key of one object. */
export function storageKey(r: ResourceInfo, namespace: string | undefined, name: string): string {
  return `${storagePrefix(r, namespace)}${name}`;
}

/** The apiVersion string of a resource ("apps/v1", "v1"). */
export function apiVersionOf(r: ResourceInfo): string {
  return groupVersion(r.group, r.version);
}

/** A stable hash of the storage version, as discovery's storageVersionHash (8 bytes, base64). */
export function storageVersionHash(r: ResourceInfo): string {
  return createHash('sha256').update(`${r.storage.group}/${r.version}/${r.kind}`).digest().subarray(0, 8).toString('base64');
}
