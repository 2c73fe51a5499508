// Node names grouped by zone, listed round-robin across zones (upstream cache.nodeTree) so that
// filtering a fraction of the nodes still samples every zone.
import type { Node } from '../types.js';
import { nodeName } from '../types.js';

/** "region:\0:zone" from the topology labels; '' when the node has neither. */
export function zoneKey(node: Node): string {
  const l = node.metadata.labels ?? {};
  const region = l['topology.kubernetes.io/region'] ?? l['failure-domain.beta.kubernetes.io/region'] ?? '';
  const zone = l['topology.kubernetes.io/zone'] ?? l['failure-domain.beta.kubernetes.io/zone'] ?? '';
  return region || zone ? `${region}:\u0000:${zone}` : '';
}

export class NodeTree {
  private tree = new Map<string, string[]>();
  private zones: string[] = [];
  numNodes = 0;

  add(node: Node): void {
    const zone = zoneKey(node);
    const name = nodeName(node);
    let names = this.tree.get(zone);
    if (!names) {
      this.tree.set(zone, (names = []));
      this.zones.push(zone);
    }
    if (names.includes(name)) return;
    names.push(name);
    this.numNodes++;
  }

  remove(node: Node): boolean {
    const zone = zoneKey(node);
    const names = this.tree.get(zone);
    const i = names?.indexOf(nodeName(node)) ?? -1;
    if (!names || i < 0) return false;
    names.splice(i, 1);
    if (names.length === 0) {
      this.tree.delete(zone);
      this.zones.splice(this.zones.indexOf(zone), 1);
    }
    this.numNodes--;
    return true;
  }

  update(old: Node | undefined, node: Node): void {
    if (old && zoneKey(old) === zoneKey(node)) return;
    if (old) this.remove(old);
    this.add(node);
  }

  /** Every node name, taking one from each zone in turn. */
  list(): string[] {
    const out: string[] = [];
    const lists = this.zones.map((z) => this.tree.get(z)!);
    for (let i = 0; out.length < this.numNodes; i++) for (const l of lists) if (i < l.length) out.push(l[i]!);
    return out;
  }
}
