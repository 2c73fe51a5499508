// The CronJob controller (upstream pkg/controller/cronjob/cronjob_controllerv2.go): creates a Job for
// each scheduled time, tracks active jobs, honours concurrencyPolicy, suspend and
// startingDeadlineSeconds, trims history, and requeues itself for the next scheduled time.
import type { KubeObject } from '../../api/types.js';
import type { Client, EventRecorder, SharedIndexInformer, SharedInformerFactory } from '../../client/index.js';
import { RateLimitingQueue, deletedObject, objectKey, refs, runWorkers, splitKey } from '../../client/index.js';
import { realClock, type Clock } from '../../util/clock.js';
import { isReason } from '../../util/errors.js';
import { logger, type Logger } from '../../util/log.js';
import { finishedAt, rfc3339 } from '../job/index.js';
import type { Controller } from '../types.js';
import { CronParseError, hasTimeZonePrefix, parseSchedule, type Schedule } from './schedule.js';
import { mostRecentScheduleTime, nextScheduleDelay, type CronJob } from './times.js';
import { UTC, formatRfc3339In, loadZone, type Zone } from './zone.js';

type Obj = Record<string, any>;
type Job = KubeObject & { spec?: Obj; status?: Obj };

export const SCHEDULED_TIMESTAMP_ANNOTATION = 'batch.kubernetes.io/cronjob-scheduled-timestamp';

export interface CronJobControllerOptions {
  client: Client;
  informers: SharedInformerFactory;
  recorder?: EventRecorder;
  clock?: Clock;
  log?: Logger;
}

interface SyncResult {
  requeueAfter?: number;
  updateStatus: boolean;
}

/** The Job name for a scheduled time: "<cronjob>-<minutes since the epoch>" (upstream getJobName). */
export function jobNameFor(cronJobName: string, scheduledMs: number): string {
  return `${cronJobName}-${Math.floor(scheduledMs / 60_000)}`;
}

export class CronJobController implements Controller {
  readonly queue: RateLimitingQueue<string>;
  private readonly client: Client;
  private readonly clock: Clock;
  private readonly log: Logger;
  private readonly recorder: EventRecorder | undefined;
  private readonly cronJobs: SharedIndexInformer<KubeObject>;
  private readonly jobs: SharedIndexInformer<Job>;

  constructor(opts: CronJobControllerOptions) {
    this.client = opts.client;
    this.clock = opts.clock ?? realClock;
    this.log = opts.log ?? logger('cronjob-controller');
    this.recorder = opts.recorder;
    this.queue = new RateLimitingQueue<string>({ clock: this.clock, name: 'cronjob' });
    this.cronJobs = opts.informers.forResource(refs.cronjobs);
    this.jobs = opts.informers.forResource<Job>(refs.jobs);
    this.cronJobs.addEventHandler({
      add: (o) => this.queue.add(objectKey(o)),
      update: (_o, n) => this.queue.add(objectKey(n)),
      delete: (o) => this.queue.add(objectKey(deletedObject(o))),
    });
    const onJob = (j: Job) => {
      const ref = j.metadata.ownerReferences?.find((r) => r.controller === true);
      if (ref?.kind !== 'CronJob') return;
      const cj = this.cronJobs.lister.get(j.metadata.namespace ?? '', ref.name);
      if (cj && cj.metadata.uid === ref.uid) this.queue.add(objectKey(cj));
    };
    this.jobs.addEventHandler({
      add: onJob,
      update: (o, n) => {
        onJob(n);
        if (o.metadata.ownerReferences?.[0]?.uid !== n.metadata.ownerReferences?.[0]?.uid) onJob(o);
      },
      delete: (o) => onJob(deletedObject(o)),
    });
  }

  async run(workers: number, signal: AbortSignal): Promise<void> {
    signal.addEventListener('abort', () => this.queue.shutDown(), { once: true });
    await runWorkers(this.queue, workers, (k) => this.sync(k), { log: this.log });
  }

