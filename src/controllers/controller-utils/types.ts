// The workload object shapes the controllers read and write: KubeObject with the upstream spec/status
// types (kubernetes-types, type-only) so fields are checked without a schema layer.
import type { KubeObject } from '../../api/types.js';
import type { PodSpec, PodStatus, PodTemplateSpec } from 'kubernetes-types/core/v1.js';
import type { DeploymentSpec, DeploymentStatus, ReplicaSetSpec, ReplicaSetStatus } from 'kubernetes-types/apps/v1.js';

export type { PodTemplateSpec, PodCondition, ContainerStatus } from 'kubernetes-types/core/v1.js';
export type { DeploymentCondition, ReplicaSetCondition } from 'kubernetes-types/apps/v1.js';

export interface Pod extends KubeObject {
  spec?: PodSpec;
  status?: PodStatus;
}

export interface ReplicaSet extends KubeObject {
  spec?: ReplicaSetSpec;
  status?: ReplicaSetStatus;
}

export interface Deployment extends KubeObject {
  spec?: DeploymentSpec;
  status?: DeploymentStatus;
}

/** core/v1 ReplicationController: a map selector and an optional template. */
export interface ReplicationController extends KubeObject {
  spec?: {
    replicas?: number;
    minReadySeconds?: number;
    selector?: Record<string, string>;
    template?: PodTemplateSpec;
  };
  status?: ReplicaSetStatus;
}
