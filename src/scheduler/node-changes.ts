// Whether a Node update can make unschedulable pods schedulable (upstream eventhandlers.go
// nodeSchedulingPropertiesChange): spec.unschedulable, allocatable, labels, taints, or the
// type→status of conditions. A kubelet heartbeat changes only condition times and is not one — at
// 5,000 nodes those arrive dozens of times a second and must not churn the unschedulable pods.
import type { Node } from './types.js';

export function nodeSchedulingPropertiesChanged(oldNode: Node, node: Node): boolean {
  if (Boolean(oldNode.spec?.unschedulable) !== Boolean(node.spec?.unschedulable)) return true;
  if (!sameRecord(oldNode.status?.allocatable, node.status?.allocatable)) return true;
  if (!sameRecord(oldNode.metadata.labels, node.metadata.labels)) return true;
  if (!sameTaints(oldNode.spec?.taints, node.spec?.taints)) return true;
  return !sameConditionStatuses(oldNode, node);
}

function sameRecord(a: Record<string, unknown> | undefined, b: Record<string, unknown> | undefined): boolean {
  if (a === b) return true;
  const ka = a ? Object.keys(a) : [], kb = b ? Object.keys(b) : [];
  if (ka.length !== kb.length) return false;
  for (const k of ka) if (a![k] !== b?.[k]) return false;
  return true;
}

function sameTaints(a: NonNullable<Node['spec']>['taints'], b: NonNullable<Node['spec']>['taints']): boolean {
  if (a === b) return true;
  if ((a?.length ?? 0) !== (b?.length ?? 0)) return false;
  // Taints compare as upstream's reflect.DeepEqual on the list: order and every field, timeAdded too.
  return JSON.stringify(a ?? []) === JSON.stringify(b ?? []);
}

function sameConditionStatuses(oldNode: Node, node: Node): boolean {
  const a = oldNode.status?.conditions ?? [], b = node.status?.conditions ?? [];
  if (a === b) return true;
  if (a.length !== b.length) return false;
  const statuses = new Map<string, string | undefined>();
  for (const c of a) statuses.set(c.type, c.status);
  for (const c of b) if (!statuses.has(c.type) || statuses.get(c.type) !== c.status) return false;
  return true;
}
