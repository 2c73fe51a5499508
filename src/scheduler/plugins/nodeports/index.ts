// NodePorts (upstream nodeports): a pod's host ports must be free on the node.
import type { ClusterEvent, EnqueueExtensions, FilterPlugin, Handle, PreFilterPlugin } from '../../framework/index.js';
import { Status, podHostPorts } from '../../framework/index.js';
import type { ContainerPort } from '../../types.js';

export const name = 'NodePorts';
export const ERR_REASON = "node(s) didn't have free ports for the requested pod ports";
const KEY = `PreFilter${name}`;

class PreFilterState {
  constructor(readonly ports: ContainerPort[]) {}
  clone() { return this; }
}

export function create(_args: unknown, _h: Handle): PreFilterPlugin & FilterPlugin & EnqueueExtensions {
  return {
    name,
    preFilter(state, pod) {
      const ports = podHostPorts(pod);
      if (ports.length === 0) return Status.skip();
      state.write(KEY, new PreFilterState(ports));
      return undefined;
    },
    filter(state, pod, nodeInfo) {
      const ports = state.read<PreFilterState>(KEY)?.ports ?? podHostPorts(pod);
      for (const p of ports) {
        if (nodeInfo.usedPorts.conflicts(p.hostIP, p.protocol, p.hostPort!)) return Status.unschedulable(ERR_REASON);
      }
      return undefined;
    },
    events: (): ClusterEvent[] => ['AssignedPodDelete', 'NodeAdd', 'NodeUpdate'],
  };
}
