// batch/v1 Job and CronJob validation (upstream pkg/apis/batch/validation).
import { cronScheduleError } from './cron.js';
import { child, field, immutable, isObj, labelSelector, nonNegative, oneOf, selectorOf, type FieldCause, type Obj } from './common.js';
import { podTemplateSpec } from './podspec.js';

/** validateJobSpec without the selector (shared by Jobs and CronJob job templates). */
function jobSpecCommon(spec: Obj, path: string): FieldCause[] {
  const causes: FieldCause[] = [];
  for (const k of ['parallelism', 'completions', 'activeDeadlineSeconds', 'backoffLimit', 'ttlSecondsAfterFinished', 'backoffLimitPerIndex', 'maxFailedIndexes']) {
    causes.push(...nonNegative(spec[k], child(path, k)));
  }
  if (spec.completionMode != null) {
    if (spec.completionMode !== 'NonIndexed' && spec.completionMode !== 'Indexed') causes.push(field.notSupported(child(path, 'completionMode'), spec.completionMode, ['NonIndexed', 'Indexed']));
    if (spec.completionMode === 'Indexed' && spec.completions == null) causes.push(field.required(child(path, 'completions'), 'when completion mode is Indexed'));
  }
  if (spec.podReplacementPolicy != null) causes.push(...oneOf(spec.podReplacementPolicy, ['Failed', 'TerminatingOrFailed'], child(path, 'podReplacementPolicy')));
  const t = spec.template;
  causes.push(...podTemplateSpec(t, child(path, 'template')));
  const rp = isObj(t?.spec) ? t.spec.restartPolicy : undefined;
  const rpPath = child(path, 'template.spec.restartPolicy');
  if (rp === 'Always' || !rp) causes.push(field.required(rpPath, 'valid values: "OnFailure", "Never"'));
  else if (rp !== 'OnFailure' && rp !== 'Never') causes.push(field.notSupported(rpPath, rp, ['OnFailure', 'Never']));
  return causes;
}

export function validateJob(o: Obj): FieldCause[] {
  const spec = (isObj(o.spec) ? o.spec : {}) as Obj;
  const causes: FieldCause[] = [];
  if (spec.selector == null) causes.push(field.required('spec.selector'));
  else causes.push(...labelSelector(spec.selector, 'spec.selector'));
  // Generated or manual, the selector must match the pods the job makes.
  const selector = spec.selector == null ? undefined : selectorOf(spec.selector);
  const labels = isObj(spec.template?.metadata?.labels) ? spec.template.metadata.labels : undefined;
  if (selector && !selector.matches(labels)) causes.push(field.invalid('spec.template.metadata.labels', labels ?? null, '`selector` does not match template `labels`'));
  causes.push(...jobSpecCommon(spec, 'spec'));
  return causes;
}

/** ValidateJobSpecUpdate: selector, template (unless suspended), completion mode and policies are fixed. */
export function validateJobUpdate(o: Obj, old: Obj): FieldCause[] {
  const spec = (o.spec ?? {}) as Obj;
  const oldSpec = (old.spec ?? {}) as Obj;
  const causes = validateJob(o);
  const elastic = spec.completionMode === 'Indexed' && spec.completions === spec.parallelism && oldSpec.completions === oldSpec.parallelism;
  if (!elastic) causes.push(...immutable(spec.completions, oldSpec.completions, 'spec.completions'));
  causes.push(...immutable(spec.selector, oldSpec.selector, 'spec.selector'));
  // A suspended job that never started may still have its pod template's scheduling fields changed.
  const mayMutateScheduling = oldSpec.suspend === true && !(old.status as Obj | undefined)?.startTime;
  const strip = (t: unknown) => {
    if (!mayMutateScheduling || !isObj(t)) return t;
    const c = structuredClone(t) as Obj;
    if (isObj(c.spec)) for (const k of ['nodeSelector', 'tolerations', 'affinity', 'schedulingGates']) delete c.spec[k];
    if (isObj(c.metadata)) for (const k of ['labels', 'annotations']) delete c.metadata[k];
    return c;
  };
  causes.push(...immutable(strip(spec.template), strip(oldSpec.template), 'spec.template'));
  causes.push(...immutable(spec.completionMode, oldSpec.completionMode, 'spec.completionMode'));
  causes.push(...immutable(spec.podFailurePolicy, oldSpec.podFailurePolicy, 'spec.podFailurePolicy'));
  causes.push(...immutable(spec.backoffLimitPerIndex, oldSpec.backoffLimitPerIndex, 'spec.backoffLimitPerIndex'));
  causes.push(...immutable(spec.managedBy, oldSpec.managedBy, 'spec.managedBy'));
  return causes;
}

export function validateCronJob(o: Obj, old?: Obj): FieldCause[] {
  const spec = (isObj(o.spec) ? o.spec : {}) as Obj;
  const causes: FieldCause[] = [];
  if (!spec.schedule) causes.push(field.required('spec.schedule'));
  else {
    const schedule = String(spec.schedule);
    const err = cronScheduleError(schedule);
    if (err) causes.push(field.invalid('spec.schedule', schedule, err));
    const allowTZ = String(old?.spec?.schedule ?? '').includes('TZ');
    if (allowTZ && schedule.includes('TZ') && spec.timeZone != null) causes.push(field.invalid('spec.schedule', schedule, 'cannot use both timeZone field and TZ or CRON_TZ in schedule'));
    else if (!allowTZ && schedule.includes('TZ')) causes.push(field.invalid('spec.schedule', schedule, 'cannot use TZ or CRON_TZ in schedule, use timeZone field instead'));
  }
  causes.push(...nonNegative(spec.startingDeadlineSeconds, 'spec.startingDeadlineSeconds'));
  if (spec.timeZone != null && (typeof spec.timeZone !== 'string' || !validTimeZone(spec.timeZone))) {
    causes.push(field.invalid('spec.timeZone', spec.timeZone, 'unknown time zone ' + String(spec.timeZone)));
  }
  causes.push(...oneOf(spec.concurrencyPolicy, ['Allow', 'Forbid', 'Replace'], 'spec.concurrencyPolicy'));
  const jt = isObj(spec.jobTemplate) ? spec.jobTemplate : {};
  const js = isObj(jt.spec) ? jt.spec : {};
  causes.push(...jobSpecCommon(js, 'spec.jobTemplate.spec'));
  if (js.selector != null) causes.push(field.invalid('spec.jobTemplate.spec.selector', js.selector, '`selector` will be auto-generated'));
  if (js.manualSelector === true) causes.push(field.notSupported('spec.jobTemplate.spec.manualSelector', true, ['nil', 'false']));
  causes.push(...nonNegative(spec.successfulJobsHistoryLimit, 'spec.successfulJobsHistoryLimit'));
  causes.push(...nonNegative(spec.failedJobsHistoryLimit, 'spec.failedJobsHistoryLimit'));
  return causes;
}

function validTimeZone(tz: string): boolean {
  if (tz === '' || tz.toLowerCase() === 'local') return false;
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: tz });
    return true;
  } catch {
    return false;
  }
}
