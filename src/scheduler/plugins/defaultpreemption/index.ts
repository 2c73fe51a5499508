// DefaultPreemption (upstream defaultpreemption + framework/preemption): when a pod fits nowhere,
// find nodes where evicting lower-priority pods would make room, pick the best, evict its victims
// through the handle and nominate the pod to that node.
import type { CycleState, Handle, NodeToStatus, PostFilterPlugin, PostFilterResult } from '../../framework/index.js';
import { FitError, Status, newDiagnosis } from '../../framework/index.js';
import type { Pod } from '../../types.js';
import { isTerminating, podKey, podPriority } from '../../types.js';
import type { Candidate } from './candidates.js';
import { pickOneNodeForPreemption } from './candidates.js';
import { selectVictimsOnNode } from './victims.js';

export const name = 'DefaultPreemption';
export const ERR_NOT_HELPFUL = 'Preemption is not helpful for scheduling';
export { filterPodsWithPDBViolation, moreImportantPod, selectVictimsOnNode } from './victims.js';
export { pickOneNodeForPreemption } from './candidates.js';

export interface DefaultPreemptionArgs {
  minCandidateNodesPercentage?: number;
  minCandidateNodesAbsolute?: number;
}

type Outcome = { result?: PostFilterResult; status: Status };

function terminatingByPreemption(p: Pod): boolean {
  if (!isTerminating(p)) return false;
  return (p.status?.conditions ?? []).some((c) => c.type === 'DisruptionTarget' && c.status === 'True' && c.reason === 'PreemptionByScheduler');
}

export function create(rawArgs: Record<string, unknown> | undefined, h: Handle): PostFilterPlugin {
  const args = (rawArgs ?? {}) as DefaultPreemptionArgs;
  const pct = args.minCandidateNodesPercentage ?? 10;
  const abs = args.minCandidateNodesAbsolute ?? 100;

  /** Upstream PodEligibleToPreemptOthers. */
  const eligible = (pod: Pod, m: NodeToStatus): string => {
    if (pod.spec.preemptionPolicy === 'Never') return 'not eligible due to preemptionPolicy=Never.';
    const nom = pod.status?.nominatedNodeName;
    if (nom) {
      if (m.get(nom)?.code === 'UnschedulableAndUnresolvable') return '';
      const ni = h.snapshot().get(nom);
      const prio = podPriority(pod);
      if (ni?.pods.some((p) => podPriority(p.pod) < prio && terminatingByPreemption(p.pod))) {
        return 'not eligible due to a terminating pod on the nominated node.';
      }
    }
    return '';
  };

  const numCandidates = (n: number): number => {
    let c = Math.trunc((n * pct) / 100);
    if (c < abs) c = abs;
    return Math.min(c, n);
  };

  const preempt = async (state: CycleState, pod: Pod, m: NodeToStatus): Promise<Outcome> => {
    const why = eligible(pod, m);
    if (why) return { status: Status.unschedulable(why) };
    const all = h.snapshot().list();
    if (all.length === 0) return { status: Status.error('no nodes available') };
    const statuses: NodeToStatus = new Map();
    const potential = all.filter((ni) => {
      if (m.get(ni.name)?.code !== 'UnschedulableAndUnresolvable') return true;
      statuses.set(ni.name, Status.unresolvable(ERR_NOT_HELPFUL));
      return false;
    });
    const candidates: Candidate[] = [];
    if (potential.length) {
      const pdbs = h.pdbs?.() ?? [];
      const want = numCandidates(potential.length);
      const offset = Math.floor(h.random() * potential.length);
      const nonViolating: Candidate[] = [], violating: Candidate[] = [];
      for (let i = 0; i < potential.length; i++) {
        const ni = potential[(offset + i) % potential.length]!.clone();
        const out = selectVictimsOnNode(h, state.clone(), pod, ni, pdbs);
        if (out.victims && out.victims.pods.length) {
          (out.victims.numPDBViolations === 0 ? nonViolating : violating).push({ name: ni.name, victims: out.victims });
          if (nonViolating.length > 0 && nonViolating.length + violating.length >= want) break;
          continue;
        }
        statuses.set(ni.name, out.victims ? Status.error(`expected at least one victim pod on node "${ni.name}"`) : out.status);
      }
      candidates.push(...nonViolating, ...violating);
    }
    if (candidates.length === 0) {
      const d = newDiagnosis();
      d.nodeToStatus = statuses;
      // An empty nominatedNodeName clears a stale nomination.
      return { result: { nominatedNodeName: '' }, status: Status.unschedulable(new FitError(pod, statuses.size, d).message) };
    }
    const best = pickOneNodeForPreemption(candidates, h.clock.now());
    if (!best) return { status: Status.unschedulable('no candidate node for preemption') };
    try {
      await Promise.all(best.victims.pods.map((v) => h.evictVictim ? h.evictVictim(v, pod) : Promise.reject(new Error('no evictVictim function configured in the scheduler handle'))));
      // Lower-priority pods nominated to the node lose their nomination: the room is for this pod.
      const prio = podPriority(pod);
      const lower = (h.nominator()?.nominatedPodsForNode(best.name) ?? []).filter((pi) => podPriority(pi.pod) < prio && podKey(pi.pod) !== podKey(pod));
      if (h.clearNomination) await Promise.all(lower.map((pi) => h.clearNomination!(pi.pod)));
    } catch (e) {
      return { status: Status.error(e instanceof Error ? e : String(e)) };
    }
    return { result: { nominatedNodeName: best.name }, status: Status.success() };
  };

  return {
    name,
    async postFilter(state, pod, m) {
      const out = await preempt(state, pod, m);
      const msg = out.status.message();
      if (msg && out.status.code !== 'Success') return { result: out.result, status: new Status(out.status.code, [`preemption: ${msg}`], out.status.err) };
      return out;
    },
  };
}
