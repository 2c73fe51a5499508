// The scheduler cache (upstream backend/cache): nodes and the pods on them as the informers report
// them, plus pods the scheduler has assumed onto a node before their binding is confirmed. Every
// change moves the NodeInfo to the head of a recency list with a fresh generation, so
// updateSnapshot copies only what changed since the snapshot's generation.
import { realClock } from '../../util/clock.js';
import type { Clock, Timer } from '../../util/clock.js';
import type { ImageStateSummary } from '../framework/index.js';
import { NodeInfo } from '../framework/index.js';
import type { Node, Pod } from '../types.js';
import { nodeName, podKey, podName } from '../types.js';
import { NodeTree } from './node-tree.js';
import type { Snapshot } from './snapshot.js';
import { normalizedImageName } from '../plugins/imagelocality/index.js';

interface Item {
  info: NodeInfo;
  prev: Item | undefined;
  next: Item | undefined;
}

interface PodState {
  pod: Pod;
  /** When an assumed pod whose binding finished expires (ms since epoch). */
  deadline?: number;
  bindingFinished: boolean;
}

export interface CacheOptions {
  clock?: Clock;
  /** How long an assumed pod may wait for its binding to be confirmed after binding finished; 0 = forever. Default 15 min. */
  assumedPodTTLMs?: number;
}

export class Cache {
  private readonly clock: Clock;
  private readonly ttl: number;
  private nodes = new Map<string, Item>();
  private head: Item | undefined;
  private tree = new NodeTree();
  private podStates = new Map<string, PodState>();
  private assumed = new Set<string>();
  private images = new Map<string, { size: number; nodes: Set<string> }>();
  private timer: Timer | undefined;
  /** A node left since the last updateSnapshot (its entry must go even if another node came). */
  private nodesRemoved = false;

  constructor(opts: CacheOptions = {}) {
    this.clock = opts.clock ?? realClock;
    this.ttl = opts.assumedPodTTLMs ?? 15 * 60_000;
  }

  // ---- nodes ----

  addNode(node: Node): void {
    const name = nodeName(node);
    const item = this.nodes.get(name);
    const old = item?.info.node;
    const info = item?.info ?? new NodeInfo();
    if (old) this.removeNodeImages(old);
    this.tree.update(old, node);
    this.addNodeImages(node, info);
    info.setNode(node);
    this.touch(name, info);
  }

  updateNode(_old: Node, node: Node): void {
    this.addNode(node);
  }

  /** Removes the node; its NodeInfo lingers while pods still point at it (upstream RemoveNode). */
  removeNode(node: Node): void {
    const name = nodeName(node);
    const item = this.nodes.get(name);
    if (!item) return;
    this.removeNodeImages(node);
    this.tree.remove(node);
    this.nodesRemoved = true;
    if (item.info.pods.length === 0) this.unlink(name, item);
    else {
      item.info.removeNode();
      this.touch(name, item.info);
    }
  }

  private addNodeImages(node: Node, info: NodeInfo): void {
    const name = nodeName(node);
    const states = new Map<string, ImageStateSummary>();
    for (const img of node.status?.images ?? []) {
      for (const raw of img.names ?? []) {
        const n = normalizedImageName(raw);
        let st = this.images.get(n);
        if (!st) this.images.set(n, (st = { size: img.sizeBytes ?? 0, nodes: new Set() }));
        st.nodes.add(name);
        // The summary is live: numNodes follows other nodes gaining or losing the image.
        const images = this.images;
        states.set(n, { size: st.size, get numNodes() { return images.get(n)?.nodes.size ?? 0; } });
      }
    }
    info.imageStates = states;
  }

  private removeNodeImages(node: Node): void {
    const name = nodeName(node);
    for (const img of node.status?.images ?? []) {
      for (const raw of img.names ?? []) {
        const n = normalizedImageName(raw);
        const st = this.images.get(n);
        if (!st) continue;
        st.nodes.delete(name);
        if (st.nodes.size === 0) this.images.delete(n);
      }
    }
  }

