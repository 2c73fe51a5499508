// KubeSchedulerConfiguration, kubescheduler.config.k8s.io/v1 (upstream
// staging/src/k8s.io/kube-scheduler/config/v1/types.go), the fields Skiff reads.
import type { Profile } from '../framework/index.js';

export const API_VERSION = 'kubescheduler.config.k8s.io/v1';
export const KIND = 'KubeSchedulerConfiguration';
export const DEFAULT_SCHEDULER_NAME = 'default-scheduler';

export interface LeaderElectionConfiguration {
  leaderElect: boolean;
  leaseDuration: string;
  renewDeadline: string;
  retryPeriod: string;
  resourceLock: string;
  resourceName: string;
  resourceNamespace: string;
}

export interface ClientConnectionConfiguration {
  kubeconfig: string;
  acceptContentTypes: string;
  contentType: string;
  qps: number;
  burst: number;
}

export interface KubeSchedulerConfiguration {
  apiVersion: typeof API_VERSION;
  kind: typeof KIND;
  parallelism: number;
  /** 0 = adaptive (50% minus 1% per 125 nodes, at least 5%). */
  percentageOfNodesToScore: number;
  podInitialBackoffSeconds: number;
  podMaxBackoffSeconds: number;
  leaderElection: LeaderElectionConfiguration;
  clientConnection: ClientConnectionConfiguration;
  enableProfiling: boolean;
  enableContentionProfiling: boolean;
  delayCacheUntilActive: boolean;
  profiles: Profile[];
  extenders: unknown[];
}
