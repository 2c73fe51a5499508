// Node health as the node lifecycle controller judges it (upstream tryUpdateNodeHealth): the time of
// the last sign of life is our own clock's time when we last saw the Ready condition's heartbeat or
// the node's Lease renewTime change, so skew between kubelet and controller clocks does not matter.
// After the grace period without a sign, every condition the kubelet owns becomes Unknown.
import type { NodeCondition } from './taints.js';

export interface NodeHealth {
  /** Our clock when a heartbeat or lease renewal was last observed. */
  probeTimestamp: number;
  /** The last Ready heartbeat and lease renewTime seen. */
  heartbeat?: string;
  leaseRenew?: string;
  /** Pods on the node were marked not Ready for the current not-ready period. */
  podsMarked: boolean;
}

/** The conditions the kubelet posts; all turn Unknown when it goes silent. */
export const KUBELET_CONDITIONS = ['Ready', 'MemoryPressure', 'DiskPressure', 'PIDPressure'];

/** Updates health with what the node and its lease show now; returns whether the node is overdue. */
export function observe(
  h: NodeHealth | undefined, now: number, node: { creationTimestamp?: string; ready?: NodeCondition; leaseRenew?: string },
  graceMs: number, startupGraceMs: number,
): { health: NodeHealth; overdue: boolean } {
  let health = h;
  const heartbeat = node.ready?.lastHeartbeatTime;
  if (!health) {
    // A node that never posted Ready is judged from its creation, with the startup grace period.
    const created = node.creationTimestamp ? Date.parse(node.creationTimestamp) : now;
    health = { probeTimestamp: node.ready ? now : Math.min(now, created), heartbeat, leaseRenew: node.leaseRenew, podsMarked: false };
  } else {
    health = { ...health };
    if (heartbeat && heartbeat !== health.heartbeat) {
      health.heartbeat = heartbeat;
      health.probeTimestamp = now;
    }
    if (node.leaseRenew && node.leaseRenew !== health.leaseRenew && (!health.leaseRenew || Date.parse(node.leaseRenew) > Date.parse(health.leaseRenew))) {
      health.leaseRenew = node.leaseRenew;
      health.probeTimestamp = now;
    }
  }
  const grace = node.ready ? graceMs : startupGraceMs;
  return { health, overdue: now > health.probeTimestamp + grace };
}

/** The conditions after the kubelet went silent; undefined when they already say so. */
export function unknownConditions(conditions: NodeCondition[] | undefined, nowIso: string, creationTimestamp?: string): NodeCondition[] | undefined {
  const out = [...(conditions ?? [])];
  let changed = false;
  for (const type of KUBELET_CONDITIONS) {
    const i = out.findIndex((c) => c.type === type);
    if (i < 0) {
      out.push({
        type, status: 'Unknown', reason: 'NodeStatusNeverUpdated', message: 'Kubelet never posted node status.',
        ...(creationTimestamp ? { lastHeartbeatTime: creationTimestamp } : {}), lastTransitionTime: nowIso,
      });
      changed = true;
    } else if (out[i]!.status !== 'Unknown') {
      out[i] = { ...out[i]!, status: 'Unknown', reason: 'NodeStatusUnknown', message: 'Kubelet stopped posting node status.', lastTransitionTime: nowIso };
      changed = true;
    }
  }
  return changed ? out : undefined;
}
