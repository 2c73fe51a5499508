// PodTopologySpread (upstream podtopologyspread): spreads matching pods evenly across topology
// domains. DoNotSchedule constraints filter, ScheduleAnyway constraints score; pods without
// constraints get the defaults (System: hostname skew 3 and zone skew 5, selecting by the pod's
// Services and controllers through handle.defaultSpreadSelector).
import type { ClusterEvent, EnqueueExtensions, FilterPlugin, Handle, PreFilterPlugin, PreScorePlugin, ScorePlugin } from '../../framework/index.js';
import { Status } from '../../framework/index.js';
import type { Pod, TopologySpreadConstraint } from '../../types.js';
import { SYSTEM_DEFAULT_CONSTRAINTS, defaultConstraints, podConstraints } from './constraints.js';
import type { Constraint } from './constraints.js';
import { PRE_FILTER_KEY, addPod, calPreFilterState, filter, removePod } from './filtering.js';
import { normalizeScore, preScore, score } from './scoring.js';

export const name = 'PodTopologySpread';
export { ERR_REASON_CONSTRAINTS_NOT_MATCH, ERR_REASON_NODE_LABEL_NOT_MATCH } from './filtering.js';
export { SYSTEM_DEFAULT_CONSTRAINTS } from './constraints.js';

export interface PodTopologySpreadArgs {
  defaultConstraints?: TopologySpreadConstraint[];
  defaultingType?: 'System' | 'List';
}

export function create(rawArgs: Record<string, unknown> | undefined, h: Handle): PreFilterPlugin & FilterPlugin & PreScorePlugin & ScorePlugin & EnqueueExtensions {
  const args = (rawArgs ?? {}) as PodTopologySpreadArgs;
  const systemDefaulted = (args.defaultingType ?? 'System') === 'System';
  const defaults = systemDefaulted ? SYSTEM_DEFAULT_CONSTRAINTS : args.defaultConstraints ?? [];
  const constraintsFor = (pod: Pod, action: string): Constraint[] => {
    if (pod.spec.topologySpreadConstraints?.length) return podConstraints(pod, action);
    if (defaults.length === 0) return [];
    return defaultConstraints(pod, action, defaults, h.defaultSpreadSelector?.(pod));
  };
  return {
    name,
    preFilter(state, pod, nodes) {
      const constraints = constraintsFor(pod, 'DoNotSchedule');
      if (constraints.length === 0) return Status.skip();
      state.write(PRE_FILTER_KEY, calPreFilterState(pod, constraints, nodes));
      return undefined;
    },
    preFilterExtensions: () => ({ addPod, removePod }),
    filter,
    preScore(state, pod, filtered) {
      const requireAll = !!pod.spec.topologySpreadConstraints?.length || !systemDefaulted;
      return preScore(state, pod, filtered, h.snapshot().list(), constraintsFor(pod, 'ScheduleAnyway'), requireAll);
    },
    score,
    scoreExtensions: () => ({ normalizeScore: (state, _pod, scores) => normalizeScore(state, scores) }),
    events: (): ClusterEvent[] => ['AssignedPodAdd', 'AssignedPodUpdate', 'AssignedPodDelete', 'NodeAdd', 'NodeUpdate', 'NodeDelete', 'UnscheduledPodUpdate'],
  };
}
