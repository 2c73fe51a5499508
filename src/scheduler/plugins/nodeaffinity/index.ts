// NodeAffinity (upstream nodeaffinity): spec.nodeSelector and required node affinity filter nodes,
// preferred terms score them; args.addedAffinity applies scheduler-enforced affinity to every pod.
import type {
  ClusterEvent, CycleState, EnqueueExtensions, FilterPlugin, Handle, PreFilterPlugin, PreScorePlugin, ScorePlugin,
} from '../../framework/index.js';
import { MAX_NODE_SCORE, Status, defaultNormalizeScore } from '../../framework/index.js';
import type { NodeAffinity, Pod, PreferredSchedulingTerm } from '../../types.js';
import { RequiredNodeAffinity, nodeSelectorMatches, termMatches } from '../helper/node-selector.js';

export const name = 'NodeAffinity';
export const ERR_REASON_POD = "node(s) didn't match Pod's node affinity/selector";
export const ERR_REASON_ENFORCED = "node(s) didn't match scheduler-enforced node affinity";
export const ERR_REASON_CONFLICT = 'pod affinity terms conflict';
const PRE_FILTER_KEY = `PreFilter${name}`;
const PRE_SCORE_KEY = `PreScore${name}`;

export interface NodeAffinityArgs {
  addedAffinity?: NodeAffinity;
}

class PreFilterState {
  constructor(readonly required: RequiredNodeAffinity) {}
  clone() { return this; }
}

class PreScoreState {
  constructor(readonly preferred: PreferredSchedulingTerm[]) {}
  clone() { return this; }
}

export function create(rawArgs: Record<string, unknown> | undefined, _h: Handle): PreFilterPlugin & FilterPlugin & PreScorePlugin & ScorePlugin & EnqueueExtensions {
  const args = (rawArgs ?? {}) as NodeAffinityArgs;
  const added = args.addedAffinity?.requiredDuringSchedulingIgnoredDuringExecution;
  const addedPreferred = (args.addedAffinity?.preferredDuringSchedulingIgnoredDuringExecution ?? []).filter((t) => t.weight !== 0);

  const prefilterState = (state: CycleState, pod: Pod) => state.read<PreFilterState>(PRE_FILTER_KEY)?.required ?? new RequiredNodeAffinity(pod);

  return {
    name,
    preFilter(state, pod) {
      const required = pod.spec.affinity?.nodeAffinity?.requiredDuringSchedulingIgnoredDuringExecution;
      if (!required && !added && !pod.spec.nodeSelector) return Status.skip();
      state.write(PRE_FILTER_KEY, new PreFilterState(new RequiredNodeAffinity(pod)));
      if (!required || required.nodeSelectorTerms.length === 0) return undefined;
      // Terms naming nodes by metadata.name narrow the nodes to evaluate (terms OR, fields AND).
      let names: Set<string> | undefined;
      for (const t of required.nodeSelectorTerms) {
        let termNames: Set<string> | undefined;
        for (const r of t.matchFields ?? []) {
          if (r.key !== 'metadata.name' || r.operator !== 'In') continue;
          const s = new Set(r.values ?? []);
          termNames = termNames ? new Set([...termNames].filter((n) => s.has(n))) : s;
        }
        if (!termNames) return undefined;
        names = new Set([...(names ?? []), ...termNames]);
      }
      if (names && names.size === 0) return Status.unresolvable(ERR_REASON_CONFLICT);
      return names ? { result: { nodeNames: names } } : undefined;
    },
    filter(state, pod, nodeInfo) {
      const node = nodeInfo.node;
      if (!node) return Status.error('node not found');
      if (added && !nodeSelectorMatches(added, node)) return Status.unresolvable(ERR_REASON_ENFORCED);
      if (!prefilterState(state, pod).matchPod(node)) return Status.unresolvable(ERR_REASON_POD);
      return undefined;
    },
    preScore(state, pod) {
      const preferred = (pod.spec.affinity?.nodeAffinity?.preferredDuringSchedulingIgnoredDuringExecution ?? []).filter((t) => t.weight !== 0);
      if (preferred.length === 0 && addedPreferred.length === 0) return Status.skip();
      state.write(PRE_SCORE_KEY, new PreScoreState([...addedPreferred, ...preferred]));
      return undefined;
    },
    score(state, pod, nodeInfo) {
      const node = nodeInfo.node;
      if (!node) return Status.error('node not found');
      const preferred = state.read<PreScoreState>(PRE_SCORE_KEY)?.preferred
        ?? [...addedPreferred, ...(pod.spec.affinity?.nodeAffinity?.preferredDuringSchedulingIgnoredDuringExecution ?? [])];
      let score = 0;
      for (const t of preferred) if (termMatches(t.preference, node)) score += t.weight;
      return score;
    },
    scoreExtensions: () => ({ normalizeScore: (_s, _p, scores) => { defaultNormalizeScore(MAX_NODE_SCORE, false, scores); return undefined; } }),
    events: (): ClusterEvent[] => ['NodeAdd', 'NodeUpdate', 'UnscheduledPodUpdate'],
  };
}
