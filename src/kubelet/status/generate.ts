// The API status of a pod from the runtime's view (upstream kubelet_pods.go generateAPIPodStatus,
// convertToAPIContainerStatuses, getPhase and pkg/kubelet/status/generate.go conditions). Pure: probe
// results, the reason cache and termination messages are passed in.
import type { ContainerStatus } from '../runtime/index.js';
import { qosClass } from '../../hollow/pod-status.js';
import { isSidecar, restartPolicy, shouldContainerBeRestarted } from '../podactions.js';
import { instancesByName, restartCountOf, type Obj, type RuntimePod } from '../types.js';

export interface StatusInputs {
  pod: Obj;
  rp: RuntimePod | undefined;
  hostIP: string;
  /** `process`, `fake`…: containerID prefix. */
  runtimeName: string;
  now: number;
  /** Readiness verdict of a running container (no readiness probe → true). */
  ready(containerId: string): boolean;
  /** Startup verdict (no startup probe → true). */
  started(containerId: string): boolean;
  /** Last start failure per container name (CrashLoopBackOff, CreateContainerConfigError…). */
  reasons: Map<string, { reason: string; message: string }>;
  /** Termination message per container id. */
  messages: Map<string, string>;
  /** The pod's containers are all stopped for good (deleted or terminal). */
  podIsTerminal: boolean;
}

export function rfc3339(ms: number): string {
  return new Date(Math.floor(ms / 1000) * 1000).toISOString().replace('.000Z', 'Z');
}

function terminatedState(s: ContainerStatus, id: string, message: string | undefined): Obj {
  const t: Obj = { exitCode: s.exitCode, reason: s.reason || (s.exitCode === 0 ? 'Completed' : 'Error') };
  if (message) t.message = message;
  t.startedAt = s.startedAt ? rfc3339(s.startedAt) : null;
  t.finishedAt = s.finishedAt ? rfc3339(s.finishedAt) : null;
  t.containerID = id;
  return t;
}

function stateOf(s: ContainerStatus, id: string, message: string | undefined): Obj {
  if (s.state === 'CONTAINER_RUNNING') return { running: { startedAt: rfc3339(s.startedAt) } };
  if (s.state === 'CONTAINER_EXITED') return { terminated: terminatedState(s, id, message) };
  if (s.state === 'CONTAINER_CREATED') return { waiting: { reason: 'ContainerCreating' } };
  return { terminated: { exitCode: 137, reason: 'ContainerStatusUnknown', message: 'The container could not be located when the pod was terminated', containerID: id } };
}

function containerStatuses(inp: StatusInputs, specs: Obj[], isInit: boolean, defaultReason: string): Obj[] {
  const { pod, rp } = inp;
  const oldList: Obj[] = (isInit ? pod.status?.initContainerStatuses : pod.status?.containerStatuses) ?? [];
  return specs.map((c) => {
    const all = instancesByName(rp, c.name);
    const cur = all[0];
    const old = oldList.find((o) => o.name === c.name);
    const out: Obj = { name: c.name, state: { waiting: { reason: defaultReason } }, lastState: {}, ready: false, restartCount: 0, image: c.image, imageID: '', started: false };
    if (!cur) {
      // Nothing in the runtime: a container that was running is gone for good (upstream's 137 ContainerStatusUnknown).
      if (old) {
        out.restartCount = old.restartCount ?? 0;
        out.lastState = old.lastState ?? {};
        if (old.state?.running && inp.podIsTerminal) {
          out.state = { terminated: { exitCode: 137, reason: 'ContainerStatusUnknown', message: 'The container could not be located when the pod was terminated', startedAt: old.state.running.startedAt ?? null, finishedAt: null } };
        } else if (old.state?.terminated) {
          out.state = old.state;
          out.imageID = old.imageID ?? '';
          if (old.containerID) out.containerID = old.containerID;
        }
      }
    } else {
      const id = `${inp.runtimeName}://${cur.id}`;
      out.state = stateOf(cur, id, inp.messages.get(cur.id));
      out.imageID = cur.imageRef;
      out.containerID = id;
      out.restartCount = restartCountOf(cur);
      const prev = all[1];
      if (prev && prev.state === 'CONTAINER_EXITED') out.lastState = { terminated: terminatedState(prev, `${inp.runtimeName}://${prev.id}`, inp.messages.get(prev.id)) };
      if (cur.state === 'CONTAINER_RUNNING') {
        out.started = inp.started(cur.id);
        out.ready = isInit && !isSidecar(c) ? false : out.started && inp.ready(cur.id);
      }
      if (isInit && !isSidecar(c) && cur.state === 'CONTAINER_EXITED' && cur.exitCode === 0) out.ready = true;
    }
    // A container about to be restarted is Waiting, with the reason its last start failed.
    const skipInit = isInit && !isSidecar(c) && cur?.state === 'CONTAINER_EXITED' && cur.exitCode === 0;
    const reason = inp.reasons.get(c.name);
    if (!skipInit && reason && shouldContainerBeRestarted(c, pod, rp) && !inp.podIsTerminal) {
      if (out.state.terminated) out.lastState = { terminated: out.state.terminated };
      out.state = { waiting: { reason: reason.reason, ...(reason.message ? { message: reason.message } : {}) } };
    }
    return out;
  });
}