  /** One upstream sync of a CronJob: reconcile, write status, requeue for the next time, trim history. */
  async sync(key: string): Promise<void> {
    const { namespace, name } = splitKey(key);
    const cached = this.cronJobs.lister.get(namespace, name);
    if (!cached) return;
    const cj = structuredClone(cached) as unknown as CronJob & KubeObject;
    cj.status ??= {};
    const jobs = this.jobs.lister.listNamespace(namespace).filter((j) => j.metadata.ownerReferences?.some((r) => r.controller === true && r.uid === cj.metadata.uid));
    const res = await this.syncCronJob(cj, jobs);
    if (res.updateStatus) await this.writeStatus(cj);
    if (res.requeueAfter !== undefined) this.queue.addAfter(key, res.requeueAfter);
    if (cj.metadata.deletionTimestamp) return;
    const victims = this.historyToDelete(cj, jobs);
    if (!victims.length) return;
    await Promise.all(victims.map((j) => this.deleteJob(cj, j)));
    await this.writeStatus(cj);
  }

  private async writeStatus(cj: CronJob & KubeObject): Promise<void> {
    const out = await this.client.resource(refs.cronjobs).namespace(cj.metadata.namespace!).updateStatus(cj);
    cj.metadata.resourceVersion = out.metadata.resourceVersion;
  }

