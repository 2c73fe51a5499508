// What the kubelet's HTTPS server (src/kubelet/server) needs to find containers for logs, exec,
// attach and port-forward: pods bound to this node by namespace/name, and container ids by name.
// `find`/`list` match the server's KubeletPods interface structurally, so the Kubelet can be
// handed to it as is.
import type { Obj } from './types.js';

/** One container of a pod as this node runs it. */
export interface PodLookupContainer {
  /** Runtime id of the newest instance ('' when never created). */
  id: string;
  /** CRI log file of the newest instance ('' when none). */
  logPath: string;
  /** CRI log file of the instance before it, after a restart. */
  previousLogPath?: string;
}

export interface PodLookupPod {
  uid: string;
  /** The current sandbox ('' when none). */
  sandboxId: string;
  /** By container name (init and app containers). */
  containers: Map<string, PodLookupContainer>;
  /** The pod object with the status the kubelet last computed. */
  pod?: Obj;
}

export interface PodLookup {
  /** The pod bound to this node by namespace/name, or undefined. */
  find(namespace: string, name: string): PodLookupPod | undefined;
  /** Every pod bound to this node, with the status the kubelet last computed. */
  list(): Obj[];
  /** Id of the newest (or, with previous, the one before) instance of a container; undefined when none. */
  containerId(podUid: string, containerName: string, previous?: boolean): string | undefined;
}
