// Scoring by how much of a node's resources the pod would use (upstream noderesources
// resourceAllocationScorer): per resource the node's allocatable and its requested amount including
// the incoming pod, handed to a strategy-specific scorer.
import type { NodeInfo, Resource } from '../../framework/index.js';
import { CPU, EPHEMERAL_STORAGE, MEMORY, isScalarResourceName, podRequests } from '../../framework/index.js';
import type { Pod } from '../../types.js';

export interface ResourceSpec {
  name: string;
  weight: number;
}

export type Scorer = (requested: number[], allocatable: number[]) => number;

/** The incoming pod's request per resource; nonZero uses the 100m/200Mi defaults for cpu/memory. */
export function podRequestVector(pod: Pod, resources: readonly ResourceSpec[], useRequested: boolean): number[] {
  const r: Resource = podRequests(pod, !useRequested);
  return resources.map((s) => r.get(s.name));
}

// Scratch vectors for scoreNode: scoring is synchronous and scorers do not keep their arguments,
// so one pair serves every call instead of three small arrays per node per plugin.
let scratchRequested: number[] = [];
let scratchAllocatable: number[] = [];

/**
 * Scores the node with the pod added: per resource its allocatable and requested amount (both 0 to
 * skip the resource), handed to the scorer.
 */
export function scoreNode(nodeInfo: NodeInfo, podRequest: readonly number[], resources: readonly ResourceSpec[], useRequested: boolean, scorer: Scorer): number {
  const n = resources.length;
  if (scratchRequested.length !== n) {
    scratchRequested = new Array<number>(n).fill(0);
    scratchAllocatable = new Array<number>(n).fill(0);
  }
  const requestedVec = scratchRequested, allocatableVec = scratchAllocatable;
  for (let i = 0; i < n; i++) {
    const resource = resources[i]!.name;
    const podRequestI = podRequest[i]!;
    let a = 0, r = 0;
    // cpu and memory from the NodeInfo's own copies (see NodeInfo.allocMilliCPU).
    switch (resource) {
      case CPU: a = nodeInfo.allocMilliCPU; r = (useRequested ? nodeInfo.reqMilliCPU : nodeInfo.nonZeroMilliCPU) + podRequestI; break;
      case MEMORY: a = nodeInfo.allocMemory; r = (useRequested ? nodeInfo.reqMemory : nodeInfo.nonZeroMemory) + podRequestI; break;
      case EPHEMERAL_STORAGE: a = nodeInfo.allocatable.ephemeralStorage; r = nodeInfo.requested.ephemeralStorage + podRequestI; break;
      default: {
        // Extended resources the pod does not ask for do not count either way.
        if (podRequestI === 0 && isScalarResourceName(resource)) break;
        const alloc = nodeInfo.allocatable;
        if (alloc.scalar?.has(resource)) {
          a = alloc.getScalar(resource);
          r = nodeInfo.requested.getScalar(resource) + podRequestI;
        }
      }
    }
    allocatableVec[i] = a;
    requestedVec[i] = r;
  }
  return scorer(requestedVec, allocatableVec);
}
