// The job controller (upstream pkg/controller/job/job_controller.go): runs pods until enough of them
// succeed, counting finished pods through the batch.kubernetes.io/job-tracking finalizer and
// status.uncountedTerminatedPods so that no pod is counted twice or lost to pod garbage collection.
import { labelSelectorFromObject } from '../../api/selectors/index.js';
import type { Client, EventRecorder, SharedIndexInformer, SharedInformerFactory } from '../../client/index.js';
import { RateLimitingQueue, deletedObject, objectKey, refs, runWorkers, splitKey } from '../../client/index.js';
import { realClock, type Clock } from '../../util/clock.js';
import { isReason } from '../../util/errors.js';
import { logger, type Logger } from '../../util/log.js';
import type { Controller } from '../types.js';
import { BackoffStore, remainingBackoff } from './backoff.js';
import { ensureCondition, findCondition, isJobFinished, newCondition, rfc3339, type JobCondition } from './conditions.js';
import { Expectations, UidSet } from './expectations.js';
import { matchPodFailurePolicy } from './failurepolicy.js';
import { excessIndexedPods, firstPendingIndexes, parseIndexes } from './indexes.js';
import {
  completionIndex, controllerRef, countedFailures, hasTrackingFinalizer, isIndexed, isPodActive, isPodReady,
  isPodTerminating, newFinishedPods, onlyReplaceFailedPods, podFromTemplate, TRACKING_FINALIZER, type Job, type Pod,
} from './pods.js';
import { trackJobStatus, type SyncCtx, type TrackDeps } from './tracking.js';

/** Upstream MaxPodCreateDeletePerSync. */
const MAX_CREATE_DELETE = 500;
const MANAGED_BY_DEFAULT = 'kubernetes.io/job-controller';

export interface JobControllerOptions {
  client: Client;
  informers: SharedInformerFactory;
  recorder?: EventRecorder;
  clock?: Clock;
  log?: Logger;
  /** Upstream DefaultJobPodFailureBackOff (10 s) and MaxJobPodFailureBackOff (10 min). */
  podFailureBackoffMs?: number;
  maxPodFailureBackoffMs?: number;
}


export class JobController implements Controller {
  readonly queue: RateLimitingQueue<string>;
  private readonly client: Client;
  private readonly clock: Clock;
  private readonly log: Logger;
  private readonly recorder: EventRecorder | undefined;
  private readonly jobs: SharedIndexInformer<Job>;
  private readonly pods: SharedIndexInformer<Pod>;
  private readonly expectations: Expectations;
  private readonly finalizerExp = new UidSet();
  private readonly backoffs = new BackoffStore();
  private readonly baseBackoff: number;
  private readonly maxBackoff: number;
  private readonly deps: TrackDeps;

  constructor(opts: JobControllerOptions) {
    this.client = opts.client;
    this.clock = opts.clock ?? realClock;
    this.log = opts.log ?? logger('job-controller');
    this.recorder = opts.recorder;
    this.baseBackoff = opts.podFailureBackoffMs ?? 10_000;
    this.maxBackoff = opts.maxPodFailureBackoffMs ?? 10 * 60_000;
    if (!(this.baseBackoff > 0) || this.maxBackoff < this.baseBackoff) throw new RangeError('job controller: need 0 < podFailureBackoffMs <= maxPodFailureBackoffMs');
    this.queue = new RateLimitingQueue<string>({ clock: this.clock, name: 'job' });
    this.deps = {
      clock: this.clock, recorder: this.recorder, backoffs: this.backoffs, finalizerExp: this.finalizerExp,
      writeStatus: (j) => this.writeStatus(j), removeFinalizer: (p) => this.removeFinalizer(p),
    };
    this.expectations = new Expectations(this.clock);
    this.jobs = opts.informers.forResource<Job>(refs.jobs);
    this.pods = opts.informers.forResource<Pod>(refs.pods);
    this.jobs.addEventHandler({
      add: (j) => this.queue.add(objectKey(j)),
      update: (_o, j) => this.queue.add(objectKey(j)),
      delete: (j) => this.queue.add(objectKey(deletedObject(j))),
    });
    this.pods.addEventHandler({
      add: (p) => this.onPod(p, p.metadata.deletionTimestamp ? 'deleted' : 'added'),
      update: (o, p) => this.onPodUpdate(o, p),
      delete: (p) => this.onPod(deletedObject(p), 'gone'),
    });
  }

