// Pod and pod template defaults (upstream pkg/apis/core/v1/defaults.go SetDefaults_PodSpec,
// SetDefaults_Container, SetDefaults_Probe, SetDefaults_Volume, the *VolumeSource defaultModes and
// the declarative +default markers of zz_generated.defaults.go). SetDefaults_Pod adds what only
// pods get, not templates: requests from limits, enableServiceLinks, host-network ports.
import { canonicalField, defaultRequirements, defaultResourceList } from './resources.js';
import { isObj, objects, setIfEmpty, setIfMissing, type Obj } from './util.js';

/** Always for `:latest` or untagged images, IfNotPresent otherwise (digests included), as upstream. */
export function pullPolicyFor(image: string): string {
  if (image.includes('@')) return 'IfNotPresent';
  const last = image.slice(image.lastIndexOf('/') + 1);
  const tag = last.includes(':') ? last.slice(last.indexOf(':') + 1) : '';
  return !tag || tag === 'latest' ? 'Always' : 'IfNotPresent';
}

function defaultProbe(p: unknown): void {
  if (!isObj(p)) return;
  for (const [k, v] of [['timeoutSeconds', 1], ['periodSeconds', 10], ['successThreshold', 1], ['failureThreshold', 3]] as const) {
    if (!p[k]) p[k] = v;
  }
  if (isObj(p.httpGet)) defaultHttpGet(p.httpGet);
  if (isObj(p.grpc)) setIfMissing(p.grpc, 'service', '');
}

function defaultHttpGet(h: Obj): void {
  setIfEmpty(h, 'path', '/');
  setIfEmpty(h, 'scheme', 'HTTP');
}

function defaultLifecycle(l: unknown): void {
  if (!isObj(l)) return;
  for (const hook of ['postStart', 'preStop']) if (isObj(l[hook]) && isObj(l[hook].httpGet)) defaultHttpGet(l[hook].httpGet);
}

function defaultFieldRef(ref: unknown): void {
  if (isObj(ref)) setIfEmpty(ref, 'apiVersion', 'v1');
}

/** SetDefaults_Container (also used for init and ephemeral containers). */
export function defaultContainer(c: Obj): void {
  setIfEmpty(c, 'imagePullPolicy', pullPolicyFor(String(c.image ?? '')));
  setIfEmpty(c, 'terminationMessagePath', '/dev/termination-log');
  setIfEmpty(c, 'terminationMessagePolicy', 'File');
  // ResourceRequirements is a struct in Go, so it always serializes, as `resources: {}`.
  setIfMissing(c, 'resources', {});
  defaultRequirements(c.resources);
  for (const p of objects(c.ports)) setIfEmpty(p, 'protocol', 'TCP');
  for (const e of objects(c.env)) {
    defaultFieldRef(e.valueFrom?.fieldRef);
    if (isObj(e.valueFrom?.resourceFieldRef)) canonicalField(e.valueFrom.resourceFieldRef, 'divisor');
  }
  for (const probe of ['livenessProbe', 'readinessProbe', 'startupProbe']) defaultProbe(c[probe]);
  defaultLifecycle(c.lifecycle);
}

const VOLUME_SOURCES_WITH_MODE = ['configMap', 'secret', 'downwardAPI', 'projected'] as const;

