// The node's four conditions (upstream pkg/kubelet/nodestatus/setters.go): Ready from the runtime's
// status, MemoryPressure/DiskPressure/PIDPressure from the eviction thresholds' view of the host
// (memory.available < 100Mi, nodefs.available < 10%). lastTransitionTime changes only with status.
import type { RuntimeStatus } from '../runtime/index.js';
import type { Obj } from '../types.js';

export interface Pressure {
  memory: boolean;
  disk: boolean;
  pid: boolean;
}

export function readyCondition(rs: RuntimeStatus | undefined): { ok: boolean; message: string } {
  if (!rs) return { ok: false, message: 'container runtime status check may not have completed yet' };
  const bad = rs.conditions.filter((c) => !c.status);
  const runtime = bad.find((c) => c.type === 'RuntimeReady');
  if (runtime) return { ok: false, message: `container runtime is down: ${runtime.message ?? ''}`.trim() };
  const net = bad.find((c) => c.type === 'NetworkReady');
  if (net) return { ok: false, message: `container runtime network not ready: NetworkReady=false reason:${net.reason ?? ''} message:${net.message ?? ''}` };
  return { ok: true, message: 'kubelet is posting ready status' };
}

/** The condition list; previous conditions keep their transition times when unchanged. */
export function nodeConditions(now: string, prev: Obj[] | undefined, rs: RuntimeStatus | undefined, p: Pressure): Obj[] {
  const make = (type: string, status: boolean, reason: string, message: string) => {
    const s = status ? 'True' : 'False';
    const old = prev?.find((c) => c.type === type);
    return { type, status: s, lastHeartbeatTime: now, lastTransitionTime: old && old.status === s ? old.lastTransitionTime : now, reason, message };
  };
  const ready = readyCondition(rs);
  return [
    p.memory ? make('MemoryPressure', true, 'KubeletHasInsufficientMemory', 'kubelet has insufficient memory available')
      : make('MemoryPressure', false, 'KubeletHasSufficientMemory', 'kubelet has sufficient memory available'),
    p.disk ? make('DiskPressure', true, 'KubeletHasDiskPressure', 'kubelet has disk pressure')
      : make('DiskPressure', false, 'KubeletHasNoDiskPressure', 'kubelet has no disk pressure'),
    p.pid ? make('PIDPressure', true, 'KubeletHasInsufficientPID', 'kubelet has insufficient PID available')
      : make('PIDPressure', false, 'KubeletHasSufficientPID', 'kubelet has sufficient PID available'),
    ready.ok ? make('Ready', true, 'KubeletReady', ready.message) : make('Ready', false, 'KubeletNotReady', ready.message),
  ];
}
