// Topology spread constraints as the plugin evaluates them (upstream podtopologyspread/common.go):
// the pod's own constraints, or the cluster defaults when it has none.
import { labelSelectorFromObject } from '../../../api/selectors/index.js';
import type { LabelSelector } from '../../../api/selectors/index.js';
import type { Node, Pod, TopologySpreadConstraint } from '../../types.js';
import { isTerminating } from '../../types.js';
import type { PodInfo } from '../../framework/index.js';
import type { RequiredNodeAffinity } from '../helper/node-selector.js';
import { findUntoleratedTaint } from '../helper/taints.js';

export const LABEL_HOSTNAME = 'kubernetes.io/hostname';
export const LABEL_ZONE = 'topology.kubernetes.io/zone';

/** Upstream's system defaults, applied with the selector of the pod's Services and controllers. */
export const SYSTEM_DEFAULT_CONSTRAINTS: readonly TopologySpreadConstraint[] = [
  { topologyKey: LABEL_HOSTNAME, whenUnsatisfiable: 'ScheduleAnyway', maxSkew: 3 },
  { topologyKey: LABEL_ZONE, whenUnsatisfiable: 'ScheduleAnyway', maxSkew: 5 },
];

export interface Constraint {
  maxSkew: number;
  topologyKey: string;
  selector: LabelSelector;
  minDomains: number;
  nodeAffinityPolicy: 'Honor' | 'Ignore';
  nodeTaintsPolicy: 'Honor' | 'Ignore';
}

function toConstraint(pod: Pod, c: TopologySpreadConstraint, selector?: LabelSelector): Constraint {
  let sel = selector;
  if (!sel) {
    let obj = c.labelSelector;
    // matchLabelKeys adds the pod's own values for those keys to the selector.
    const labels = pod.metadata.labels ?? {};
    const keys = (c.matchLabelKeys ?? []).filter((k) => k in labels);
    if (keys.length && obj) obj = { ...obj, matchExpressions: [...(obj.matchExpressions ?? []), ...keys.map((k) => ({ key: k, operator: 'In', values: [labels[k]!] }))] };
    try {
      sel = labelSelectorFromObject(obj);
    } catch {
      sel = labelSelectorFromObject(null);
    }
  }
  return {
    maxSkew: c.maxSkew,
    topologyKey: c.topologyKey,
    selector: sel,
    minDomains: c.minDomains ?? 1,
    nodeAffinityPolicy: c.nodeAffinityPolicy ?? 'Honor',
    nodeTaintsPolicy: c.nodeTaintsPolicy ?? 'Ignore',
  };
}

/** The pod's constraints with this whenUnsatisfiable action. */
export function podConstraints(pod: Pod, action: string): Constraint[] {
  return (pod.spec.topologySpreadConstraints ?? []).filter((c) => c.whenUnsatisfiable === action).map((c) => toConstraint(pod, c));
}

/** Default constraints (system or listed) for a pod without its own; none without a selector. */
export function defaultConstraints(pod: Pod, action: string, defaults: readonly TopologySpreadConstraint[], selector: LabelSelector | undefined): Constraint[] {
  if (!selector || selector.empty()) return [];
  return defaults.filter((c) => c.whenUnsatisfiable === action).map((c) => toConstraint(pod, c, selector));
}

export function nodeHasAllTopologyKeys(node: Node, constraints: readonly Constraint[]): boolean {
  const labels = node.metadata.labels ?? {};
  for (const c of constraints) if (!Object.hasOwn(labels, c.topologyKey)) return false;
  return true;
}

/** nodeAffinityPolicy/nodeTaintsPolicy: whether the node counts for this constraint. */
export function matchNodeInclusionPolicies(c: Constraint, pod: Pod, node: Node, affinity: RequiredNodeAffinity): boolean {
  if (c.nodeAffinityPolicy === 'Honor' && !affinity.match(node)) return false;
  if (c.nodeTaintsPolicy === 'Honor') {
    const t = findUntoleratedTaint(node.spec?.taints, pod.spec.tolerations, (x) => x.effect === 'NoSchedule' || x.effect === 'NoExecute');
    if (t) return false;
  }
  return true;
}

/** Pods in the namespace matching the selector, not being deleted (upstream countPodsMatchSelector). */
export function countPodsMatchSelector(pods: readonly PodInfo[], selector: LabelSelector, namespace: string | undefined): number {
  if (selector.empty()) return 0;
  let n = 0;
  for (const pi of pods) {
    const p = pi.pod;
    if (isTerminating(p) || p.metadata.namespace !== namespace) continue;
    if (selector.matches(p.metadata.labels)) n++;
  }
  return n;
}
