// Strategic-merge metadata for the named API groups, from the struct tags in kubernetes/api
// <group>/<version>/types.go (notation: see strategic-types-core.ts).
import type { TypeTable } from './strategic-schema.js';

export const APPS_TYPES: TypeTable = {
  Deployment: ['spec:DeploymentSpec', 'status:ConditionsStatus'],
  // retainKeys: kubectl apply sends $retainKeys so that switching type to Recreate drops rollingUpdate.
  DeploymentSpec: ['template:PodTemplateSpec', 'strategy retainKeys ssa:present', 'selector ssa:atomic'],
  ReplicaSet: ['spec:TemplateSpec', 'status:ConditionsStatus'],
  DaemonSet: ['spec:TemplateSpec', 'status:ConditionsStatus'],
  StatefulSet: ['spec:StatefulSetSpec', 'status:ConditionsStatus'],
  StatefulSetSpec: ['template:PodTemplateSpec', 'volumeClaimTemplates atomic', 'selector ssa:atomic'],
  // ReplicaSetSpec and DaemonSetSpec: only their pod template matters.
  TemplateSpec: ['template:PodTemplateSpec', 'selector ssa:atomic'],
};

export const BATCH_TYPES: TypeTable = {
  Job: ['spec:JobSpec', 'status:JobStatus'],
  JobSpec: ['template:PodTemplateSpec', 'scheduling:JobSchedulingConfiguration', 'selector ssa:atomic'],
  JobSchedulingConfiguration: ['resourceClaims merge:name map'],
  // Merged by type for patches; atomic for server-side apply.
  JobStatus: ['conditions merge:type atomic'],
  CronJob: ['spec:CronJobSpec', 'status:CronJobStatus'],
  CronJobSpec: ['jobTemplate:JobTemplateSpec'],
  JobTemplateSpec: ['metadata:ObjectMeta', 'spec:JobSpec'],
  CronJobStatus: ['active atomic'],
};

export const OTHER_TYPES: TypeTable = {
  HorizontalPodAutoscaler: ['spec:HorizontalPodAutoscalerSpec', 'status:HorizontalPodAutoscalerStatus'],
  HorizontalPodAutoscalerSpec: ['metrics atomic'],
  HorizontalPodAutoscalerStatus: ['conditions merge:type map', 'currentMetrics atomic'],
  PodDisruptionBudget: ['spec:PodDisruptionBudgetSpec', 'status:ConditionsStatus'],
  // The one built-in map field whose strategy is "replace": a patch's selector replaces the old one.
  PodDisruptionBudgetSpec: ['selector replace ssa:atomic'],
  ValidatingWebhookConfiguration: ['webhooks:Webhook merge:name map'],
  MutatingWebhookConfiguration: ['webhooks:Webhook merge:name map'],
  Webhook: ['matchConditions merge:name map'],
  ValidatingAdmissionPolicy: ['spec:ValidatingAdmissionPolicySpec'],
  ValidatingAdmissionPolicySpec: ['matchConditions merge:name map', 'variables merge:name map'],
  MutatingAdmissionPolicy: ['spec:MutatingAdmissionPolicySpec'],
  MutatingAdmissionPolicySpec: ['matchConditions merge:name map'],
  CSINode: ['spec:CSINodeSpec', 'status:CSINodeStatus'],
  CSINodeSpec: ['drivers merge:name map'],
  CSINodeStatus: ['storageHealth merge:name map'],
  ResourceClaim: ['status:ResourceClaimStatus'],
  ResourceClaimStatus: ['reservedFor merge:uid map'],
  // Kinds whose only strategic field is status.conditions merged by type (FlowSchema, ServiceCIDR, …).
  Conditioned: ['status:ConditionsStatus'],
};
