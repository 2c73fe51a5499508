// core/v1 PersistentVolume and PersistentVolumeClaim, after upstream printers (1.32).
import type { TablePrinter } from './types.js';
import { ageCol, col, nameCol, objAge, objName, str, wide } from './columns.js';
import { accessModes } from './format.js';

// The pre-GA annotation still wins over spec.storageClassName upstream (helper.GetPersistentVolumeClass).
const BETA_CLASS_ANNOTATION = 'volume.beta.kubernetes.io/storage-class';

function betaClass(obj: any): string | undefined {
  const anns = obj?.metadata?.annotations ?? {};
  return Object.prototype.hasOwnProperty.call(anns, BETA_CLASS_ANNOTATION) ? str(anns[BETA_CLASS_ANNOTATION]) : undefined;
}

function phaseOf(obj: any): string {
  return obj?.metadata?.deletionTimestamp ? 'Terminating' : str(obj?.status?.phase);
}

export const persistentVolumePrinter: TablePrinter = {
  columns: [
    nameCol(),
    col('Capacity', 'string', 'Storage capacity of the volume.'),
    col('Access Modes', 'string', 'Access modes the volume supports.'),
    col('Reclaim Policy', 'string', 'What happens to the volume when released from its claim.'),
    col('Status', 'string', 'Phase of the volume.'),
    col('Claim', 'string', 'The claim bound to this volume, as namespace/name.'),
    col('StorageClass', 'string', 'Storage class of the volume.'),
    col('VolumeAttributesClass', 'string', 'Volume attributes class of the volume.'),
    col('Reason', 'string', 'Why the volume is in its phase, if any.'),
    ageCol(),
    wide('VolumeMode', 'string', 'Filesystem or Block.'),
  ],
  cells(pv, now) {
    const spec = pv?.spec ?? {};
    const claim = spec.claimRef ? `${str(spec.claimRef.namespace)}/${str(spec.claimRef.name)}` : '';
    return [
      objName(pv),
      str(spec.capacity?.storage) || '0',
      accessModes(spec.accessModes),
      str(spec.persistentVolumeReclaimPolicy),
      phaseOf(pv),
      claim,
      betaClass(pv) ?? str(spec.storageClassName),
      spec.volumeAttributesClassName != null ? str(spec.volumeAttributesClassName) : '<unset>',
      str(pv?.status?.reason),
      objAge(pv, now),
      spec.volumeMode != null ? str(spec.volumeMode) : '<unset>',
    ];
  },
};

export const persistentVolumeClaimPrinter: TablePrinter = {
  columns: [
    nameCol(),
    col('Status', 'string', 'Phase of the claim.'),
    col('Volume', 'string', 'The volume bound to this claim.'),
    col('Capacity', 'string', 'Actual capacity of the bound volume.'),
    col('Access Modes', 'string', 'Access modes of the bound volume.'),
    col('StorageClass', 'string', 'Storage class the claim asks for.'),
    col('VolumeAttributesClass', 'string', 'Volume attributes class the claim asks for.'),
    ageCol(),
    wide('VolumeMode', 'string', 'Filesystem or Block.'),
  ],
  cells(pvc, now) {
    const spec = pvc?.spec ?? {};
    const bound = str(spec.volumeName);
    // Capacity and modes describe the bound volume, so they stay empty until binding.
    const capacity = bound ? str(pvc?.status?.capacity?.storage) || '0' : '';
    const modes = bound ? accessModes(pvc?.status?.accessModes) : '';
    return [
      objName(pvc),
      phaseOf(pvc),
      bound,
      capacity,
      modes,
      betaClass(pvc) ?? (spec.storageClassName != null ? str(spec.storageClassName) : ''),
      spec.volumeAttributesClassName != null ? str(spec.volumeAttributesClassName) : '<unset>',
      objAge(pvc, now),
      spec.volumeMode != null ? str(spec.volumeMode) : '<unset>',
    ];
  },
};
