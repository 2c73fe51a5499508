// The contract between the controller manager and each controller (DESIGN.md §4). A controller is a
// folder src/controllers/<name>/ exporting a ControllerDescriptor; the manager (manager.ts) builds
// the shared pieces once, starts the enabled controllers after the informer caches synced, and
// stops them on shutdown or when leadership is lost.
import type { Client, EventRecorder, SharedInformerFactory } from '../client/index.js';
import type { Clock } from '../util/clock.js';
import type { Logger } from '../util/log.js';

/** What every controller receives; built once per process and shared. */
export interface ControllerContext {
  client: Client;
  /** Shared informers: ask for what you watch in create(); the manager starts them all. */
  informers: SharedInformerFactory;
  /**
   * Events for `reportingController` "<name>-controller" (one recorder per controller); a name that
   * already ends in "-controller" is used as is (upstream's event sources differ from the
   * --controllers names, e.g. "replication-controller" for "replicationcontroller").
   */
  recorder(controller: string): EventRecorder;
  clock: Clock;
  log: Logger;
  /** Cluster settings some controllers need (node-ipam, root-ca publisher, …). */
  config: ControllerManagerConfig;
}

export interface ControllerManagerConfig {
  /** --cluster-cidr: pod network (node-ipam hands out a /24 per node). */
  clusterCIDR: string;
  /** --node-cidr-mask-size (default 24). */
  nodeCIDRMaskSize: number;
  /** --service-cidr. */
  serviceCIDR: string;
  /** PEM of the cluster CA (root-ca-certificate-publisher writes it as kube-root-ca.crt). */
  rootCAPem?: string;
  /** node-lifecycle: --node-monitor-grace-period (default 40 s). */
  nodeMonitorGracePeriodMs: number;
  /** pod-garbage-collector: --terminated-pod-gc-threshold (default 12500). */
  terminatedPodGCThreshold: number;
}

/** A running controller: started once, after the caches synced. */
export interface Controller {
  /** Runs `workers` workers until signal aborts; resolves when they have drained. */
  run(workers: number, signal: AbortSignal): Promise<void>;
}

export interface ControllerDescriptor {
  /** Upstream's name as --controllers uses it, e.g. "replicaset", "garbage-collector". */
  name: string;
  /** Whether it runs when --controllers says "*" (upstream disables a few by default). */
  enabledByDefault: boolean;
  /** Workers upstream runs by default (e.g. --concurrent-replicaset-syncs 5). */
  workers: number;
  /** Builds the controller: register informer handlers here (before the factory starts). */
  create(ctx: ControllerContext): Controller;
}
