// batch/v1 Job and CronJob printers, as in 1.32 (the Job Status column arrived in 1.30; CronJob's
// Timezone column in 1.27). SuccessCriteriaMet is not a Status value until 1.34, so it is not here.
import type { TablePrinter } from './types.js';
import { age, humanDuration, parseTime } from './duration.js';
import { ageCol, col, containerCols, int, nameCol, objAge, objName, str, wide } from './columns.js';
import { boolPtr, conditionStatus, containerCells, formatLabelSelector } from './format.js';

/** The Job Status cell, in upstream's precedence order. */
export function jobStatus(job: any): string {
  const conds = job?.status?.conditions;
  // hasJobCondition: the first condition of the type decides.
  const is = (type: string) => conditionStatus(conds, type) === 'True';
  if (is('Complete')) return 'Complete';
  if (is('Failed')) return 'Failed';
  if (job?.metadata?.deletionTimestamp) return 'Terminating';
  if (is('Suspended')) return 'Suspended';
  if (is('FailureTarget')) return 'FailureTarget';
  return 'Running';
}

/** Completions: `succeeded/completions`; without completions `succeeded/1`, or `…/1 of P` when parallel. */
export function jobCompletions(job: any): string {
  const succeeded = int(job?.status?.succeeded);
  const completions = job?.spec?.completions;
  if (completions !== undefined && completions !== null) return `${succeeded}/${int(completions)}`;
  const parallelism = int(job?.spec?.parallelism);
  return parallelism > 1 ? `${succeeded}/1 of ${parallelism}` : `${succeeded}/1`;
}

/** Duration: empty before start, running time while active, start→completion once done. */
export function jobDuration(job: any, now: number): string {
  const start = parseTime(job?.status?.startTime);
  if (start === undefined) return '';
  const end = parseTime(job?.status?.completionTime);
  return humanDuration((end ?? now) - start);
}

export const jobPrinter: TablePrinter = {
  columns: [
    nameCol(),
    col('Status', 'string', 'Complete, Failed, Suspended, Running….'),
    col('Completions', 'string', 'Succeeded pods out of the completions wanted.'),
    col('Duration', 'string', 'Run time so far, or start to completion.'),
    ageCol(),
    ...containerCols(),
    wide('Selector', 'string', 'The pod label selector.'),
  ],
  cells(job, now) {
    const [names, images] = containerCells(job?.spec?.template?.spec?.containers);
    return [
      objName(job),
      jobStatus(job),
      jobCompletions(job),
      jobDuration(job, now),
      objAge(job, now),
      names,
      images,
      formatLabelSelector(job?.spec?.selector),
    ];
  },
};

export const cronJobPrinter: TablePrinter = {
  columns: [
    nameCol(),
    col('Schedule', 'string', 'The cron schedule.'),
    col('Timezone', 'string', 'The time zone the schedule is interpreted in.'),
    col('Suspend', 'boolean', 'Whether new runs are suspended.'),
    col('Active', 'integer', 'Number of running jobs.'),
    col('Last Schedule', 'string', 'When a job was last scheduled.'),
    ageCol(),
    ...containerCols(),
    wide('Selector', 'string', 'The job template pod label selector.'),
  ],
  cells(cj, now) {
    const spec = cj?.spec ?? {};
    const jobSpec = spec.jobTemplate?.spec ?? {};
    const [names, images] = containerCells(jobSpec.template?.spec?.containers);
    const last = cj?.status?.lastScheduleTime ? age(cj.status.lastScheduleTime, now) : '<none>';
    return [
      objName(cj),
      str(spec.schedule),
      spec.timeZone != null ? str(spec.timeZone) : '<none>',
      boolPtr(spec.suspend),
      (cj?.status?.active ?? []).length,
      last,
      objAge(cj, now),
      names,
      images,
      formatLabelSelector(jobSpec.selector),
    ];
  },
};
