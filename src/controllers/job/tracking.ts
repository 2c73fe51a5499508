// Counting finished pods through the job-tracking finalizer (upstream
// trackJobStatusAndRemoveFinalizers and flushUncountedAndRemoveFinalizers): a finished pod is first
// recorded in status.uncountedTerminatedPods, then loses its finalizer, then moves into the counters,
// so a crash at any step neither loses nor double-counts it.
import type { EventRecorder } from '../../client/index.js';
import type { Clock } from '../../util/clock.js';
import { isReason } from '../../util/errors.js';
import type { BackoffRecord, BackoffStore } from './backoff.js';
import { ensureCondition, hasTrueCondition, newCondition, rfc3339, type JobCondition } from './conditions.js';
import type { UidSet } from './expectations.js';
import { matchPodFailurePolicy } from './failurepolicy.js';
import { formatIndexes } from './indexes.js';
import { completionIndex, hasTrackingFinalizer, isIndexed, isPodFailed, type Job, type Pod } from './pods.js';

type Obj = Record<string, any>;

/** Upstream MaxUncountedPods: keeps status.uncountedTerminatedPods under ~20 KB. */
const MAX_UNCOUNTED = 500;

/** What one job sync knows (upstream syncJobCtx). */
export interface SyncCtx {
  key: string;
  job: Job;
  pods: Pod[];
  active: Pod[];
  ready: number;
  terminating: number;
  succeeded: number;
  failed: number;
  succeededIndexes: Set<number>;
  prevSucceededIndexes: Set<number>;
  expectedRm: ReadonlySet<string>;
  finished?: JobCondition;
  backoff: BackoffRecord;
}

/** The controller pieces tracking uses. */
export interface TrackDeps {
  clock: Clock;
  recorder: EventRecorder | undefined;
  backoffs: BackoffStore;
  finalizerExp: UidSet;
  writeStatus(job: Job): Promise<Job>;
  removeFinalizer(p: Pod): Promise<void>;
}

/**
 * Upstream trackJobStatusAndRemoveFinalizers: (1) record newly finished pods in
 * uncountedTerminatedPods, (2) remove their finalizers, (3) move them into the counters,
 * (4) add the terminal condition once nothing is uncounted or terminating.
 */
