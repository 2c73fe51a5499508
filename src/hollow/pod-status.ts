// What a hollow kubelet reports for a pod bound to it: Running with every container started and
// ready (or, for pods asking for it, terminated after a while), as kubelet's status manager would.
import type { KubeObject } from '../api/types.js';

/** Pods may script their hollow life: exit after N seconds with a code (Jobs in tests and benches). */
export const EXIT_AFTER_ANNOTATION = 'hollow.skiff.io/exit-after-seconds';
export const EXIT_CODE_ANNOTATION = 'hollow.skiff.io/exit-code';

type Obj = Record<string, any>;

function containerStatus(c: Obj, now: string, state: Obj, ready: boolean, i: number, uid: string): Obj {
  return {
    name: c.name,
    image: c.image,
    imageID: `docker.io/library/${String(c.image).split(':')[0]}@sha256:${'0'.repeat(64)}`,
    containerID: `fake://${uid}-${i}`,
    ready,
    started: ready || !!state.running,
    restartCount: 0,
    state,
    lastState: {},
  };
}

function condition(type: string, status: string, now: string, reason?: string): Obj {
  return { type, status, lastProbeTime: null, lastTransitionTime: now, ...(reason ? { reason } : {}) };
}

/** The status of a pod that is running on the node. */
export function runningStatus(pod: KubeObject, now: string, hostIP: string, podIP: string): Obj {
  const spec = (pod.spec ?? {}) as Obj;
  const uid = pod.metadata.uid ?? '';
  const containers = (spec.containers ?? []) as Obj[];
  const init = (spec.initContainers ?? []) as Obj[];
  const status: Obj = {
    phase: 'Running',
    conditions: [
      condition('PodReadyToStartContainers', 'True', now),
      condition('Initialized', 'True', now),
      condition('Ready', 'True', now),
      condition('ContainersReady', 'True', now),
      condition('PodScheduled', 'True', now),
    ],
    hostIP,
    hostIPs: [{ ip: hostIP }],
    podIP,
    podIPs: [{ ip: podIP }],
    startTime: now,
    qosClass: qosClass(pod),
    containerStatuses: containers.map((c, i) => containerStatus(c, now, { running: { startedAt: now } }, true, i, uid)),
  };
  if (init.length) {
    status.initContainerStatuses = init.map((c, i) => containerStatus(c, now, { terminated: { exitCode: 0, reason: 'Completed', startedAt: now, finishedAt: now, containerID: `fake://${uid}-init-${i}` } }, true, i, uid));
  }
  return status;
}

/** The status of a pod whose containers exited with code (Succeeded for 0, else Failed). */
export function exitedStatus(pod: KubeObject, running: Obj, now: string, code: number): Obj {
  const ok = code === 0;
  const started = (running.startTime as string | undefined) ?? now;
  return {
    ...running,
    phase: ok ? 'Succeeded' : 'Failed',
    conditions: (running.conditions as Obj[]).map((c) => (c.type === 'Ready' || c.type === 'ContainersReady'
      ? { ...c, status: 'False', lastTransitionTime: now, reason: 'PodCompleted' }
      : c.type === 'PodReadyToStartContainers' ? { ...c, status: 'False', lastTransitionTime: now } : c)),
    containerStatuses: (running.containerStatuses as Obj[]).map((s) => ({
      ...s,
      ready: false,
      started: false,
      state: { terminated: { exitCode: code, reason: ok ? 'Completed' : 'Error', startedAt: started, finishedAt: now, containerID: s.containerID } },
    })),
  };
}

/** Upstream's QoS class: Guaranteed when every container has equal cpu+memory requests and limits. */
export function qosClass(pod: KubeObject): 'Guaranteed' | 'Burstable' | 'BestEffort' {
  const spec = (pod.spec ?? {}) as Obj;
  const all = [...((spec.containers ?? []) as Obj[]), ...((spec.initContainers ?? []) as Obj[])];
  let any = false;
  let guaranteed = all.length > 0;
  for (const c of all) {
    const req = (c.resources?.requests ?? {}) as Obj;
    const lim = (c.resources?.limits ?? {}) as Obj;
    if (Object.keys(req).length || Object.keys(lim).length) any = true;
    for (const r of ['cpu', 'memory']) {
      const l = lim[r];
      const q = req[r] ?? l;
      if (l === undefined || String(q) !== String(l)) guaranteed = false;
    }
  }
  if (!any) return 'BestEffort';
  return guaranteed ? 'Guaranteed' : 'Burstable';
}

/** Seconds after which a pod's hollow containers exit, and with which code (undefined: run forever). */
export function scriptedExit(pod: KubeObject): { afterMs: number; code: number } | undefined {
  const a = pod.metadata.annotations?.[EXIT_AFTER_ANNOTATION];
  if (a === undefined) return undefined;
  const s = Number(a);
  if (!Number.isFinite(s) || s < 0) return undefined;
  const code = Number(pod.metadata.annotations?.[EXIT_CODE_ANNOTATION] ?? 0);
  return { afterMs: s * 1000, code: Number.isInteger(code) ? code : 1 };
}
