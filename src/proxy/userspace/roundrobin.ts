// Endpoint choice for one service port and one kind of traffic (upstream
// pkg/proxy/userspace/roundrobin.go, LoadBalancerRR): the endpoint list is shuffled whenever it
// changes and the index reset; each new connection takes the next one. With ClientIP affinity a
// fresh entry wins unless the caller asks to ignore it (after a failed dial).
import type { Clock } from '../../util/clock.js';
import { AffinityTable } from './affinity.js';

export interface Target {
  ip: string;
  port: number;
}

/** "ip:port" for IPv4, "[ip]:port" for IPv6 (matches endpointString in ../types.ts). */
export function targetKey(t: Target): string {
  return t.ip.includes(':') ? `[${t.ip}]:${t.port}` : `${t.ip}:${t.port}`;
}

function shuffle<T>(a: T[]): T[] {
  for (let i = a.length - 1; i > 0; i--) {
    const j = Math.floor(Math.random() * (i + 1));
    [a[i], a[j]] = [a[j]!, a[i]!];
  }
  return a;
}

export class RoundRobin {
  private targets: Target[] = [];
  private byKey = new Map<string, Target>();
  private index = 0;
  private affinity: AffinityTable | null = null;

  constructor(private readonly clock: Clock) {}

  /**
   * Sets the endpoints and the affinity timeout (0 = none). An unchanged set (in any order) keeps
   * the order and index, so a resync does not disturb the rotation.
   */
  update(targets: readonly Target[], affinityTimeoutSeconds: number): void {
    const keys = targets.map(targetKey);
    const same = keys.length === this.byKey.size && keys.every((k) => this.byKey.has(k));
    if (!same) {
      this.byKey = new Map(targets.map((t) => [targetKey(t), t]));
      this.targets = shuffle([...this.byKey.values()]);
      this.index = 0;
    }
    if (affinityTimeoutSeconds > 0) {
      const ms = affinityTimeoutSeconds * 1000;
      if (this.affinity) this.affinity.setTimeout(ms);
      else this.affinity = new AffinityTable(ms, this.clock);
      if (!same) this.affinity.retain(new Set(this.byKey.keys()));
    } else {
      this.affinity = null;
    }
  }

  get size(): number {
    return this.targets.length;
  }

  keys(): ReadonlySet<string> {
    return new Set(this.byKey.keys());
  }

  /** The endpoint for a new connection from clientIP, or undefined when there is none. */
  next(clientIP: string, ignoreAffinity = false): Target | undefined {
    if (this.targets.length === 0) return undefined;
    if (this.affinity && !ignoreAffinity) {
      const k = this.affinity.get(clientIP);
      const t = k === undefined ? undefined : this.byKey.get(k);
      if (t) return t;
    }
    const t = this.targets[this.index % this.targets.length]!;
    this.index = (this.index + 1) % this.targets.length;
    this.affinity?.set(clientIP, targetKey(t));
    return t;
  }

  /** Drops expired affinity entries. */
  sweep(): number {
    return this.affinity?.sweep() ?? 0;
  }
}
