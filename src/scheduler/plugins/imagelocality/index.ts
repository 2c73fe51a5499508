// ImageLocality (upstream imagelocality): prefer nodes that already have the pod's images, weighted
// by image size and by how few nodes have them (spread), clamped between 23 MB and 1000 MB per
// container.
import type { Handle, PreScorePlugin, ScorePlugin } from '../../framework/index.js';
import { MAX_NODE_SCORE } from '../../framework/index.js';
import type { NodeInfo } from '../../framework/index.js';
import type { Pod } from '../../types.js';

export const name = 'ImageLocality';
const MB = 1024 * 1024;
const MIN_THRESHOLD = 23 * MB;
const MAX_CONTAINER_THRESHOLD = 1000 * MB;

/** "nginx" → "nginx:latest": images without a tag match the node's tagged names (upstream normalizedImageName). */
export function normalizedImageName(image: string): string {
  if (image.lastIndexOf(':') <= image.lastIndexOf('/')) return `${image}:latest`;
  return image;
}

function podImages(pod: Pod): string[] {
  const out: string[] = [];
  for (const c of pod.spec.initContainers ?? []) if (c.image) out.push(normalizedImageName(c.image));
  for (const c of pod.spec.containers ?? []) if (c.image) out.push(normalizedImageName(c.image));
  return out;
}

function sumImageScores(nodeInfo: NodeInfo, images: readonly string[], totalNodes: number): number {
  let sum = 0;
  for (const image of images) {
    const st = nodeInfo.imageStates.get(image);
    if (st) sum += Math.trunc(st.size * (st.numNodes / totalNodes));
  }
  return sum;
}

const KEY = 'PreScoreImageLocality';

/** The pod's normalized image names and the cluster size, computed once per cycle. */
class PreScoreState {
  constructor(readonly images: string[], readonly totalNodes: number) {}
  clone() { return this; }
}

export function calculatePriority(sum: number, numContainers: number): number {
  const max = MAX_CONTAINER_THRESHOLD * numContainers;
  if (sum < MIN_THRESHOLD) sum = MIN_THRESHOLD;
  else if (sum > max) sum = max;
  return Math.trunc((MAX_NODE_SCORE * (sum - MIN_THRESHOLD)) / (max - MIN_THRESHOLD));
}

export function create(_args: unknown, h: Handle): PreScorePlugin & ScorePlugin {
  return {
    name,
    preScore(state, pod) {
      state.write(KEY, new PreScoreState(podImages(pod), h.snapshot().list().length || 1));
      return undefined;
    },
    score(state, pod, nodeInfo) {
      if (nodeInfo.imageStates.size === 0) return 0;
      const s = state.read<PreScoreState>(KEY) ?? new PreScoreState(podImages(pod), h.snapshot().list().length || 1);
      const n = (pod.spec.initContainers?.length ?? 0) + pod.spec.containers.length;
      return calculatePriority(sumImageScores(nodeInfo, s.images, s.totalNodes), n);
    },
  };
}
