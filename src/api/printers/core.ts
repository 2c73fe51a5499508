// The smaller core/v1 printers (1.32 upstream): Namespace, ConfigMap, Secret, ServiceAccount,
// PodTemplate, ReplicationController, ResourceQuota. LimitRange has no upstream printer, so it gets
// the apiserver's generic Name / Created At table.
import type { TablePrinter } from './types.js';
import { ageCol, col, containerCols, createdAtPrinter, int, nameCol, objAge, objName, str, wide } from './columns.js';
import { containerCells, formatLabels } from './format.js';

export const namespacePrinter: TablePrinter = {
  columns: [nameCol(), col('Status', 'string', 'Namespace phase (Active or Terminating).'), ageCol()],
  cells: (ns, now) => [objName(ns), str(ns?.status?.phase), objAge(ns, now)],
};

export const configMapPrinter: TablePrinter = {
  columns: [nameCol(), col('Data', 'string', 'Number of data and binaryData keys.'), ageCol()],
  cells: (cm, now) => [
    objName(cm),
    Object.keys(cm?.data ?? {}).length + Object.keys(cm?.binaryData ?? {}).length,
    objAge(cm, now),
  ],
};

export const secretPrinter: TablePrinter = {
  columns: [nameCol(), col('Type', 'string', 'The secret type.'), col('Data', 'string', 'Number of data keys.'), ageCol()],
  // stringData is write-only (merged into data on write), so only data is counted.
  cells: (s, now) => [objName(s), str(s?.type), Object.keys(s?.data ?? {}).length, objAge(s, now)],
};

export const serviceAccountPrinter: TablePrinter = {
  columns: [nameCol(), col('Secrets', 'string', 'Number of secrets listed on the account.'), ageCol()],
  cells: (sa, now) => [objName(sa), (sa?.secrets ?? []).length, objAge(sa, now)],
};

export const podTemplatePrinter: TablePrinter = {
  // Upstream's PodTemplate table has no Age column.
  columns: [
    nameCol(),
    col('Containers', 'string', 'Container names from the pod template.'),
    col('Images', 'string', 'Container images from the pod template.'),
    col('Pod Labels', 'string', 'Labels the template puts on its pods.'),
  ],
  cells(pt) {
    const [names, images] = containerCells(pt?.template?.spec?.containers);
    return [objName(pt), names, images, formatLabels(pt?.template?.metadata?.labels)];
  },
};

export const replicationControllerPrinter: TablePrinter = {
  columns: [
    nameCol(),
    col('Desired', 'integer', 'Desired number of replicas.'),
    col('Current', 'integer', 'Number of replicas observed.'),
    col('Ready', 'integer', 'Number of ready replicas.'),
    ageCol(),
    ...containerCols(),
    wide('Selector', 'string', 'The pod label selector.'),
  ],
  cells(rc, now) {
    const [names, images] = containerCells(rc?.spec?.template?.spec?.containers);
    return [
      objName(rc),
      // Defaulting sets replicas to 1 when omitted.
      rc?.spec?.replicas === undefined ? 1 : int(rc.spec.replicas),
      int(rc?.status?.replicas),
      int(rc?.status?.readyReplicas),
      objAge(rc, now),
      names,
      images,
      formatLabels(rc?.spec?.selector),
    ];
  },
};

/**
 * printResourceQuota: `resource: used/hard` for every hard limit, sorted by name; `limits.*` go to the
 * Limit column, everything else to Request.
 */
export const resourceQuotaPrinter: TablePrinter = {
  columns: [
    nameCol(),
    col('Request', 'string', 'Used/hard for quota entries other than limits.*.'),
    col('Limit', 'string', 'Used/hard for limits.* quota entries.'),
    ageCol(),
  ],
  cells(rq, now) {
    const hard: Record<string, unknown> = rq?.status?.hard ?? {};
    const used: Record<string, unknown> = rq?.status?.used ?? {};
    const requests: string[] = [];
    const limits: string[] = [];
    for (const name of Object.keys(hard).sort()) {
      const entry = `${name}: ${str(used[name]) || '0'}/${str(hard[name])}`;
      (name.split('.')[0] === 'limits' && name.includes('.') ? limits : requests).push(entry);
    }
    return [objName(rq), requests.join(', '), limits.join(', '), objAge(rq, now)];
  },
};

export const limitRangePrinter: TablePrinter = createdAtPrinter;
