// NodeResourcesFit (upstream noderesources/fit.go): Filter checks the node has room for the pod's
// requests and one more pod; Score applies the configured strategy (LeastAllocated by default).
import type {
  ClusterEvent, EnqueueExtensions, FilterPlugin, Handle, NodeInfo, PreFilterPlugin, PreScorePlugin, Resource, ScorePlugin,
} from '../../framework/index.js';
import { Status, isExtendedResourceName, podRequests } from '../../framework/index.js';
import type { ResourceSpec, Scorer } from '../helper/resource-allocation.js';
import { podRequestVector, scoreNode } from '../helper/resource-allocation.js';
import type { ShapePoint } from './scorers.js';
import { leastAllocated, mostAllocated, requestedToCapacityRatio } from './scorers.js';

export const name = 'NodeResourcesFit';
const PRE_FILTER_KEY = `PreFilter${name}`;
const PRE_SCORE_KEY = `PreScore${name}`;

export interface NodeResourcesFitArgs {
  ignoredResources?: string[];
  ignoredResourceGroups?: string[];
  scoringStrategy?: {
    type?: 'LeastAllocated' | 'MostAllocated' | 'RequestedToCapacityRatio';
    resources?: ResourceSpec[];
    requestedToCapacityRatio?: { shape?: ShapePoint[] };
  };
}

export const DEFAULT_RESOURCES: ResourceSpec[] = [{ name: 'cpu', weight: 1 }, { name: 'memory', weight: 1 }];

class RequestState {
  constructor(readonly request: Resource) {}
  clone() { return this; }
}

class ScoreState {
  constructor(readonly request: number[]) {}
  clone() { return this; }
}

export interface InsufficientResource {
  resourceName: string;
  reason: string;
  requested: number;
  used: number;
  capacity: number;
}

/** What the node lacks for the pod (upstream fitsRequest), in upstream's order: pods, cpu, memory, ephemeral-storage, others. */
export function fitsRequest(req: Resource, nodeInfo: NodeInfo, ignored: ReadonlySet<string> = new Set(), ignoredGroups: ReadonlySet<string> = new Set()): InsufficientResource[] {
  const out: InsufficientResource[] = [];
  const alloc = nodeInfo.allocatable, used = nodeInfo.requested;
  if (nodeInfo.pods.length + 1 > alloc.allowedPodNumber) {
    out.push({ resourceName: 'pods', reason: 'Too many pods', requested: 1, used: nodeInfo.pods.length, capacity: alloc.allowedPodNumber });
  }
  if (req.isZero()) return out;
  if (req.milliCPU > 0 && req.milliCPU > alloc.milliCPU - used.milliCPU) {
    out.push({ resourceName: 'cpu', reason: 'Insufficient cpu', requested: req.milliCPU, used: used.milliCPU, capacity: alloc.milliCPU });
  }
  if (req.memory > 0 && req.memory > alloc.memory - used.memory) {
    out.push({ resourceName: 'memory', reason: 'Insufficient memory', requested: req.memory, used: used.memory, capacity: alloc.memory });
  }
  if (req.ephemeralStorage > 0 && req.ephemeralStorage > alloc.ephemeralStorage - used.ephemeralStorage) {
    out.push({ resourceName: 'ephemeral-storage', reason: 'Insufficient ephemeral-storage', requested: req.ephemeralStorage, used: used.ephemeralStorage, capacity: alloc.ephemeralStorage });
  }
  for (const [r, q] of req.scalar ?? []) {
    if (q === 0) continue;
    if (isExtendedResourceName(r) && (ignored.has(r) || ignoredGroups.has(r.split('/')[0]!))) continue;
    if (q > alloc.getScalar(r) - used.getScalar(r)) {
      out.push({ resourceName: r, reason: `Insufficient ${r}`, requested: q, used: used.getScalar(r), capacity: alloc.getScalar(r) });
    }
  }
  return out;
}

/**
 * Whether the pod fits (fitsRequest found nothing lacking), without building the list: the filter
 * runs for hundreds of nodes per pod and nearly all of them fit.
 */
export function fits(req: Resource, nodeInfo: NodeInfo, ignored: ReadonlySet<string>, ignoredGroups: ReadonlySet<string>): boolean {
  // The NodeInfo's own free-room fields: no reads of its pods list or Resource objects.
  if (nodeInfo.freePods < 1) return false;
  if (req.milliCPU > 0 && req.milliCPU > nodeInfo.freeMilliCPU) return false;
  if (req.memory > 0 && req.memory > nodeInfo.freeMemory) return false;
  if (req.ephemeralStorage > 0 && req.ephemeralStorage > nodeInfo.freeEphemeralStorage) return false;
  if (req.scalar === undefined) return true;
  const alloc = nodeInfo.allocatable, used = nodeInfo.requested;
  for (const [r, q] of req.scalar) {
    if (q === 0) continue;
    if (isExtendedResourceName(r) && (ignored.has(r) || ignoredGroups.has(r.split('/')[0]!))) continue;
    if (q > alloc.getScalar(r) - used.getScalar(r)) return false;
  }
  return true;
}

function scorerFor(args: NodeResourcesFitArgs, resources: ResourceSpec[]): Scorer {
  const type = args.scoringStrategy?.type ?? 'LeastAllocated';
  switch (type) {
    case 'LeastAllocated': return leastAllocated(resources);
    case 'MostAllocated': return mostAllocated(resources);
    case 'RequestedToCapacityRatio': {
      const shape = args.scoringStrategy?.requestedToCapacityRatio?.shape;
      if (!shape?.length) throw new Error('scoringStrategy.requestedToCapacityRatio.shape: Required value');
      return requestedToCapacityRatio(resources, shape);
    }
    default: throw new Error(`scoringStrategy.type: Unsupported value: "${String(type)}"`);
  }
}

export function create(rawArgs: Record<string, unknown> | undefined, _h: Handle): PreFilterPlugin & FilterPlugin & PreScorePlugin & ScorePlugin & EnqueueExtensions {
  const args = (rawArgs ?? {}) as NodeResourcesFitArgs;
  const ignored = new Set(args.ignoredResources ?? []);
  const ignoredGroups = new Set(args.ignoredResourceGroups ?? []);
  const resources = args.scoringStrategy?.resources?.length ? args.scoringStrategy.resources : DEFAULT_RESOURCES;
  const scorer = scorerFor(args, resources);
  return {
    name,
    preFilter(state, pod) {
      state.write(PRE_FILTER_KEY, new RequestState(podRequests(pod)));
      return undefined;
    },
    filter(state, pod, nodeInfo) {
      const req = state.read<RequestState>(PRE_FILTER_KEY)?.request ?? podRequests(pod);
      if (fits(req, nodeInfo, ignored, ignoredGroups)) return undefined;
      const insufficient = fitsRequest(req, nodeInfo, ignored, ignoredGroups);
      if (insufficient.length === 0) return undefined;
      return Status.unschedulable(...insufficient.map((r) => r.reason));
    },
    preScore(state, pod) {
      state.write(PRE_SCORE_KEY, new ScoreState(podRequestVector(pod, resources, false)));
      return undefined;
    },
    score(state, pod, nodeInfo) {
      const req = state.read<ScoreState>(PRE_SCORE_KEY)?.request ?? podRequestVector(pod, resources, false);
      return scoreNode(nodeInfo, req, resources, false, scorer);
    },
    events: (): ClusterEvent[] => ['AssignedPodDelete', 'NodeAdd', 'NodeUpdate', 'UnscheduledPodUpdate'],
  };
}
