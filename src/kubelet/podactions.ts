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
  /** Indexes into spec.containers. */
  containersToStart: number[];
  /** Container id → why. */
  containersToKill: Map<string, KillInfo>;
}

/** Probe verdicts the plan looks at (from the prober). */
export interface ProbeVerdicts {
  livenessFailed(containerId: string): boolean;
  startupFailed(containerId: string): boolean;
}

const noProbes: ProbeVerdicts = { livenessFailed: () => false, startupFailed: () => false };

export function restartPolicy(pod: Obj): 'Always' | 'OnFailure' | 'Never' {
  return pod.spec?.restartPolicy ?? 'Always';
}

/** upstream ShouldContainerBeRestarted: should a container with this (latest) status run again? */
export function shouldContainerBeRestarted(container: Obj, pod: Obj, rp: RuntimePod | undefined): boolean {
  if (pod.metadata.deletionTimestamp) return false;
  const s = latestByName(rp, container.name);
  if (!s || s.state === 'CONTAINER_CREATED' || s.state === 'CONTAINER_UNKNOWN') return true;
  if (s.state === 'CONTAINER_RUNNING') return false;
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
    containersToStart: [], containersToKill: new Map(),
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
      actions.nextInitContainerToStart = inits[0];
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

  const init = findNextInitContainer(pod, rp);
  if (!init.done) {
    if (init.next) {
      if (init.last && initFailed(init.last) && restartPolicy(pod) === 'Never') {
        actions.killPod = true;
      } else {
        if (init.last?.state === 'CONTAINER_UNKNOWN') actions.containersToKill.set(init.last.id, { name: init.last.metadata.name, message: '' });
        actions.nextInitContainerToStart = init.next;
      }
    }
    return actions;
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
      message = `Container ${c.name} definition changed, will be restarted`;
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
  if (keep === 0 && actions.containersToStart.length === 0) actions.killPod = true;
  return actions;
}
