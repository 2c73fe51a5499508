// NodeName (upstream nodename): a pod with spec.nodeName fits only that node.
import type { ClusterEvent, EnqueueExtensions, FilterPlugin, Handle } from '../../framework/index.js';
import { Status } from '../../framework/index.js';

export const name = 'NodeName';
export const ERR_REASON = "node(s) didn't match the requested node name";

export function create(_args: unknown, _h: Handle): FilterPlugin & EnqueueExtensions {
  return {
    name,
    filter(_state, pod, nodeInfo) {
      const want = pod.spec.nodeName;
      if (!want || want === nodeInfo.name) return undefined;
      return Status.unresolvable(ERR_REASON);
    },
    events: (): ClusterEvent[] => ['NodeAdd', 'NodeUpdate'],
  };
}
