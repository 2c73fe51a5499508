// Core (v1) kinds other than pods, services, workloads and config: Namespace, Node,
// PersistentVolume(Claim), Endpoints, ResourceQuota, LimitRange, PodTemplate, ServiceAccount
// (upstream pkg/apis/core/validation).
import { isQualifiedName } from './names.js';
import {
  child, deepEqual, field, index, invalidEach, isObj, key, list, nonNegativeQuantity, oneOf, portNumErrors, quantityOf,
  type FieldCause, type Obj,
} from './common.js';
import { isStandardFinalizer } from './objectmeta.js';
import { podTemplateSpec, tolerations } from './podspec.js';

export function validateNamespace(o: Obj): FieldCause[] {
  const causes: FieldCause[] = [];
  for (const f of list(o.spec?.finalizers)) {
    const s = String(f);
    causes.push(...invalidEach('spec.finalizers', s, isQualifiedName(s)));
    if (!s.includes('/') && !isStandardFinalizer(s)) causes.push(field.invalid('spec.finalizers', s, 'name is neither a standard finalizer name nor is it fully qualified'));
  }
  return causes;
}

export function validateNode(o: Obj): FieldCause[] {
  const causes: FieldCause[] = [];
  const seen = new Set<string>();
  list(o.spec?.taints).forEach((t: any, i) => {
    const p = index('spec.taints', i);
    if (!t?.key) causes.push(field.required(child(p, 'key')));
    else causes.push(...invalidEach(child(p, 'key'), t.key, isQualifiedName(String(t.key))));
    causes.push(...oneOf(t?.effect, ['NoSchedule', 'PreferNoSchedule', 'NoExecute'], child(p, 'effect')));
    const k = `${t?.key}:${t?.effect}`;
    if (seen.has(k)) causes.push(field.duplicate(p, t));
    seen.add(k);
  });
  return causes;
}

const ACCESS_MODES = ['ReadOnlyMany', 'ReadWriteMany', 'ReadWriteOnce', 'ReadWriteOncePod'];

function accessModes(modes: unknown, path: string): FieldCause[] {
  const ms = list(modes);
  if (ms.length === 0) return [field.required(path, 'at least 1 access mode is required')];
  const causes: FieldCause[] = [];
  for (const m of ms) if (!ACCESS_MODES.includes(m)) causes.push(field.notSupported(path, m, ACCESS_MODES));
  if (ms.includes('ReadWriteOncePod') && ms.length > 1) causes.push(field.forbidden(path, 'may not use ReadWriteOncePod with other access modes'));
  return causes;
}

/** ValidatePersistentVolumeClaimSpec. */
export function pvcSpec(spec: unknown, path: string): FieldCause[] {
  if (!isObj(spec)) return [field.required(path)];
  const causes = accessModes(spec.accessModes, child(path, 'accessModes'));
  if (spec.selector != null && !isObj(spec.selector)) causes.push(field.typeInvalid(child(path, 'selector'), spec.selector, 'must be an object'));
  const storage = spec.resources?.requests?.storage;
  const sp = key(child(path, 'resources'), 'storage');
  if (storage == null) causes.push(field.required(sp));
  else {
    causes.push(...nonNegativeQuantity(storage, key(child(child(path, 'resources'), 'requests'), 'storage')));
    const q = quantityOf(storage);
    if (q && q.nanos === 0n) causes.push(field.invalid(sp, String(storage), 'must be greater than zero'));
  }
  if (spec.volumeMode != null) causes.push(...oneOf(spec.volumeMode, ['Block', 'Filesystem'], child(path, 'volumeMode')));
  return causes;
}

export function validatePersistentVolumeClaim(o: Obj): FieldCause[] {
  return pvcSpec(o.spec, 'spec');
}

/** The spec of a claim is fixed after creation except its storage request (and attributes class). */
export function validatePersistentVolumeClaimUpdate(o: Obj, old: Obj): FieldCause[] {
  const causes = validatePersistentVolumeClaim(o);
  const strip = (s: unknown) => {
    const c = structuredClone(isObj(s) ? s : {}) as Obj;
    delete c.volumeAttributesClassName;
    if (isObj(c.resources)) delete c.resources.requests;
    // A claim's volumeName may be set once by the binder.
    if (!(isObj(old.spec) && old.spec.volumeName)) delete c.volumeName;
    return c;
  };
  if (!deepEqual(strip(o.spec), strip(old.spec))) {
    causes.push(field.forbidden('spec', 'spec is immutable after creation except resources.requests and volumeAttributesClassName for bound claims'));
  }
  return causes;
}