/** upstream getPhase. */
export function getPhase(pod: Obj, init: Obj[], app: Obj[], podIsTerminal: boolean): string {
  const spec = pod.spec ?? {};
  let pendingInit = 0;
  let failedInit = 0;
  for (const c of spec.initContainers ?? []) {
    const s = init.find((x) => x.name === c.name);
    if (!s) { pendingInit++; continue; }
    // A sidecar counts as initialised once it runs and its startup probe passed.
    if (isSidecar(c)) { if (!(s.state.running && s.started)) pendingInit++; continue; }
    if (s.state.running) pendingInit++;
    else if (s.state.terminated && s.state.terminated.exitCode !== 0) failedInit++;
    else if (s.state.waiting) {
      if (s.lastState?.terminated) { if (s.lastState.terminated.exitCode !== 0) failedInit++; } else pendingInit++;
    } else if (!s.state.terminated) pendingInit++;
  }
  let unknown = 0;
  let running = 0;
  let waiting = 0;
  let stopped = 0;
  let succeeded = 0;
  for (const c of spec.containers ?? []) {
    const s = app.find((x) => x.name === c.name);
    if (!s) { unknown++; continue; }
    if (s.state.running) running++;
    else if (s.state.terminated) { stopped++; if (s.state.terminated.exitCode === 0) succeeded++; }
    else if (s.state.waiting) { if (s.lastState?.terminated) stopped++; else waiting++; }
    else unknown++;
  }
  const anyAppStarted = app.some((s) => s.state.running || s.state.terminated || s.lastState?.terminated);
  if (failedInit > 0 && restartPolicy(pod) === 'Never') return 'Failed';
  if ((pendingInit > 0 && !anyAppStarted) || waiting > 0) return 'Pending';
  if (running > 0 && unknown === 0) return 'Running';
  if (running === 0 && stopped > 0 && unknown === 0) {
    if (podIsTerminal) return stopped === succeeded ? 'Succeeded' : 'Failed';
    if (restartPolicy(pod) === 'Always') return 'Running';
    if (stopped === succeeded) return 'Succeeded';
    if (restartPolicy(pod) === 'Never') return 'Failed';
    return 'Running';
  }
  return 'Pending';
}

function cond(type: string, ok: boolean, reason?: string, message?: string): Obj {
  const c: Obj = { type, status: ok ? 'True' : 'False', lastProbeTime: null };
  if (!ok && reason) c.reason = reason;
  if (!ok && message) c.message = message;
  return c;
}

