// A point-in-time view of the cluster for one scheduling cycle (upstream cache.Snapshot). The
// cache refreshes it in place, copying only NodeInfos that changed since its generation.
import type { NodeInfoLister } from '../framework/index.js';
import { NodeInfo } from '../framework/index.js';
import type { Node, Pod } from '../types.js';
import { nodeName } from '../types.js';
import { normalizedImageName } from '../plugins/imagelocality/index.js';

export class Snapshot implements NodeInfoLister {
  nodeInfoMap = new Map<string, NodeInfo>();
  nodeInfoList: NodeInfo[] = [];
  podsWithAffinityList: NodeInfo[] = [];
  podsWithRequiredAntiAffinityList: NodeInfo[] = [];
  /** The cache generation this snapshot reflects. */
  generation = 0;

  /** A snapshot straight from objects, for tests and tools (upstream NewSnapshot). */
  static from(pods: readonly Pod[], nodes: readonly Node[]): Snapshot {
    const s = new Snapshot();
    for (const n of nodes) {
      const ni = new NodeInfo();
      ni.setNode(n);
      s.nodeInfoMap.set(nodeName(n), ni);
    }
    for (const p of pods) {
      const name = p.spec.nodeName;
      if (!name) continue;
      let ni = s.nodeInfoMap.get(name);
      if (!ni) s.nodeInfoMap.set(name, (ni = new NodeInfo()));
      ni.addPod(p);
    }
    for (const n of nodes) s.nodeInfoList.push(s.nodeInfoMap.get(nodeName(n))!);
    // Image states as the cache computes them: size and how many nodes have each image.
    const counts = new Map<string, number>();
    for (const n of nodes) for (const img of n.status?.images ?? []) for (const raw of img.names ?? []) {
      const name = normalizedImageName(raw);
      counts.set(name, (counts.get(name) ?? 0) + 1);
    }
    for (const n of nodes) {
      const states = s.nodeInfoMap.get(nodeName(n))!.imageStates = new Map();
      for (const img of n.status?.images ?? []) for (const raw of img.names ?? []) {
        const name = normalizedImageName(raw);
        states.set(name, { size: img.sizeBytes ?? 0, numNodes: counts.get(name)! });
      }
    }
    s.rebuildAffinityLists();
    return s;
  }

  rebuildAffinityLists(): void {
    this.podsWithAffinityList = this.nodeInfoList.filter((n) => n.podsWithAffinity.length > 0);
    this.podsWithRequiredAntiAffinityList = this.nodeInfoList.filter((n) => n.podsWithRequiredAntiAffinity.length > 0);
  }

  list(): readonly NodeInfo[] { return this.nodeInfoList; }
  havePodsWithAffinityList(): readonly NodeInfo[] { return this.podsWithAffinityList; }
  havePodsWithRequiredAntiAffinityList(): readonly NodeInfo[] { return this.podsWithRequiredAntiAffinityList; }
  get(name: string): NodeInfo | undefined { return this.nodeInfoMap.get(name); }
  numNodes(): number { return this.nodeInfoList.length; }
}
