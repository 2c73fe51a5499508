// batch/v1: Job and CronJob (`kubectl create job|cronjob`). Notation: see ../schema.ts.

import type { MessageTable } from '../schema.js';

export const batchV1: MessageTable = {
  Job: '1 metadata:ObjectMeta, 2 spec:JobSpec, 3 status:JobStatus',
  // 17 (scheduling) is an alpha field of an unreleased version: skipped as unknown.
  JobSpec:
    '1 parallelism:i32!, 2 completions:i32!, 3 activeDeadlineSeconds:i64!, 4 selector:LabelSelector, ' +
    '5 manualSelector:bool!, 6 template:PodTemplateSpec, 7 backoffLimit:i32!, ' +
    '8 ttlSecondsAfterFinished:i32!, 9 completionMode!, 10 suspend:bool!, ' +
    '11 podFailurePolicy:PodFailurePolicy, 12 backoffLimitPerIndex:i32!, 13 maxFailedIndexes:i32!, ' +
    '14 podReplacementPolicy!, 15 managedBy!, 16 successPolicy:SuccessPolicy',
  PodFailurePolicy: '1 rules:PodFailurePolicyRule[]',
  PodFailurePolicyRule:
    '1 action!, 2 onExitCodes:PodFailurePolicyOnExitCodesRequirement, ' +
    '3 onPodConditions:PodFailurePolicyOnPodConditionsPattern[]',
  PodFailurePolicyOnExitCodesRequirement: '1 containerName!, 2 operator!, 3 values:i32[]',
  PodFailurePolicyOnPodConditionsPattern: '1 type!, 2 status!',
  SuccessPolicy: '1 rules:SuccessPolicyRule[]',
  SuccessPolicyRule: '1 succeededIndexes!, 2 succeededCount:i32!',
  JobStatus:
    '1 conditions:JobCondition[], 2 startTime:Time, 3 completionTime:Time, 4 active:i32, ' +
    '5 succeeded:i32, 6 failed:i32, 7 completedIndexes, ' +
    '8 uncountedTerminatedPods:UncountedTerminatedPods, 9 ready:i32!, 10 failedIndexes!, ' +
    '11 terminating:i32!',
  JobCondition: '1 type!, 2 status!, 3 lastProbeTime:Time, 4 lastTransitionTime:Time, 5 reason, 6 message',
  UncountedTerminatedPods: '1 succeeded:str[], 2 failed:str[]',
  CronJob: '1 metadata:ObjectMeta, 2 spec:CronJobSpec, 3 status:CronJobStatus',
  CronJobSpec:
    '1 schedule!, 2 startingDeadlineSeconds:i64!, 3 concurrencyPolicy, 4 suspend:bool!, ' +
    '5 jobTemplate:JobTemplateSpec, 6 successfulJobsHistoryLimit:i32!, ' +
    '7 failedJobsHistoryLimit:i32!, 8 timeZone!',
  JobTemplateSpec: '1 metadata:ObjectMeta, 2 spec:JobSpec',
  CronJobStatus: '1 active:ObjectReference[], 4 lastScheduleTime:Time, 5 lastSuccessfulTime:Time',
};
