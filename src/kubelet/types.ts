// Shapes the kubelet passes between its parts: the runtime's view of one pod (sandboxes and
// containers, as upstream's kubecontainer.PodStatus) and the keys it labels them with.
import type { ContainerStatus, PodSandboxStatus } from './runtime/index.js';

/** A JSON object from the API (pods, nodes, config maps…). */
export type Obj = Record<string, any>;

/** Labels and annotations the kubelet puts on sandboxes and containers (upstream kuberuntime labels.go). */
export const LABEL = {
  podName: 'io.kubernetes.pod.name',
  podNamespace: 'io.kubernetes.pod.namespace',
  podUID: 'io.kubernetes.pod.uid',
  containerName: 'io.kubernetes.container.name',
  /** Annotations on containers. */
  restartCount: 'io.kubernetes.container.restartCount',
  hash: 'io.kubernetes.container.hash',
  terminationMessagePath: 'io.kubernetes.container.terminationMessagePath',
  terminationMessagePolicy: 'io.kubernetes.container.terminationMessagePolicy',
  gracePeriod: 'io.kubernetes.pod.terminationGracePeriod',
  /** Which list the container came from: "init" or "app" (skiff's own). */
  containerType: 'skiff.io/container-type',
} as const;

/** The runtime's view of one pod: its sandboxes (newest first) and every container, newest first. */
export interface RuntimePod {
  uid: string;
  name: string;
  namespace: string;
  sandboxes: PodSandboxStatus[];
  containers: ContainerStatus[];
}

/** Newest container of that name, as upstream's FindContainerStatusByName. */
export function latestByName(rp: RuntimePod | undefined, name: string): ContainerStatus | undefined {
  return rp?.containers.find((c) => c.metadata.name === name);
}

/** Every instance of a container name, newest first. */
export function instancesByName(rp: RuntimePod | undefined, name: string): ContainerStatus[] {
  return rp?.containers.filter((c) => c.metadata.name === name) ?? [];
}

/** restartCount recorded on a container instance. */
export function restartCountOf(c: ContainerStatus): number {
  return Number(c.annotations[LABEL.restartCount] ?? c.metadata.attempt ?? 0) || 0;
}

/** upstream format.Pod: `name_namespace(uid)`. */
export function formatPod(pod: Obj): string {
  return `${pod.metadata.name}_${pod.metadata.namespace}(${pod.metadata.uid})`;
}