  async run(workers: number, signal: AbortSignal): Promise<void> {
    signal.addEventListener('abort', () => this.queue.shutDown(), { once: true });
    await runWorkers(this.queue, workers, (k) => this.sync(k), { log: this.log });
  }

  private ownerKey(p: Pod): string | undefined {
    const ref = controllerRef(p);
    if (!ref || ref.kind !== 'Job') return undefined;
    const job = this.jobs.lister.get(p.metadata.namespace ?? '', ref.name);
    if (!job || job.metadata.uid !== ref.uid) {
      // An orphan still holding the finalizer: sync's not-found path releases it.
      return hasTrackingFinalizer(p) ? `${p.metadata.namespace}/${ref.name}` : undefined;
    }
    return objectKey(job);
  }

  private onPod(p: Pod, what: 'added' | 'deleted' | 'gone'): void {
    const key = this.ownerKey(p);
    if (!key) return;
    if (what === 'added') this.expectations.creationObserved(key);
    else this.expectations.deletionObserved(key, p.metadata.uid!);
    if (what === 'gone') this.finalizerExp.remove(key, p.metadata.uid!);
    this.queue.add(key);
  }

  private onPodUpdate(old: Pod, cur: Pod): void {
    const key = this.ownerKey(cur);
    const oldKey = this.ownerKey(old);
    if (oldKey && oldKey !== key) this.queue.add(oldKey);
    if (!key) return;
    if (cur.metadata.deletionTimestamp && !old.metadata.deletionTimestamp) this.expectations.deletionObserved(key, cur.metadata.uid!);
    if (!hasTrackingFinalizer(cur)) this.finalizerExp.remove(key, cur.metadata.uid!);
    this.queue.add(key);
  }

  /** Converges one Job; exported for tests (one call = one upstream syncJob). */
  async sync(key: string): Promise<void> {
    const { namespace, name } = splitKey(key);
    const cached = this.jobs.lister.get(namespace, name);
    if (!cached) {
      this.expectations.delete(key);
      this.finalizerExp.delete(key);
      this.backoffs.delete(key);
      await this.releaseOrphans(namespace, name);
      return;
    }
    if (cached.spec.managedBy && cached.spec.managedBy !== MANAGED_BY_DEFAULT) return;
    if (isJobFinished(cached)) {
      this.backoffs.delete(key);
      return;
    }
    const mode = cached.spec.completionMode;
    if (mode && mode !== 'NonIndexed' && mode !== 'Indexed') {
      this.recorder?.record(cached, 'Warning', 'UnknownCompletionMode', 'Sync', 'Skipped Job sync because completion mode is unknown');
      return;
    }
    const job = structuredClone(cached) as Job;
    job.status ??= {};
    job.status.uncountedTerminatedPods ??= {};
    const now = this.clock.now();
    // Check expectations before reading pods, so a pod arriving meanwhile defers the next sync, not this one.
    const satisfied = this.expectations.satisfied(key);
    const pods = await this.podsForJob(job);
    const active = pods.filter(isPodActive);
    const expectedRm = this.finalizerExp.get(key);
    const fresh = newFinishedPods(job, pods, expectedRm);
    const unc = job.status.uncountedTerminatedPods;
    const ctx: SyncCtx = {
      key, job, pods, active, expectedRm,
      ready: active.filter(isPodReady).length,
      terminating: pods.filter(isPodTerminating).length,
      succeeded: (job.status.succeeded ?? 0) + fresh.succeeded.length + (unc.succeeded?.length ?? 0),
      failed: (job.status.failed ?? 0) + countedFailures(job, fresh.failed) + (unc.failed?.length ?? 0),
      succeededIndexes: new Set(), prevSucceededIndexes: new Set(),
      backoff: this.backoffs.next(key, fresh.succeeded, fresh.failed, now),
    };
    const suspended = job.spec.suspend === true;
    if (!job.status.startTime && !suspended) job.status.startTime = rfc3339(now);

    ctx.finished = this.failureCondition(ctx, now, suspended);
    if (isIndexed(job)) {
      const completions = job.spec.completions ?? 0;
      ctx.prevSucceededIndexes = parseIndexes(job.status.completedIndexes, completions);
      ctx.succeededIndexes = new Set(ctx.prevSucceededIndexes);
      for (const p of pods) {
        const ix = completionIndex(p);
        if (p.status?.phase === 'Succeeded' && ix >= 0 && ix < completions) ctx.succeededIndexes.add(ix);
      }
      ctx.succeeded = ctx.succeededIndexes.size;
    }

    let activeCount = active.length;
    let suspendChanged = false;
    let manageErr: unknown;
    if (ctx.finished) {
      const { deleted, deletedReady, err } = await this.deleteActivePods(job, active);
      // Not finished yet while pods remain or the cache may still lack some.
      if (deleted !== active.length || !satisfied) ctx.finished = undefined;
      activeCount -= deleted;
      ctx.terminating += deleted;
      ctx.ready -= deletedReady;
      manageErr = err;
    } else {
      let managed = false;
      if (satisfied && !job.metadata.deletionTimestamp) {
        try {
          activeCount = await this.manageJob(ctx);
        } catch (err) {
          manageErr = err;
        }
        managed = true;
      }
      const completions = job.spec.completions;
      const complete = completions == null ? ctx.succeeded > 0 && activeCount === 0 : ctx.succeeded >= completions && activeCount === 0;
      if (complete) {
        ctx.finished = newCondition('SuccessCriteriaMet', 'True', '', '', now);
      } else if (managed) {
        const r = suspended
          ? ensureCondition(job.status.conditions, 'Suspended', 'True', 'JobSuspended', 'Job suspended', now)
          : ensureCondition(job.status.conditions, 'Suspended', 'False', 'JobResumed', 'Job resumed', now);
        if (r.changed) {
          job.status.conditions = r.list;
          suspendChanged = true;
          this.recorder?.record(job, 'Normal', suspended ? 'Suspended' : 'Resumed', 'Sync', suspended ? 'Job suspended' : 'Job resumed');
          // activeDeadlineSeconds counts continuous activity: resuming restarts the clock.
          if (!suspended) job.status.startTime = rfc3339(now);
        }
      }
    }
    const s = job.status;
    const needsUpdate = suspendChanged || activeCount !== (s.active ?? 0) || ctx.ready !== s.ready || ctx.terminating !== s.terminating;
    s.active = activeCount;
    s.ready = ctx.ready;
    s.terminating = ctx.terminating;
    await trackJobStatus(this.deps, ctx, needsUpdate);
    if (manageErr) throw manageErr;
  }

