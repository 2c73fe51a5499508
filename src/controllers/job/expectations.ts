// Controller expectations (upstream pkg/controller/controller_utils.go ControllerExpectations and
// UIDTrackingControllerExpectations): after a controller creates or deletes pods it must not act on
// its informer cache again until the cache has seen those writes, or it would create duplicates.
import type { Clock } from '../../util/clock.js';

/** Upstream's ExpectationsTimeout: stale expectations stop blocking a sync after 5 minutes. */
export const EXPECTATIONS_TIMEOUT_MS = 5 * 60_000;

interface Record_ {
  adds: number;
  dels: Set<string>;
  at: number;
}

export class Expectations {
  private readonly m = new Map<string, Record_>();

  constructor(private readonly clock: Clock) {}

  /** Expect n creations for key (replaces any earlier record's adds). */
  expectCreations(key: string, n: number): void {
    const r = this.rec(key);
    r.adds = n;
    r.at = this.clock.now();
  }

  /** Expect deletions of pods with these uids. */
  expectDeletions(key: string, uids: string[]): void {
    const r = this.rec(key);
    for (const u of uids) r.dels.add(u);
    r.at = this.clock.now();
  }

  creationObserved(key: string): void {
    const r = this.m.get(key);
    if (r && r.adds > 0) r.adds--;
  }

  /** A deletion the controller asked for was seen (or will never be: the call failed). */
  deletionObserved(key: string, uid: string): void {
    this.m.get(key)?.dels.delete(uid);
  }

  /** True when nothing is pending, nothing was ever expected, or the record is stale. */
  satisfied(key: string): boolean {
    const r = this.m.get(key);
    if (!r) return true;
    if (r.adds <= 0 && r.dels.size === 0) return true;
    return this.clock.now() - r.at > EXPECTATIONS_TIMEOUT_MS;
  }

  delete(key: string): void {
    this.m.delete(key);
  }

  private rec(key: string): Record_ {
    let r = this.m.get(key);
    if (!r) {
      r = { adds: 0, dels: new Set(), at: this.clock.now() };
      this.m.set(key, r);
    }
    return r;
  }
}

/** Pods whose finalizer removal is in flight, per job (upstream's uidTrackingExpectations). */
export class UidSet {
  private readonly m = new Map<string, Set<string>>();

  add(key: string, uids: string[]): void {
    let s = this.m.get(key);
    if (!s) this.m.set(key, (s = new Set()));
    for (const u of uids) s.add(u);
  }

  remove(key: string, uid: string): void {
    this.m.get(key)?.delete(uid);
  }

  get(key: string): ReadonlySet<string> {
    return this.m.get(key) ?? new Set();
  }

  delete(key: string): void {
    this.m.delete(key);
  }
}
