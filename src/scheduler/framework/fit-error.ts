// Why a pod fits nowhere (upstream framework.FitError and Diagnosis), and the FailedScheduling
// message built from it: "0/5 nodes are available: 2 Insufficient cpu, 3 node(s) ... . preemption: …".
import type { NodeToStatus } from './interface.js';
import type { Pod } from '../types.js';

export interface Diagnosis {
  nodeToStatus: NodeToStatus;
  /** Plugins that rejected the pod with Unschedulable(AndUnresolvable): the queue's requeue hints. */
  unschedulablePlugins: Set<string>;
  pendingPlugins: Set<string>;
  /** Set when PreFilter rejected the pod: the message instead of per-node reasons. */
  preFilterMsg: string;
  /** The PostFilter (preemption) outcome, appended to the message. */
  postFilterMsg: string;
}

export function newDiagnosis(): Diagnosis {
  return { nodeToStatus: new Map(), unschedulablePlugins: new Set(), pendingPlugins: new Set(), preFilterMsg: '', postFilterMsg: '' };
}

/** The "N reason" histogram, sorted as strings like upstream (sort.Strings). */
export function reasonHistogram(nodeToStatus: NodeToStatus): string[] {
  const counts = new Map<string, number>();
  for (const s of nodeToStatus.values()) for (const r of s.reasons) counts.set(r, (counts.get(r) ?? 0) + 1);
  const out: string[] = [];
  for (const [r, n] of counts) out.push(`${n} ${r}`);
  return out.sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
}

export class FitError extends Error {
  constructor(readonly pod: Pod, readonly numAllNodes: number, readonly diagnosis: Diagnosis) {
    super(fitErrorMessage(numAllNodes, diagnosis));
    this.name = 'FitError';
  }

  /** Records the PostFilter (preemption) outcome and rebuilds the message. */
  setPostFilterMsg(msg: string): void {
    this.diagnosis.postFilterMsg = msg;
    this.message = fitErrorMessage(this.numAllNodes, this.diagnosis);
  }
}

export function fitErrorMessage(numAllNodes: number, d: Diagnosis): string {
  let msg = `0/${numAllNodes} nodes are available:`;
  if (d.preFilterMsg) {
    msg += ` ${d.preFilterMsg}.`;
  } else {
    // A PreFilter rejection is copied onto every node, so per-node reasons only count otherwise.
    const hist = reasonHistogram(d.nodeToStatus);
    if (hist.length) msg += ` ${hist.join(', ')}.`;
  }
  // The preemption message is itself a FitError message ending in '.'; current upstream prints one period.
  if (d.postFilterMsg) msg += d.postFilterMsg.endsWith('.') ? ` ${d.postFilterMsg}` : ` ${d.postFilterMsg}.`;
  return msg;
}
