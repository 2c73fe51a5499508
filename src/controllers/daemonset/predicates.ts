// Which nodes a DaemonSet runs on (upstream daemon_controller.go NodeShouldRunDaemonPod and
// pkg/controller/daemon/util): the template's nodeName, nodeSelector and required node affinity must
// match, and NoSchedule/NoExecute taints must be tolerated — with the tolerations upstream adds to
// every daemon pod.
import type { KubeObject } from '../../api/types.js';

type Obj = Record<string, any>;
export type Node = KubeObject & { spec?: Obj; status?: Obj };

export interface Toleration {
  key?: string;
  operator?: string;
  value?: string;
  effect?: string;
  tolerationSeconds?: number;
}

export interface Taint {
  key: string;
  value?: string;
  effect: string;
}

/** Upstream AddOrUpdateDaemonPodTolerations: daemons survive node conditions that evict other pods. */
export function daemonPodTolerations(podSpec: Obj): Toleration[] {
  const add: Toleration[] = [
    { key: 'node.kubernetes.io/not-ready', operator: 'Exists', effect: 'NoExecute' },
    { key: 'node.kubernetes.io/unreachable', operator: 'Exists', effect: 'NoExecute' },
    { key: 'node.kubernetes.io/disk-pressure', operator: 'Exists', effect: 'NoSchedule' },
    { key: 'node.kubernetes.io/memory-pressure', operator: 'Exists', effect: 'NoSchedule' },
    { key: 'node.kubernetes.io/pid-pressure', operator: 'Exists', effect: 'NoSchedule' },
    { key: 'node.kubernetes.io/unschedulable', operator: 'Exists', effect: 'NoSchedule' },
  ];
  if (podSpec.hostNetwork === true) add.push({ key: 'node.kubernetes.io/network-unavailable', operator: 'Exists', effect: 'NoSchedule' });
  const out: Toleration[] = [...(podSpec.tolerations ?? [])];
  // Add or update: one with the same key, operator, value and effect is replaced.
  for (const t of add) {
    const i = out.findIndex((o) => o.key === t.key && (o.operator ?? 'Equal') === t.operator && (o.value ?? '') === '' && o.effect === t.effect);
    if (i >= 0) out[i] = t;
    else out.push(t);
  }
  return out;
}

export function tolerates(t: Toleration, taint: Taint): boolean {
  if (t.effect && t.effect !== taint.effect) return false;
  if (t.key && t.key !== taint.key) return false;
  if (!t.key && t.operator !== 'Exists') return false;
  if (t.operator === 'Exists') return true;
  return (t.value ?? '') === (taint.value ?? '');
}

export function untoleratedTaint(taints: Taint[], tolerations: Toleration[], effects: string[]): Taint | undefined {
  return taints.find((taint) => effects.includes(taint.effect) && !tolerations.some((t) => tolerates(t, taint)));
}

function matchRequirement(req: Obj, value: string | undefined): boolean {
  const values: string[] = req.values ?? [];
  switch (req.operator) {
    case 'In': return value !== undefined && values.includes(value);
    case 'NotIn': return value === undefined || !values.includes(value);
    case 'Exists': return value !== undefined;
    case 'DoesNotExist': return value === undefined;
    case 'Gt':
    case 'Lt': {
      if (value === undefined || !/^-?\d+$/.test(value) || values.length !== 1) return false;
      const a = Number(value);
      const b = Number(values[0]);
      return req.operator === 'Gt' ? a > b : a < b;
    }
    default: return false;
  }
}

/** One NodeSelectorTerm: every expression and field must match (an empty term matches nothing). */
function matchTerm(term: Obj, node: Node): boolean {
  const exprs: Obj[] = term.matchExpressions ?? [];
  const fields: Obj[] = term.matchFields ?? [];
  if (!exprs.length && !fields.length) return false;
  const labels = node.metadata.labels ?? {};
  return exprs.every((e) => matchRequirement(e, labels[e.key]))
    && fields.every((f) => f.key === 'metadata.name' && matchRequirement(f, node.metadata.name));
}

/** nodeSelector plus requiredDuringSchedulingIgnoredDuringExecution (terms ORed). */
export function matchesNodeAffinity(podSpec: Obj, node: Node): boolean {
  const labels = node.metadata.labels ?? {};
  for (const [k, v] of Object.entries((podSpec.nodeSelector ?? {}) as Record<string, string>)) if (labels[k] !== v) return false;
  const terms: Obj[] | undefined = podSpec.affinity?.nodeAffinity?.requiredDuringSchedulingIgnoredDuringExecution?.nodeSelectorTerms;
  if (!terms) return true;
  return terms.some((t) => matchTerm(t, node));
}

/** Whether a daemon pod should be created on node, and whether an existing one may stay. */
export function nodeShouldRunDaemonPod(node: Node, ds: KubeObject & { spec: Obj }): { shouldRun: boolean; shouldContinueRunning: boolean } {
  const podSpec: Obj = ds.spec.template?.spec ?? {};
  if (podSpec.nodeName && podSpec.nodeName !== node.metadata.name) return { shouldRun: false, shouldContinueRunning: false };
  if (!matchesNodeAffinity(podSpec, node)) return { shouldRun: false, shouldContinueRunning: false };
  const taints: Taint[] = node.spec?.taints ?? [];
  const tolerations = daemonPodTolerations(podSpec);
  if (untoleratedTaint(taints, tolerations, ['NoSchedule', 'NoExecute'])) {
    // A running daemon pod stays unless a NoExecute taint would evict it.
    return { shouldRun: false, shouldContinueRunning: !untoleratedTaint(taints, tolerations, ['NoExecute']) };
  }
  return { shouldRun: true, shouldContinueRunning: true };
}

/**
 * The template's affinity with a required term pinning the pod to node by metadata.name (upstream
 * ReplaceDaemonSetPodNodeNameNodeAffinity): the scheduler then binds it there.
 */
export function pinToNode(affinity: Obj | undefined, nodeName: string): Obj {
  const pin = { key: 'metadata.name', operator: 'In', values: [nodeName] };
  const out = structuredClone(affinity ?? {}) as Obj;
  out.nodeAffinity ??= {};
  // The controller already checked the node matches the template's terms; the pin replaces them.
  out.nodeAffinity.requiredDuringSchedulingIgnoredDuringExecution = { nodeSelectorTerms: [{ matchFields: [pin] }] };
  return out;
}

/** The node a daemon pod is for: spec.nodeName once bound, else its metadata.name affinity pin. */
export function targetNodeOf(pod: { spec?: Obj }): string | undefined {
  if (pod.spec?.nodeName) return pod.spec.nodeName;
  const terms: Obj[] = pod.spec?.affinity?.nodeAffinity?.requiredDuringSchedulingIgnoredDuringExecution?.nodeSelectorTerms ?? [];
  for (const t of terms) {
    for (const f of t.matchFields ?? []) if (f.key === 'metadata.name' && f.operator === 'In' && f.values?.length === 1) return f.values[0];
  }
  return undefined;
}
