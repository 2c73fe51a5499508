// Workload kinds: apps/v1, batch/v1 and autoscaling (v1 with Scale, v2). Compact, Skiff's own wording.
import type { FieldDef, Package } from './dsl.js';

const replicaStatus: Record<string, FieldDef> = {
  replicas: ['integer', 'Pods targeted by this object.'],
  readyReplicas: ['integer', 'Pods with a Ready condition.'],
  availableReplicas: ['integer', 'Pods ready for at least minReadySeconds.'],
  observedGeneration: ['int64', 'The generation the controller last acted on.'],
};

export const apps: Package = {
  prefix: 'io.k8s.api.apps.v1',
  types: {
    Deployment: {
      description: 'Declarative updates for pods via ReplicaSets: rollouts, rollbacks and scaling.',
      fields: { spec: ['DeploymentSpec', 'Desired state.'], status: ['DeploymentStatus', 'Most recently observed state.'] },
    },
    DeploymentSpec: {
      description: 'Desired state of a deployment.',
      required: ['selector', 'template'],
      fields: {
        replicas: ['integer', 'Desired number of pods. Default 1.'],
        selector: ['LabelSelector', 'Pods it manages; must match the template labels. Immutable.'],
        template: ['PodTemplateSpec', 'Pods it creates.'],
        strategy: ['DeploymentStrategy', 'How old pods are replaced by new ones.'],
        minReadySeconds: ['integer', 'Seconds a new pod must be ready to count as available.'],
        revisionHistoryLimit: ['integer', 'Old ReplicaSets kept for rollback. Default 10.'],
        paused: ['boolean', 'Stops rollouts while true.'],
        progressDeadlineSeconds: ['integer', 'Seconds without progress before the rollout is marked failed. Default 600.'],
      },
    },
    DeploymentStrategy: {
      description: 'How a deployment replaces pods.',
      fields: {
        type: ['string', 'RollingUpdate (default) or Recreate.'],
        rollingUpdate: ['RollingUpdateDeployment', 'Parameters of a rolling update.'],
      },
    },
    RollingUpdateDeployment: {
      description: 'Bounds of a rolling update.',
      fields: {
        maxUnavailable: ['IntOrString', 'Pods (or percent) that may be unavailable during the update. Default 25%.'],
        maxSurge: ['IntOrString', 'Pods (or percent) above the desired count during the update. Default 25%.'],
      },
    },
    DeploymentStatus: {
      description: 'Observed state of a deployment.',
      fields: {
        ...replicaStatus,
        updatedReplicas: ['integer', 'Pods running the current template.'],
        unavailableReplicas: ['integer', 'Pods still needed to reach 100% availability.'],
        conditions: ['[]DeploymentCondition', 'Available, Progressing and ReplicaFailure.', 'type'],
        collisionCount: ['integer', 'Used to avoid name collisions of new ReplicaSets.'],
      },
    },
    DeploymentCondition: {
      description: 'One aspect of a deployment\'s state.',
      required: ['type', 'status'],
      fields: {
        type: ['string', 'Available, Progressing or ReplicaFailure.'],
        status: ['string', 'True, False or Unknown.'],
        lastUpdateTime: ['Time', 'Last time the condition was updated.'],
        lastTransitionTime: ['Time', 'Last time status changed.'],
        reason: ['string', 'CamelCase reason.'],
        message: ['string', 'Human-readable detail.'],
      },
    },
    ReplicaSet: {
      description: 'Keeps a number of identical pods running; usually owned by a Deployment.',
      fields: { spec: ['ReplicaSetSpec', 'Desired state.'], status: ['ReplicaSetStatus', 'Observed state.'] },
    },
    ReplicaSetSpec: {
      description: 'Desired state of a replica set.',
      required: ['selector'],
      fields: {
        replicas: ['integer', 'Desired number of pods. Default 1.'],
        minReadySeconds: ['integer', 'Seconds a pod must be ready to count as available.'],
        selector: ['LabelSelector', 'Pods it manages.'],
        template: ['PodTemplateSpec', 'Pods it creates.'],
      },
    },
    ReplicaSetStatus: {
      description: 'Observed state of a replica set.',
      required: ['replicas'],
      fields: { ...replicaStatus, fullyLabeledReplicas: ['integer', 'Pods whose labels match the template.'], conditions: ['[]object', 'Current conditions.', 'type'] },
    },
    StatefulSet: {
      description: 'Pods with stable identities and storage, created and updated in order.',
      fields: { spec: ['StatefulSetSpec', 'Desired state.'], status: ['StatefulSetStatus', 'Observed state.'] },
    },
    StatefulSetSpec: {
      description: 'Desired state of a stateful set.',
      required: ['selector', 'template'],
      fields: {
        replicas: ['integer', 'Desired number of pods. Default 1.'],
        selector: ['LabelSelector', 'Pods it manages.'],
        template: ['PodTemplateSpec', 'Pods it creates, named <set>-<ordinal>.'],
        serviceName: ['string', 'Headless service that gives the pods DNS names.'],
        volumeClaimTemplates: ['[]PersistentVolumeClaim', 'Claims created for every pod.'],
        podManagementPolicy: ['string', 'OrderedReady (default) or Parallel.'],
        updateStrategy: ['object', 'RollingUpdate (default) or OnDelete.'],
        revisionHistoryLimit: ['integer', 'Revisions kept. Default 10.'],
        minReadySeconds: ['integer', 'Seconds a pod must be ready to count as available.'],
        persistentVolumeClaimRetentionPolicy: ['object', 'What happens to claims when pods are deleted or scaled down.'],
      },
    },
    StatefulSetStatus: {
      description: 'Observed state of a stateful set.',
      required: ['replicas'],
      fields: {
        ...replicaStatus,
        currentReplicas: ['integer', 'Pods at currentRevision.'],
        updatedReplicas: ['integer', 'Pods at updateRevision.'],
        currentRevision: ['string', 'Revision of the current pods.'],
        updateRevision: ['string', 'Revision being rolled out.'],
        conditions: ['[]object', 'Current conditions.', 'type'],
      },
    },
    DaemonSet: {
      description: 'Runs one pod on every (selected) node.',
      fields: { spec: ['DaemonSetSpec', 'Desired state.'], status: ['DaemonSetStatus', 'Observed state.'] },
    },
    DaemonSetSpec: {
      description: 'Desired state of a daemon set.',
      required: ['selector', 'template'],
      fields: {
        selector: ['LabelSelector', 'Pods it manages.'],
        template: ['PodTemplateSpec', 'Pod created on each node.'],
        updateStrategy: ['object', 'RollingUpdate (default) or OnDelete.'],
        minReadySeconds: ['integer', 'Seconds a pod must be ready to count as available.'],
        revisionHistoryLimit: ['integer', 'Revisions kept. Default 10.'],
      },
    },
    DaemonSetStatus: {
      description: 'Observed state of a daemon set.',
      required: ['currentNumberScheduled', 'numberMisscheduled', 'desiredNumberScheduled', 'numberReady'],
      fields: {
        currentNumberScheduled: ['integer', 'Nodes running the pod that should.'],
        numberMisscheduled: ['integer', 'Nodes running the pod that should not.'],
        desiredNumberScheduled: ['integer', 'Nodes that should run the pod.'],
        numberReady: ['integer', 'Nodes whose pod is ready.'],
        updatedNumberScheduled: ['integer', 'Nodes running the current template.'],
        numberAvailable: ['integer', 'Nodes whose pod is available.'],
        numberUnavailable: ['integer', 'Nodes whose pod is not available.'],
        observedGeneration: ['int64', 'Generation last acted on.'],
        conditions: ['[]object', 'Current conditions.', 'type'],
      },
    },
    ControllerRevision: {
      description: 'An immutable snapshot of a workload\'s template, used for rollbacks.',
      required: ['revision'],
      fields: { data: ['object', 'The serialized state.'], revision: ['int64', 'Revision number.'] },
    },
  },
};

