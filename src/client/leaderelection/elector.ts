// Leader election on a Lease (client-go tools/leaderelection): candidates try to acquire the lease
// every retryPeriod (jittered); the holder renews it every retryPeriod and gives up leadership when it
// cannot renew for renewDeadline; others take over once leaseDuration has passed, measured on their
// own clock from when they last saw the record change (never trusting the holder's clock).
import { realClock, type Clock } from '../../util/clock.js';
import { isReason } from '../../util/errors.js';
import { logger, type Logger } from '../../util/log.js';
import type { Client } from '../interfaces.js';
import { LeaseLock } from './leaselock.js';
import type { LeaderElectionRecord } from './record.js';

export interface LeaderCallbacks {
  /** Leadership acquired; stop leading work when signal aborts. */
  onStartedLeading(signal: AbortSignal): void | Promise<void>;
  /** Leadership lost or released (only called after onStartedLeading). */
  onStoppedLeading?(): void;
  /** The observed leader changed (including to ourselves). */
  onNewLeader?(identity: string): void;
}

export interface LeaderElectionConfig {
  client: Client;
  /** The Lease: namespace (e.g. kube-system) and name (e.g. kube-controller-manager). */
  namespace: string;
  name: string;
  /** This candidate, unique among candidates (upstream: hostname_uuid). */
  identity: string;
  leaseDurationMs?: number;
  renewDeadlineMs?: number;
  retryPeriodMs?: number;
  callbacks: LeaderCallbacks;
  /** Release the lease when stopped (holder '' and duration 1 s), so a successor need not wait; default true. */
  releaseOnCancel?: boolean;
  clock?: Clock;
  log?: Logger;
}

/** client-go's JitterFactor for the acquire and renew loops. */
const JITTER = 1.2;

export class LeaderElector {
  private readonly lock: LeaseLock;
  private readonly clock: Clock;
  private readonly log: Logger;
  private readonly leaseMs: number;
  private readonly renewDeadlineMs: number;
  private readonly retryMs: number;
  private observed: LeaderElectionRecord = { holderIdentity: '', leaseDurationSeconds: 0, acquireTime: 0, renewTime: 0, leaderTransitions: 0 };
  private observedRaw = '';
  /** Our clock's time when we last saw the record change. */
  private observedTime = 0;
  private reportedLeader = '';

  constructor(private readonly config: LeaderElectionConfig) {
    this.leaseMs = config.leaseDurationMs ?? 15_000;
    this.renewDeadlineMs = config.renewDeadlineMs ?? 10_000;
    this.retryMs = config.retryPeriodMs ?? 2_000;
    // The same checks as NewLeaderElector.
    if (!(this.leaseMs > this.renewDeadlineMs)) throw new RangeError('leaderelection: leaseDuration must be greater than renewDeadline');
    if (!(this.renewDeadlineMs > JITTER * this.retryMs)) throw new RangeError(`leaderelection: renewDeadline must be greater than retryPeriod*${JITTER}`);
    if (!(this.retryMs > 0)) throw new RangeError('leaderelection: retryPeriod must be greater than zero');
    if (!config.identity) throw new RangeError('leaderelection: identity is required');
    if (this.leaseMs % 1000 !== 0) throw new RangeError('leaderelection: leaseDuration must be whole seconds');
    this.clock = config.clock ?? realClock;
    this.log = (config.log ?? logger('leaderelection')).with({ lease: `${config.namespace}/${config.name}`, identity: config.identity });
    this.lock = new LeaseLock(config.client, config.namespace, config.name, config.identity);
  }

  isLeader(): boolean {
    return this.observed.holderIdentity === this.config.identity;
  }

  /** The last observed holder ('' if none). */
  getLeader(): string {
    return this.observed.holderIdentity;
  }

  /**
   * Campaigns until leading, leads until renewal fails or signal aborts; settles then. Run it again
   * to campaign again (upstream components exit instead).
   */
  async run(signal: AbortSignal): Promise<void> {
    if (!(await this.acquire(signal))) return;
    const leading = new AbortController();
    const stopLeading = () => leading.abort();
    signal.addEventListener('abort', stopLeading, { once: true });
    try {
      void Promise.resolve()
        .then(() => this.config.callbacks.onStartedLeading(leading.signal))
        .catch((err: unknown) => this.log.error('onStartedLeading failed', { err }));
      await this.renew(leading.signal);
    } finally {
      signal.removeEventListener('abort', stopLeading);
      leading.abort();
      if (this.config.releaseOnCancel ?? true) await this.release();
      this.config.callbacks.onStoppedLeading?.();
    }
  }