export async function trackJobStatus(d: TrackDeps, ctx: SyncCtx, needsFlush: boolean): Promise<void> {
  const { job, key } = ctx;
  const status = job.status!;
  const unc = status.uncountedTerminatedPods as { succeeded?: string[]; failed?: string[] };
  const indexed = isIndexed(job);
  const completions = job.spec.completions ?? 0;
  const pods = indexed ? [...ctx.pods].sort((a, b) => completionIndex(a) - completionIndex(b)) : ctx.pods;
  const withFinalizer = new Set(pods.filter((p) => hasTrackingFinalizer(p) && !ctx.expectedRm.has(p.metadata.uid!)).map((p) => p.metadata.uid!));
  if (cleanUncounted(status, withFinalizer)) needsFlush = true;
  const uncS = new Set(unc.succeeded ?? []);
  const uncF = new Set(unc.failed ?? []);
  const toRemove: Pod[] = [];
  const newIndexes: number[] = [];
  let reachedMax = false;
  for (const p of pods) {
    const uid = p.metadata.uid!;
    if (!hasTrackingFinalizer(p) || ctx.expectedRm.has(uid)) continue;
    const failed = isPodFailed(p, job);
    if (!(job.metadata.deletionTimestamp || ctx.finished || p.status?.phase === 'Succeeded' || failed)) continue;
    toRemove.push(p);
    if (p.status?.phase === 'Succeeded' && !uncF.has(uid)) {
      if (indexed) {
        const ix = completionIndex(p);
        if (ix >= 0 && ix < completions && !ctx.prevSucceededIndexes.has(ix)) newIndexes.push(ix);
      } else if (!uncS.has(uid)) {
        unc.succeeded = [...(unc.succeeded ?? []), uid];
        uncS.add(uid);
        needsFlush = true;
      }
    } else if (failed || (ctx.finished && ctx.finished.type !== 'SuccessCriteriaMet')) {
      // Once the job is finished, every pod not yet terminated counts as failed.
      const ix = completionIndex(p);
      if (!uncF.has(uid) && (!indexed || (ix >= 0 && ix < completions))) {
        if (matchPodFailurePolicy(job.spec.podFailurePolicy, p).countFailed) {
          unc.failed = [...(unc.failed ?? []), uid];
          uncF.add(uid);
          needsFlush = true;
        }
      }
    }
    if (newIndexes.length + (unc.succeeded?.length ?? 0) + (unc.failed?.length ?? 0) >= MAX_UNCOUNTED) {
      reachedMax = true;
      break;
    }
  }
  if (indexed) {
    for (const ix of newIndexes) ctx.prevSucceededIndexes.add(ix);
    const str = formatIndexes(ctx.prevSucceededIndexes);
    if (str !== (status.completedIndexes ?? '')) needsFlush = true;
    status.succeeded = ctx.prevSucceededIndexes.size;
    status.completedIndexes = str;
  }
  let finished = ctx.finished;
  if (finished?.type === 'FailureTarget') {
    status.conditions = [...(status.conditions ?? []), finished];
    needsFlush = true;
    finished = newCondition('Failed', 'True', finished.reason ?? '', finished.message ?? '', d.clock.now());
  }
  if (finished?.type === 'SuccessCriteriaMet') {
    if (!hasTrueCondition(status, 'SuccessCriteriaMet')) {
      status.conditions = [...(status.conditions ?? []), finished];
      needsFlush = true;
    }
    finished = newCondition('Complete', 'True', finished.reason ?? '', finished.message ?? '', d.clock.now());
  }

  let cur = job;
  if (needsFlush) {
    cur = await d.writeStatus(cur);
    d.backoffs.set(key, ctx.backoff);
    needsFlush = false;
  }
  let rmErr: unknown;
  if (toRemove.length) {
    d.finalizerExp.add(key, toRemove.map((p) => p.metadata.uid!));
    await Promise.all(toRemove.map(async (p) => {
      try {
        await d.removeFinalizer(p);
        withFinalizer.delete(p.metadata.uid!);
      } catch (e) {
        d.finalizerExp.remove(key, p.metadata.uid!);
        if (isReason(e, 'NotFound')) withFinalizer.delete(p.metadata.uid!);
        else rmErr ??= e;
      }
    }));
  }
  if (cleanUncounted(cur.status!, withFinalizer)) needsFlush = true;
  if (rmErr) {
    if (needsFlush) await d.writeStatus(cur);
    throw rmErr;
  }
  const s = cur.status!;
  const left = (s.uncountedTerminatedPods?.succeeded?.length ?? 0) + (s.uncountedTerminatedPods?.failed?.length ?? 0);
  // 1.32 (JobPodReplacementPolicy on) waits for terminating pods before the terminal condition.
  const done = !!finished && !reachedMax && left === 0 && ctx.terminating === 0;
  if (done) {
    const r = ensureCondition(s.conditions, finished!.type, 'True', finished!.reason ?? '', finished!.message ?? '', d.clock.now());
    s.conditions = r.list;
    if (finished!.type === 'Complete') s.completionTime = rfc3339(d.clock.now());
    needsFlush = true;
  }
  if (needsFlush) {
    await d.writeStatus(cur);
    if (done) {
      if (finished!.type === 'Complete') {
        if (job.spec.completions != null && s.succeeded > job.spec.completions) {
          d.recorder?.record(job, 'Warning', 'TooManySucceededPods', 'Sync', 'Too many succeeded pods running after completion count reached');
        }
        d.recorder?.record(job, 'Normal', 'Completed', 'Sync', 'Job completed');
      } else {
        d.recorder?.record(job, 'Warning', finished!.reason ?? 'Failed', 'Sync', finished!.message ?? '');
      }
    }
  }
}

// Moves uncounted pods whose finalizer is gone into the counters; true when anything moved.
function cleanUncounted(status: Obj, withFinalizer: Set<string>): boolean {
  const unc = (status.uncountedTerminatedPods ??= {}) as { succeeded?: string[]; failed?: string[] };
  let changed = false;
  for (const which of ['succeeded', 'failed'] as const) {
    const list = unc[which] ?? [];
    const keep = list.filter((u) => withFinalizer.has(u));
    if (keep.length !== list.length) {
      status[which] = (status[which] ?? 0) + list.length - keep.length;
      changed = true;
    }
    if (keep.length) unc[which] = keep;
    else delete unc[which];
  }
  return changed;
}