  private async syncCronJob(cj: CronJob & KubeObject, jobs: Job[]): Promise<SyncResult> {
    const now = this.clock.now();
    let updateStatus = false;
    const status = cj.status!;
    const children = new Set(jobs.map((j) => j.metadata.uid));
    for (const j of jobs) {
      const inActive = (status.active ?? []).some((a: Obj) => a.uid === j.metadata.uid);
      const fin = finishedAt(j);
      if (!inActive && !fin) {
        this.recorder?.record(cj, 'Warning', 'UnexpectedJob', 'Sync', `Saw a job that the controller did not create or forgot: ${j.metadata.name}`);
      } else if (inActive && fin) {
        status.active = (status.active ?? []).filter((a: Obj) => a.uid !== j.metadata.uid);
        this.recorder?.record(cj, 'Normal', 'SawCompletedJob', 'Sync', `Saw completed job: ${j.metadata.name}, condition: ${fin.type}`);
        updateStatus = true;
      }
      if (fin?.type === 'Complete') {
        const done = j.status?.completionTime ? Date.parse(j.status.completionTime) : fin.at;
        if (!status.lastSuccessfulTime || Date.parse(status.lastSuccessfulTime) < done) {
          status.lastSuccessfulTime = rfc3339(done);
          updateStatus = true;
        }
      }
    }
    // Active entries whose job the cache does not know: drop them if the API agrees they are gone.
    for (const a of [...(status.active ?? [])] as Obj[]) {
      if (children.has(a.uid)) continue;
      try {
        const live = await this.client.resource(refs.jobs).namespace(cj.metadata.namespace!).get(a.name);
        if (live.metadata.uid === a.uid) continue;
      } catch (err) {
        if (!isReason(err, 'NotFound')) throw err;
      }
      this.recorder?.record(cj, 'Normal', 'MissingJob', 'Sync', `Active job went missing: ${a.name}`);
      status.active = (status.active ?? []).filter((x: Obj) => x.uid !== a.uid);
      updateStatus = true;
    }
    if (cj.metadata.deletionTimestamp) return { updateStatus };

    let zone: Zone = UTC;
    if (cj.spec.timeZone) {
      try {
        zone = loadZone(cj.spec.timeZone);
      } catch (err) {
        this.recorder?.record(cj, 'Warning', 'UnknownTimeZone', 'Sync', `invalid timeZone: ${JSON.stringify(cj.spec.timeZone)}: ${(err as Error).message}`);
        return { updateStatus };
      }
    }
    if (cj.spec.suspend === true) return { updateStatus };

    let sched: Schedule;
    try {
      sched = parseSchedule(this.formatSchedule(cj));
    } catch (err) {
      if (!(err instanceof CronParseError)) throw err;
      this.recorder?.record(cj, 'Warning', 'UnparseableSchedule', 'Sync', `unparseable schedule: ${JSON.stringify(cj.spec.schedule)} : ${err.message}`);
      return { updateStatus };
    }
    let recent;
    try {
      recent = mostRecentScheduleTime(cj, now, sched, zone, true);
    } catch (err) {
      this.recorder?.record(cj, 'Warning', 'InvalidSchedule', 'Sync', `invalid schedule: ${cj.spec.schedule} : ${(err as Error).message}`);
      return { updateStatus };
    }
    if (recent.missed > 100) {
      this.recorder?.record(cj, 'Warning', 'TooManyMissedTimes', 'Sync', `too many missed start times: ${recent.missed}. Set or decrease .spec.startingDeadlineSeconds or check clock skew`);
    }
    const next = () => nextScheduleDelay(cj, now, sched, zone);
    const scheduled = recent.mostRecent;
    if (scheduled === undefined) return { updateStatus, ...opt(next()) };

    const deadline = cj.spec.startingDeadlineSeconds;
    if (typeof deadline === 'number' && scheduled + deadline * 1000 < now) {
      this.recorder?.record(cj, 'Warning', 'MissSchedule', 'Sync', `Missed scheduled time to start a job: ${rfc1123z(scheduled)}`);
      return { updateStatus, ...opt(next()) };
    }
    const jobName = jobNameFor(cj.metadata.name!, scheduled);
    const alreadyDone = (status.active ?? []).some((a: Obj) => a.name === jobName)
      || (status.lastScheduleTime && Date.parse(status.lastScheduleTime) === scheduled);
    if (alreadyDone) return { updateStatus, ...opt(next()) };
    const policy = cj.spec.concurrencyPolicy ?? 'Allow';
    if (policy === 'Forbid' && (status.active ?? []).length > 0) {
      this.recorder?.record(cj, 'Normal', 'JobAlreadyActive', 'Sync', 'Not starting job because prior execution is running and concurrency policy is Forbid');
      return { updateStatus, ...opt(next()) };
    }
    if (policy === 'Replace') {
      for (const a of [...(status.active ?? [])] as Obj[]) {
        const j = this.jobs.lister.get(cj.metadata.namespace!, a.name);
        if (!j) continue;
        await this.deleteJob(cj, j);
        status.active = (status.active ?? []).filter((x: Obj) => x.uid !== a.uid);
        updateStatus = true;
      }
    }

    const jobReq = this.jobFromTemplate(cj, jobName, scheduled, zone);
    let created: Job;
    try {
      created = await this.client.resource<Job>(refs.jobs).namespace(cj.metadata.namespace!).create(jobReq);
    } catch (err) {
      if (isReason(err, 'AlreadyExists')) {
        // Created in an earlier sync whose status write was lost: nothing to do for this time.
        this.log.v(2).info('job already exists', { cronjob: cj.metadata.name, job: jobName });
        return { updateStatus };
      }
      this.recorder?.record(cj, 'Warning', 'FailedCreate', 'Create', `Error creating job: ${(err as Error).message}`);
      throw err;
    }
    this.recorder?.record(cj, 'Normal', 'SuccessfulCreate', 'Create', `Created job ${created.metadata.name}`);
    status.active = [...(status.active ?? []), {
      apiVersion: 'batch/v1', kind: 'Job', name: created.metadata.name, namespace: created.metadata.namespace,
      uid: created.metadata.uid, resourceVersion: created.metadata.resourceVersion,
    }];
    status.lastScheduleTime = rfc3339(scheduled);
    return { updateStatus: true, ...opt(next()) };
  }

