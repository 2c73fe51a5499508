// What to do with a pod on this sync, as upstream kuberuntime computePodActions: create the sandbox
// (again), start the next init container or the app containers that should (re)start, kill
// containers whose spec changed or that failed liveness/startup probes, or kill the whole pod.
// Pure: the runtime state and probe results come in, a plan comes out.
import type { ContainerStatus } from './runtime/index.js';
import { containerHash } from './hash.js';
import { LABEL, latestByName, type Obj, type RuntimePod } from './types.js';

export interface KillInfo {
  name: string;
  /** Event message (upstream: `Container x failed liveness probe, will be restarted`). */
  message: string;
  /** Grace override (probe-level terminationGracePeriodSeconds). */
  gracePeriodSeconds?: number;
}

export interface PodActions {
  killPod: boolean;
  createSandbox: boolean;
  /** The sandbox to use when not creating one. */
  sandboxId: string;
  attempt: number;
  nextInitContainerToStart?: Obj;
  /** Sidecars (restartable init containers) to start or restart, in spec order. */
  sidecarsToStart: Obj[];
  /** Indexes into spec.containers. */
  containersToStart: number[];
  /** Container id → why. */
  containersToKill: Map<string, KillInfo>;
}

/** Probe verdicts the plan looks at (from the prober). */
export interface ProbeVerdicts {
  livenessFailed(containerId: string): boolean;
  startupFailed(containerId: string): boolean;
  /** Startup probe passed (or none); gates the init containers after a sidecar. */
  started?(containerId: string, container?: Obj): boolean;
}

const noProbes: ProbeVerdicts = { livenessFailed: () => false, startupFailed: () => false };

/** A restartable init container (native sidecar, `restartPolicy: Always` on an init container). */
export function isSidecar(c: Obj | undefined): boolean {
  return c?.restartPolicy === 'Always';
}

function hasSidecars(pod: Obj): boolean {
  return (pod.spec?.initContainers ?? []).some(isSidecar);
}

export function restartPolicy(pod: Obj): 'Always' | 'OnFailure' | 'Never' {
  return pod.spec?.restartPolicy ?? 'Always';
}

/** upstream ShouldContainerBeRestarted: should a container with this (latest) status run again? */
export function shouldContainerBeRestarted(container: Obj, pod: Obj, rp: RuntimePod | undefined): boolean {
  if (pod.metadata.deletionTimestamp) return false;
  const s = latestByName(rp, container.name);
  if (!s || s.state === 'CONTAINER_CREATED' || s.state === 'CONTAINER_UNKNOWN') return true;
  if (s.state === 'CONTAINER_RUNNING') return false;
  if (isSidecar(container)) return true;
  const policy = restartPolicy(pod);
  if (policy === 'Never') return false;
  if (policy === 'OnFailure' && s.exitCode === 0) return false;
  return true;
}

function exited(s: ContainerStatus): boolean {
  return s.state === 'CONTAINER_EXITED';
}

function initFailed(s: ContainerStatus): boolean {
  return (exited(s) && s.exitCode !== 0) || s.state === 'CONTAINER_UNKNOWN';
}

/** upstream findNextInitContainerToRun: [last status, next container, done]. */
export function findNextInitContainer(pod: Obj, rp: RuntimePod | undefined): { last?: ContainerStatus; next?: Obj; done: boolean } {
  const inits: Obj[] = pod.spec?.initContainers ?? [];
  if (!inits.length) return { done: true };
  // Once any app container has run, initialisation is over.
  for (const c of pod.spec?.containers ?? []) {
    const s = latestByName(rp, c.name);
    if (s && s.state === 'CONTAINER_RUNNING') return { done: true };
  }
  for (let i = inits.length - 1; i >= 0; i--) {
    const s = latestByName(rp, inits[i]!.name);
    if (s && initFailed(s)) return { last: s, next: inits[i], done: false };
  }
  for (let i = inits.length - 1; i >= 0; i--) {
    const s = latestByName(rp, inits[i]!.name);
    if (!s) continue;
    if (s.state === 'CONTAINER_RUNNING' || s.state === 'CONTAINER_CREATED') return { done: false };
    if (exited(s)) {
      if (i === inits.length - 1) return { done: true };
      return { last: s, next: inits[i + 1], done: false };
    }
  }
  return { next: inits[0], done: false };
}

/** upstream podSandboxChanged: is a (new) sandbox needed, and with which attempt. */
function sandboxChanged(rp: RuntimePod | undefined): { create: boolean; attempt: number; id: string } {
  const boxes = rp?.sandboxes ?? [];
  if (!boxes.length) return { create: true, attempt: 0, id: '' };
  const newest = boxes[0]!;
  const attempt = (newest.metadata.attempt ?? 0) + 1;
  const ready = boxes.filter((b) => b.state === 'SANDBOX_READY');
  if (ready.length > 1) return { create: true, attempt, id: newest.id };
  if (newest.state !== 'SANDBOX_READY') return { create: true, attempt, id: newest.id };
  return { create: false, attempt: newest.metadata.attempt ?? 0, id: newest.id };
}

