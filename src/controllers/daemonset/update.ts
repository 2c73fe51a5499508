// RollingUpdate for DaemonSets (upstream pkg/controller/daemon/update.go rollingUpdate): without
// surge, delete old pods while fewer than maxUnavailable are unavailable (the manage loop recreates
// them); with maxSurge, start the new pod beside the old one and delete the old once the new is available.
import { isPodAvailable, type Pod } from '../controller-utils/index.js';
import type { DaemonSet } from './controller.js';
import { nodeShouldRunDaemonPod, type Node } from './predicates.js';
import { isPodUpdated } from './status.js';

/** An int-or-percent against total (upstream GetScaledValueFromIntOrPercent). */
export function scaledValue(v: number | string | undefined, total: number, roundUp: boolean, dflt: number): number {
  if (v === undefined || v === null) return dflt;
  if (typeof v === 'number') return v;
  const m = /^(\d+)%$/.exec(v);
  if (!m) return Number.isInteger(Number(v)) ? Number(v) : dflt;
  const x = (Number(m[1]) * total) / 100;
  return roundUp ? Math.ceil(x) : Math.floor(x);
}

// The one new and one old pod on a node; undefined when there are more (manage cleans up first).
function findUpdatedPodsOnNode(ds: DaemonSet, pods: Pod[], hash: string): { newPod?: Pod; oldPod?: Pod } | undefined {
  let newPod: Pod | undefined;
  let oldPod: Pod | undefined;
  for (const p of pods) {
    if (p.metadata.deletionTimestamp) continue;
    if (isPodUpdated(p, hash, ds.metadata.generation)) {
      if (newPod) return undefined;
      newPod = p;
    } else {
      if (oldPod) return undefined;
      oldPod = p;
    }
  }
  return { ...(newPod ? { newPod } : {}), ...(oldPod ? { oldPod } : {}) };
}

export function rollingUpdatePlan(ds: DaemonSet, nodes: Node[], byNode: Map<string, Pod[]>, hash: string, now: number): { toDelete: Pod[]; toCreate: string[] } {
  const desired = nodes.filter((n) => nodeShouldRunDaemonPod(n, ds).shouldRun).length;
  const ru = ds.spec.updateStrategy?.rollingUpdate ?? {};
  const maxSurge = scaledValue(ru.maxSurge, desired, true, 0);
  let maxUnavailable = scaledValue(ru.maxUnavailable, desired, true, 1);
  if (maxSurge === 0 && maxUnavailable === 0) maxUnavailable = 1;
  const minReady = ds.spec.minReadySeconds ?? 0;
  const nodeByName = new Map(nodes.map((n) => [n.metadata.name!, n]));
  const entries = [...byNode].sort(([a], [b]) => a.localeCompare(b));
  if (maxSurge === 0) {
    let unavailable = 0;
    const replace: Pod[] = [];
    const candidates: Pod[] = [];
    for (const [, pods] of entries) {
      const found = findUpdatedPodsOnNode(ds, pods, hash);
      if (!found) {
        unavailable++;
        continue;
      }
      const { newPod, oldPod } = found;
      if ((!oldPod && !newPod) || (oldPod && newPod)) unavailable++;
      else if (newPod) {
        if (!isPodAvailable(newPod, minReady, now)) unavailable++;
      } else if (!isPodAvailable(oldPod!, minReady, now)) {
        // Already unavailable: replacing it costs nothing.
        replace.push(oldPod!);
        unavailable++;
      } else if (unavailable < maxUnavailable) {
        candidates.push(oldPod!);
      }
    }
    const room = Math.min(Math.max(0, maxUnavailable - unavailable), candidates.length);
    return { toDelete: [...replace, ...candidates.slice(0, room)], toCreate: [] };
  }
  let surging = 0;
  const toCreate: string[] = [];
  const candidates: string[] = [];
  const toDelete: Pod[] = [];
  for (const [nodeName, pods] of entries) {
    const found = findUpdatedPodsOnNode(ds, pods, hash);
    if (!found) {
      surging++;
      continue;
    }
    const { newPod, oldPod } = found;
    const node = nodeByName.get(nodeName);
    if (!node || !nodeShouldRunDaemonPod(node, ds).shouldRun) {
      if (oldPod) toDelete.push(oldPod);
      continue;
    }
    if (!oldPod) continue;
    if (!newPod) {
      if (!isPodAvailable(oldPod, minReady, now)) toCreate.push(nodeName);
      else candidates.push(nodeName);
    } else if (!isPodAvailable(newPod, minReady, now)) {
      surging++;
    } else {
      toDelete.push(oldPod);
    }
  }
  const room = Math.min(Math.max(0, maxSurge - surging), candidates.length);
  return { toDelete, toCreate: [...toCreate, ...candidates.slice(0, room)] };
}