export const batch: Package = {
  prefix: 'io.k8s.api.batch.v1',
  types: {
    Job: {
      description: 'Runs pods until a number of them complete successfully.',
      fields: { spec: ['JobSpec', 'Desired behaviour.'], status: ['JobStatus', 'Observed state.'] },
    },
    JobSpec: {
      description: 'Desired behaviour of a job.',
      required: ['template'],
      fields: {
        parallelism: ['integer', 'Pods running at once. Default 1.'],
        completions: ['integer', 'Successful pods needed. Default 1.'],
        activeDeadlineSeconds: ['int64', 'Seconds the job may run before it is failed.'],
        backoffLimit: ['integer', 'Retries before the job is failed. Default 6.'],
        selector: ['LabelSelector', 'Pods it manages; generated by default.'],
        manualSelector: ['boolean', 'Use the given selector instead of a generated one.'],
        template: ['PodTemplateSpec', 'Pods it creates; restartPolicy must be Never or OnFailure.'],
        ttlSecondsAfterFinished: ['integer', 'Delete the job this long after it finishes.'],
        completionMode: ['string', 'NonIndexed (default) or Indexed.'],
        suspend: ['boolean', 'Stop creating pods while true.'],
      },
    },
    JobStatus: {
      description: 'Observed state of a job.',
      fields: {
        conditions: ['[]JobCondition', 'Complete, Failed, Suspended….', 'type'],
        startTime: ['Time', 'When the job started.'],
        completionTime: ['Time', 'When the job completed.'],
        active: ['integer', 'Pods running.'],
        succeeded: ['integer', 'Pods that succeeded.'],
        failed: ['integer', 'Pods that failed.'],
        ready: ['integer', 'Pods that are ready.'],
      },
    },
    JobCondition: {
      description: 'One aspect of a job\'s state.',
      required: ['type', 'status'],
      fields: {
        type: ['string', 'Complete, Failed, Suspended, FailureTarget or SuccessCriteriaMet.'],
        status: ['string', 'True, False or Unknown.'],
        lastProbeTime: ['Time', 'Last time it was checked.'],
        lastTransitionTime: ['Time', 'Last time status changed.'],
        reason: ['string', 'CamelCase reason.'],
        message: ['string', 'Human-readable detail.'],
      },
    },
    CronJob: {
      description: 'Creates Jobs on a repeating schedule.',
      fields: { spec: ['CronJobSpec', 'Schedule and job template.'], status: ['CronJobStatus', 'Observed state.'] },
    },
    CronJobSpec: {
      description: 'Desired behaviour of a cron job.',
      required: ['schedule', 'jobTemplate'],
      fields: {
        schedule: ['string', 'Cron expression, e.g. "*/5 * * * *".'],
        timeZone: ['string', 'Time zone of the schedule; defaults to the controller\'s.'],
        startingDeadlineSeconds: ['int64', 'How late a missed run may still start.'],
        concurrencyPolicy: ['string', 'Allow (default), Forbid or Replace.'],
        suspend: ['boolean', 'Skip runs while true.'],
        jobTemplate: ['JobTemplateSpec', 'The Job created for each run.'],
        successfulJobsHistoryLimit: ['integer', 'Finished jobs kept. Default 3.'],
        failedJobsHistoryLimit: ['integer', 'Failed jobs kept. Default 1.'],
      },
    },
    JobTemplateSpec: {
      description: 'The Job a cron job creates.',
      fields: { metadata: ['ObjectMeta', 'Metadata of created jobs.'], spec: ['JobSpec', 'Spec of created jobs.'] },
    },
    CronJobStatus: {
      description: 'Observed state of a cron job.',
      fields: {
        active: ['[]ObjectReference', 'Jobs currently running.'],
        lastScheduleTime: ['Time', 'When a job was last scheduled.'],
        lastSuccessfulTime: ['Time', 'When a job last succeeded.'],
      },
    },
  },
};

