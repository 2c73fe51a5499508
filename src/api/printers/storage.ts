// storage.k8s.io/v1 StorageClass, after upstream printStorageClass (1.32).
import type { TablePrinter } from './types.js';
import { ageCol, col, nameCol, objAge, objName, str } from './columns.js';

const DEFAULT_ANNOTATIONS = ['storageclass.kubernetes.io/is-default-class', 'storageclass.beta.kubernetes.io/is-default-class'];

export const storageClassPrinter: TablePrinter = {
  columns: [
    nameCol(),
    col('Provisioner', 'string', 'The volume plugin that provisions volumes of this class.'),
    col('ReclaimPolicy', 'string', 'Reclaim policy of volumes provisioned from this class.'),
    col('VolumeBindingMode', 'string', 'When volumes are bound and provisioned.'),
    col('AllowVolumeExpansion', 'string', 'Whether claims of this class may be expanded.'),
    ageCol(),
  ],
  cells(sc, now) {
    const anns = sc?.metadata?.annotations ?? {};
    const isDefault = DEFAULT_ANNOTATIONS.some((a) => anns[a] === 'true');
    return [
      objName(sc) + (isDefault ? ' (default)' : ''),
      str(sc?.provisioner),
      sc?.reclaimPolicy != null ? str(sc.reclaimPolicy) : 'Delete',
      sc?.volumeBindingMode != null ? str(sc.volumeBindingMode) : 'Immediate',
      sc?.allowVolumeExpansion === true,
      objAge(sc, now),
    ];
  },
};
