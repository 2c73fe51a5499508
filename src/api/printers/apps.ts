// apps/v1 printers (1.32 upstream): Deployment, ReplicaSet, StatefulSet, DaemonSet, ControllerRevision.
import type { TablePrinter } from './types.js';
import { ageCol, col, containerCols, int, nameCol, objAge, objName, str, wide } from './columns.js';
import { containerCells, formatLabelSelector, formatLabels, selectorString } from './format.js';

// spec.replicas defaults to 1 for every replicated workload.
function desired(obj: any): number {
  return obj?.spec?.replicas === undefined || obj?.spec?.replicas === null ? 1 : int(obj.spec.replicas);
}

function selectorCol(): ReturnType<typeof wide> {
  return wide('Selector', 'string', 'The pod label selector.');
}

export const deploymentPrinter: TablePrinter = {
  columns: [
    nameCol(),
    col('Ready', 'string', 'Ready replicas out of those desired.'),
    col('Up-to-date', 'string', 'Replicas updated to the current template.'),
    col('Available', 'string', 'Replicas available to serve.'),
    ageCol(),
    ...containerCols(),
    selectorCol(),
  ],
  cells(d, now) {
    const [names, images] = containerCells(d?.spec?.template?.spec?.containers);
    // Unlike the other workloads, upstream prints the raw selector string here (empty, not <none>).
    const selector = selectorString(d?.spec?.selector) ?? '<invalid>';
    return [
      objName(d),
      `${int(d?.status?.readyReplicas)}/${desired(d)}`,
      int(d?.status?.updatedReplicas),
      int(d?.status?.availableReplicas),
      objAge(d, now),
      names,
      images,
      selector,
    ];
  },
};

export const replicaSetPrinter: TablePrinter = {
  columns: [
    nameCol(),
    col('Desired', 'integer', 'Desired number of replicas.'),
    col('Current', 'integer', 'Number of replicas observed.'),
    col('Ready', 'integer', 'Number of ready replicas.'),
    ageCol(),
    ...containerCols(),
    selectorCol(),
  ],
  cells(rs, now) {
    const [names, images] = containerCells(rs?.spec?.template?.spec?.containers);
    return [
      objName(rs),
      desired(rs),
      int(rs?.status?.replicas),
      int(rs?.status?.readyReplicas),
      objAge(rs, now),
      names,
      images,
      formatLabelSelector(rs?.spec?.selector),
    ];
  },
};

export const statefulSetPrinter: TablePrinter = {
  columns: [nameCol(), col('Ready', 'string', 'Ready replicas out of those desired.'), ageCol(), ...containerCols()],
  cells(ss, now) {
    const [names, images] = containerCells(ss?.spec?.template?.spec?.containers);
    return [objName(ss), `${int(ss?.status?.readyReplicas)}/${desired(ss)}`, objAge(ss, now), names, images];
  },
};

export const daemonSetPrinter: TablePrinter = {
  columns: [
    nameCol(),
    col('Desired', 'integer', 'Nodes that should run the daemon pod.'),
    col('Current', 'integer', 'Nodes running at least one daemon pod.'),
    col('Ready', 'integer', 'Nodes whose daemon pod is ready.'),
    col('Up-to-date', 'integer', 'Nodes running the updated daemon pod.'),
    col('Available', 'integer', 'Nodes whose daemon pod is available.'),
    col('Node Selector', 'string', 'The pod template node selector.'),
    ageCol(),
    ...containerCols(),
    selectorCol(),
  ],
  cells(ds, now) {
    const st = ds?.status ?? {};
    const [names, images] = containerCells(ds?.spec?.template?.spec?.containers);
    return [
      objName(ds),
      int(st.desiredNumberScheduled),
      int(st.currentNumberScheduled),
      int(st.numberReady),
      int(st.updatedNumberScheduled),
      int(st.numberAvailable),
      formatLabels(ds?.spec?.template?.spec?.nodeSelector),
      objAge(ds, now),
      names,
      images,
      formatLabelSelector(ds?.spec?.selector),
    ];
  },
};

/** formatResourceName for the controller owner: `kind.group/name` lower-cased kind+group, or `<none>`. */
function controllerOf(obj: any): string {
  const ref = (obj?.metadata?.ownerReferences ?? []).find((r: any) => r?.controller === true);
  if (!ref) return '<none>';
  const apiVersion = str(ref.apiVersion);
  const group = apiVersion.includes('/') ? apiVersion.slice(0, apiVersion.indexOf('/')) : '';
  const kind = str(ref.kind);
  const groupKind = group ? `${kind}.${group}` : kind;
  return groupKind ? `${groupKind.toLowerCase()}/${str(ref.name)}` : str(ref.name);
}

export const controllerRevisionPrinter: TablePrinter = {
  columns: [
    nameCol(),
    col('Controller', 'string', 'The owning controller, as kind.group/name.'),
    col('Revision', 'string', 'The revision number of the captured state.'),
    ageCol(),
  ],
  cells: (cr, now) => [objName(cr), controllerOf(cr), int(cr?.revision), objAge(cr, now)],
};
