// What the kubelet's HTTPS server (src/kubelet/server) needs to find containers for logs, exec,
// attach and port-forward: pods bound to this node by namespace/name, and container ids by name.

export interface PodLookup {
  /** The pod bound to this node, or undefined. */
  getPod(namespace: string, name: string): { uid: string; sandboxId?: string; containers: string[] } | undefined;
  /**
   * The id of the newest instance of a container of the pod (previous: the instance before it,
   * for `logs --previous`); undefined when there is none.
   */
  containerId(podUid: string, containerName: string, previous?: boolean): string | undefined;
  /** The CRI log file of that container instance ('' when unknown). */
  containerLogPath(podUid: string, containerName: string, previous?: boolean): string | undefined;
}
