// A node and what is placed on it (upstream framework.NodeInfo): its pods, the resources they
// request, host ports in use, images present, and which pods carry (anti-)affinity. The cache bumps
// `generation` on every change so snapshots copy only NodeInfos that changed.
import type { Node, Pod, Taint } from '../types.js';
import { nodeName, podKey } from '../types.js';
import { HostPortInfo, podHostPorts } from './host-ports.js';
import { PodInfo } from './pod-info.js';
import { Resource } from './resource.js';

export interface ImageStateSummary {
  /** Image size in bytes. */
  size: number;
  /** How many nodes have this image. */
  numNodes: number;
}

let generation = 0;
/** The next global generation number (upstream nextGeneration). */
export function nextGeneration(): number {
  return ++generation;
}

export class NodeInfo {
  node: Node | undefined;
  /**
   * The node's name ('' while only pods are known: the node object was deleted or not seen yet),
   * and the spec fields every pod's filters read. Kept here because the filter loop visits hundreds
   * of nodes per pod and is bound by memory reads: these save it three objects per node.
   */
  name = '';
  unschedulable = false;
  taints: readonly Taint[] | undefined = undefined;
  pods: PodInfo[] = [];
  podsWithAffinity: PodInfo[] = [];
  podsWithRequiredAntiAffinity: PodInfo[] = [];
  usedPorts = new HostPortInfo();
  /** Sum of the pods' requests. */
  requested = new Resource();
  /** Like requested, but containers without cpu/memory requests count the scoring defaults. */
  nonZeroRequested = new Resource();
  allocatable = new Resource();
  imageStates = new Map<string, ImageStateSummary>();
  generation = nextGeneration();
  /**
   * Copies of the figures the resource filter and scorers read for every node: room left
   * (allocatable − requested, and pod slots), and cpu/memory allocatable, requested and non-zero
   * requested. Kept current by every change. The filter and score loops visit hundreds of nodes per
   * pod and are bound by memory reads; these spare them the pods list and three Resource objects.
   */
  freeMilliCPU = 0;
  freeMemory = 0;
  freeEphemeralStorage = 0;
  freePods = 0;
  allocMilliCPU = 0;
  allocMemory = 0;
  reqMilliCPU = 0;
  reqMemory = 0;
  nonZeroMilliCPU = 0;
  nonZeroMemory = 0;

  constructor(...pods: Pod[]) {
    for (const p of pods) this.addPod(p);
  }

  setNode(node: Node): void {
    this.node = node;
    this.name = nodeName(node);
    this.unschedulable = !!node.spec?.unschedulable;
    this.taints = node.spec?.taints;
    this.allocatable = Resource.fromList(node.status?.allocatable);
    this.refreshFree();
    this.generation = nextGeneration();
  }

  private refreshFree(): void {
    const a = this.allocatable, r = this.requested;
    this.freeMilliCPU = a.milliCPU - r.milliCPU;
    this.freeMemory = a.memory - r.memory;
    this.freeEphemeralStorage = a.ephemeralStorage - r.ephemeralStorage;
    this.freePods = a.allowedPodNumber - this.pods.length;
    this.allocMilliCPU = a.milliCPU;
    this.allocMemory = a.memory;
    this.reqMilliCPU = r.milliCPU;
    this.reqMemory = r.memory;
    this.nonZeroMilliCPU = this.nonZeroRequested.milliCPU;
    this.nonZeroMemory = this.nonZeroRequested.memory;
  }

  removeNode(): void {
    this.node = undefined;
    this.name = '';
    this.unschedulable = false;
    this.taints = undefined;
    this.generation = nextGeneration();
  }

  addPod(pod: Pod): void {
    this.addPodInfo(new PodInfo(pod));
  }

  addPodInfo(pi: PodInfo): void {
    this.pods.push(pi);
    if (pi.hasAffinity()) this.podsWithAffinity.push(pi);
    if (pi.hasRequiredAntiAffinity()) this.podsWithRequiredAntiAffinity.push(pi);
    this.update(pi, 1);
  }

  /** Removes the pod (matched by key); false when it is not on this node. */
  removePod(pod: Pod): boolean {
    const key = podKey(pod);
    const i = this.pods.findIndex((p) => podKey(p.pod) === key);
    if (i < 0) return false;
    const pi = this.pods[i]!;
    // Order does not matter to the scheduler: swap-remove like upstream.
    this.pods[i] = this.pods[this.pods.length - 1]!;
    this.pods.pop();
    const drop = (list: PodInfo[]) => {
      const j = list.findIndex((p) => podKey(p.pod) === key);
      if (j >= 0) {
        list[j] = list[list.length - 1]!;
        list.pop();
      }
    };
    drop(this.podsWithAffinity);
    drop(this.podsWithRequiredAntiAffinity);
    this.update(pi, -1);
    return true;
  }

  private update(pi: PodInfo, sign: 1 | -1): void {
    if (sign > 0) this.requested.add(pi.request);
    else this.requested.sub(pi.request);
    this.nonZeroRequested.milliCPU += sign * pi.nonZeroMilliCPU;
    this.nonZeroRequested.memory += sign * pi.nonZeroMemory;
    for (const p of podHostPorts(pi.pod)) {
      if (sign > 0) this.usedPorts.add(p.hostIP, p.protocol, p.hostPort!);
      else this.usedPorts.remove(p.hostIP, p.protocol, p.hostPort!);
    }
    this.refreshFree();
    this.generation = nextGeneration();
  }

  /** A copy whose lists and counters may be changed without touching this one (PodInfos are shared). */
  clone(): NodeInfo {
    const c = Object.create(NodeInfo.prototype) as NodeInfo;
    c.node = this.node;
    c.name = this.name;
    c.unschedulable = this.unschedulable;
    c.taints = this.taints;
    c.pods = this.pods.slice();
    c.podsWithAffinity = this.podsWithAffinity.slice();
    c.podsWithRequiredAntiAffinity = this.podsWithRequiredAntiAffinity.slice();
    c.usedPorts = this.usedPorts.size ? this.usedPorts.clone() : new HostPortInfo();
    c.requested = this.requested.clone();
    c.nonZeroRequested = this.nonZeroRequested.clone();
    c.allocatable = this.allocatable;
    c.imageStates = this.imageStates;
    c.generation = this.generation;
    c.freeMilliCPU = this.freeMilliCPU;
    c.freeMemory = this.freeMemory;
    c.freeEphemeralStorage = this.freeEphemeralStorage;
    c.freePods = this.freePods;
    c.allocMilliCPU = this.allocMilliCPU;
    c.allocMemory = this.allocMemory;
    c.reqMilliCPU = this.reqMilliCPU;
    c.reqMemory = this.reqMemory;
    c.nonZeroMilliCPU = this.nonZeroMilliCPU;
    c.nonZeroMemory = this.nonZeroMemory;
    return c;
  }
}
