// A pod with its (anti-)affinity terms parsed once (upstream framework.PodInfo). PodInfos are
// immutable and shared between the cache, snapshots and clones.
import { labelSelectorFromObject } from '../../api/selectors/index.js';
import type { LabelSelector, LabelSelectorObject } from '../../api/selectors/index.js';
import type { Pod, PodAffinityTerm } from '../types.js';
import { podRequests } from './pod-request.js';
import type { Resource } from './resource.js';

export class AffinityTerm {
  constructor(
    readonly namespaces: ReadonlySet<string>,
    readonly selector: LabelSelector,
    readonly topologyKey: string,
    readonly namespaceSelector: LabelSelector,
  ) {}

  /** The pod is in one of the term's namespaces and carries matching labels (upstream AffinityTerm.Matches). */
  matches(pod: Pod, nsLabels: Record<string, string> | undefined): boolean {
    const ns = pod.metadata.namespace ?? '';
    if (this.namespaces.has(ns) || this.namespaceSelector.matches(nsLabels ?? {})) {
      return this.selector.matches(pod.metadata.labels);
    }
    return false;
  }
}

export interface WeightedAffinityTerm {
  term: AffinityTerm;
  weight: number;
}

const NOTHING = labelSelectorFromObject(null);

function selector(obj: LabelSelectorObject | null | undefined): LabelSelector {
  try {
    return labelSelectorFromObject(obj);
  } catch {
    return NOTHING;
  }
}

/** Builds an AffinityTerm; matchLabelKeys/mismatchLabelKeys take their values from the owning pod. */
export function newAffinityTerm(pod: Pod, t: PodAffinityTerm): AffinityTerm {
  let sel = t.labelSelector;
  const labels = pod.metadata.labels ?? {};
  const extra: { key: string; operator: string; values: string[] }[] = [];
  for (const k of t.matchLabelKeys ?? []) if (k in labels) extra.push({ key: k, operator: 'In', values: [labels[k]!] });
  for (const k of t.mismatchLabelKeys ?? []) if (k in labels) extra.push({ key: k, operator: 'NotIn', values: [labels[k]!] });
  if (extra.length && sel) sel = { ...sel, matchExpressions: [...(sel.matchExpressions ?? []), ...extra] };
  // No namespaces and no namespaceSelector means "the pod's own namespace".
  const namespaces = new Set(t.namespaces ?? []);
  if (namespaces.size === 0 && t.namespaceSelector == null) namespaces.add(pod.metadata.namespace ?? '');
  return new AffinityTerm(namespaces, selector(sel), t.topologyKey, selector(t.namespaceSelector));
}

export class PodInfo {
  readonly requiredAffinityTerms: readonly AffinityTerm[];
  readonly requiredAntiAffinityTerms: readonly AffinityTerm[];
  readonly preferredAffinityTerms: readonly WeightedAffinityTerm[];
  readonly preferredAntiAffinityTerms: readonly WeightedAffinityTerm[];
  /** The pod's request (as NodeInfo accounts it) and its non-zero cpu/memory for scoring. */
  readonly request: Resource;
  readonly nonZeroMilliCPU: number;
  readonly nonZeroMemory: number;

  constructor(readonly pod: Pod) {
    const aff = pod.spec.affinity;
    const req = (terms: PodAffinityTerm[] | undefined) => (terms ?? []).map((t) => newAffinityTerm(pod, t));
    this.requiredAffinityTerms = req(aff?.podAffinity?.requiredDuringSchedulingIgnoredDuringExecution);
    this.requiredAntiAffinityTerms = req(aff?.podAntiAffinity?.requiredDuringSchedulingIgnoredDuringExecution);
    const pref = (terms: { weight: number; podAffinityTerm: PodAffinityTerm }[] | undefined) =>
      (terms ?? []).filter((w) => w.weight !== 0).map((w) => ({ weight: w.weight, term: newAffinityTerm(pod, w.podAffinityTerm) }));
    this.preferredAffinityTerms = pref(aff?.podAffinity?.preferredDuringSchedulingIgnoredDuringExecution);
    this.preferredAntiAffinityTerms = pref(aff?.podAntiAffinity?.preferredDuringSchedulingIgnoredDuringExecution);
    this.request = podRequests(pod);
    const nz = podRequests(pod, true);
    this.nonZeroMilliCPU = nz.milliCPU;
    this.nonZeroMemory = nz.memory;
  }

  hasAffinity(): boolean {
    const a = this.pod.spec.affinity;
    return !!(a && (a.podAffinity || a.podAntiAffinity));
  }

  hasRequiredAntiAffinity(): boolean {
    return this.requiredAntiAffinityTerms.length > 0;
  }
}
