// DaemonSet status (upstream updateDaemonSetStatus): per eligible node, whether a daemon pod is
// scheduled there, and whether the oldest one is ready, available and of the current revision.
import { isPodAvailable, isPodReady, type Pod } from '../controller-utils/index.js';
import { CONTROLLER_REVISION_HASH_LABEL } from '../history/index.js';
import type { DaemonSet } from './controller.js';
import { nodeShouldRunDaemonPod, type Node } from './predicates.js';

export interface DaemonSetStatusCounts {
  desiredNumberScheduled: number;
  currentNumberScheduled: number;
  numberMisscheduled: number;
  numberReady: number;
  numberAvailable: number;
  numberUnavailable: number;
  updatedNumberScheduled: number;
  observedGeneration?: number;
  [k: string]: number | undefined;
}

/** Whether a daemon pod is of the current template (revision hash, or the legacy generation label). */
export function isPodUpdated(p: Pod, hash: string, generation: number | undefined): boolean {
  const labels = p.metadata.labels ?? {};
  if (generation !== undefined && labels['pod-template-generation'] === String(generation)) return true;
  return !!hash && labels[CONTROLLER_REVISION_HASH_LABEL] === hash;
}

export function computeStatus(ds: DaemonSet, nodes: Node[], byNode: Map<string, Pod[]>, hash: string, now: number): DaemonSetStatusCounts {
  const s: DaemonSetStatusCounts = {
    desiredNumberScheduled: 0, currentNumberScheduled: 0, numberMisscheduled: 0, numberReady: 0,
    numberAvailable: 0, numberUnavailable: 0, updatedNumberScheduled: 0,
  };
  const minReady = ds.spec.minReadySeconds ?? 0;
  for (const node of nodes) {
    const { shouldRun } = nodeShouldRunDaemonPod(node, ds);
    // Deleted pods that already finished no longer count as scheduled.
    const pods = (byNode.get(node.metadata.name!) ?? []).filter((p) => !(p.metadata.deletionTimestamp && (p.status?.phase === 'Succeeded' || p.status?.phase === 'Failed')));
    if (shouldRun) {
      s.desiredNumberScheduled++;
      if (!pods.length) continue;
      s.currentNumberScheduled++;
      const oldest = [...pods].sort((a, b) => String(a.metadata.creationTimestamp ?? '').localeCompare(String(b.metadata.creationTimestamp ?? '')))[0]!;
      if (isPodReady(oldest)) {
        s.numberReady++;
        if (isPodAvailable(oldest, minReady, now)) s.numberAvailable++;
      }
      if (isPodUpdated(oldest, hash, ds.metadata.generation)) s.updatedNumberScheduled++;
    } else if (pods.length) {
      s.numberMisscheduled++;
    }
  }
  s.numberUnavailable = s.desiredNumberScheduled - s.numberAvailable;
  return s;
}
