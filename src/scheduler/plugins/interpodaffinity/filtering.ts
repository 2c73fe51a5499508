// InterPodAffinity PreFilter/Filter (upstream interpodaffinity/filtering.go): required pod affinity
// and anti-affinity of the incoming pod, and required anti-affinity of pods already placed.
import type { CycleState, Handle, NodeInfo, PodInfo, StatusLike } from '../../framework/index.js';
import { PodInfo as PodInfoClass, Status } from '../../framework/index.js';
import type { Pod } from '../../types.js';
import { TopologyCounts, matchesAllTerms, namespaceLabelsMemo } from './counts.js';

export const ERR_REASON_EXISTING_ANTI_AFFINITY = "node(s) didn't satisfy existing pods anti-affinity rules";
export const ERR_REASON_AFFINITY = "node(s) didn't match pod affinity rules";
export const ERR_REASON_ANTI_AFFINITY = "node(s) didn't match pod anti-affinity rules";
export const PRE_FILTER_KEY = 'PreFilterInterPodAffinity';

export class PreFilterState {
  constructor(
    readonly podInfo: PodInfo,
    readonly nsLabels: Record<string, string> | undefined,
    /** Pairs where an existing pod's required anti-affinity term matches the incoming pod. */
    readonly existingAntiAffinityCounts: TopologyCounts,
    /** Pairs holding pods that match all of the incoming pod's required affinity terms. */
    readonly affinityCounts: TopologyCounts,
    /** Pairs holding pods matched by the incoming pod's required anti-affinity terms. */
    readonly antiAffinityCounts: TopologyCounts,
  ) {}

  clone(): PreFilterState {
    return new PreFilterState(this.podInfo, this.nsLabels, this.existingAntiAffinityCounts.clone(), this.affinityCounts.clone(), this.antiAffinityCounts.clone());
  }

  updateWithPod(pi: PodInfo, nodeInfo: NodeInfo, delta: number, h: Handle): void {
    const node = nodeInfo.node;
    if (!node) return;
    const incoming = this.podInfo;
    this.existingAntiAffinityCounts.updateWithAntiAffinityTerms(pi.requiredAntiAffinityTerms, incoming.pod, this.nsLabels, node, delta);
    const otherNs = h.namespaceLabels?.(pi.pod.metadata.namespace ?? '');
    this.affinityCounts.updateWithAffinityTerms(incoming.requiredAffinityTerms, pi.pod, otherNs, node, delta);
    this.antiAffinityCounts.updateWithAntiAffinityTerms(incoming.requiredAntiAffinityTerms, pi.pod, otherNs, node, delta);
  }
}

export function preFilter(state: CycleState, pod: Pod, allNodes: readonly NodeInfo[], h: Handle): StatusLike {
  const pi = new PodInfoClass(pod);
  const nsLabels = h.namespaceLabels?.(pod.metadata.namespace ?? '');
  const existing = new TopologyCounts();
  for (const ni of h.snapshot().havePodsWithRequiredAntiAffinityList()) {
    const node = ni.node;
    if (!node) continue;
    for (const other of ni.podsWithRequiredAntiAffinity) existing.updateWithAntiAffinityTerms(other.requiredAntiAffinityTerms, pod, nsLabels, node, 1);
  }
  const affinity = new TopologyCounts();
  const anti = new TopologyCounts();
  if (pi.requiredAffinityTerms.length || pi.requiredAntiAffinityTerms.length) {
    const otherNsLabels = namespaceLabelsMemo(h);
    for (const ni of allNodes) {
      const node = ni.node;
      if (!node) continue;
      for (const other of ni.pods) {
        const otherNs = otherNsLabels(other.pod.metadata.namespace ?? '');
        affinity.updateWithAffinityTerms(pi.requiredAffinityTerms, other.pod, otherNs, node, 1);
        anti.updateWithAntiAffinityTerms(pi.requiredAntiAffinityTerms, other.pod, otherNs, node, 1);
      }
    }
  }
  if (existing.size === 0 && pi.requiredAffinityTerms.length === 0 && pi.requiredAntiAffinityTerms.length === 0) return Status.skip();
  state.write(PRE_FILTER_KEY, new PreFilterState(pi, nsLabels, existing, affinity, anti));
  return undefined;
}

function satisfyExistingPodsAntiAffinity(s: PreFilterState, labels: Record<string, string>): boolean {
  if (s.existingAntiAffinityCounts.size === 0) return true;
  // Few topology keys are counted; look those up instead of every node label.
  for (const k of s.existingAntiAffinityCounts.keys()) {
    if (Object.hasOwn(labels, k) && s.existingAntiAffinityCounts.get(k, labels[k]!) > 0) return false;
  }
  return true;
}

function satisfyPodAntiAffinity(s: PreFilterState, labels: Record<string, string>): boolean {
  if (s.antiAffinityCounts.size === 0) return true;
  for (const t of s.podInfo.requiredAntiAffinityTerms) {
    if (Object.hasOwn(labels, t.topologyKey) && s.antiAffinityCounts.get(t.topologyKey, labels[t.topologyKey]!) > 0) return false;
  }
  return true;
}

function satisfyPodAffinity(s: PreFilterState, labels: Record<string, string>): boolean {
  let podsExist = true;
  for (const t of s.podInfo.requiredAffinityTerms) {
    if (!Object.hasOwn(labels, t.topologyKey)) return false; // the node lacks the topology key
    if (s.affinityCounts.get(t.topologyKey, labels[t.topologyKey]!) <= 0) podsExist = false;
  }
  if (podsExist) return true;
  // The first pod of a group that selects itself may go anywhere that has the topology keys.
  return s.affinityCounts.size === 0 && matchesAllTerms(s.podInfo.requiredAffinityTerms, s.podInfo.pod, s.nsLabels);
}

export function filter(state: CycleState, _pod: Pod, nodeInfo: NodeInfo): StatusLike {
  const s = state.read<PreFilterState>(PRE_FILTER_KEY);
  if (!s) return Status.error(`reading "${PRE_FILTER_KEY}" from cycleState: not found`);
  const labels = nodeInfo.node?.metadata.labels ?? {};
  if (!satisfyPodAffinity(s, labels)) return Status.unresolvable(ERR_REASON_AFFINITY);
  if (!satisfyPodAntiAffinity(s, labels)) return Status.unschedulable(ERR_REASON_ANTI_AFFINITY);
  if (!satisfyExistingPodsAntiAffinity(s, labels)) return Status.unschedulable(ERR_REASON_EXISTING_ANTI_AFFINITY);
  return undefined;
}
