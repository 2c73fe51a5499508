// Defaulting for built-in types, as upstream's SetDefaults_* functions (pkg/apis/*/v1/defaults.go)
// and declarative +default markers. Applied to the storage-version object on create and update,
// before validation; defaults never overwrite what a client set. Quantities are canonicalised, and
// an unparsable one throws DecodeError (upstream fails such a request while decoding it).
import type { KubeObject } from '../types.js';
import { defaultEndpoints, defaultLimitRange, defaultNamespace, defaultNode, defaultPersistentVolume, defaultPersistentVolumeClaim, defaultPodTemplate, defaultReplicationController, defaultResourceQuota, defaultSecret, defaultService } from './core.js';
import { defaultPod } from './pod.js';
import { defaultDaemonSet, defaultDeployment, defaultReplicaSet, defaultStatefulSet } from './apps.js';
import { defaultCronJob, defaultJob } from './batch.js';
import { defaultEndpointSlice, defaultHPA, defaultIngressClass, defaultNetworkPolicy, defaultPriorityClass, defaultRoleBinding, defaultStorageClass } from './others.js';
import type { Obj } from './util.js';

export { DecodeError } from './resources.js';
export { defaultPodSpec, defaultPodTemplateSpec, defaultContainer, pullPolicyFor } from './pod.js';

type Defaulter = (o: Obj) => void;

/** Defaulters by `group/Kind` of the storage version (core group ''). */
const DEFAULTERS: Record<string, Defaulter> = {
  '/Pod': defaultPod,
  '/PodTemplate': defaultPodTemplate,
  '/ReplicationController': defaultReplicationController,
  '/Service': defaultService,
  '/Namespace': defaultNamespace,
  '/Node': defaultNode,
  '/PersistentVolume': defaultPersistentVolume,
  '/PersistentVolumeClaim': defaultPersistentVolumeClaim,
  '/Endpoints': defaultEndpoints,
  '/LimitRange': defaultLimitRange,
  '/ResourceQuota': defaultResourceQuota,
  '/Secret': defaultSecret,
  'apps/Deployment': defaultDeployment,
  'apps/DaemonSet': defaultDaemonSet,
  'apps/StatefulSet': defaultStatefulSet,
  'apps/ReplicaSet': defaultReplicaSet,
  'batch/Job': defaultJob,
  'batch/CronJob': defaultCronJob,
  'autoscaling/HorizontalPodAutoscaler': defaultHPA,
  'networking.k8s.io/NetworkPolicy': defaultNetworkPolicy,
  'networking.k8s.io/IngressClass': defaultIngressClass,
  'rbac.authorization.k8s.io/RoleBinding': defaultRoleBinding,
  'rbac.authorization.k8s.io/ClusterRoleBinding': defaultRoleBinding,
  'scheduling.k8s.io/PriorityClass': defaultPriorityClass,
  'discovery.k8s.io/EndpointSlice': defaultEndpointSlice,
  'storage.k8s.io/StorageClass': defaultStorageClass,
};

/** Applies the defaults of obj's kind in place (group '' = core). Throws DecodeError for a bad quantity. */
export function applyDefaults(group: string, kind: string, obj: KubeObject): void {
  const o = obj as Obj;
  o.metadata ??= {};
  DEFAULTERS[`${group}/${kind}`]?.(o);
}

/** True when the kind has defaults of its own. */
export function hasDefaults(group: string, kind: string): boolean {
  return `${group}/${kind}` in DEFAULTERS;
}