const hpaCommon: Record<string, FieldDef> = {
  scaleTargetRef: ['CrossVersionObjectReference', 'The object to scale, e.g. a Deployment.'],
  minReplicas: ['integer', 'Lower bound. Default 1.'],
  maxReplicas: ['integer', 'Upper bound.'],
};

export const autoscalingV1: Package = {
  prefix: 'io.k8s.api.autoscaling.v1',
  types: {
    Scale: {
      description: 'The scale subresource of a scalable object.',
      fields: { spec: ['ScaleSpec', 'Desired scale.'], status: ['ScaleStatus', 'Current scale.'] },
    },
    ScaleSpec: { description: 'Desired scale.', fields: { replicas: ['integer', 'Desired number of instances.'] } },
    ScaleStatus: {
      description: 'Current scale.',
      required: ['replicas'],
      fields: { replicas: ['integer', 'Observed number of instances.'], selector: ['string', 'Label query over the instances, in string form.'] },
    },
    CrossVersionObjectReference: {
      description: 'Names a scalable object.',
      required: ['kind', 'name'],
      fields: { apiVersion: ['string', 'API version of the target.'], kind: ['string', 'Kind of the target.'], name: ['string', 'Name of the target.'] },
    },
    HorizontalPodAutoscaler: {
      description: 'Scales a workload on CPU utilization (v1 form).',
      fields: { spec: ['HorizontalPodAutoscalerSpec', 'Desired behaviour.'], status: ['HorizontalPodAutoscalerStatus', 'Observed state.'] },
    },
    HorizontalPodAutoscalerSpec: {
      description: 'Desired behaviour of the autoscaler.',
      required: ['scaleTargetRef', 'maxReplicas'],
      fields: { ...hpaCommon, targetCPUUtilizationPercentage: ['integer', 'Target average CPU utilization, in percent of requests.'] },
    },
    HorizontalPodAutoscalerStatus: {
      description: 'Observed state of the autoscaler.',
      required: ['currentReplicas', 'desiredReplicas'],
      fields: {
        currentReplicas: ['integer', 'Current number of pods.'],
        desiredReplicas: ['integer', 'Number of pods wanted.'],
        currentCPUUtilizationPercentage: ['integer', 'Current average CPU utilization.'],
        lastScaleTime: ['Time', 'When it last scaled.'],
        observedGeneration: ['int64', 'Generation last acted on.'],
      },
    },
  },
};

