// The TTL-after-finished controller (upstream pkg/controller/ttlafterfinished): deletes a finished Job
// ttlSecondsAfterFinished after it finished, with background propagation, after re-reading the live
// Job (the TTL may have been changed or the job replaced meanwhile).
import type { KubeObject } from '../../api/types.js';
import type { Client, EventRecorder, SharedIndexInformer, SharedInformerFactory } from '../../client/index.js';
import { RateLimitingQueue, objectKey, refs, runWorkers, splitKey } from '../../client/index.js';
import { realClock, type Clock } from '../../util/clock.js';
import { isReason } from '../../util/errors.js';
import { logger, type Logger } from '../../util/log.js';
import { finishedAt } from '../job/index.js';
import type { Controller } from '../types.js';

type Job = KubeObject & { spec?: Record<string, any>; status?: Record<string, any> };

export interface TTLAfterFinishedOptions {
  client: Client;
  informers: SharedInformerFactory;
  recorder?: EventRecorder;
  clock?: Clock;
  log?: Logger;
}

/** A job with a TTL that has finished (upstream needsCleanup). */
export function needsCleanup(j: Job): boolean {
  return typeof j.spec?.ttlSecondsAfterFinished === 'number' && finishedAt(j) !== undefined;
}

/** Milliseconds until j expires (≤ 0: expired now); undefined when it does not need cleanup. */
export function timeLeft(j: Job, now: number, log?: Logger): number | undefined {
  if (!needsCleanup(j)) return undefined;
  const fin = finishedAt(j)!;
  const finished = Number.isNaN(fin.at) ? now : fin.at;
  if (finished > now) log?.info('found a Job finished in the future; likely time skew, cleanup deferred', { job: objectKey(j) });
  return finished + j.spec!.ttlSecondsAfterFinished * 1000 - now;
}

export class TTLAfterFinishedController implements Controller {
  readonly queue: RateLimitingQueue<string>;
  private readonly client: Client;
  private readonly clock: Clock;
  private readonly log: Logger;
  private readonly jobs: SharedIndexInformer<Job>;

  constructor(opts: TTLAfterFinishedOptions) {
    this.client = opts.client;
    this.clock = opts.clock ?? realClock;
    this.log = opts.log ?? logger('ttl-after-finished-controller');
    this.queue = new RateLimitingQueue<string>({ clock: this.clock, name: 'ttl_jobs_to_delete' });
    this.jobs = opts.informers.forResource<Job>(refs.jobs);
    const enqueue = (j: Job) => {
      if (needsCleanup(j)) this.queue.add(objectKey(j));
    };
    this.jobs.addEventHandler({ add: enqueue, update: (_o, n) => enqueue(n) });
  }

  async run(workers: number, signal: AbortSignal): Promise<void> {
    signal.addEventListener('abort', () => this.queue.shutDown(), { once: true });
    await runWorkers(this.queue, workers, (k) => this.sync(k), { log: this.log });
  }

  /** Deletes the job if its TTL expired (checked on the cache, then on a fresh GET), else requeues. */
  async sync(key: string): Promise<void> {
    const { namespace, name } = splitKey(key);
    const cached = this.jobs.lister.get(namespace, name);
    if (!cached || cached.metadata.deletionTimestamp) return;
    if (!this.expired(key, cached)) return;
    const ops = this.client.resource<Job>(refs.jobs).namespace(namespace);
    let fresh: Job;
    try {
      fresh = await ops.get(name);
    } catch (err) {
      if (isReason(err, 'NotFound')) return;
      throw err;
    }
    if (fresh.metadata.deletionTimestamp || !this.expired(key, fresh)) return;
    this.log.v(2).info('cleaning up job', { job: key });
    try {
      // The uid precondition makes sure we delete the Job we checked, not a replacement.
      await ops.delete(name, { propagationPolicy: 'Background', preconditions: { uid: fresh.metadata.uid! } });
    } catch (err) {
      if (!isReason(err, 'NotFound')) throw err;
    }
  }

  // True when expired; otherwise requeues the key for when it will be.
  private expired(key: string, j: Job): boolean {
    const left = timeLeft(j, this.clock.now(), this.log);
    if (left === undefined) return false;
    if (left > 0) {
      this.queue.addAfter(key, left);
      return false;
    }
    return true;
  }
}
