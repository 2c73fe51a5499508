// The kubelet's log layout, as upstream (pkg/kubelet/kuberuntime/helpers.go BuildPodLogsDirectory /
// BuildContainerLogsDirectory): /var/log/pods/<namespace>_<name>_<uid>/<container>/<restartCount>.log.
// Skiff puts the `/var/log/pods` part under the data dir: <dataDir>/log/pods.
import { join } from 'node:path';

/** <dataDir>/log/pods: the root under which the kubelet keeps pod log directories. */
export function podLogsRoot(dataDir: string): string {
  return join(dataDir, 'log', 'pods');
}

/** PodSandboxConfig.logDirectory for a pod. */
export function podLogDirectory(logsRoot: string, namespace: string, name: string, uid: string): string {
  return join(logsRoot, `${namespace}_${name}_${uid}`);
}

/** ContainerConfig.logPath (relative to the pod log directory) for a container's restartCount-th run. */
export function containerLogPath(containerName: string, restartCount: number): string {
  return join(containerName, `${restartCount}.log`);
}
