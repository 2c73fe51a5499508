// TaintToleration (upstream tainttoleration): Filter rejects nodes with an untolerated NoSchedule or
// NoExecute taint; Score prefers nodes with fewer untolerated PreferNoSchedule taints.
import type { ClusterEvent, CycleState, EnqueueExtensions, FilterPlugin, Handle, PreScorePlugin, ScorePlugin } from '../../framework/index.js';
import { MAX_NODE_SCORE, Status, defaultNormalizeScore } from '../../framework/index.js';
import type { Pod, Toleration } from '../../types.js';
import { findUntoleratedTaint, tolerated } from '../helper/taints.js';

export const name = 'TaintToleration';
const KEY = `PreScore${name}`;

class PreScoreState {
  constructor(readonly tolerations: Toleration[]) {}
  clone() { return this; }
}

export function create(_args: unknown, _h: Handle): FilterPlugin & PreScorePlugin & ScorePlugin & EnqueueExtensions {
  return {
    name,
    filter(_state, pod, nodeInfo) {
      const taint = findUntoleratedTaint(nodeInfo.taints, pod.spec.tolerations, (t) => t.effect === 'NoSchedule' || t.effect === 'NoExecute');
      if (!taint) return undefined;
      return Status.unresolvable(`node(s) had untolerated taint {${taint.key}: ${taint.value ?? ''}}`);
    },
    preScore(state: CycleState, pod: Pod) {
      // Only PreferNoSchedule (or effect-less) tolerations matter to the score.
      const tols = (pod.spec.tolerations ?? []).filter((t) => !t.effect || t.effect === 'PreferNoSchedule');
      state.write(KEY, new PreScoreState(tols));
      return undefined;
    },
    score(state, _pod, nodeInfo) {
      const s = state.read<PreScoreState>(KEY);
      if (!s) return Status.error(`reading "${KEY}" from cycleState: not found`);
      let n = 0;
      for (const t of nodeInfo.taints ?? []) if (t.effect === 'PreferNoSchedule' && !tolerated(t, s.tolerations)) n++;
      return n;
    },
    scoreExtensions: () => ({ normalizeScore: (_s, _p, scores) => { defaultNormalizeScore(MAX_NODE_SCORE, true, scores); return undefined; } }),
    events: (): ClusterEvent[] => ['NodeAdd', 'NodeUpdate', 'UnscheduledPodUpdate'],
  };
}