export const autoscalingV2: Package = {
  prefix: 'io.k8s.api.autoscaling.v2',
  types: {
    CrossVersionObjectReference: autoscalingV1.types.CrossVersionObjectReference!,
    HorizontalPodAutoscaler: {
      description: 'Scales a workload on resource, pod, object or external metrics.',
      fields: { spec: ['HorizontalPodAutoscalerSpec', 'Desired behaviour.'], status: ['HorizontalPodAutoscalerStatus', 'Observed state.'] },
    },
    HorizontalPodAutoscalerSpec: {
      description: 'Desired behaviour of the autoscaler.',
      required: ['scaleTargetRef', 'maxReplicas'],
      fields: {
        ...hpaCommon,
        metrics: ['[]object', 'Metrics whose targets decide the replica count; the largest proposal wins.'],
        behavior: ['object', 'Scale-up and scale-down policies.'],
      },
    },
    HorizontalPodAutoscalerStatus: {
      description: 'Observed state of the autoscaler.',
      required: ['desiredReplicas'],
      fields: {
        currentReplicas: ['integer', 'Current number of pods.'],
        desiredReplicas: ['integer', 'Number of pods wanted.'],
        currentMetrics: ['[]object', 'Last observed metric values.'],
        conditions: ['[]object', 'AbleToScale, ScalingActive, ScalingLimited.', 'type'],
        lastScaleTime: ['Time', 'When it last scaled.'],
        observedGeneration: ['int64', 'Generation last acted on.'],
      },
    },
  },
};