const PV_SOURCES = ['gcePersistentDisk', 'awsElasticBlockStore', 'hostPath', 'glusterfs', 'nfs', 'rbd', 'iscsi', 'cinder', 'cephfs', 'fc', 'flocker', 'flexVolume', 'azureFile', 'vsphereVolume', 'quobyte', 'azureDisk', 'photonPersistentDisk', 'portworxVolume', 'scaleIO', 'local', 'storageos', 'csi'];

export function validatePersistentVolume(o: Obj): FieldCause[] {
  const spec = (isObj(o.spec) ? o.spec : {}) as Obj;
  const causes = accessModes(spec.accessModes, 'spec.accessModes');
  const cap = isObj(spec.capacity) ? spec.capacity : {};
  if (Object.keys(cap).length === 0) causes.push(field.required('spec.capacity'));
  else if (cap.storage == null || Object.keys(cap).length !== 1) causes.push(field.notSupported('spec.capacity', Object.keys(cap), ['storage']));
  for (const [k, v] of Object.entries(cap)) causes.push(...nonNegativeQuantity(v, key('spec.capacity', k)));
  causes.push(...oneOf(spec.persistentVolumeReclaimPolicy, ['Delete', 'Recycle', 'Retain'], 'spec.persistentVolumeReclaimPolicy', false));
  const sources = PV_SOURCES.filter((s) => isObj(spec[s]));
  if (sources.length === 0) causes.push(field.required('spec', 'must specify a volume type'));
  sources.slice(1).forEach((s) => causes.push(field.forbidden(child('spec', s), 'may not specify more than 1 volume type')));
  if (spec.volumeMode != null) causes.push(...oneOf(spec.volumeMode, ['Block', 'Filesystem'], 'spec.volumeMode'));
  return causes;
}

export function validateEndpoints(o: Obj): FieldCause[] {
  const causes: FieldCause[] = [];
  list(o.subsets).forEach((ss: any, i) => {
    const sp = index('subsets', i);
    const ports = list(ss?.ports);
    ports.forEach((p: any, j) => {
      const pp = index(child(sp, 'ports'), j);
      if (ports.length > 1 && !p?.name) causes.push(field.required(child(pp, 'name')));
      causes.push(...invalidEach(child(pp, 'port'), p?.port ?? 0, portNumErrors(p?.port)));
      causes.push(...oneOf(p?.protocol, ['SCTP', 'TCP', 'UDP'], child(pp, 'protocol')));
    });
    for (const k of ['addresses', 'notReadyAddresses']) {
      list(ss?.[k]).forEach((a: any, j) => {
        if (!a?.ip) causes.push(field.invalid(child(index(child(sp, k), j), 'ip'), a?.ip ?? '', 'must be a valid IP address'));
      });
    }
  });
  return causes;
}

export function validateResourceQuota(o: Obj): FieldCause[] {
  const causes: FieldCause[] = [];
  for (const [k, v] of Object.entries(isObj(o.spec?.hard) ? o.spec.hard : {})) {
    causes.push(...invalidEach(key('spec.hard', k), k, isQualifiedName(k)), ...nonNegativeQuantity(v, key('spec.hard', k)));
  }
  list(o.spec?.scopes).forEach((s, i) => {
    causes.push(...oneOf(s, ['BestEffort', 'CrossNamespacePodAffinity', 'NotBestEffort', 'NotTerminating', 'PriorityClass', 'Terminating', 'VolumeAttributesClass'], index('spec.scopes', i)));
  });
  return causes;
}

export function validateLimitRange(o: Obj): FieldCause[] {
  const causes: FieldCause[] = [];
  list(o.spec?.limits).forEach((l: any, i) => {
    const p = index('spec.limits', i);
    if (!l?.type) causes.push(field.required(child(p, 'type')));
    for (const k of ['max', 'min', 'default', 'defaultRequest', 'maxLimitRequestRatio']) {
      for (const [name, v] of Object.entries(isObj(l?.[k]) ? l[k] : {})) causes.push(...nonNegativeQuantity(v, key(child(p, k), name)));
    }
  });
  return causes;
}

export function validatePodTemplate(o: Obj): FieldCause[] {
  return podTemplateSpec(o.template, 'template');
}

export { tolerations };