export function computePodActions(pod: Obj, rp: RuntimePod | undefined, probes: ProbeVerdicts = noProbes): PodActions {
  const sb = sandboxChanged(rp);
  const actions: PodActions = {
    killPod: sb.create, createSandbox: sb.create, sandboxId: sb.id, attempt: sb.attempt,
    containersToStart: [], containersToKill: new Map(), sidecarsToStart: [],
  };
  const containers: Obj[] = pod.spec?.containers ?? [];
  const inits: Obj[] = pod.spec?.initContainers ?? [];

  if (sb.create) {
    // A pod that never restarts is not given a new sandbox once its containers ran.
    if (restartPolicy(pod) === 'Never' && sb.attempt > 0 && (rp?.containers.length ?? 0) > 0) {
      actions.createSandbox = false;
      return actions;
    }
    // Otherwise start over: first init container, or every app container that should run.
    if (inits.length) {
      if (isSidecar(inits[0])) actions.sidecarsToStart.push(inits[0]!);
      else actions.nextInitContainerToStart = inits[0];
      return actions;
    }
    containers.forEach((c, i) => {
      const s = latestByName(rp, c.name);
      if (restartPolicy(pod) === 'OnFailure' && s && exited(s) && s.exitCode === 0) return;
      actions.containersToStart.push(i);
    });
    // Nothing left to run (OnFailure pod whose containers all succeeded): no new sandbox.
    if (!actions.containersToStart.length) actions.createSandbox = false;
    return actions;
  }

  if (hasSidecars(pod)) {
    if (!sidecarInitActions(pod, rp, probes, actions)) return actions;
  } else {
    const init = findNextInitContainer(pod, rp);
    if (!initProgress(pod, init, actions)) return actions;
  }

  let keep = 0;
  containers.forEach((c, i) => {
    const s = latestByName(rp, c.name);
    if (!s || s.state !== 'CONTAINER_RUNNING') {
      if (shouldContainerBeRestarted(c, pod, rp)) actions.containersToStart.push(i);
      return;
    }
    let message = '';
    let restart = restartPolicy(pod) !== 'Never';
    let grace: number | undefined;
    if (s.annotations[LABEL.hash] && s.annotations[LABEL.hash] !== containerHash(c)) {
      message = `Container ${c.name} definition changed`;
      restart = true;
    } else if (probes.livenessFailed(s.id)) {
      message = `Container ${c.name} failed liveness probe`;
      grace = c.livenessProbe?.terminationGracePeriodSeconds;
    } else if (probes.startupFailed(s.id)) {
      message = `Container ${c.name} failed startup probe`;
      grace = c.startupProbe?.terminationGracePeriodSeconds;
    } else {
      keep++;
      return;
    }
    if (restart) {
      message += ', will be restarted';
      actions.containersToStart.push(i);
    }
    actions.containersToKill.set(s.id, { name: c.name, message, ...(grace !== undefined ? { gracePeriodSeconds: grace } : {}) });
  });
  if (keep === 0 && actions.containersToStart.length === 0) {
    // Every regular container is done: the pod ends, sidecars with it (not restarted).
    actions.killPod = true;
    actions.sidecarsToStart = [];
  }
  return actions;
}

/** Regular init containers only: apply findNextInitContainer's verdict; true when initialisation is over. */
function initProgress(pod: Obj, init: ReturnType<typeof findNextInitContainer>, actions: PodActions): boolean {
  if (init.done) return true;
  if (init.next) {
    if (init.last && initFailed(init.last) && restartPolicy(pod) === 'Never') {
      actions.killPod = true;
    } else {
      if (init.last?.state === 'CONTAINER_UNKNOWN') actions.containersToKill.set(init.last.id, { name: init.last.metadata.name, message: '' });
      actions.nextInitContainerToStart = init.next;
    }
  }
  return false;
}

/**
 * Init containers with sidecars among them (upstream computeInitContainerActions): in order, a
 * sidecar must be running and started before the next init container runs; a regular one must
 * have succeeded. After initialisation, exited sidecars are restarted whatever the pod's policy,
 * and a sidecar failing liveness is restarted. True when initialisation is over.
 */
function sidecarInitActions(pod: Obj, rp: RuntimePod | undefined, probes: ProbeVerdicts, actions: PodActions): boolean {
  const inits: Obj[] = pod.spec?.initContainers ?? [];
  const appStarted = (pod.spec?.containers ?? []).some((c: Obj) => !!latestByName(rp, c.name));
  for (const c of inits) {
    const s = latestByName(rp, c.name);
    if (isSidecar(c)) {
      if (!s || s.state !== 'CONTAINER_RUNNING') {
        actions.sidecarsToStart.push(c);
        if (!appStarted) return false;
        continue;
      }
      if (probes.livenessFailed(s.id) || probes.startupFailed(s.id)) {
        actions.containersToKill.set(s.id, { name: c.name, message: `Init container ${c.name} failed ${probes.livenessFailed(s.id) ? 'liveness' : 'startup'} probe, will be restarted` });
        actions.sidecarsToStart.push(c);
        if (!appStarted) return false;
        continue;
      }
      if (!appStarted && probes.started && !probes.started(s.id, c)) return false;
      continue;
    }
    if (appStarted) continue;
    if (!s) {
      actions.nextInitContainerToStart = c;
      return false;
    }
    if (s.state === 'CONTAINER_RUNNING' || s.state === 'CONTAINER_CREATED') return false;
    if (s.exitCode === 0 && s.state === 'CONTAINER_EXITED') continue;
    if (restartPolicy(pod) === 'Never') actions.killPod = true;
    else actions.nextInitContainerToStart = c;
    return false;
  }
  return true;
}
