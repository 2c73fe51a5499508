// Crash-loop back-off (upstream client-go flowcontrol.Backoff as the kubelet configures it: 10 s
// initial, doubled per restart up to 5 min; an entry idle for twice the maximum starts over, so a
// container that ran ten minutes restarts at 10 s again).
import type { Clock } from '../util/clock.js';

interface Entry {
  backoffMs: number;
  lastUpdate: number;
}

export class CrashBackoff {
  private readonly entries = new Map<string, Entry>();

  constructor(private readonly clock: Clock, readonly initialMs = 10_000, readonly maxMs = 300_000) {}

  /** Current back-off of key (0 when none). */
  get(key: string): number {
    return this.entries.get(key)?.backoffMs ?? 0;
  }

  /** Records a restart at eventTime: starts at initial, else doubles (capped). */
  next(key: string, eventTime: number): void {
    const e = this.entries.get(key);
    if (!e || this.expired(eventTime, e.lastUpdate)) {
      this.entries.set(key, { backoffMs: this.initialMs, lastUpdate: this.clock.now() });
      return;
    }
    e.backoffMs = Math.min(e.backoffMs * 2, this.maxMs);
    e.lastUpdate = this.clock.now();
  }

  /** True while less than the current back-off has passed since eventTime (the last exit). */
  inBackoffSince(key: string, eventTime: number): boolean {
    const e = this.entries.get(key);
    if (!e) return false;
    if (this.expired(this.clock.now(), e.lastUpdate)) return false;
    return this.clock.now() - eventTime < e.backoffMs;
  }

  /** True while less than the current back-off has passed since the last next() (image pulls). */
  inBackoffSinceUpdate(key: string): boolean {
    const e = this.entries.get(key);
    if (!e) return false;
    const now = this.clock.now();
    if (this.expired(now, e.lastUpdate)) return false;
    return now - e.lastUpdate < e.backoffMs;
  }

  /** Milliseconds until the back-off since the last next() ends (0 when not in back-off). */
  remainingSinceUpdate(key: string): number {
    const e = this.entries.get(key);
    if (!e || !this.inBackoffSinceUpdate(key)) return 0;
    return Math.max(0, e.lastUpdate + e.backoffMs - this.clock.now());
  }

  /** Milliseconds until the back-off since eventTime ends (0 when not in back-off). */
  remaining(key: string, eventTime: number): number {
    if (!this.inBackoffSince(key, eventTime)) return 0;
    return Math.max(0, eventTime + this.get(key) - this.clock.now());
  }

  /** Drops entries idle for twice the maximum (upstream GC). */
  gc(): void {
    const now = this.clock.now();
    for (const [k, e] of this.entries) if (this.expired(now, e.lastUpdate)) this.entries.delete(k);
  }

  delete(key: string): void {
    this.entries.delete(key);
  }

  private expired(t: number, lastUpdate: number): boolean {
    return t - lastUpdate > this.maxMs * 2;
  }
}

/** Go's time.Duration String for whole milliseconds: 10s, 1m20s, 5m0s, 1h0m0s, 500ms. */
export function goDuration(ms: number): string {
  if (ms === 0) return '0s';
  if (ms < 1000) return `${ms}ms`;
  const totalS = ms / 1000;
  const h = Math.floor(totalS / 3600);
  const m = Math.floor((totalS % 3600) / 60);
  const s = +(totalS % 60).toFixed(3);
  if (h) return `${h}h${m}m${s}s`;
  if (m) return `${m}m${s}s`;
  return `${s}s`;
}
