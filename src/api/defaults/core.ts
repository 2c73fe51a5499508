// Core (v1) defaults other than pods: upstream pkg/apis/core/v1/defaults.go and the declarative
// +default markers (ReplicationController replicas, port protocols).
import { canonicalField, defaultRequirements, defaultResourceList } from './resources.js';
import { defaultPod, defaultPodTemplateSpec, defaultPVCSpec } from './pod.js';
import { isObj, objects, setIfEmpty, setIfMissing, type Obj } from './util.js';

export function defaultService(o: Obj): void {
  o.spec ??= {};
  const spec = o.spec as Obj;
  if (!isObj(spec)) return;
  setIfEmpty(spec, 'sessionAffinity', 'None');
  if (spec.sessionAffinity === 'None') delete spec.sessionAffinityConfig;
  if (spec.sessionAffinity === 'ClientIP' && spec.sessionAffinityConfig?.clientIP?.timeoutSeconds == null) {
    spec.sessionAffinityConfig = { clientIP: { timeoutSeconds: 10800 } };
  }
  setIfEmpty(spec, 'type', 'ClusterIP');
  for (const p of objects(spec.ports)) {
    setIfEmpty(p, 'protocol', 'TCP');
    if (p.targetPort === undefined || p.targetPort === null || p.targetPort === 0 || p.targetPort === '') p.targetPort = p.port;
  }
  const external = spec.type === 'NodePort' || spec.type === 'LoadBalancer' || (Array.isArray(spec.externalIPs) && spec.externalIPs.length > 0);
  if (external) setIfEmpty(spec, 'externalTrafficPolicy', 'Cluster');
  if (['ClusterIP', 'NodePort', 'LoadBalancer'].includes(spec.type)) setIfMissing(spec, 'internalTrafficPolicy', 'Cluster');
  if (spec.type === 'LoadBalancer') setIfMissing(spec, 'allocateLoadBalancerNodePorts', true);
  // Single-stack IPv4 cluster: the registry's dual-stack defaulting picks IPv4 (upstream
  // pkg/registry/core/service/storage initIPFamilyFields); headless without selector too.
  if (spec.type !== 'ExternalName') {
    setIfMissing(spec, 'ipFamilyPolicy', 'SingleStack');
    if (!Array.isArray(spec.ipFamilies) || spec.ipFamilies.length === 0) spec.ipFamilies = ['IPv4'];
  }
  // Status is a struct in Go; an empty one serializes as `loadBalancer: {}`.
  if (!isObj(o.status)) o.status = { loadBalancer: {} };
}

export function defaultReplicationController(o: Obj): void {
  const spec = o.spec as Obj | undefined;
  if (!isObj(spec)) return;
  const labels = spec.template?.metadata?.labels;
  if (isObj(labels)) {
    if (!isObj(spec.selector) || Object.keys(spec.selector).length === 0) spec.selector = { ...labels };
    if (!isObj(o.metadata.labels) || Object.keys(o.metadata.labels).length === 0) o.metadata.labels = { ...labels };
  }
  setIfMissing(spec, 'replicas', 1);
  defaultPodTemplateSpec(spec.template);
}

export function defaultPersistentVolume(o: Obj): void {
  o.spec ??= {};
  const spec = o.spec as Obj;
  if (!isObj(spec)) return;
  setIfEmpty(spec, 'persistentVolumeReclaimPolicy', 'Retain');
  setIfMissing(spec, 'volumeMode', 'Filesystem');
  defaultResourceList(spec.capacity);
  if (!isObj(o.status)) o.status = {};
  setIfEmpty(o.status, 'phase', 'Pending');
}

export function defaultPersistentVolumeClaim(o: Obj): void {
  o.spec ??= {};
  if (isObj(o.spec)) defaultPVCSpec(o.spec);
  if (!isObj(o.status)) o.status = {};
  setIfEmpty(o.status, 'phase', 'Pending');
  defaultResourceList(o.status.capacity);
  defaultResourceList(o.status.allocatedResources);
}

export function defaultNamespace(o: Obj): void {
  if (typeof o.metadata?.name === 'string' && o.metadata.name) {
    o.metadata.labels = { ...(isObj(o.metadata.labels) ? o.metadata.labels : {}), 'kubernetes.io/metadata.name': o.metadata.name };
  }
  if (!isObj(o.status)) o.status = {};
  setIfEmpty(o.status, 'phase', 'Active');
}

export function defaultNode(o: Obj): void {
  const st = o.status as Obj | undefined;
  if (!isObj(st)) return;
  defaultResourceList(st.capacity);
  defaultResourceList(st.allocatable);
  if (st.allocatable == null && isObj(st.capacity)) st.allocatable = { ...st.capacity };
}

export function defaultEndpoints(o: Obj): void {
  for (const ss of objects(o.subsets)) for (const p of objects(ss.ports)) setIfEmpty(p, 'protocol', 'TCP');
}

export function defaultLimitRange(o: Obj): void {
  for (const item of objects(o.spec?.limits)) {
    for (const k of ['max', 'min', 'default', 'defaultRequest', 'maxLimitRequestRatio']) defaultResourceList(item[k]);
    if (item.type !== 'Container') continue;
    item.default = isObj(item.default) ? item.default : {};
    item.defaultRequest = isObj(item.defaultRequest) ? item.defaultRequest : {};
    for (const [k, v] of Object.entries((isObj(item.max) ? item.max : {}) as Obj)) if (!(k in item.default)) item.default[k] = v;
    for (const [k, v] of Object.entries(item.default as Obj)) if (!(k in item.defaultRequest)) item.defaultRequest[k] = v;
    for (const [k, v] of Object.entries((isObj(item.min) ? item.min : {}) as Obj)) if (!(k in item.defaultRequest)) item.defaultRequest[k] = v;
  }
}

export function defaultResourceQuota(o: Obj): void {
  defaultResourceList(o.spec?.hard);
  defaultResourceList(o.status?.hard);
  defaultResourceList(o.status?.used);
}

/** SetDefaults_Secret, plus the v1 conversion that folds write-only stringData into data. */
export function defaultSecret(o: Obj): void {
  setIfEmpty(o, 'type', 'Opaque');
  if (isObj(o.stringData)) {
    const data = isObj(o.data) ? o.data : {};
    for (const [k, v] of Object.entries(o.stringData as Obj)) data[k] = Buffer.from(String(v ?? ''), 'utf8').toString('base64');
    o.data = data;
  }
  delete o.stringData;
}

export function defaultPodTemplate(o: Obj): void {
  defaultPodTemplateSpec(o.template);
}

export { defaultPod, defaultRequirements, canonicalField };
