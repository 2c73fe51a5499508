// core/v1 Node, after upstream printNode (1.32).
import type { TablePrinter } from './types.js';
import { ageCol, col, nameCol, objAge, objName, str, wide } from './columns.js';

const ROLE_PREFIX = 'node-role.kubernetes.io/';
const LEGACY_ROLE_LABEL = 'kubernetes.io/role';

/** findNodeRoles: `node-role.kubernetes.io/<role>` label keys plus a non-empty `kubernetes.io/role` value, sorted. */
export function nodeRoles(node: any): string[] {
  const roles = new Set<string>();
  for (const [k, v] of Object.entries<string>(node?.metadata?.labels ?? {})) {
    if (k.startsWith(ROLE_PREFIX)) {
      const role = k.slice(ROLE_PREFIX.length);
      if (role) roles.add(role);
    } else if (k === LEGACY_ROLE_LABEL && v) {
      roles.add(v);
    }
  }
  return [...roles].sort();
}

/** The Status cell: Ready / NotReady / Unknown from the Ready condition, plus SchedulingDisabled when cordoned. */
export function nodeStatus(node: any): string {
  const status: string[] = [];
  // Upstream indexes conditions by type, so the last Ready condition wins.
  const readyConds = (node?.status?.conditions ?? []).filter((c: any) => c?.type === 'Ready');
  const ready = readyConds[readyConds.length - 1];
  if (ready) status.push(ready.status === 'True' ? 'Ready' : 'NotReady');
  else status.push('Unknown');
  if (node?.spec?.unschedulable) status.push('SchedulingDisabled');
  return status.join(',');
}

function address(node: any, type: string): string {
  const a = (node?.status?.addresses ?? []).find((x: any) => x?.type === type);
  return a ? str(a.address) : '<none>';
}

export const nodePrinter: TablePrinter = {
  columns: [
    nameCol(),
    col('Status', 'string', 'Readiness of the node, and whether it is cordoned.'),
    col('Roles', 'string', 'Roles taken from node-role.kubernetes.io/* labels.'),
    ageCol(),
    col('Version', 'string', 'Kubelet version (status.nodeInfo.kubeletVersion).'),
    wide('Internal-IP', 'string', 'The first InternalIP address.'),
    wide('External-IP', 'string', 'The first ExternalIP address.'),
    wide('OS-Image', 'string', 'OS image reported by the node (status.nodeInfo.osImage).'),
    wide('Kernel-Version', 'string', 'Kernel version reported by the node.'),
    wide('Container-Runtime', 'string', 'Container runtime and version reported by the node.'),
  ],
  cells(node, now) {
    const info = node?.status?.nodeInfo ?? {};
    const roles = nodeRoles(node).join(',');
    return [
      objName(node),
      nodeStatus(node),
      roles || '<none>',
      objAge(node, now),
      str(info.kubeletVersion),
      address(node, 'InternalIP'),
      address(node, 'ExternalIP'),
      str(info.osImage) || '<unknown>',
      str(info.kernelVersion) || '<unknown>',
      str(info.containerRuntimeVersion) || '<unknown>',
    ];
  },
};
