// NodeUnschedulable (upstream nodeunschedulable): a cordoned node (spec.unschedulable) takes only
// pods tolerating node.kubernetes.io/unschedulable:NoSchedule.
import type { ClusterEvent, EnqueueExtensions, FilterPlugin, Handle } from '../../framework/index.js';
import { Status } from '../../framework/index.js';
import { tolerated } from '../helper/taints.js';

export const name = 'NodeUnschedulable';
export const ERR_REASON_UNKNOWN_CONDITION = 'node(s) had unknown conditions';
export const ERR_REASON_UNSCHEDULABLE = 'node(s) were unschedulable';
const TAINT = { key: 'node.kubernetes.io/unschedulable', effect: 'NoSchedule' as const };

export function create(_args: unknown, _h: Handle): FilterPlugin & EnqueueExtensions {
  return {
    name,
    filter(_state, pod, nodeInfo) {
      if (!nodeInfo.node) return Status.unresolvable(ERR_REASON_UNKNOWN_CONDITION);
      if (!nodeInfo.unschedulable) return undefined;
      if (tolerated(TAINT, pod.spec.tolerations)) return undefined;
      return Status.unresolvable(ERR_REASON_UNSCHEDULABLE);
    },
    events: (): ClusterEvent[] => ['NodeAdd', 'NodeUpdate', 'UnscheduledPodUpdate'],
  };
}
