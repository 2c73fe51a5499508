// Controller expectations (upstream controller_utils.go ControllerExpectations and
// UIDTrackingControllerExpectations): after a sync asks for N creations or deletions, the controller
// waits until its informer has observed them (or 5 minutes passed) before acting on that key again,
// so it never creates or deletes twice from a stale cache.
import { realClock, type Clock } from '../../util/clock.js';

/** Upstream ExpectationsTimeout. */
export const EXPECTATIONS_TIMEOUT_MS = 5 * 60_000;

interface Expectation {
  add: number;
  del: number;
  timestamp: number;
}

export class ControllerExpectations {
  private readonly store = new Map<string, Expectation>();

  constructor(protected readonly clock: Clock = realClock, private readonly ttlMs = EXPECTATIONS_TIMEOUT_MS) {}

  /** The outstanding counts for key, if any are recorded. */
  get(key: string): { add: number; del: number } | undefined {
    const e = this.store.get(key);
    return e ? { add: e.add, del: e.del } : undefined;
  }

  /**
   * True when the controller may act on key: nothing recorded, everything observed, or the record
   * expired (a watch event was lost; act again rather than wait forever).
   */
  satisfied(key: string): boolean {
    const e = this.store.get(key);
    if (!e) return true;
    if (e.add <= 0 && e.del <= 0) return true;
    return this.clock.now() - e.timestamp > this.ttlMs;
  }

  /** Replaces key's record with these counts (upstream SetExpectations). */
  set(key: string, add: number, del: number): void {
    this.store.set(key, { add, del, timestamp: this.clock.now() });
  }

  expectCreations(key: string, n: number): void {
    this.set(key, n, 0);
  }

  expectDeletions(key: string, n: number): void {
    this.set(key, 0, n);
  }

  /** Adds to key's outstanding counts (creating a record when absent). */
  raise(key: string, add: number, del: number): void {
    const e = this.store.get(key);
    if (!e) {
      this.set(key, add, del);
      return;
    }
    e.add += add;
    e.del += del;
  }

  /** Counts fewer outstanding operations (an observed create, or one that failed and will never be seen). */
  lower(key: string, add: number, del: number): void {
    const e = this.store.get(key);
    if (!e) return;
    e.add -= add;
    e.del -= del;
  }

  creationObserved(key: string): void {
    this.lower(key, 1, 0);
  }

  deletionObserved(key: string): void {
    this.lower(key, 0, 1);
  }

  delete(key: string): void {
    this.store.delete(key);
  }
}

/**
 * Expectations that remember which pods (by namespace/name key) a controller is deleting, so a
 * deletion is counted once however many delete events arrive for it.
 */
export class UIDTrackingControllerExpectations extends ControllerExpectations {
  private readonly deleting = new Map<string, Set<string>>();

  /** Records the pods about to be deleted; must not be called while earlier deletions are outstanding. */
  expectDeletionsOf(key: string, podKeys: readonly string[]): void {
    this.deleting.set(key, new Set(podKeys));
    this.expectDeletions(key, podKeys.length);
  }

  /** A delete of podKey was observed (or failed); counted only for a pod we were deleting. */
  deletionObservedOf(key: string, podKey: string): void {
    const set = this.deleting.get(key);
    if (set?.delete(podKey)) this.deletionObserved(key);
  }

  override delete(key: string): void {
    this.deleting.delete(key);
    super.delete(key);
  }
}
