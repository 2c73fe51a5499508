// InterPodAffinity (upstream interpodaffinity): pod affinity and anti-affinity, required (filter)
// and preferred (score), including anti-affinity of pods already running.
import type { ClusterEvent, EnqueueExtensions, FilterPlugin, Handle, PreFilterPlugin, PreScorePlugin, ScorePlugin } from '../../framework/index.js';
import { PRE_FILTER_KEY, filter, preFilter } from './filtering.js';
import type { PreFilterState } from './filtering.js';
import { normalizeScore, preScore, score } from './scoring.js';

export const name = 'InterPodAffinity';
export { ERR_REASON_AFFINITY, ERR_REASON_ANTI_AFFINITY, ERR_REASON_EXISTING_ANTI_AFFINITY } from './filtering.js';

export interface InterPodAffinityArgs {
  hardPodAffinityWeight?: number;
  ignorePreferredTermsOfExistingPods?: boolean;
}

export function create(rawArgs: Record<string, unknown> | undefined, h: Handle): PreFilterPlugin & FilterPlugin & PreScorePlugin & ScorePlugin & EnqueueExtensions {
  const args = (rawArgs ?? {}) as InterPodAffinityArgs;
  const hard = args.hardPodAffinityWeight ?? 1;
  if (hard < 0 || hard > 100) throw new Error(`hardPodAffinityWeight: Invalid value: ${hard}: not in valid range [0-100]`);
  return {
    name,
    preFilter: (state, pod, nodes) => preFilter(state, pod, nodes, h),
    preFilterExtensions: () => ({
      addPod(state, _pod, podToAdd, nodeInfo) {
        state.read<PreFilterState>(PRE_FILTER_KEY)?.updateWithPod(podToAdd, nodeInfo, 1, h);
        return undefined;
      },
      removePod(state, _pod, podToRemove, nodeInfo) {
        state.read<PreFilterState>(PRE_FILTER_KEY)?.updateWithPod(podToRemove, nodeInfo, -1, h);
        return undefined;
      },
    }),
    filter,
    preScore: (state, pod, nodes) => preScore(state, pod, nodes, h, hard, !!args.ignorePreferredTermsOfExistingPods),
    score,
    scoreExtensions: () => ({ normalizeScore: (state, _pod, scores) => normalizeScore(state, scores) }),
    events: (): ClusterEvent[] => ['AssignedPodAdd', 'AssignedPodUpdate', 'AssignedPodDelete', 'NodeAdd', 'NodeUpdate', 'UnscheduledPodUpdate'],
  };
}
