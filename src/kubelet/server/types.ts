// What the kubelet API server needs from the rest of the kubelet: which pods run here and where
// their containers and logs are. The kubelet core implements KubeletPods; tests hand-make one.
import type { ContainerRuntime } from '../runtime/index.js';

/** A JSON object from the API (a Pod). */
export type KubeObject = Record<string, any>;

/** One container of a pod as this node runs it. */
export interface KubeletContainer {
  /** Runtime id of the current (newest) instance; '' when it was never created. */
  id: string;
  /** Absolute CRI log file of the current instance ('' when none yet). */
  logPath: string;
  /** Absolute CRI log file of the previous instance (after a restart), if any. */
  previousLogPath?: string;
}

/** A pod as this node runs it. */
export interface KubeletPod {
  uid: string;
  /** Runtime id of the pod's current sandbox ('' when none). */
  sandboxId: string;
  /** Keyed by container name (init, app and ephemeral containers alike). */
  containers: Map<string, KubeletContainer>;
  /** The pod object (spec + the status the kubelet last computed); used for log/exec validation. */
  pod?: KubeObject;
}

/** The kubelet core's view of its pods, as the kubelet API needs it. */
export interface KubeletPods {
  /** The pod by namespace/name, or undefined when this node does not run it. */
  find(namespace: string, name: string): KubeletPod | undefined;
  /** Every pod bound to this node (the objects served by /pods). */
  list(): KubeObject[];
}

export interface KubeletServerOptions {
  /** 10250 upstream; 0 picks a free port. */
  port: number;
  bindAddress: string;
  tls: { certPem: string; keyPem: string };
  /**
   * CA bundle client certificates must chain to (the cluster CA: the API server's kubelet-client
   * certificate and any other cluster client certificate). Connections without one are refused.
   */
  clientCAPem: string;
  runtime: ContainerRuntime;
  pods: KubeletPods;
  /** Node name (for /stats/summary); defaults to the host name. */
  nodeName?: string;
  /** Prometheus text for /metrics, if the kubelet has metrics. */
  metrics?: () => string;
}

export interface KubeletServer {
  port: number;
  stop(): Promise<void>;
}