  // Upstream formatSchedule: a TZ prefix plus spec.timeZone is warned about; spec.timeZone otherwise applies.
  private formatSchedule(cj: CronJob & KubeObject): string {
    const s = String(cj.spec.schedule ?? '');
    if (hasTimeZonePrefix(s)) {
      if (cj.spec.timeZone) {
        this.recorder?.record(cj, 'Warning', 'UnsupportedSchedule', 'Sync', `CRON_TZ or TZ used in schedule ${JSON.stringify(s)} is not officially supported, see https://kubernetes.io/docs/concepts/workloads/controllers/cron-jobs/ for more details`);
      }
      return s;
    }
    return s;
  }

  private jobFromTemplate(cj: CronJob & KubeObject, name: string, scheduled: number, zone: Zone): Job {
    const tpl = structuredClone(cj.spec.jobTemplate ?? {}) as Obj;
    return {
      apiVersion: 'batch/v1', kind: 'Job',
      metadata: {
        name, namespace: cj.metadata.namespace,
        labels: { ...(tpl.metadata?.labels ?? {}) },
        annotations: { ...(tpl.metadata?.annotations ?? {}), [SCHEDULED_TIMESTAMP_ANNOTATION]: formatRfc3339In(scheduled, zone) },
        ownerReferences: [{ apiVersion: 'batch/v1', kind: 'CronJob', name: cj.metadata.name!, uid: cj.metadata.uid!, controller: true, blockOwnerDeletion: true }],
      },
      spec: tpl.spec ?? {},
    };
  }

  private async deleteJob(cj: CronJob & KubeObject, j: Job): Promise<void> {
    try {
      await this.client.resource(refs.jobs).namespace(j.metadata.namespace!).delete(j.metadata.name!, { propagationPolicy: 'Background' });
    } catch (err) {
      if (isReason(err, 'NotFound')) return;
      this.recorder?.record(cj, 'Warning', 'FailedDelete', 'Delete', `Deleted job: ${(err as Error).message}`);
      throw err;
    }
    this.recorder?.record(cj, 'Normal', 'SuccessfulDelete', 'Delete', `Deleted job ${j.metadata.name}`);
  }

  // Finished jobs beyond the history limits, oldest first by start time (upstream cleanupFinishedJobs);
  // they leave status.active here and are deleted by the caller.
  private historyToDelete(cj: CronJob & KubeObject, jobs: Job[]): Job[] {
    const succLimit = cj.spec.successfulJobsHistoryLimit;
    const failLimit = cj.spec.failedJobsHistoryLimit;
    if (succLimit == null && failLimit == null) return [];
    const ok: Job[] = [];
    const bad: Job[] = [];
    for (const j of jobs) {
      const f = finishedAt(j);
      if (f?.type === 'Complete') ok.push(j);
      else if (f?.type === 'Failed') bad.push(j);
    }
    const victims = [...oldest(ok, succLimit), ...oldest(bad, failLimit)];
    for (const j of victims) cj.status!.active = (cj.status!.active ?? []).filter((a: Obj) => a.uid !== j.metadata.uid);
    return victims;
  }
}

function oldest(jobs: Job[], limit: number | undefined): Job[] {
  if (limit == null || jobs.length <= limit) return [];
  // Upstream byJobStartTime: jobs without a start time sort last, ties by name.
  const t = (j: Job) => (j.status?.startTime ? Date.parse(j.status.startTime) : Infinity);
  const sorted = [...jobs].sort((a, b) => t(a) - t(b) || String(a.metadata.name).localeCompare(String(b.metadata.name)));
  return sorted.slice(0, jobs.length - limit);
}

function opt(ms: number | undefined): { requeueAfter?: number } {
  return ms === undefined ? {} : { requeueAfter: ms };
}

// Go's time.RFC1123Z in UTC: "Mon, 02 Jan 2006 15:04:05 +0000".
function rfc1123z(ms: number): string {
  return new Date(ms).toUTCString().replace('GMT', '+0000');
}
