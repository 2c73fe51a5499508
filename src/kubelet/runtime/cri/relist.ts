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
  /** observe() generation that last set this entry; a list begun before it must not override it. */
  gen: number;
}

/**
 * Emits container events while someone reads them. Two sources feed one picture of the containers:
 * the runtime's own calls (observe: create, start, stop, remove — immediate, and nothing is lost
 * when a container lives shorter than a relist interval) and the periodic ListContainers (exits
 * and changes made by anyone else). Processing is serialised, so one container's events stay in
 * order and each transition is reported once.
 */
export class Relister {
  private users = 0;
  private timer: Timer | null = null;
  private seen = new Map<string, Seen>();
  /** Containers the runtime removed, with the observe() generation: a list begun earlier still has them. */
  private removed = new Map<string, number>();
  private listed = false;
  private gen = 0;
  /** Containers created at or after this instant are new to readers even in the first list. */
  private since = 0;
  private running: Promise<void> | null = null;
  private lock: Promise<void> = Promise.resolve();

  constructor(private readonly o: RelisterOptions) {}

  /** A reader started: poll while there is at least one. */
  retain(): void {
    if (this.users++ === 0) {
      this.since = this.o.clock.now();
      this.seen = new Map();
      this.removed = new Map();
      this.listed = false;
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

  /**
   * The runtime changed a container (created, started, stopped it: state from ContainerStatus;
   * removed it: `removed`). A no-op while nobody reads events.
   */
  observe(id: string, podSandboxId: string, removed = false): Promise<void> {
    if (!this.active) return Promise.resolve();
    const gen = ++this.gen;
    return this.serial(async () => {
      if (removed) {
        const prev = this.seen.get(id);
        this.seen.delete(id);
        this.removed.set(id, gen);
        this.emit(id, prev?.podSandboxId ?? podSandboxId, transitions(prev?.state, undefined), undefined);
        return;
      }
      await this.update(id, podSandboxId, this.seen.get(id)?.state, gen);
    });
  }

  /** A status the runtime just read (ContainerStatus): reports a change nobody has reported yet. */
  noteStatus(status: ContainerStatus): Promise<void> {
    if (!this.active) return Promise.resolve();
    const gen = ++this.gen;
    return this.serial(async () => {
      const prev = this.seen.get(status.id);
      if (prev?.state === status.state || this.removed.has(status.id)) return;
      await this.update(status.id, status.podSandboxId, prev?.state, gen, status.state, status);
    });
  }

  /** The sandbox was stopped: its containers have exited. */
  observeSandboxStopped(podSandboxId: string): Promise<void> {
    if (!this.active) return Promise.resolve();
    const gen = ++this.gen;
    return this.serial(async () => {
      for (const [id, s] of [...this.seen]) {
        if (s.podSandboxId === podSandboxId && s.state !== 'CONTAINER_EXITED') await this.update(id, podSandboxId, s.state, gen);
      }
    });
  }

  /** Every known container of a removed sandbox is gone. */
  observeSandboxRemoved(podSandboxId: string): Promise<void> {
    if (!this.active) return Promise.resolve();
    return this.serial(async () => {
      ++this.gen;
      for (const [id, s] of this.seen) {
        if (s.podSandboxId !== podSandboxId) continue;
        this.seen.delete(id);
        this.removed.set(id, this.gen);
        this.emit(id, podSandboxId, transitions(s.state, undefined), undefined);
      }
    });
  }

  private serial(fn: () => Promise<void>): Promise<void> {
    const p = this.lock.then(fn).catch((err: unknown) => this.o.log?.v(2).info('container events', { err: String(err) }));
    this.lock = p;
    return p;
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

  /** Fetches the status and emits what happened since `before`; never moves a container back. */
  private async update(id: string, podSandboxId: string, before: ContainerState | undefined, gen: number, listed?: ContainerState, known?: ContainerStatus): Promise<void> {
    let status = known;
    try {
      status ??= await this.o.status(id, podSandboxId);
    } catch {
      status = undefined; // removed meanwhile: remove() or the next list reports it
    }
    const state = status?.state ?? listed;
    if (!state) return;
    const types = transitions(before, state, !status || status.startedAt > 0);
    if (before === undefined || (RANK[state] > RANK[before])) this.seen.set(id, { state, podSandboxId, gen });
    this.emit(id, podSandboxId, types, status);
  }

  private emit(id: string, podSandboxId: string, types: ContainerEventType[], status: ContainerStatus | undefined): void {
    const now = this.o.clock.now();
    for (const type of types) {
      const ev: ContainerEvent = { containerId: id, podSandboxId, type, createdAt: eventTime(type, status, now) };
      if (status && type !== 'CONTAINER_DELETED_EVENT') ev.status = statusAt(type, status);
      this.o.hub.publish(ev);
    }
  }

  private async relist(): Promise<void> {
    const startGen = this.gen;
    let list: Container[];
    try {
      list = await this.o.list();
    } catch (err) {
      // containerd restarting: keep the last picture and try again next round.
      this.o.log?.v(2).info('relist failed', { err: String(err) });
      return;
    }
    await this.serial(async () => {
      const first = !this.listed;
      this.listed = true;
      const present = new Set<string>();
      for (const c of list) {
        present.add(c.id);
        if ((this.removed.get(c.id) ?? -1) > startGen) continue;
        const known = this.seen.get(c.id);
        if (known && known.gen > startGen) continue; // the runtime changed it after this list began
        if (!known && first && c.createdAt < this.since) {
          // Containers from before the first reader are the baseline, not news.
          this.seen.set(c.id, { state: c.state, podSandboxId: c.podSandboxId, gen: 0 });
          continue;
        }
        if (known?.state === c.state) continue;
        await this.update(c.id, c.podSandboxId, known?.state, known?.gen ?? 0, c.state);
      }
      for (const [id, s] of this.seen) {
        if (present.has(id) || s.gen > startGen) continue;
        this.seen.delete(id);
        this.emit(id, s.podSandboxId, transitions(s.state, undefined), undefined);
      }
      // Lists that begin from now on no longer contain what was removed up to here.
      for (const [id, g] of this.removed) if (g <= startGen) this.removed.delete(id);
    });
  }
}
