// core/v1 Pod, after upstream printPod (pkg/printers/internalversion/printers.go, 1.32): the Status
// column is the "reason" kubectl users know (Init:0/1, CrashLoopBackOff, Completed, Terminating …),
// not the bare phase.
import type { TablePrinter } from './types.js';
import { humanDuration, parseTime } from './duration.js';
import { ageCol, col, nameCol, objAge, objName, str, wide } from './columns.js';

const columns = [
  nameCol(),
  col('Ready', 'string', 'Ready containers out of all (sidecars included).'),
  col('Status', 'string', 'Pod phase or the most telling container/init reason.'),
  col('Restarts', 'string', 'Container restarts in this pod, and how long ago the last one was.'),
  ageCol(),
  wide('IP', 'string', 'The pod IP (first of status.podIPs).'),
  wide('Node', 'string', 'The node the pod is bound to (spec.nodeName).'),
  wide('Nominated Node', 'string', 'The node preemption nominated for this pod (status.nominatedNodeName).'),
  wide('Readiness Gates', 'string', 'Readiness gates that are true, out of those declared.'),
];

// Reasons the node lifecycle controller and scheduler set (util/node NodeUnreachablePodReason,
// v1.PodReasonSchedulingGated).
const NODE_LOST = 'NodeLost';
const SCHEDULING_GATED = 'SchedulingGated';

/** A sidecar: an init container with restartPolicy Always (podutil.IsRestartableInitContainer). */
function isSidecar(c: any): boolean {
  return c?.restartPolicy === 'Always';
}

/** Tracks the restart count and the latest lastState.terminated.finishedAt over a set of containers. */
class Restarts {
  count = 0;
  last: number | undefined;
  add(status: any): void {
    this.count += Number(status?.restartCount ?? 0) || 0;
    const finished = parseTime(status?.lastState?.terminated?.finishedAt);
    if (finished !== undefined && (this.last === undefined || finished > this.last)) this.last = finished;
  }
}

function conditionTrue(pod: any, type: string): boolean {
  // Upstream looks at the first condition of the type only.
  const c = (pod?.status?.conditions ?? []).find((x: any) => x?.type === type);
  return c?.status === 'True';
}

/** Ready, Status and Restarts cells, following printPod's reason logic step by step. */
export function podStatusCells(pod: any, now: number): [string, string, string] {
  const spec = pod?.spec ?? {};
  const status = pod?.status ?? {};
  const phase = str(status.phase);
  let reason = status.reason ? String(status.reason) : phase;
  for (const c of status.conditions ?? []) {
    if (c?.type === 'PodScheduled' && c?.reason === SCHEDULING_GATED) reason = SCHEDULING_GATED;
  }

  const initSpecs = new Map<string, any>();
  let total = (spec.containers ?? []).length;
  for (const c of spec.initContainers ?? []) {
    initSpecs.set(c?.name, c);
    if (isSidecar(c)) total++;
  }

  let ready = 0;
  const all = new Restarts();
  const sidecars = new Restarts();
  let initializing = false;
  const initStatuses: any[] = status.initContainerStatuses ?? [];
  const initCount = (spec.initContainers ?? []).length;
  for (let i = 0; i < initStatuses.length; i++) {
    const cs = initStatuses[i];
    all.add(cs);
    const sidecar = isSidecar(initSpecs.get(cs?.name));
    if (sidecar) sidecars.add(cs);
    const term = cs?.state?.terminated;
    const waiting = cs?.state?.waiting;
    if (term && Number(term.exitCode ?? 0) === 0) continue; // finished successfully
    if (sidecar && cs?.started === true) {
      if (cs?.ready) ready++;
      continue;
    }
    if (term) {
      // initialization failed
      if (term.reason) reason = `Init:${term.reason}`;
      else if (term.signal) reason = `Init:Signal:${term.signal}`;
      else reason = `Init:ExitCode:${term.exitCode ?? 0}`;
    } else if (waiting?.reason && waiting.reason !== 'PodInitializing') {
      reason = `Init:${waiting.reason}`;
    } else {
      reason = `Init:${i}/${initCount}`;
    }
    initializing = true;
    break;
  }

  let restarts = all;
  if (!initializing || conditionTrue(pod, 'Initialized')) {
    // Once initialized, only sidecar restarts count among the init containers.
    restarts = sidecars;
    let hasRunning = false;
    const statuses: any[] = status.containerStatuses ?? [];
    // Walk backwards so the first container's reason wins, as upstream does.
    for (let i = statuses.length - 1; i >= 0; i--) {
      const cs = statuses[i];
      restarts.add(cs);
      const waiting = cs?.state?.waiting;
      const term = cs?.state?.terminated;
      if (waiting?.reason) reason = String(waiting.reason);
      else if (term?.reason) reason = String(term.reason);
      else if (term) reason = term.signal ? `Signal:${term.signal}` : `ExitCode:${term.exitCode ?? 0}`;
      else if (cs?.ready && cs?.state?.running) {
        hasRunning = true;
        ready++;
      }
    }
    // A container still running keeps a pod whose other containers completed in Running/NotReady.
    if (reason === 'Completed' && hasRunning) reason = conditionTrue(pod, 'Ready') ? 'Running' : 'NotReady';
  }

  const deleting = Boolean(pod?.metadata?.deletionTimestamp);
  if (deleting && status.reason === NODE_LOST) reason = 'Unknown';
  else if (deleting && phase !== 'Succeeded' && phase !== 'Failed') reason = 'Terminating';

  let restartCell = String(restarts.count);
  if (restarts.count !== 0 && restarts.last !== undefined) {
    restartCell = `${restarts.count} (${humanDuration(now - restarts.last)} ago)`;
  }
  return [`${ready}/${total}`, reason, restartCell];
}

function readinessGates(pod: any): string {
  const gates: any[] = pod?.spec?.readinessGates ?? [];
  if (gates.length === 0) return '<none>';
  const conditions: any[] = pod?.status?.conditions ?? [];
  let trueCount = 0;
  for (const g of gates) {
    const c = conditions.find((x) => x?.type === g?.conditionType);
    if (c?.status === 'True') trueCount++;
  }
  return `${trueCount}/${gates.length}`;
}

export const podPrinter: TablePrinter = {
  columns,
  cells(pod, now) {
    const [ready, reason, restarts] = podStatusCells(pod, now);
    const ip = str(pod?.status?.podIPs?.[0]?.ip) || str(pod?.status?.podIP);
    return [
      objName(pod),
      ready,
      reason,
      restarts,
      objAge(pod, now),
      ip || '<none>',
      str(pod?.spec?.nodeName) || '<none>',
      str(pod?.status?.nominatedNodeName) || '<none>',
      readinessGates(pod),
    ];
  },
};
