// Container events by relisting: containerd 1.6 answers GetContainerEvents with UNIMPLEMENTED
// (runtime-spike P10), so — like upstream's generic PLEG — we poll ListContainers while someone reads
// events() and turn the differences between two lists into CREATED/STARTED/STOPPED/DELETED events.
// A container that went through several states between two polls gets every missed event, in order.
import type { Clock, Timer } from '../../../util/clock.js';
import type { Logger } from '../../../util/log.js';
import type { EventHub } from '../events.js';
import type { Container, ContainerEvent, ContainerEventType, ContainerState, ContainerStatus } from '../types.js';

/** Lifecycle position of a state: created → running → exited; UNKNOWN is "no information". */
const RANK: Record<ContainerState, number> = {
  CONTAINER_CREATED: 0, CONTAINER_RUNNING: 1, CONTAINER_EXITED: 2, CONTAINER_UNKNOWN: -1,
};

/**
 * The events that lead from `prev` (undefined: not seen before) to `cur` (undefined: gone).
 * `started` says whether the container ever ran (a StartError container goes CREATED → EXITED
 * without a STARTED event).
 */
export function transitions(prev: ContainerState | undefined, cur: ContainerState | undefined, started = true): ContainerEventType[] {
  const out: ContainerEventType[] = [];
  if (cur === undefined) {
    if (prev === undefined) return out;
    if (prev === 'CONTAINER_RUNNING') out.push('CONTAINER_STOPPED_EVENT');
    out.push('CONTAINER_DELETED_EVENT');
    return out;
  }
  if (cur === 'CONTAINER_UNKNOWN') return prev === undefined ? ['CONTAINER_CREATED_EVENT'] : out;
  const from = prev === undefined ? -1 : RANK[prev];
  if (prev === undefined) out.push('CONTAINER_CREATED_EVENT');
  const to = RANK[cur];
  if (from < 1 && to >= 1 && (cur === 'CONTAINER_RUNNING' || started)) out.push('CONTAINER_STARTED_EVENT');
  if (from < 2 && to >= 2) out.push('CONTAINER_STOPPED_EVENT');
  return out;
}

/** The status as it was right after `type` happened (an EXITED status seen late, rewound). */
export function statusAt(type: ContainerEventType, s: ContainerStatus): ContainerStatus {
  if (type === 'CONTAINER_CREATED_EVENT' && s.state !== 'CONTAINER_CREATED') {
    return { ...s, state: 'CONTAINER_CREATED', startedAt: 0, finishedAt: 0, exitCode: 0, reason: '', message: '' };
  }
  if (type === 'CONTAINER_STARTED_EVENT' && s.state !== 'CONTAINER_RUNNING') {
    return { ...s, state: 'CONTAINER_RUNNING', finishedAt: 0, exitCode: 0, reason: '', message: '' };
  }
  return s;
}

function eventTime(type: ContainerEventType, s: ContainerStatus | undefined, now: number): number {
  if (!s) return now;
  if (type === 'CONTAINER_CREATED_EVENT') return s.createdAt || now;
  if (type === 'CONTAINER_STARTED_EVENT') return s.startedAt || now;
  if (type === 'CONTAINER_STOPPED_EVENT') return s.finishedAt || now;
  return now;
}

export interface RelisterOptions {
  list(): Promise<Container[]>;
  status(id: string, podSandboxId: string): Promise<ContainerStatus>;
  hub: EventHub;
  clock: Clock;
  intervalMs?: number;
  log?: Logger;
}

interface Seen {
  state: ContainerState;
  podSandboxId: string;
}

export class Relister {
  private users = 0;
  private timer: Timer | null = null;
  private seen: Map<string, Seen> | null = null;
  /** Containers created at or after this instant are new to readers even in the first list. */
  private since = 0;
  private running: Promise<void> | null = null;

  constructor(private readonly o: RelisterOptions) {}

  /** A reader started: poll while there is at least one. */
  retain(): void {
    if (this.users++ === 0) {
      this.since = this.o.clock.now();
      this.seen = null;
      this.schedule(0);
    }
  }

  release(): void {
    if (this.users === 0) return;
    if (--this.users === 0) {
      this.timer?.cancel();
      this.timer = null;
    }
  }

  get active(): boolean {
    return this.users > 0;
  }

  /** One relist now (tests; also what the timer runs). */
  async poll(): Promise<void> {
    if (!this.running) this.running = this.relist().finally(() => { this.running = null; });
    return this.running;
  }

  private schedule(ms: number): void {
    this.timer?.cancel();
    this.timer = this.o.clock.setTimer(ms, () => {
      this.timer = null;
      void this.poll().finally(() => {
        if (this.users > 0 && !this.timer) this.schedule(this.o.intervalMs ?? 1000);
      });
    });
  }

  private async relist(): Promise<void> {
    let list: Container[];
    try {
      list = await this.o.list();
    } catch (err) {
      // containerd restarting: keep the last picture and try again next round.
      this.o.log?.v(2).info('relist failed', { err: String(err) });
      return;
    }
    const prev = this.seen;
    const next = new Map<string, Seen>();
    const changed: { c: Container }[] = [];
    for (const c of list) {
      next.set(c.id, { state: c.state, podSandboxId: c.podSandboxId });
      // First list: containers from before the first reader are the baseline, not news.
      const before = prev ? prev.get(c.id)?.state : (c.createdAt < this.since ? c.state : undefined);
      if (before === c.state) continue;
      changed.push({ c });
    }
    const now = this.o.clock.now();
    const events: ContainerEvent[] = [];
    for (const ch of changed) {
      const before = prev ? prev.get(ch.c.id)?.state : undefined;
      let status: ContainerStatus | undefined;
      try {
        status = await this.o.status(ch.c.id, ch.c.podSandboxId);
      } catch {
        status = undefined; // removed meanwhile: the next list reports it gone
      }
      const state = status?.state ?? ch.c.state;
      const types = transitions(before, state, !status || status.startedAt > 0);
      next.set(ch.c.id, { state, podSandboxId: ch.c.podSandboxId });
      for (const type of types) {
        const ev: ContainerEvent = { containerId: ch.c.id, podSandboxId: ch.c.podSandboxId, type, createdAt: eventTime(type, status, now) };
        if (status) ev.status = statusAt(type, status);
        events.push(ev);
      }
    }
    if (prev) {
      for (const [id, s] of prev) {
        if (next.has(id)) continue;
        for (const type of transitions(s.state, undefined)) events.push({ containerId: id, podSandboxId: s.podSandboxId, type, createdAt: now });
      }
    }
    this.seen = next;
    for (const ev of events) this.o.hub.publish(ev);
  }
}
