// Pods parked by a Permit plugin's Wait (upstream waitingPodsMap / waitingPod): each waiting plugin
// must allow the pod before its timeout; any reject or timeout fails the binding cycle.
import type { Clock, Timer } from '../../util/clock.js';
import type { Pod } from '../types.js';
import { podKey } from '../types.js';
import { Status } from './status.js';
import type { StatusLike } from './status.js';

class WaitingPod {
  private timers: Timer[] = [];
  private pending: Set<string>;
  private settled: StatusLike | null = null;
  private waiters: ((s: StatusLike) => void)[] = [];

  constructor(readonly pod: Pod, plugins: Map<string, number>, clock: Clock, private readonly done: () => void) {
    this.pending = new Set(plugins.keys());
    for (const [plugin, ms] of plugins) {
      this.timers.push(clock.setTimer(ms, () => this.reject(plugin, `rejected due to timeout after waiting ${ms / 1000}s at plugin ${plugin}`)));
    }
  }

  allow(plugin: string): void {
    this.pending.delete(plugin);
    if (this.pending.size === 0) this.settle(undefined);
  }

  reject(plugin: string, msg: string): void {
    this.settle(Status.unschedulable(msg).withPlugin(plugin));
  }

  private settle(s: StatusLike): void {
    if (this.settled !== null) return;
    this.settled = s;
    for (const t of this.timers) t.cancel();
    this.done();
    for (const w of this.waiters) w(s);
    this.waiters = [];
  }

  wait(): Promise<StatusLike> {
    if (this.settled !== null) return Promise.resolve(this.settled);
    return new Promise((resolve) => this.waiters.push(resolve));
  }
}

export class WaitingPods {
  private pods = new Map<string, WaitingPod>();

  constructor(private readonly clock: Clock) {}

  add(pod: Pod, plugins: Map<string, number>): void {
    const key = podKey(pod);
    this.pods.set(key, new WaitingPod(pod, plugins, this.clock, () => this.pods.delete(key)));
  }

  /** The pod's outcome; undefined (allowed) for a pod that is not waiting. */
  wait(pod: Pod): Promise<StatusLike> {
    return this.pods.get(podKey(pod))?.wait() ?? Promise.resolve(undefined);
  }

  /** A plugin allows the waiting pod with this key (a UID, or namespace/name without one). */
  allow(key: string, plugin: string): boolean {
    const w = this.pods.get(key);
    w?.allow(plugin);
    return !!w;
  }

  reject(key: string, plugin: string, msg: string): boolean {
    const w = this.pods.get(key);
    w?.reject(plugin, msg);
    return !!w;
  }

  keys(): string[] {
    return [...this.pods.keys()];
  }
}
