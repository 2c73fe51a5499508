// Pod volumes (upstream ValidateVolumes / validateVolumeSource): unique DNS-label names and
// exactly one source per volume, with the common sources' required fields.
import { child, configKeyErrors, dnsLabel, field, index, invalidEach, isObj, list, oneOf, type FieldCause, type Obj } from './common.js';
import { fieldRef, localDescendingPath } from './container.js';

// Upstream checks the sources in this order; the second and later ones found are "Forbidden".
const SOURCES = [
  'hostPath', 'emptyDir', 'gitRepo', 'gcePersistentDisk', 'awsElasticBlockStore', 'secret', 'nfs', 'iscsi', 'glusterfs',
  'flocker', 'persistentVolumeClaim', 'rbd', 'quobyte', 'cinder', 'cephfs', 'flexVolume', 'downwardAPI', 'fc', 'azureFile',
  'vsphereVolume', 'photonPersistentDisk', 'portworxVolume', 'azureDisk', 'projected', 'scaleIO', 'configMap', 'storageos',
  'csi', 'ephemeral', 'image',
];
const HOST_PATH_TYPES = ['', 'BlockDevice', 'CharDevice', 'Directory', 'DirectoryOrCreate', 'File', 'FileOrCreate', 'Socket'];
const FILE_MODE_ERROR = 'must be a number between 0 and 0777 (octal), both inclusive';

function mode(m: unknown, path: string): FieldCause[] {
  if (m == null) return [];
  return typeof m === 'number' && Number.isInteger(m) && m >= 0 && m <= 0o777 ? [] : [field.invalid(path, m, FILE_MODE_ERROR)];
}

function keyToPaths(items: unknown, path: string): FieldCause[] {
  const causes: FieldCause[] = [];
  list(items).forEach((it: any, i) => {
    const ip = index(path, i);
    if (!it?.key) causes.push(field.required(child(ip, 'key')));
    if (!it?.path) causes.push(field.required(child(ip, 'path')));
    else causes.push(...localDescendingPath(String(it.path), child(ip, 'path')));
    causes.push(...mode(it?.mode, child(ip, 'mode')));
  });
  return causes;
}

function source(v: Obj, name: string, path: string): FieldCause[] {
  const causes: FieldCause[] = [];
  let found = 0;
  for (const s of SOURCES) {
    if (!isObj(v[s])) continue;
    if (found++ > 0) {
      causes.push(field.forbidden(child(path, s), 'may not specify more than 1 volume type'));
      continue;
    }
    const sp = child(path, s);
    const src = v[s] as Obj;
    switch (s) {
      case 'hostPath':
        if (!src.path) causes.push(field.required(child(sp, 'path')));
        causes.push(...oneOf(src.type ?? '', HOST_PATH_TYPES, child(sp, 'type'), false));
        break;
      case 'secret':
        if (!src.secretName) causes.push(field.required(child(sp, 'secretName')));
        causes.push(...mode(src.defaultMode, child(sp, 'defaultMode')), ...keyToPaths(src.items, child(sp, 'items')));
        break;
      case 'configMap':
        if (!src.name) causes.push(field.required(child(sp, 'name')));
        causes.push(...mode(src.defaultMode, child(sp, 'defaultMode')), ...keyToPaths(src.items, child(sp, 'items')));
        break;
      case 'persistentVolumeClaim':
        if (!src.claimName) causes.push(field.required(child(sp, 'claimName')));
        break;
      case 'nfs':
        if (!src.server) causes.push(field.required(child(sp, 'server')));
        if (!src.path) causes.push(field.required(child(sp, 'path')));
        else if (!String(src.path).startsWith('/')) causes.push(field.invalid(child(sp, 'path'), src.path, 'must be an absolute path'));
        break;
      case 'downwardAPI':
        causes.push(...mode(src.defaultMode, child(sp, 'defaultMode')));
        list(src.items).forEach((it: any, i) => {
          const ip = index(child(sp, 'items'), i);
          if (!it?.path) causes.push(field.required(child(ip, 'path')));
          if (isObj(it?.fieldRef)) causes.push(...fieldRef(it.fieldRef, child(ip, 'fieldRef'), ['metadata.annotations', 'metadata.labels', 'metadata.name', 'metadata.namespace', 'metadata.uid']));
        });
        break;
      case 'projected':
        causes.push(...mode(src.defaultMode, child(sp, 'defaultMode')));
        break;
      case 'csi':
        if (!src.driver) causes.push(field.required(child(sp, 'driver')));
        break;
      case 'ephemeral':
        if (!isObj(src.volumeClaimTemplate)) causes.push(field.required(child(sp, 'volumeClaimTemplate')));
        break;
      case 'image':
        if (!src.reference) causes.push(field.required(child(sp, 'reference')));
        break;
    }
  }
  if (found === 0) causes.push(field.required(path, 'must specify a volume type'));
  void name;
  return causes;
}

/** Validates spec.volumes; returns the causes and the names of the valid volumes. */
export function volumes(vs: unknown, path: string): { causes: FieldCause[]; names: Set<string> } {
  const causes: FieldCause[] = [];
  const names = new Set<string>();
  list(vs).forEach((v: any, i) => {
    const ip = index(path, i);
    if (!isObj(v)) return void causes.push(field.typeInvalid(ip, v, 'must be an object'));
    const el = source(v, String(v.name ?? ''), ip);
    if (!v.name) el.push(field.required(child(ip, 'name')));
    else el.push(...dnsLabel(String(v.name), child(ip, 'name')));
    if (names.has(v.name)) el.push(field.duplicate(child(ip, 'name'), v.name));
    if (el.length === 0) names.add(v.name);
    else causes.push(...el);
  });
  return { causes, names };
}

export { configKeyErrors, invalidEach };
