// One map from group/kind to printer, like upstream's AddHandlers. Group '' is core/v1.
import type { TablePrinter } from './types.js';
import { podPrinter } from './core-pod.js';
import { endpointsPrinter, servicePrinter } from './core-service.js';
import { nodePrinter } from './core-node.js';
import { coreEventPrinter, eventsV1EventPrinter } from './core-event.js';
import { persistentVolumeClaimPrinter, persistentVolumePrinter } from './core-volumes.js';
import {
  configMapPrinter,
  limitRangePrinter,
  namespacePrinter,
  podTemplatePrinter,
  replicationControllerPrinter,
  resourceQuotaPrinter,
  secretPrinter,
  serviceAccountPrinter,
} from './core.js';
import { controllerRevisionPrinter, daemonSetPrinter, deploymentPrinter, replicaSetPrinter, statefulSetPrinter } from './apps.js';
import { cronJobPrinter, jobPrinter } from './batch.js';
import { ingressClassPrinter, ingressPrinter, networkPolicyPrinter } from './networking.js';
import { endpointSlicePrinter } from './discovery.js';
import { leasePrinter } from './coordination.js';
import { podDisruptionBudgetPrinter } from './policy.js';
import { horizontalPodAutoscalerPrinter } from './autoscaling.js';
import { clusterRoleBindingPrinter, clusterRolePrinter, roleBindingPrinter, rolePrinter } from './rbac.js';
import { priorityClassPrinter } from './scheduling.js';
import { storageClassPrinter } from './storage.js';
import { runtimeClassPrinter } from './nodeapi.js';
import { certificateSigningRequestPrinter } from './certificates.js';

const byGroup: Record<string, Record<string, TablePrinter>> = {
  '': {
    Pod: podPrinter,
    PodTemplate: podTemplatePrinter,
    ReplicationController: replicationControllerPrinter,
    Service: servicePrinter,
    Endpoints: endpointsPrinter,
    Node: nodePrinter,
    Namespace: namespacePrinter,
    Event: coreEventPrinter,
    ConfigMap: configMapPrinter,
    Secret: secretPrinter,
    ServiceAccount: serviceAccountPrinter,
    PersistentVolume: persistentVolumePrinter,
    PersistentVolumeClaim: persistentVolumeClaimPrinter,
    ResourceQuota: resourceQuotaPrinter,
    LimitRange: limitRangePrinter,
  },
  apps: {
    Deployment: deploymentPrinter,
    ReplicaSet: replicaSetPrinter,
    StatefulSet: statefulSetPrinter,
    DaemonSet: daemonSetPrinter,
    ControllerRevision: controllerRevisionPrinter,
  },
  batch: { Job: jobPrinter, CronJob: cronJobPrinter },
  'coordination.k8s.io': { Lease: leasePrinter },
  'discovery.k8s.io': { EndpointSlice: endpointSlicePrinter },
  'events.k8s.io': { Event: eventsV1EventPrinter },
  policy: { PodDisruptionBudget: podDisruptionBudgetPrinter },
  autoscaling: { HorizontalPodAutoscaler: horizontalPodAutoscalerPrinter },
  'networking.k8s.io': { Ingress: ingressPrinter, IngressClass: ingressClassPrinter, NetworkPolicy: networkPolicyPrinter },
  'rbac.authorization.k8s.io': {
    Role: rolePrinter,
    ClusterRole: clusterRolePrinter,
    RoleBinding: roleBindingPrinter,
    ClusterRoleBinding: clusterRoleBindingPrinter,
  },
  'scheduling.k8s.io': { PriorityClass: priorityClassPrinter },
  'storage.k8s.io': { StorageClass: storageClassPrinter },
  'node.k8s.io': { RuntimeClass: runtimeClassPrinter },
  'certificates.k8s.io': { CertificateSigningRequest: certificateSigningRequestPrinter },
};

/** The registered printer for group/kind, or undefined when upstream has none we mirror. */
export function lookupPrinter(group: string, kind: string): TablePrinter | undefined {
  const kinds = byGroup[group];
  return kinds && Object.prototype.hasOwnProperty.call(kinds, kind) ? kinds[kind] : undefined;
}

/** Every registered [group, kind] pair (for tests and discovery checks). */
export function registeredKinds(): Array<[string, string]> {
  return Object.entries(byGroup).flatMap(([group, kinds]) => Object.keys(kinds).map((kind): [string, string] => [group, kind]));
}
