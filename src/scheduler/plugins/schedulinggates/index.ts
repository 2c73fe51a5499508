// SchedulingGates (upstream schedulinggates): a pod with spec.schedulingGates waits outside the
// active queue until they are removed.
import type { ClusterEvent, EnqueueExtensions, Handle, PreEnqueuePlugin } from '../../framework/index.js';
import { Status } from '../../framework/index.js';
import type { Pod } from '../../types.js';

export const name = 'SchedulingGates';

export function create(_args: unknown, _h: Handle): PreEnqueuePlugin & EnqueueExtensions {
  return {
    name,
    preEnqueue(pod: Pod) {
      const gates = pod.spec.schedulingGates ?? [];
      if (gates.length === 0) return undefined;
      return Status.unresolvable(`waiting for scheduling gates: [${gates.map((g) => g.name).join(' ')}]`);
    },
    events: (): ClusterEvent[] => ['UnscheduledPodUpdate'],
  };
}
