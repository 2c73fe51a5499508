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

/** [allocatable, requested] of one resource on the node with the pod added; [0, 0] skips it. */
function allocatableAndRequested(nodeInfo: NodeInfo, resource: string, podRequest: number, useRequested: boolean): [number, number] {
  const requested = useRequested ? nodeInfo.requested : nodeInfo.nonZeroRequested;
  // Extended resources the pod does not ask for do not count either way.
  if (podRequest === 0 && isScalarResourceName(resource)) return [0, 0];
  switch (resource) {
    case CPU: return [nodeInfo.allocatable.milliCPU, requested.milliCPU + podRequest];
    case MEMORY: return [nodeInfo.allocatable.memory, requested.memory + podRequest];
    case EPHEMERAL_STORAGE: return [nodeInfo.allocatable.ephemeralStorage, nodeInfo.requested.ephemeralStorage + podRequest];
    default:
      if (nodeInfo.allocatable.scalar?.has(resource)) return [nodeInfo.allocatable.getScalar(resource), nodeInfo.requested.getScalar(resource) + podRequest];
      return [0, 0];
  }
}

export function scoreNode(nodeInfo: NodeInfo, podRequest: readonly number[], resources: readonly ResourceSpec[], useRequested: boolean, scorer: Scorer): number {
  const requested: number[] = new Array(resources.length);
  const allocatable: number[] = new Array(resources.length);
  for (let i = 0; i < resources.length; i++) {
    const [a, r] = allocatableAndRequested(nodeInfo, resources[i]!.name, podRequest[i]!, useRequested);
    allocatable[i] = a;
    requested[i] = r;
  }
  return scorer(requested, allocatable);
}
