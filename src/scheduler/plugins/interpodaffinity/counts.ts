// Matching-term counts per topology pair ("key\0value"), shared by filtering and preemption updates.
import type { AffinityTerm, Handle } from '../../framework/index.js';
import type { Node, Pod } from '../../types.js';

export class TopologyCounts {
  /** topologyKey → value → count; nested maps avoid building a pair string per lookup. */
  private readonly m = new Map<string, Map<string, number>>();
  private pairs = 0;

  get(key: string, value: string): number {
    return this.m.get(key)?.get(value) ?? 0;
  }

  /** Whether any pair under this topology key is counted. */
  hasKey(key: string): boolean {
    return this.m.has(key);
  }

  add(key: string, value: string, delta: number): void {
    let vals = this.m.get(key);
    if (!vals) this.m.set(key, (vals = new Map()));
    const before = vals.get(value);
    const v = (before ?? 0) + delta;
    if (v === 0) {
      if (before !== undefined) this.pairs--;
      vals.delete(value);
      if (vals.size === 0) this.m.delete(key);
    } else {
      if (before === undefined) this.pairs++;
      vals.set(value, v);
    }
  }

  /** Number of counted topology pairs. */
  get size(): number {
    return this.pairs;
  }

  /** Topology keys with counts, for lookups driven by the counts rather than a node's labels. */
  keys(): IterableIterator<string> {
    return this.m.keys();
  }

  clone(): TopologyCounts {
    const c = new TopologyCounts();
    for (const [k, vals] of this.m) c.m.set(k, new Map(vals));
    c.pairs = this.pairs;
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

/**
 * The handle's namespace labels, looked up once per namespace: PreFilter and PreScore visit every
 * placed pod, and nearly all of them share a few namespaces.
 */
export function namespaceLabelsMemo(h: Handle): (namespace: string) => Record<string, string> | undefined {
  const memo = new Map<string, Record<string, string> | undefined>();
  return (ns) => {
    if (memo.has(ns)) return memo.get(ns);
    const labels = h.namespaceLabels?.(ns);
    memo.set(ns, labels);
    return labels;
  };
}