  // ---- recency list ----

  private touch(name: string, info: NodeInfo): void {
    let item = this.nodes.get(name);
    if (!item) {
      item = { info, prev: undefined, next: undefined };
      this.nodes.set(name, item);
    } else if (item !== this.head) {
      if (item.prev) item.prev.next = item.next;
      if (item.next) item.next.prev = item.prev;
      item.prev = undefined;
      item.next = undefined;
    } else {
      return;
    }
    item.next = this.head;
    if (this.head) this.head.prev = item;
    this.head = item;
  }

  private unlink(name: string, item: Item): void {
    if (item.prev) item.prev.next = item.next;
    if (item.next) item.next.prev = item.prev;
    if (this.head === item) this.head = item.next;
    this.nodes.delete(name);
  }

  private nodeInfoFor(name: string): NodeInfo {
    let item = this.nodes.get(name);
    if (!item) {
      this.touch(name, new NodeInfo());
      item = this.nodes.get(name)!;
    }
    return item.info;
  }

  // ---- pods ----

  private addPodToNode(pod: Pod): void {
    const name = pod.spec.nodeName ?? '';
    const info = this.nodeInfoFor(name);
    info.addPod(pod);
    this.touch(name, info);
  }

  private removePodFromNode(pod: Pod): void {
    const name = pod.spec.nodeName ?? '';
    const item = this.nodes.get(name);
    if (!item) return;
    item.info.removePod(pod);
    if (item.info.pods.length === 0 && !item.info.node) this.unlink(name, item);
    else this.touch(name, item.info);
  }

  /** Places pod (with spec.nodeName set to the chosen node) before the API confirms the binding. */
  assumePod(pod: Pod): void {
    const key = podKey(pod);
    if (this.podStates.has(key)) throw new Error(`pod ${podName(pod)} (${key}) is in the cache, so can't be assumed`);
    this.addPodToNode(pod);
    this.podStates.set(key, { pod, bindingFinished: false });
    this.assumed.add(key);
  }

  /** The bind call returned: start the assumed pod's expiry clock. */
  finishBinding(pod: Pod): void {
    const key = podKey(pod);
    const st = this.podStates.get(key);
    if (st && this.assumed.has(key)) {
      st.bindingFinished = true;
      if (this.ttl > 0) st.deadline = this.clock.now() + this.ttl;
    }
  }

  /** Undoes assumePod (binding failed). */
  forgetPod(pod: Pod): void {
    const key = podKey(pod);
    const st = this.podStates.get(key);
    if (st && st.pod.spec.nodeName !== pod.spec.nodeName) {
      throw new Error(`pod ${podName(pod)} (${key}) was assumed on ${pod.spec.nodeName} but assigned to ${st.pod.spec.nodeName}`);
    }
    if (st && this.assumed.has(key)) {
      this.removePodFromNode(st.pod);
      this.podStates.delete(key);
      this.assumed.delete(key);
      return;
    }
    throw new Error(`pod ${podName(pod)} (${key}) wasn't assumed so cannot be forgotten`);
  }

  /** A bound pod seen by the informer: confirms an assumed pod or adds it (again, if it expired). */
  addPod(pod: Pod): void {
    const key = podKey(pod);
    const st = this.podStates.get(key);
    if (st && this.assumed.has(key)) {
      // Confirmed; the watch copy wins, also when it landed on another node.
      this.removePodFromNode(st.pod);
      this.addPodToNode(pod);
      this.assumed.delete(key);
      this.podStates.set(key, { pod, bindingFinished: false });
      return;
    }
    if (st) throw new Error(`pod ${podName(pod)} (${key}) was already in added state`);
    this.addPodToNode(pod);
    this.podStates.set(key, { pod, bindingFinished: false });
  }

