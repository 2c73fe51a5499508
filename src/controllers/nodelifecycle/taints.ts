// Taints and tolerations as the node lifecycle and taint eviction controllers use them (upstream
// core/v1 helpers ToleratesTaint, taint keys of k8s.io/api/core/v1/well_known_taints.go, and the
// condition → NoSchedule taint map of node_lifecycle_controller.go).

export interface Taint { key: string; value?: string; effect: 'NoSchedule' | 'PreferNoSchedule' | 'NoExecute' | string; timeAdded?: string }
export interface Toleration { key?: string; operator?: 'Exists' | 'Equal'; value?: string; effect?: string; tolerationSeconds?: number }
export interface NodeCondition { type: string; status: string; reason?: string; message?: string; lastHeartbeatTime?: string; lastTransitionTime?: string }

export const TAINT_NOT_READY = 'node.kubernetes.io/not-ready';
export const TAINT_UNREACHABLE = 'node.kubernetes.io/unreachable';
export const TAINT_UNSCHEDULABLE = 'node.kubernetes.io/unschedulable';

/** Condition type and status → the NoSchedule taint it implies (upstream nodeConditionToTaintKeyStatusMap). */
export const CONDITION_TAINTS: { type: string; status: string; key: string }[] = [
  { type: 'Ready', status: 'False', key: TAINT_NOT_READY },
  { type: 'Ready', status: 'Unknown', key: TAINT_UNREACHABLE },
  { type: 'MemoryPressure', status: 'True', key: 'node.kubernetes.io/memory-pressure' },
  { type: 'DiskPressure', status: 'True', key: 'node.kubernetes.io/disk-pressure' },
  { type: 'NetworkUnavailable', status: 'True', key: 'node.kubernetes.io/network-unavailable' },
  { type: 'PIDPressure', status: 'True', key: 'node.kubernetes.io/pid-pressure' },
];
const CONDITION_TAINT_KEYS = new Set([...CONDITION_TAINTS.map((c) => c.key), TAINT_UNSCHEDULABLE]);

/** Whether a toleration tolerates a taint (v1 Toleration.ToleratesTaint). */
export function tolerates(t: Toleration, taint: Taint): boolean {
  if (t.effect && t.effect !== taint.effect) return false;
  if ((t.key ?? '') !== '' && t.key !== taint.key) return false;
  const op = t.operator ?? 'Equal';
  if (op === 'Exists') return true;
  if (op === 'Equal') return (t.value ?? '') === (taint.value ?? '');
  return false;
}

export function sameTaint(a: Taint, b: Taint): boolean {
  return a.key === b.key && a.effect === b.effect;
}

/** The NoSchedule taints a node's conditions and spec.unschedulable call for. */
export function desiredNoScheduleTaints(conditions: NodeCondition[] | undefined, unschedulable: boolean): Taint[] {
  const out: Taint[] = [];
  for (const c of conditions ?? []) {
    for (const m of CONDITION_TAINTS) if (m.type === c.type && m.status === c.status) out.push({ key: m.key, effect: 'NoSchedule' });
  }
  if (unschedulable) out.push({ key: TAINT_UNSCHEDULABLE, effect: 'NoSchedule' });
  return out;
}

/**
 * The taint list after replacing the controller-managed NoSchedule taints with `desired`
 * (other taints are kept as they are); undefined when nothing changes.
 */
export function withNoScheduleTaints(current: Taint[] | undefined, desired: Taint[]): Taint[] | undefined {
  const cur = current ?? [];
  const managed = cur.filter((t) => t.effect === 'NoSchedule' && CONDITION_TAINT_KEYS.has(t.key));
  const toAdd = desired.filter((d) => !managed.some((m) => sameTaint(m, d)));
  const toRemove = managed.filter((m) => !desired.some((d) => sameTaint(m, d)));
  if (!toAdd.length && !toRemove.length) return undefined;
  return [...cur.filter((t) => !toRemove.includes(t)), ...toAdd];
}