  // The failure (or already-met success) condition this sync works towards, if any.
  private failureCondition(ctx: SyncCtx, now: number, suspended: boolean): JobCondition | undefined {
    const { job, pods } = ctx;
    const scm = findCondition(job.status, 'SuccessCriteriaMet');
    if (scm?.status === 'True') return scm;
    const ft = findCondition(job.status, 'FailureTarget');
    if (ft?.status === 'True') return newCondition('Failed', 'True', ft.reason ?? '', ft.message ?? '', now);
    if (job.spec.podFailurePolicy) {
      for (const p of pods) {
        if (p.status?.phase !== 'Failed' || !hasTrackingFinalizer(p)) continue;
        const m = matchPodFailurePolicy(job.spec.podFailurePolicy, p);
        if (m.failJobMessage) return newCondition('FailureTarget', 'True', 'PodFailurePolicy', m.failJobMessage, now);
      }
    }
    if (ctx.failed > (job.spec.backoffLimit ?? 6) || pastBackoffLimitOnFailure(job, pods)) {
      return newCondition('FailureTarget', 'True', 'BackoffLimitExceeded', 'Job has reached the specified backoff limit', now);
    }
    const deadline = job.spec.activeDeadlineSeconds;
    if (deadline != null && job.status?.startTime && !suspended) {
      const left = deadline * 1000 - (now - Date.parse(job.status.startTime));
      if (left <= 0) return newCondition('FailureTarget', 'True', 'DeadlineExceeded', 'Job was active longer than specified deadline', now);
      this.queue.addAfter(ctx.key, left);
    }
    return undefined;
  }