  updatePod(oldPod: Pod, pod: Pod): void {
    const key = podKey(oldPod);
    const st = this.podStates.get(key);
    if (!st) throw new Error(`pod ${podName(oldPod)} (${key}) is not added to scheduler cache, so cannot be updated`);
    if (this.assumed.has(key)) throw new Error(`assumed pod ${podName(oldPod)} (${key}) should not be updated`);
    this.removePodFromNode(st.pod);
    this.addPodToNode(pod);
    st.pod = pod;
  }

  removePod(pod: Pod): void {
    const key = podKey(pod);
    const st = this.podStates.get(key);
    if (!st) throw new Error(`pod ${podName(pod)} (${key}) is not found in scheduler cache, so cannot be removed from it`);
    this.removePodFromNode(st.pod);
    this.podStates.delete(key);
    this.assumed.delete(key);
  }

  isAssumedPod(pod: Pod): boolean {
    return this.assumed.has(podKey(pod));
  }

  getPod(pod: Pod): Pod | undefined {
    return this.podStates.get(podKey(pod))?.pod;
  }

  /** Drops assumed pods whose binding finished longer than the TTL ago (upstream cleanupAssumedPods). */
  cleanupAssumedPods(now = this.clock.now()): Pod[] {
    const expired: Pod[] = [];
    for (const key of this.assumed) {
      const st = this.podStates.get(key)!;
      if (!st.bindingFinished || st.deadline === undefined || now < st.deadline) continue;
      expired.push(st.pod);
      this.removePodFromNode(st.pod);
      this.podStates.delete(key);
      this.assumed.delete(key);
    }
    return expired;
  }

  /** Runs cleanupAssumedPods every periodMs until stop() (upstream: every second). */
  run(periodMs = 1000): void {
    this.stop();
    const tick = () => {
      this.cleanupAssumedPods();
      this.timer = this.clock.setTimer(periodMs, tick);
    };
    this.timer = this.clock.setTimer(periodMs, tick);
  }

  stop(): void {
    this.timer?.cancel();
    this.timer = undefined;
  }

  nodeCount(): number {
    return this.tree.numNodes;
  }

  podCount(): number {
    return this.podStates.size;
  }

  assumedPodCount(): number {
    return this.assumed.size;
  }

  /**
   * Brings snapshot up to date, copying only NodeInfos with a newer generation (upstream
   * UpdateSnapshot). NodeInfo objects in the snapshot are updated in place so its lists stay valid.
   */
  updateSnapshot(snapshot: Snapshot): void {
    const since = snapshot.generation;
    let updateAll = false;
    let updateAffinity = false;
    for (let item = this.head; item && item.info.generation > since; item = item.next) {
      const node = item.info.node;
      if (!node) continue;
      const name = nodeName(node);
      let existing = snapshot.nodeInfoMap.get(name);
      const clone = item.info.clone();
      if (!existing) {
        updateAll = true;
        existing = clone;
        snapshot.nodeInfoMap.set(name, existing);
      } else {
        if ((existing.podsWithAffinity.length > 0) !== (clone.podsWithAffinity.length > 0)) updateAffinity = true;
        if ((existing.podsWithRequiredAntiAffinity.length > 0) !== (clone.podsWithRequiredAntiAffinity.length > 0)) updateAffinity = true;
        Object.assign(existing, clone);
      }
    }
    if (this.head) snapshot.generation = this.head.info.generation;
    // Deleted nodes leave the tree; drop them (and any kept only for their pods) from the snapshot.
    if (this.nodesRemoved || snapshot.nodeInfoMap.size > this.tree.numNodes) {
      this.nodesRemoved = false;
      for (const name of [...snapshot.nodeInfoMap.keys()]) {
        if (!this.nodes.get(name)?.info.node) snapshot.nodeInfoMap.delete(name);
      }
      updateAll = true;
    }
    if (updateAll) snapshot.nodeInfoList = this.tree.list().map((n) => snapshot.nodeInfoMap.get(n)).filter((x): x is NodeInfo => !!x);
    if (updateAll || updateAffinity) snapshot.rebuildAffinityLists();
  }

}
