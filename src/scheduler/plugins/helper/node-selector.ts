// Node selector matching (upstream component-helpers/scheduling/corev1/nodeaffinity): terms OR
// together, expressions within a term AND; an empty term matches nothing; matchFields supports only
// metadata.name.
import type { Node, NodeSelector, NodeSelectorRequirement, NodeSelectorTerm, Pod } from '../../types.js';

function requirementMatches(r: NodeSelectorRequirement, value: string | undefined): boolean {
  const has = value !== undefined;
  switch (r.operator) {
    case 'In': return has && (r.values ?? []).includes(value);
    case 'NotIn': return !has || !(r.values ?? []).includes(value);
    case 'Exists': return has;
    case 'DoesNotExist': return !has;
    case 'Gt':
    case 'Lt': {
      if (!has || (r.values ?? []).length !== 1) return false;
      const a = Number.parseInt(value, 10), b = Number.parseInt(r.values![0]!, 10);
      if (!/^-?\d+$/.test(value) || !/^-?\d+$/.test(r.values![0]!)) return false;
      return r.operator === 'Gt' ? a > b : a < b;
    }
    default: return false;
  }
}

/** Whether one term matches the node. */
export function termMatches(term: NodeSelectorTerm, node: Node): boolean {
  const exprs = term.matchExpressions ?? [];
  const fields = term.matchFields ?? [];
  if (exprs.length === 0 && fields.length === 0) return false;
  const labels = node.metadata.labels ?? {};
  for (const r of exprs) if (!requirementMatches(r, Object.hasOwn(labels, r.key) ? labels[r.key] : undefined)) return false;
  for (const r of fields) {
    if (r.key !== 'metadata.name') return false;
    if (!requirementMatches(r, node.metadata.name ?? '')) return false;
  }
  return true;
}

export function nodeSelectorMatches(sel: NodeSelector, node: Node): boolean {
  return (sel.nodeSelectorTerms ?? []).some((t) => termMatches(t, node));
}

/** spec.nodeSelector AND required node affinity, optionally AND an extra (scheduler-enforced) selector. */
export class RequiredNodeAffinity {
  private readonly labels: [string, string][];
  private readonly required: NodeSelector | undefined;

  constructor(pod: Pod, private readonly enforced?: NodeSelector) {
    this.labels = Object.entries(pod.spec.nodeSelector ?? {});
    this.required = pod.spec.affinity?.nodeAffinity?.requiredDuringSchedulingIgnoredDuringExecution;
  }

  /** Pod's own selector and affinity only. */
  matchPod(node: Node): boolean {
    const l = node.metadata.labels ?? {};
    for (const [k, v] of this.labels) if (l[k] !== v) return false;
    return !this.required || nodeSelectorMatches(this.required, node);
  }

  match(node: Node): boolean {
    return this.matchPod(node) && (!this.enforced || nodeSelectorMatches(this.enforced, node));
  }
}
