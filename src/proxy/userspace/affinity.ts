// sessionAffinity: ClientIP for one service port (upstream pkg/proxy/userspace/roundrobin.go,
// affinityPolicy): clientIP → {endpoint, lastUsed}; an entry is reused while younger than the
// timeout and refreshed on every use.
import type { Clock } from '../../util/clock.js';

interface Entry {
  endpoint: string;
  lastUsed: number;
}

export class AffinityTable {
  private readonly entries = new Map<string, Entry>();

  constructor(private timeoutMs: number, private readonly clock: Clock) {}

  setTimeout(ms: number): void {
    this.timeoutMs = ms;
  }

  /** The client's endpoint if its entry is still fresh (the entry's age restarts), else undefined. */
  get(clientIP: string): string | undefined {
    const e = this.entries.get(clientIP);
    if (!e) return undefined;
    const now = this.clock.monotonic();
    if (now - e.lastUsed >= this.timeoutMs) {
      this.entries.delete(clientIP);
      return undefined;
    }
    e.lastUsed = now;
    return e.endpoint;
  }

  set(clientIP: string, endpoint: string): void {
    this.entries.set(clientIP, { endpoint, lastUsed: this.clock.monotonic() });
  }

  /** Drops entries whose endpoint is gone (upstream removeSessionAffinityByEndpoint on updates). */
  retain(endpoints: ReadonlySet<string>): void {
    for (const [ip, e] of this.entries) if (!endpoints.has(e.endpoint)) this.entries.delete(ip);
  }

  /** Drops expired entries (upstream CleanupStaleStickySessions); returns how many went. */
  sweep(): number {
    const now = this.clock.monotonic();
    let n = 0;
    for (const [ip, e] of this.entries) {
      if (now - e.lastUsed >= this.timeoutMs) {
        this.entries.delete(ip);
        n++;
      }
    }
    return n;
  }

  get size(): number {
    return this.entries.size;
  }
}
