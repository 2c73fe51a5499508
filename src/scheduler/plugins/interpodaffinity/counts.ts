// Matching-term counts per topology pair ("key\0value"), shared by filtering and preemption updates.
import type { AffinityTerm } from '../../framework/index.js';
import type { Node, Pod } from '../../types.js';

export class TopologyCounts {
  readonly m = new Map<string, number>();

  static pair(key: string, value: string): string {
    return `${key}\u0000${value}`;
  }

  get(key: string, value: string): number {
    return this.m.get(TopologyCounts.pair(key, value)) ?? 0;
  }

  add(key: string, value: string, delta: number): void {
    const p = TopologyCounts.pair(key, value);
    const v = (this.m.get(p) ?? 0) + delta;
    if (v === 0) this.m.delete(p);
    else this.m.set(p, v);
  }

  get size(): number {
    return this.m.size;
  }

  clone(): TopologyCounts {
    const c = new TopologyCounts();
    for (const [k, v] of this.m) c.m.set(k, v);
    return c;
  }

  /** For each term that matches `pod`, counts the node's topology pair (upstream updateWithAntiAffinityTerms). */
  updateWithAntiAffinityTerms(terms: readonly AffinityTerm[], pod: Pod, nsLabels: Record<string, string> | undefined, node: Node, delta: number): void {
    const labels = node.metadata.labels ?? {};
    for (const t of terms) {
      if (!t.matches(pod, nsLabels)) continue;
      if (Object.hasOwn(labels, t.topologyKey)) this.add(t.topologyKey, labels[t.topologyKey]!, delta);
    }
  }

  /** When `pod` matches every term, counts the node's pair for each term (upstream updateWithAffinityTerms). */
  updateWithAffinityTerms(terms: readonly AffinityTerm[], pod: Pod, nsLabels: Record<string, string> | undefined, node: Node, delta: number): void {
    if (!matchesAllTerms(terms, pod, nsLabels)) return;
    const labels = node.metadata.labels ?? {};
    for (const t of terms) if (Object.hasOwn(labels, t.topologyKey)) this.add(t.topologyKey, labels[t.topologyKey]!, delta);
  }
}

export function matchesAllTerms(terms: readonly AffinityTerm[], pod: Pod, nsLabels: Record<string, string> | undefined): boolean {
  if (terms.length === 0) return false;
  for (const t of terms) if (!t.matches(pod, nsLabels)) return false;
  return true;
}
