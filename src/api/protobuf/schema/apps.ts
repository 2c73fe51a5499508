// apps/v1: Deployment (`kubectl create deployment`), ReplicaSet and DaemonSet. Notation: see ../schema.ts.

import type { MessageTable } from '../schema.js';

export const appsV1: MessageTable = {
  Deployment: '1 metadata:ObjectMeta, 2 spec:DeploymentSpec, 3 status:DeploymentStatus',
  DeploymentSpec:
    '1 replicas:i32!, 2 selector:LabelSelector, 3 template:PodTemplateSpec, ' +
    '4 strategy:DeploymentStrategy, 5 minReadySeconds:i32, 6 revisionHistoryLimit:i32!, ' +
    '7 paused:bool, 9 progressDeadlineSeconds:i32!',
  DeploymentStrategy: '1 type, 2 rollingUpdate:RollingUpdateDeployment',
  RollingUpdateDeployment: '1 maxUnavailable:IntOrString, 2 maxSurge:IntOrString',
  DeploymentStatus:
    '1 observedGeneration:i64, 2 replicas:i32, 3 updatedReplicas:i32, 4 availableReplicas:i32, ' +
    '5 unavailableReplicas:i32, 6 conditions:DeploymentCondition[], 7 readyReplicas:i32, ' +
    '8 collisionCount:i32!, 9 terminatingReplicas:i32!',
  DeploymentCondition:
    '1 type!, 2 status!, 4 reason, 5 message, 6 lastUpdateTime:Time, 7 lastTransitionTime:Time',
  ReplicaSet: '1 metadata:ObjectMeta, 2 spec:ReplicaSetSpec, 3 status:ReplicaSetStatus',
  ReplicaSetSpec:
    '1 replicas:i32!, 2 selector:LabelSelector, 3 template:PodTemplateSpec, 4 minReadySeconds:i32',
  ReplicaSetStatus:
    '1 replicas:i32!, 2 fullyLabeledReplicas:i32, 3 observedGeneration:i64, 4 readyReplicas:i32, ' +
    '5 availableReplicas:i32, 6 conditions:ReplicaSetCondition[], 7 terminatingReplicas:i32!',
  ReplicaSetCondition: '1 type!, 2 status!, 3 lastTransitionTime:Time, 4 reason, 5 message',
  DaemonSet: '1 metadata:ObjectMeta, 2 spec:DaemonSetSpec, 3 status:DaemonSetStatus',
  DaemonSetSpec:
    '1 selector:LabelSelector, 2 template:PodTemplateSpec, 3 updateStrategy:DaemonSetUpdateStrategy, ' +
    '4 minReadySeconds:i32, 6 revisionHistoryLimit:i32!',
  DaemonSetUpdateStrategy: '1 type, 2 rollingUpdate:RollingUpdateDaemonSet',
  RollingUpdateDaemonSet: '1 maxUnavailable:IntOrString, 2 maxSurge:IntOrString',
  DaemonSetStatus:
    '1 currentNumberScheduled:i32!, 2 numberMisscheduled:i32!, 3 desiredNumberScheduled:i32!, ' +
    '4 numberReady:i32!, 5 observedGeneration:i64, 6 updatedNumberScheduled:i32, ' +
    '7 numberAvailable:i32, 8 numberUnavailable:i32, 9 collisionCount:i32!, ' +
    '10 conditions:DaemonSetCondition[]',
  DaemonSetCondition: '1 type!, 2 status!, 3 lastTransitionTime:Time, 4 reason, 5 message',
};
