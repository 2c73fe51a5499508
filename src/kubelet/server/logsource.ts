// Which log file a logs request reads, with upstream's refusals (kubelet_pods.go
// validateContainerLogStatus): a container that never ran has no log ("is waiting to start: <reason>"),
// previous=true needs a terminated earlier instance, and a waiting container that ran before serves
// the log of its last run.
import { StatusError, errors } from '../../util/errors.js';
import type { KubeletContainer, KubeletPod, KubeObject } from './types.js';

export interface LogSource {
  path: string;
  /** Runtime id to follow (running check); '' when the file belongs to a finished instance. */
  followId: string;
}

function containerStatus(pod: KubeObject | undefined, name: string): KubeObject | undefined {
  const st = pod?.status ?? {};
  for (const list of [st.containerStatuses, st.initContainerStatuses, st.ephemeralContainerStatuses]) {
    const found = (list as KubeObject[] | undefined)?.find((c) => c.name === name);
    if (found) return found;
  }
  return undefined;
}

export function resolveLogSource(kp: KubeletPod, podName: string, name: string, previous: boolean): LogSource {
  const c: KubeletContainer | undefined = kp.containers.get(name);
  const status = containerStatus(kp.pod, name);
  if (previous) {
    if (!c?.previousLogPath) throw errors.badRequest(`previous terminated container "${name}" in pod "${podName}" not found`);
    return { path: c.previousLogPath, followId: '' };
  }
  const waiting = status?.state?.waiting;
  if (waiting && !status?.state?.running && !status?.state?.terminated) {
    // A restarting container (CrashLoopBackOff) serves its last run's log.
    if (status?.lastState?.terminated && c?.previousLogPath && !c.id) return { path: c.previousLogPath, followId: '' };
    if (!c?.logPath || !c.id) {
      const reason = waiting.reason === 'ErrImagePull' || waiting.reason === 'ImagePullBackOff'
        ? 'trying and failing to pull image' : waiting.reason ?? 'ContainerCreating';
      throw errors.badRequest(`container "${name}" in pod "${podName}" is waiting to start: ${reason}`);
    }
  }
  if (!c?.logPath || !c.id) {
    if (!status) throw errors.badRequest(`container "${name}" in pod "${podName}" is waiting to start: ContainerCreating`);
    throw errors.badRequest(`container "${name}" in pod "${podName}" is not available`);
  }
  return { path: c.logPath, followId: c.id };
}

/** A 404 for a container the pod does not have (upstream kubelet server getContainerLogs). */
export function containerNotFound(name: string, podName: string): StatusError {
  return new StatusError(404, 'NotFound', `container "${name}" not found in pod "${podName}"`);
}