/** SetDefaults_Volume and the volume sources' defaults. */
export function defaultVolume(v: Obj): void {
  const sources = Object.keys(v).filter((k) => k !== 'name');
  if (sources.length === 0) v.emptyDir = {};
  for (const k of VOLUME_SOURCES_WITH_MODE) if (isObj(v[k])) setIfMissing(v[k], 'defaultMode', 0o644);
  if (isObj(v.hostPath)) setIfMissing(v.hostPath, 'type', '');
  if (isObj(v.emptyDir)) canonicalField(v.emptyDir, 'sizeLimit');
  if (isObj(v.downwardAPI)) {
    for (const item of objects(v.downwardAPI.items)) {
      defaultFieldRef(item.fieldRef);
      if (isObj(item.resourceFieldRef)) canonicalField(item.resourceFieldRef, 'divisor');
    }
  }
  if (isObj(v.projected)) {
    for (const src of objects(v.projected.sources)) {
      if (isObj(src.serviceAccountToken)) setIfMissing(src.serviceAccountToken, 'expirationSeconds', 3600);
      for (const item of objects(src.downwardAPI?.items)) defaultFieldRef(item.fieldRef);
    }
  }
  if (isObj(v.iscsi)) setIfEmpty(v.iscsi, 'iscsiInterface', 'default');
  if (isObj(v.rbd)) {
    setIfEmpty(v.rbd, 'pool', 'rbd');
    setIfEmpty(v.rbd, 'user', 'admin');
    setIfEmpty(v.rbd, 'keyring', '/etc/ceph/keyring');
  }
  if (isObj(v.azureDisk)) {
    setIfMissing(v.azureDisk, 'cachingMode', 'ReadWrite');
    setIfMissing(v.azureDisk, 'fsType', 'ext4');
    setIfMissing(v.azureDisk, 'readOnly', false);
    setIfMissing(v.azureDisk, 'kind', 'Shared');
  }
  if (isObj(v.scaleIO)) {
    setIfEmpty(v.scaleIO, 'storageMode', 'ThinProvisioned');
    setIfEmpty(v.scaleIO, 'fsType', 'xfs');
  }
  if (isObj(v.ephemeral?.volumeClaimTemplate?.spec)) defaultPVCSpec(v.ephemeral.volumeClaimTemplate.spec);
}

/** SetDefaults_PersistentVolumeClaimSpec. */
export function defaultPVCSpec(spec: Obj): void {
  setIfMissing(spec, 'volumeMode', 'Filesystem');
  if (isObj(spec.resources)) defaultRequirements(spec.resources);
}

/** SetDefaults_PodSpec and everything nested in it; for pods and every pod template. */
export function defaultPodSpec(spec: unknown): void {
  if (!isObj(spec)) return;
  setIfEmpty(spec, 'dnsPolicy', 'ClusterFirst');
  setIfEmpty(spec, 'restartPolicy', 'Always');
  setIfMissing(spec, 'securityContext', {});
  setIfMissing(spec, 'terminationGracePeriodSeconds', 30);
  setIfEmpty(spec, 'schedulerName', 'default-scheduler');
  for (const list of ['initContainers', 'containers', 'ephemeralContainers']) for (const c of objects(spec[list])) defaultContainer(c);
  for (const v of objects(spec.volumes)) defaultVolume(v);
  defaultResourceList(spec.overhead);
  if (isObj(spec.resources)) defaultRequirements(spec.resources);
}

/** A pod template ({metadata, spec}) as nested in workloads. */
export function defaultPodTemplateSpec(t: unknown): void {
  if (!isObj(t)) return;
  setIfMissing(t, 'metadata', {});
  defaultPodSpec(t.spec);
}

/** SetDefaults_Pod on top of the PodSpec defaults. */
export function defaultPod(pod: Obj): void {
  pod.spec ??= {};
  const spec = pod.spec as Obj;
  if (!isObj(spec)) return;
  defaultPodSpec(spec);
  for (const list of ['containers', 'initContainers']) {
    for (const c of objects(spec[list])) {
      const r = c.resources;
      if (!isObj(r) || !isObj(r.limits)) continue;
      r.requests = isObj(r.requests) ? r.requests : {};
      for (const [k, v] of Object.entries(r.limits as Obj)) if (!(k in r.requests)) r.requests[k] = v;
    }
  }
  setIfMissing(spec, 'enableServiceLinks', true);
  if (spec.hostNetwork === true) {
    for (const list of ['containers', 'initContainers']) {
      for (const c of objects(spec[list])) for (const p of objects(c.ports)) if (!p.hostPort) p.hostPort = p.containerPort;
    }
  }
}
