// Victim selection on one node (upstream defaultpreemption selectVictimsOnNode): remove every
// lower-priority pod, check the preemptor fits, then reprieve as many as possible — PDB-protected
// pods first, most important first.
import { labelSelectorFromObject } from '../../../api/selectors/index.js';
import type { CycleState, Handle, NodeInfo, PodInfo } from '../../framework/index.js';
import { Status, isSuccess } from '../../framework/index.js';
import type { Pod, PodDisruptionBudget } from '../../types.js';
import { podPriority } from '../../types.js';

export const ERR_NO_VICTIMS = 'No preemption victims found for incoming pod';

/** Start time in ms; pods not started yet count as starting now (upstream GetPodStartTime). */
export function podStartTime(pod: Pod, now: number): number {
  const t = pod.status?.startTime ? Date.parse(pod.status.startTime) : NaN;
  return Number.isNaN(t) ? now : t;
}

/** Higher priority first, then the longer-running pod (upstream MoreImportantPod). */
export function moreImportantPod(a: Pod, b: Pod, now: number): boolean {
  const pa = podPriority(a), pb = podPriority(b);
  if (pa !== pb) return pa > pb;
  return podStartTime(a, now) < podStartTime(b, now);
}

/** Splits pods into those whose eviction would break a PDB and the rest (upstream filterPodsWithPDBViolation). */
export function filterPodsWithPDBViolation(pods: readonly PodInfo[], pdbs: readonly PodDisruptionBudget[]): { violating: PodInfo[]; nonViolating: PodInfo[] } {
  const allowed = pdbs.map((p) => p.status?.disruptionsAllowed ?? 0);
  const selectors = pdbs.map((p) => {
    try {
      return labelSelectorFromObject(p.spec?.selector);
    } catch {
      return undefined;
    }
  });
  const violating: PodInfo[] = [], nonViolating: PodInfo[] = [];
  for (const pi of pods) {
    const pod = pi.pod;
    let violated = false;
    if (pod.metadata.labels && Object.keys(pod.metadata.labels).length) {
      pdbs.forEach((pdb, i) => {
        if (pdb.metadata.namespace !== pod.metadata.namespace) return;
        const sel = selectors[i];
        // A nil or empty selector matches nothing here.
        if (!sel || sel.empty() || !sel.matches(pod.metadata.labels)) return;
        if (pdb.status?.disruptedPods && Object.hasOwn(pdb.status.disruptedPods, pod.metadata.name ?? '')) return;
        allowed[i]!--;
        if (allowed[i]! < 0) violated = true;
      });
    }
    (violated ? violating : nonViolating).push(pi);
  }
  return { violating, nonViolating };
}

export interface Victims {
  pods: Pod[];
  numPDBViolations: number;
}

export function selectVictimsOnNode(h: Handle, state: CycleState, pod: Pod, nodeInfo: NodeInfo, pdbs: readonly PodDisruptionBudget[]): { victims?: Victims; status: Status } {
  const prio = podPriority(pod);
  const potential: PodInfo[] = [];
  const remove = (pi: PodInfo) => {
    nodeInfo.removePod(pi.pod);
    return h.runPreFilterExtensionRemovePod(state, pod, pi, nodeInfo);
  };
  const add = (pi: PodInfo) => {
    nodeInfo.addPodInfo(pi);
    return h.runPreFilterExtensionAddPod(state, pod, pi, nodeInfo);
  };
  for (const pi of nodeInfo.pods.slice()) {
    if (podPriority(pi.pod) < prio) {
      potential.push(pi);
      const s = remove(pi);
      if (!isSuccess(s)) return { status: s! };
    }
  }
  if (potential.length === 0) return { status: Status.unresolvable(ERR_NO_VICTIMS) };
  // The pod must fit with every lower-priority pod gone, or preempting on this node is pointless.
  const fit = h.runFilterPluginsWithNominatedPods(state, pod, nodeInfo);
  if (!isSuccess(fit)) return { status: fit! };
  const now = h.clock.now();
  potential.sort((a, b) => (moreImportantPod(a.pod, b.pod, now) ? -1 : moreImportantPod(b.pod, a.pod, now) ? 1 : 0));
  const { violating, nonViolating } = filterPodsWithPDBViolation(potential, pdbs);
  const victims: Pod[] = [];
  let numPDBViolations = 0;
  const reprieve = (pi: PodInfo): boolean => {
    add(pi);
    if (isSuccess(h.runFilterPluginsWithNominatedPods(state, pod, nodeInfo))) return true;
    remove(pi);
    victims.push(pi.pod);
    return false;
  };
  for (const pi of violating) if (!reprieve(pi)) numPDBViolations++;
  for (const pi of nonViolating) reprieve(pi);
  return { victims: { pods: victims, numPDBViolations }, status: Status.success() };
}
