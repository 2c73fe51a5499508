// Pods nominated to a node by preemption, waiting for their victims to leave (upstream nominator).
// Filters count them on their node so lower-priority pods do not take the freed room.
import type { PodInfo, PodNominator } from '../framework/index.js';
import type { Pod } from '../types.js';
import { podKey } from '../types.js';

/** What nominatedPodsForNode returns for most nodes: one shared empty list, not one per call. */
const NONE: readonly PodInfo[] = Object.freeze([]);

export class Nominator implements PodNominator {
  private byNode = new Map<string, PodInfo[]>();
  private podToNode = new Map<string, string>();

  /** Records pi's nomination: nodeName if given, else the pod's status.nominatedNodeName. */
  add(pi: PodInfo, nodeName?: string): void {
    this.delete(pi.pod);
    const node = nodeName ?? pi.pod.status?.nominatedNodeName ?? '';
    if (!node || pi.pod.spec.nodeName) return;
    const key = podKey(pi.pod);
    this.podToNode.set(key, node);
    const list = this.byNode.get(node) ?? [];
    if (!list.some((p) => podKey(p.pod) === key)) list.push(pi);
    this.byNode.set(node, list);
  }

  delete(pod: Pod): void {
    const key = podKey(pod);
    const node = this.podToNode.get(key);
    if (node === undefined) return;
    this.podToNode.delete(key);
    const list = (this.byNode.get(node) ?? []).filter((p) => podKey(p.pod) !== key);
    if (list.length) this.byNode.set(node, list);
    else this.byNode.delete(node);
  }

  /** Keeps a nomination across an update unless the new pod carries a different one (upstream UpdateNominatedPod). */
  update(oldPod: Pod, pi: PodInfo): void {
    const kept = this.podToNode.get(podKey(oldPod));
    const explicit = pi.pod.status?.nominatedNodeName;
    this.add(pi, explicit || kept);
  }

  nominatedNodeFor(pod: Pod): string | undefined {
    return this.podToNode.get(podKey(pod));
  }

  nominatedPodsForNode(nodeName: string): readonly PodInfo[] {
    return this.byNode.get(nodeName) ?? NONE;
  }

  hasNominatedPods(): boolean {
    return this.byNode.size > 0;
  }
}
