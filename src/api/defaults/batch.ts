// batch/v1 defaults (upstream pkg/apis/batch/v1/defaults.go). A CronJob's jobTemplate gets only
// the pod template defaults: SetDefaults_Job runs for Job objects, not for nested JobSpecs.
import { defaultPodTemplateSpec } from './pod.js';
import { isObj, objects, setIfEmpty, setIfMissing, type Obj } from './util.js';

export function defaultJob(o: Obj): void {
  const spec = o.spec as Obj | undefined;
  if (!isObj(spec)) return;
  if (spec.completions == null && spec.parallelism == null) {
    spec.completions = 1;
    spec.parallelism = 1;
  }
  setIfMissing(spec, 'parallelism', 1);
  setIfMissing(spec, 'backoffLimit', 6);
  const labels = spec.template?.metadata?.labels;
  if (isObj(labels) && (!isObj(o.metadata.labels) || Object.keys(o.metadata.labels).length === 0)) o.metadata.labels = { ...labels };
  setIfMissing(spec, 'completionMode', 'NonIndexed');
  setIfMissing(spec, 'suspend', false);
  // JobPodReplacementPolicy (beta, on in 1.32).
  setIfMissing(spec, 'podReplacementPolicy', isObj(spec.podFailurePolicy) ? 'Failed' : 'TerminatingOrFailed');
  for (const rule of objects(spec.podFailurePolicy?.rules)) for (const c of objects(rule.onPodConditions)) setIfEmpty(c, 'status', 'True');
  defaultPodTemplateSpec(spec.template);
}

export function defaultCronJob(o: Obj): void {
  const spec = o.spec as Obj | undefined;
  if (!isObj(spec)) return;
  setIfEmpty(spec, 'concurrencyPolicy', 'Allow');
  setIfMissing(spec, 'suspend', false);
  setIfMissing(spec, 'successfulJobsHistoryLimit', 3);
  setIfMissing(spec, 'failedJobsHistoryLimit', 1);
  if (isObj(spec.jobTemplate)) {
    setIfMissing(spec.jobTemplate, 'metadata', {});
    if (isObj(spec.jobTemplate.spec)) defaultPodTemplateSpec(spec.jobTemplate.spec.template);
  }
}