  // Creates or deletes pods towards the wanted number of active ones; returns the new active count.
  private async manageJob(ctx: SyncCtx): Promise<number> {
    const { job, key, active } = ctx;
    if (job.spec.suspend === true) {
      if (!active.length) return 0;
      this.expectations.expectDeletions(key, active.map((p) => p.metadata.uid!));
      const { deleted, err } = await this.deleteJobPods(job, key, active);
      if (err) throw err;
      return active.length - deleted;
    }
    const parallelism = job.spec.parallelism ?? 1;
    const completions: number | undefined = job.spec.completions ?? undefined;
    let want: number;
    if (completions == null) want = ctx.succeeded > 0 ? active.length : parallelism;
    else want = Math.max(0, Math.min(parallelism, completions - ctx.succeeded));
    const rmAtLeast = Math.max(0, active.length - want);
    let toDelete = isIndexed(job) ? excessIndexedPods(active, ctx.succeededIndexes, completions ?? 0) : [];
    if (toDelete.length < rmAtLeast) {
      const chosen = new Set(toDelete);
      toDelete = [...toDelete, ...rankForDeletion(active.filter((p) => !chosen.has(p))).slice(0, rmAtLeast - toDelete.length)];
    }
    toDelete = toDelete.slice(0, MAX_CREATE_DELETE);
    if (toDelete.length) {
      this.expectations.expectDeletions(key, toDelete.map((p) => p.metadata.uid!));
      const { deleted, err } = await this.deleteJobPods(job, key, toDelete);
      if (err) throw err;
      return active.length - deleted;
    }
    let diff = want - active.length - (onlyReplaceFailedPods(job) ? ctx.terminating : 0);
    if (diff <= 0) return active.length;
    const wait = remainingBackoff(ctx.backoff, this.clock.now(), this.baseBackoff, this.maxBackoff);
    if (wait > 0) {
      this.queue.addAfter(key, wait);
      return active.length;
    }
    diff = Math.min(diff, MAX_CREATE_DELETE);
    const indexes = isIndexed(job) ? firstPendingIndexes(active, ctx.succeededIndexes, diff, completions ?? 0) : [];
    if (isIndexed(job)) diff = indexes.length;
    this.expectations.expectCreations(key, diff);
    // Slow start as upstream: batches of 1, 2, 4, … stop at the first batch with an error.
    let created = 0;
    let err: unknown;
    for (let batch = 1, i = 0; i < diff && !err; i += batch, batch *= 2) {
      const n = Math.min(batch, diff - i);
      const results = await Promise.allSettled(Array.from({ length: n }, (_, k) =>
        this.createPod(job, isIndexed(job) ? indexes[i + k]! : -1)));
      for (const r of results) {
        if (r.status === 'fulfilled') created++;
        else {
          this.expectations.creationObserved(key);
          err ??= r.reason;
        }
      }
      if (err) for (let skipped = i + n; skipped < diff; skipped++) this.expectations.creationObserved(key);
    }
    if (err) throw err;
    return active.length + created;
  }

  private async createPod(job: Job, index: number): Promise<void> {
    try {
      const pod = await this.client.resource<Pod>(refs.pods).namespace(job.metadata.namespace!).create(podFromTemplate(job, index));
      this.recorder?.record(job, 'Normal', 'SuccessfulCreate', 'Create', `Created pod: ${pod.metadata.name}`);
    } catch (err) {
      this.recorder?.record(job, 'Warning', 'FailedCreate', 'Create', `Error creating: ${(err as Error).message}`);
      throw err;
    }
  }

  // Deletes pods a finished job no longer needs; their finalizers go in trackStatus (counted as failed).
  private async deleteActivePods(job: Job, pods: Pod[]): Promise<{ deleted: number; deletedReady: number; err?: unknown }> {
    let deleted = 0;
    let deletedReady = 0;
    let err: unknown;
    const ops = this.client.resource(refs.pods).namespace(job.metadata.namespace!);
    await Promise.all(pods.map(async (p) => {
      try {
        await ops.delete(p.metadata.name!);
      } catch (e) {
        if (!isReason(e, 'NotFound')) {
          err ??= e;
          return;
        }
      }
      deleted++;
      if (isPodReady(p)) deletedReady++;
    }));
    return { deleted, deletedReady, ...(err ? { err } : {}) };
  }

  // Deletes pods the job wants gone while running (scale down, suspend): finalizer first, so they are never counted.
  private async deleteJobPods(job: Job, key: string, pods: Pod[]): Promise<{ deleted: number; err?: unknown }> {
    let deleted = 0;
    let err: unknown;
    const ops = this.client.resource(refs.pods).namespace(job.metadata.namespace!);
    await Promise.all(pods.map(async (p) => {
      try {
        if (hasTrackingFinalizer(p)) await this.removeFinalizer(p);
        await ops.delete(p.metadata.name!);
        deleted++;
        this.recorder?.record(job, 'Normal', 'SuccessfulDelete', 'Delete', `Deleted pod: ${p.metadata.name}`);
      } catch (e) {
        this.expectations.deletionObserved(key, p.metadata.uid!);
        if (isReason(e, 'NotFound')) deleted++;
        else err ??= e;
      }
    }));
    return { deleted, ...(err ? { err } : {}) };
  }

