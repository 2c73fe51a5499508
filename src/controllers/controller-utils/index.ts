// Helpers shared by the workload controllers (upstream pkg/controller/controller_utils.go and
// controller_ref_manager.go).
export type { Pod, ReplicaSet, Deployment, ReplicationController, PodTemplateSpec, PodCondition, ContainerStatus, DeploymentCondition, ReplicaSetCondition } from './types.js';
export { isPodActive, isPodTerminal, isPodReady, isPodAvailable, podReadyCondition, podReadyTime, podRestarts, parseTime, formatTime } from './pod.js';
export { comparePodsForDeletion, sortPodsForDeletion, rankByRelatedPodsOnSameNode, comparePods, POD_DELETION_COST } from './ranking.js';
export type { RankedPod } from './ranking.js';
export { ControllerExpectations, UIDTrackingControllerExpectations, EXPECTATIONS_TIMEOUT_MS } from './expectations.js';
export { getControllerOf, newControllerRef, refersToKind } from './owner.js';
export type { OwnerKind } from './owner.js';
export { ControllerRefManager, recheckDeletionTimestamp } from './ref-manager.js';
export type { RefManagerOptions } from './ref-manager.js';
export { podFromTemplate, podsPrefix } from './template.js';
export { slowStartBatch, SLOW_START_INITIAL_BATCH, BURST_REPLICAS } from './slowstart.js';
export type { SlowStartResult } from './slowstart.js';
export {
  PodControl, isNamespaceTerminating, errText,
  EVENT_SUCCESSFUL_CREATE, EVENT_FAILED_CREATE, EVENT_SUCCESSFUL_DELETE, EVENT_FAILED_DELETE,
} from './pod-control.js';
export { resolveControllerRef } from './resolve-ref.js';