/** Conditions as upstream generate.go; lastTransitionTime is filled by the status manager. */
function conditions(pod: Obj, phase: string, rp: RuntimePod | undefined, init: Obj[], app: Obj[]): Obj[] {
  const spec = pod.spec ?? {};
  const sandboxReady = !!rp?.sandboxes[0] && rp.sandboxes[0].state === 'SANDBOX_READY';
  const incompleteInit = (spec.initContainers ?? []).filter((c: Obj) => {
    const s = init.find((x) => x.name === c.name);
    if (isSidecar(c)) return !(s?.state.running && s.started);
    return !(s?.state.terminated?.exitCode === 0 || (s?.lastState?.terminated?.exitCode === 0 && !s.state.terminated));
  }).map((c: Obj) => c.name);
  const anyAppStarted = app.some((s) => s.state.running || s.state.terminated || s.lastState?.terminated);
  const initialized = !incompleteInit.length || anyAppStarted || phase === 'Succeeded';
  const unknown = (spec.containers ?? []).filter((c: Obj) => !app.find((x) => x.name === c.name)).map((c: Obj) => c.name);
  // Sidecars' readiness counts towards the pod's, as upstream's ContainersReady does.
  const sidecars = (spec.initContainers ?? []).filter(isSidecar).map((c: Obj) => init.find((x) => x.name === c.name)).filter((s: Obj | undefined): s is Obj => !!s);
  const unready = [...sidecars, ...app].filter((s) => !s.ready).map((s) => s.name);
  let ready = !unknown.length && !unready.length;
  let reason = 'ContainersNotReady';
  let msg = '';
  if (phase === 'Succeeded') { ready = false; reason = 'PodCompleted'; }
  else if (!ready) {
    const parts: string[] = [];
    if (unknown.length) parts.push(`containers with unknown status: [${unknown.join(' ')}]`);
    if (unready.length) parts.push(`containers with unready status: [${unready.join(' ')}]`);
    msg = parts.join(', ');
  }
  if (!initialized && phase !== 'Succeeded') {
    ready = false;
    reason = 'ContainersNotInitialized';
    msg = `containers with incomplete status: [${incompleteInit.join(' ')}]`;
  }
  const initCond = initialized ? cond('Initialized', true) : cond('Initialized', false, 'ContainersNotInitialized', `containers with incomplete status: [${incompleteInit.join(' ')}]`);
  return [
    cond('PodReadyToStartContainers', sandboxReady),
    initCond,
    cond('Ready', ready, reason, msg),
    cond('ContainersReady', ready, reason, msg),
    cond('PodScheduled', true),
  ];
}

/** The full API status (without lastTransitionTime, which the status manager keeps). */
export function generatePodStatus(inp: StatusInputs): Obj {
  const { pod, rp } = inp;
  const spec = pod.spec ?? {};
  const hasInit = (spec.initContainers ?? []).length > 0;
  const init = containerStatuses(inp, spec.initContainers ?? [], true, 'PodInitializing');
  const app = containerStatuses(inp, spec.containers ?? [], false, hasInit ? 'PodInitializing' : 'ContainerCreating');
  let phase = getPhase(pod, init, app, inp.podIsTerminal);
  const old = pod.status ?? {};
  // Never leave a terminal phase (upstream status manager: "phase is terminal, cannot transition").
  if (old.phase === 'Failed' || old.phase === 'Succeeded') phase = old.phase;
  const status: Obj = {
    phase,
    conditions: conditions(pod, phase, rp, init, app),
    hostIP: inp.hostIP,
    hostIPs: [{ ip: inp.hostIP }],
  };
  const ip = spec.hostNetwork ? inp.hostIP : rp?.sandboxes.find((b) => b.state === 'SANDBOX_READY')?.network?.ip ?? old.podIP;
  if (ip) {
    status.podIP = ip;
    status.podIPs = [{ ip }];
  }
  status.startTime = old.startTime ?? rfc3339(inp.now);
  if (init.length) status.initContainerStatuses = init;
  status.containerStatuses = app;
  status.qosClass = qosClass(pod as never);
  if (old.reason && (phase === 'Failed' || phase === 'Succeeded') && old.phase === phase) status.reason = old.reason;
  if (old.message && old.phase === phase) status.message = old.message;
  return status;
}

/** Makes a PodScheduled-style condition list keep its transition times (upstream updateLastTransitionTime). */
export function keepTransitionTimes(next: Obj[], prev: Obj[] | undefined, now: number): Obj[] {
  return next.map((c) => {
    const p = prev?.find((x) => x.type === c.type);
    const t = p && p.status === c.status && p.lastTransitionTime ? p.lastTransitionTime : rfc3339(now);
    return { ...c, lastTransitionTime: t };
  });
}