  private async removeFinalizer(p: Pod): Promise<void> {
    const fins = p.metadata.finalizers ?? [];
    const i = fins.indexOf(TRACKING_FINALIZER);
    if (i < 0) return;
    // test + remove: fails (and requeues) rather than removing someone else's finalizer if the list moved.
    await this.client.resource(refs.pods).namespace(p.metadata.namespace!).patch(p.metadata.name!, 'json', [
      { op: 'test', path: `/metadata/finalizers/${i}`, value: TRACKING_FINALIZER },
      { op: 'remove', path: `/metadata/finalizers/${i}` },
    ]);
  }


  private async writeStatus(job: Job): Promise<Job> {
    const out = await this.client.resource<Job>(refs.jobs).namespace(job.metadata.namespace!).updateStatus(job);
    // Keep working on our copy (with the new resourceVersion): the server's answer may be defaulted differently.
    job.metadata = { ...job.metadata, resourceVersion: out.metadata.resourceVersion };
    return job;
  }

  // Pods the job controls, adopting orphans its selector matches (upstream ClaimPods, adopt only).
  private async podsForJob(job: Job): Promise<Pod[]> {
    const ns = job.metadata.namespace!;
    const sel = labelSelectorFromObject(job.spec.selector);
    const out: Pod[] = [];
    for (const p of this.pods.lister.listNamespace(ns)) {
      const ref = controllerRef(p);
      if (ref) {
        if (ref.uid === job.metadata.uid) out.push(p);
        continue;
      }
      if (job.metadata.deletionTimestamp || p.metadata.deletionTimestamp || !sel.matches(p.metadata.labels)) continue;
      try {
        const adopted = await this.client.resource<Pod>(refs.pods).namespace(ns).patch(p.metadata.name!, 'merge', {
          metadata: {
            uid: p.metadata.uid,
            ownerReferences: [...(p.metadata.ownerReferences ?? []),
              { apiVersion: 'batch/v1', kind: 'Job', name: job.metadata.name!, uid: job.metadata.uid!, controller: true, blockOwnerDeletion: true }],
          },
        });
        out.push(adopted);
      } catch (e) {
        if (!isReason(e, 'NotFound')) throw e;
      }
    }
    return out;
  }

  // The job is gone: pods it controlled must not keep their finalizer forever (upstream orphan queue).
  private async releaseOrphans(ns: string, name: string): Promise<void> {
    for (const p of this.pods.lister.listNamespace(ns)) {
      const ref = controllerRef(p);
      if (ref?.kind !== 'Job' || ref.name !== name || !hasTrackingFinalizer(p)) continue;
      if (isPodActive(p) && !(await this.ownerGone(ns, name, ref.uid))) continue;
      try {
        await this.removeFinalizer(p);
      } catch (e) {
        if (!isReason(e, 'NotFound')) throw e;
      }
    }
  }

  private async ownerGone(ns: string, name: string, uid: string): Promise<boolean> {
    try {
      const j = await this.client.resource<Job>(refs.jobs).namespace(ns).get(name);
      return j.metadata.uid !== uid;
    } catch (e) {
      if (isReason(e, 'NotFound')) return true;
      throw e;
    }
  }
}


// restartPolicy OnFailure: container restarts of running pods count against backoffLimit.
function pastBackoffLimitOnFailure(job: Job, pods: Pod[]): boolean {
  if (job.spec.template?.spec?.restartPolicy !== 'OnFailure') return false;
  let restarts = 0;
  for (const p of pods) {
    if (p.status?.phase !== 'Running' && p.status?.phase !== 'Pending') continue;
    for (const cs of [...(p.status?.initContainerStatuses ?? []), ...(p.status?.containerStatuses ?? [])]) restarts += cs.restartCount ?? 0;
  }
  const limit = job.spec.backoffLimit ?? 6;
  return limit === 0 ? restarts > 0 : restarts >= limit;
}

// Upstream ActivePods ordering, most deletable first: unscheduled, pending, not ready, then newest.
function rankForDeletion(pods: Pod[]): Pod[] {
  const phaseRank = (p: Pod) => (p.status?.phase === 'Pending' ? 0 : p.status?.phase === 'Unknown' ? 1 : 2);
  return [...pods].sort((a, b) =>
    (a.spec?.nodeName ? 1 : 0) - (b.spec?.nodeName ? 1 : 0)
    || phaseRank(a) - phaseRank(b)
    || (isPodReady(a) ? 1 : 0) - (isPodReady(b) ? 1 : 0)
    || String(b.metadata.creationTimestamp ?? '').localeCompare(String(a.metadata.creationTimestamp ?? '')));
}