  private async acquire(signal: AbortSignal): Promise<boolean> {
    this.log.v(2).info('attempting to acquire leader lease');
    while (!signal.aborted) {
      const ok = await this.tryAcquireOrRenew(signal);
      this.maybeReportTransition();
      if (ok) {
        this.log.info('successfully acquired lease');
        return true;
      }
      if (!(await this.sleep(this.retryMs * (1 + Math.random() * JITTER), signal))) break;
    }
    return false;
  }

  /** Renews every retryPeriod; returns when a renewal could not succeed within renewDeadline. */
  private async renew(signal: AbortSignal): Promise<void> {
    while (!signal.aborted) {
      if (!(await this.sleep(this.retryMs, signal))) return;
      const deadline = new AbortController();
      const timer = this.clock.setTimer(this.renewDeadlineMs, () => deadline.abort(new Error('renew deadline exceeded')));
      const both = AbortSignal.any([signal, deadline.signal]);
      let ok = false;
      try {
        for (;;) {
          ok = await this.tryAcquireOrRenew(both);
          if (ok || both.aborted) break;
          if (!(await this.sleep(this.retryMs, both))) break;
        }
      } finally {
        timer.cancel();
      }
      this.maybeReportTransition();
      if (signal.aborted) return;
      if (!ok) {
        this.log.info('failed to renew lease', { renewDeadlineMs: this.renewDeadlineMs });
        return;
      }
    }
  }

  /** One attempt, as client-go's tryAcquireOrRenew. */
  private async tryAcquireOrRenew(signal: AbortSignal): Promise<boolean> {
    const now = this.clock.now();
    const desired: LeaderElectionRecord = {
      holderIdentity: this.config.identity, leaseDurationSeconds: this.leaseMs / 1000,
      renewTime: now, acquireTime: now, leaderTransitions: 0,
    };
    // 1. Fast path: the leader updates the lease it last wrote, assuming nobody touched it.
    if (this.isLeader() && this.leaseValid()) {
      desired.acquireTime = this.observed.acquireTime;
      desired.leaderTransitions = this.observed.leaderTransitions;
      try {
        await this.lock.update(desired, { signal });
        this.setObserved(desired);
        return true;
      } catch (err) {
        this.log.v(2).info('optimistic lease update failed; falling back to the slow path', { err });
      }
    }
    // 2. Read the record, creating the lease when there is none.
    let current: LeaderElectionRecord;
    try {
      const got = await this.lock.get({ signal });
      current = got.record;
      if (got.raw !== this.observedRaw) {
        this.setObserved(current);
        this.observedRaw = got.raw;
      }
    } catch (err) {
      if (!isReason(err, 'NotFound')) {
        this.log.v(2).info('error retrieving lease', { err });
        return false;
      }
      try {
        await this.lock.create(desired, { signal });
      } catch (e) {
        this.log.v(2).info('error creating lease', { err: e });
        return false;
      }
      this.setObserved(desired);
      return true;
    }
    // 3. Someone else holds an unexpired lease.
    if (current.holderIdentity && this.leaseValid() && !this.isLeader()) return false;
    // 4. Take it over (or renew it).
    if (this.isLeader()) {
      desired.acquireTime = current.acquireTime;
      desired.leaderTransitions = current.leaderTransitions;
    } else {
      desired.leaderTransitions = current.leaderTransitions + 1;
    }
    try {
      await this.lock.update(desired, { signal });
    } catch (err) {
      this.log.v(2).info('failed to update lease', { err });
      return false;
    }
    this.setObserved(desired);
    return true;
  }

  private async release(): Promise<void> {
    if (!this.isLeader()) return;
    const now = this.clock.now();
    const released: LeaderElectionRecord = { holderIdentity: '', leaseDurationSeconds: 1, renewTime: now, acquireTime: now, leaderTransitions: this.observed.leaderTransitions };
    const ac = new AbortController();
    const timer = this.clock.setTimer(this.renewDeadlineMs, () => ac.abort(new Error('release deadline exceeded')));
    try {
      await this.lock.update(released, { signal: ac.signal });
      this.setObserved(released);
      this.log.info('released lease');
    } catch (err) {
      this.log.warn('failed to release lease', { err });
    } finally {
      timer.cancel();
    }
  }

  private leaseValid(): boolean {
    return this.observedTime + this.observed.leaseDurationSeconds * 1000 > this.clock.now();
  }

  private setObserved(r: LeaderElectionRecord): void {
    this.observed = r;
    this.observedTime = this.clock.now();
  }

  private maybeReportTransition(): void {
    if (this.observed.holderIdentity === this.reportedLeader) return;
    this.reportedLeader = this.observed.holderIdentity;
    if (this.reportedLeader) this.config.callbacks.onNewLeader?.(this.reportedLeader);
  }

  /** Sleeps; false when the signal aborted instead. */
  private async sleep(ms: number, signal: AbortSignal): Promise<boolean> {
    try {
      await this.clock.sleep(ms, signal);
      return true;
    } catch {
      return false;
    }
  }
}
