// An in-memory runtime for kubelet unit tests and hollow nodes (kubemark's fake remote runtime,
// kwok's "no real containers"): every call answers at once from maps, container exits are clock
// timers, and nothing runs. A pod costs two small objects and at most one timer.
import { join } from 'node:path';
import { PassThrough, Readable, type Duplex } from 'node:stream';
import { realClock, type Clock, type Timer } from '../../../util/clock.js';
import { errors } from '../../../util/errors.js';
import { CriLogWriter } from '../crilog.js';
import { EventHub } from '../events.js';
import { containerMatches, listSandboxRows, statsFilterMatches } from '../filters.js';
import { exitReason, newId, notFound } from '../ids.js';
import { normalizeRef } from '../imageref.js';
import type { AttachRequest, ContainerRuntime, ExecRequest, StreamSession } from '../interface.js';
import type {
  Container, ContainerConfig, ContainerEvent, ContainerEventType, ContainerFilter, ContainerStats,
  ContainerStatsFilter, ContainerStatus, ExecSyncResult, FilesystemUsage, Image, ImageFilter, ImageSpec,
  LinuxContainerResources, PodSandbox, PodSandboxConfig, PodSandboxFilter, PodSandboxStatus, RuntimeStatus, VersionInfo,
} from '../types.js';
import { behaviourFromAnnotations, type BehaviourFn, type ExecOutput, type FakeBehaviour } from './behaviour.js';

export interface FakeRuntimeOptions {
  clock?: Clock;
  /** Overrides the annotation-driven behaviour per container. */
  behaviour?: BehaviourFn;
  /** Pod IPs are handed out from this /16 or /24 network address upward (default 10.244.0.0). */
  podNetwork?: string;
  /** pullImage of these refs fails (ErrImagePull paths in kubelet tests). */
  unpullable?: Iterable<string>;
  /** createContainer requires the image to have been pulled (default false). */
  requirePull?: boolean;
  /** Stream handed out by portForward; default an echo stream. */
  portForward?: (sandboxId: string, port: number) => Duplex;
}

interface Sandbox {
  id: string;
  config: PodSandboxConfig;
  state: PodSandbox['state'];
  createdAt: number;
  ip: string;
}

interface Ctr {
  id: string;
  sandboxId: string;
  config: ContainerConfig;
  behaviour: FakeBehaviour;
  state: ContainerStatus['state'];
  createdAt: number;
  startedAt: number;
  finishedAt: number;
  exitCode: number;
  reason: string;
  message: string;
  logPath: string;
  timer: Timer | null;
  /** Resolvers waiting for the exit (stopContainer, attach). */
  waiters: (() => void)[];
}

export class FakeRuntime implements ContainerRuntime {
  private readonly clock: Clock;
  private readonly sandboxes = new Map<string, Sandbox>();
  private readonly containers = new Map<string, Ctr>();
  private readonly images = new Map<string, Image>();
  private readonly unpullable: Set<string>;
  private readonly hub = new EventHub();
  private ipCounter = 1;
  private readonly ipBase: number;
  /** Every call by name, for tests that assert what the kubelet asked for. */
  readonly calls: { method: string; args: unknown[] }[] = [];
  /** Set false to stop recording calls (hollow nodes). */
  recordCalls = true;

  constructor(private readonly opts: FakeRuntimeOptions = {}) {
    this.clock = opts.clock ?? realClock;
    this.unpullable = new Set(opts.unpullable ?? []);
    const [a, b, c, d] = (opts.podNetwork ?? '10.244.0.0').split('.').map(Number) as [number, number, number, number];
    this.ipBase = ((a << 24) >>> 0) + (b << 16) + (c << 8) + d;
  }

  private record(method: string, ...args: unknown[]): void {
    if (this.recordCalls) this.calls.push({ method, args });
  }

  async version(): Promise<VersionInfo> {
    return { version: '0.1.0', runtimeName: 'fake', runtimeVersion: '0.1.0', runtimeApiVersion: 'v1' };
  }

  async status(): Promise<RuntimeStatus> {
    return { conditions: [{ type: 'RuntimeReady', status: true }, { type: 'NetworkReady', status: true }] };
  }

  // ---- sandboxes ----

  async runPodSandbox(config: PodSandboxConfig): Promise<string> {
    this.record('runPodSandbox', config);
    const id = newId();
    const n = this.ipBase + (this.ipCounter++ % 65534) + 1;
    const ip = [n >>> 24, (n >>> 16) & 255, (n >>> 8) & 255, n & 255].join('.');
    this.sandboxes.set(id, { id, config, state: 'SANDBOX_READY', createdAt: this.clock.now(), ip });
    return id;
  }

  async stopPodSandbox(id: string): Promise<void> {
    this.record('stopPodSandbox', id);
    const s = this.sandboxes.get(id);
    if (!s) return;
    for (const c of this.containers.values()) if (c.sandboxId === id && c.state === 'CONTAINER_RUNNING') this.exit(c, 137, false, '');
    s.state = 'SANDBOX_NOTREADY';
  }

  async removePodSandbox(id: string): Promise<void> {
    this.record('removePodSandbox', id);
    await this.stopPodSandbox(id);
    for (const c of [...this.containers.values()]) if (c.sandboxId === id) await this.removeContainer(c.id);
    this.sandboxes.delete(id);
  }

  async podSandboxStatus(id: string): Promise<PodSandboxStatus> {
    const s = this.sandbox(id);
    const st: PodSandboxStatus = {
      id, metadata: s.config.metadata, state: s.state, createdAt: s.createdAt,
      labels: s.config.labels ?? {}, annotations: s.config.annotations ?? {},
    };
    if (s.state === 'SANDBOX_READY') st.network = { ip: s.ip };
    return st;
  }

  async listPodSandbox(filter?: PodSandboxFilter): Promise<PodSandbox[]> {
    return listSandboxRows(this.sandboxes.values(), filter);
  }

  // ---- containers ----

  async createContainer(podSandboxId: string, config: ContainerConfig, sandboxConfig: PodSandboxConfig): Promise<string> {
    this.record('createContainer', podSandboxId, config, sandboxConfig);
    const s = this.sandbox(podSandboxId);
    if (s.state !== 'SANDBOX_READY') throw errors.badRequest(`sandbox ${podSandboxId} is not ready`);
    if (this.opts.requirePull && !this.findImage(config.image.image)) throw notFound.image(config.image.image);
    const id = newId();
    const behaviour = this.opts.behaviour?.(config, sandboxConfig) ?? behaviourFromAnnotations(config.annotations);
    const logDir = sandboxConfig.logDirectory ?? s.config.logDirectory;
    this.containers.set(id, {
      id, sandboxId: podSandboxId, config, behaviour, state: 'CONTAINER_CREATED', createdAt: this.clock.now(),
      startedAt: 0, finishedAt: 0, exitCode: 0, reason: '', message: '',
      logPath: logDir && config.logPath ? join(logDir, config.logPath) : '', timer: null, waiters: [],
    });
    this.emit(this.containers.get(id)!, 'CONTAINER_CREATED_EVENT');
    return id;
  }

  async startContainer(id: string): Promise<void> {
    this.record('startContainer', id);
    const c = this.container(id);
    if (c.state !== 'CONTAINER_CREATED') throw errors.badRequest(`container ${id} is in state ${c.state}, not CONTAINER_CREATED`);
    const b = c.behaviour;
    if (b.failStart) {
      c.state = 'CONTAINER_EXITED';
      c.exitCode = 128;
      c.reason = 'StartError';
      c.message = b.failStart;
      c.finishedAt = this.clock.now();
      this.emit(c, 'CONTAINER_STOPPED_EVENT');
      throw errors.internal(`failed to start container ${id}: ${b.failStart}`);
    }
    c.state = 'CONTAINER_RUNNING';
    c.startedAt = this.clock.now();
    if (c.logPath && (b.stdout || b.stderr)) {
      const w = new CriLogWriter(c.logPath, this.clock);
      if (b.stdout) w.write('stdout', Buffer.from(b.stdout.endsWith('\n') ? b.stdout : b.stdout + '\n'));
      if (b.stderr) w.write('stderr', Buffer.from(b.stderr.endsWith('\n') ? b.stderr : b.stderr + '\n'));
      await w.close();
    }
    this.emit(c, 'CONTAINER_STARTED_EVENT');
    if (b.exitAfterMs !== undefined) {
      const code = b.oom ? 137 : (b.exitCode ?? 0);
      c.timer = this.clock.setTimer(b.exitAfterMs, () => this.exit(c, code, !!b.oom, ''));
    }
  }

  async stopContainer(id: string, timeoutSeconds: number): Promise<void> {
    this.record('stopContainer', id, timeoutSeconds);
    const c = this.containers.get(id);
    if (!c) throw notFound.container(id);
    if (c.state === 'CONTAINER_CREATED') {
      this.exit(c, 0, false, '');
      return;
    }
    if (c.state !== 'CONTAINER_RUNNING') return;
    if (!c.behaviour.ignoreSigterm || timeoutSeconds <= 0) {
      this.exit(c, timeoutSeconds <= 0 ? 137 : (c.behaviour.sigtermExitCode ?? 143), false, '');
      return;
    }
    const exited = new Promise<void>((resolve) => c.waiters.push(resolve));
    const kill = this.clock.setTimer(timeoutSeconds * 1000, () => this.exit(c, 137, false, ''));
    await exited;
    kill.cancel();
  }

  async removeContainer(id: string): Promise<void> {
    this.record('removeContainer', id);
    const c = this.containers.get(id);
    if (!c) return;
    if (c.state === 'CONTAINER_RUNNING') this.exit(c, 137, false, '');
    this.containers.delete(id);
    this.hub.publish({ containerId: id, podSandboxId: c.sandboxId, type: 'CONTAINER_DELETED_EVENT', createdAt: this.clock.now() });
  }

  async containerStatus(id: string): Promise<ContainerStatus> {
    return this.statusOf(this.container(id));
  }

  async listContainers(filter?: ContainerFilter): Promise<Container[]> {
    const out: Container[] = [];
    for (const c of this.containers.values()) {
      const row: Container = {
        id: c.id, podSandboxId: c.sandboxId, metadata: c.config.metadata, image: c.config.image,
        imageRef: this.imageRef(c.config.image.image), state: c.state, createdAt: c.createdAt,
        labels: c.config.labels ?? {}, annotations: c.config.annotations ?? {},
      };
      if (containerMatches(row, filter)) out.push(row);
    }
    return out;
  }

  async updateContainerResources(id: string, resources: LinuxContainerResources): Promise<void> {
    this.record('updateContainerResources', id, resources);
    const c = this.container(id);
    c.config = { ...c.config, linux: { ...c.config.linux, resources } };
  }

  async reopenContainerLog(id: string): Promise<void> {
    this.container(id);
  }

  // ---- exec, attach, port-forward ----

  private execOutput(c: Ctr, cmd: string[]): ExecOutput {
    const e = c.behaviour.exec;
    return (typeof e === 'function' ? e(cmd) : e) ?? {};
  }

  async execSync(id: string, cmd: string[], _timeoutSeconds?: number): Promise<ExecSyncResult> {
    this.record('execSync', id, cmd);
    const c = this.container(id);
    if (c.state !== 'CONTAINER_RUNNING') throw errors.badRequest(`container ${id} is not running`);
    const o = this.execOutput(c, cmd);
    return { stdout: Buffer.from(o.stdout ?? ''), stderr: Buffer.from(o.stderr ?? ''), exitCode: o.exitCode ?? 0 };
  }

  async exec(id: string, req: ExecRequest): Promise<StreamSession> {
    this.record('exec', id, req);
    const c = this.container(id);
    if (c.state !== 'CONTAINER_RUNNING') throw errors.badRequest(`container ${id} is not running`);
    const o = this.execOutput(c, req.cmd);
    const session: StreamSession = {
      resize: () => {},
      exitCode: Promise.resolve(o.exitCode ?? 0),
      close: () => {},
    };
    if (req.stdin) session.stdin = new PassThrough().resume();
    if (req.stdout !== false) session.stdout = Readable.from([Buffer.from(o.stdout ?? '')]);
    if (req.stderr !== false && !req.tty) session.stderr = Readable.from([Buffer.from(o.stderr ?? '')]);
    return session;
  }

  async attach(id: string, req: AttachRequest): Promise<StreamSession> {
    this.record('attach', id, req);
    const c = this.container(id);
    const out = new PassThrough();
    const exitCode = c.state === 'CONTAINER_RUNNING'
      ? new Promise<number>((resolve) => c.waiters.push(() => resolve(c.exitCode)))
      : Promise.resolve(c.exitCode);
    void exitCode.then(() => out.end());
    const session: StreamSession = { resize: () => {}, exitCode, close: () => out.end() };
    if (req.stdout !== false) session.stdout = out;
    if (req.stdin) session.stdin = new PassThrough().resume();
    return session;
  }

  async portForward(podSandboxId: string, port: number): Promise<Duplex> {
    this.record('portForward', podSandboxId, port);
    this.sandbox(podSandboxId);
    return this.opts.portForward?.(podSandboxId, port) ?? new PassThrough();
  }

  // ---- stats ----

  async containerStats(id: string): Promise<ContainerStats> {
    return this.statsOf(this.container(id));
  }

  async listContainerStats(filter?: ContainerStatsFilter): Promise<ContainerStats[]> {
    return [...this.containers.values()].filter((c) => statsFilterMatches(c, filter)).map((c) => this.statsOf(c));
  }

  events(signal?: AbortSignal): AsyncIterable<ContainerEvent> {
    return this.hub.subscribe(signal);
  }

  async close(): Promise<void> {
    for (const c of this.containers.values()) c.timer?.cancel();
    this.hub.close();
  }

  // ---- images ----

  async listImages(filter?: ImageFilter): Promise<Image[]> {
    const all = [...this.images.values()];
    if (!filter?.image?.image) return all;
    const img = this.findImage(filter.image.image);
    return img ? [img] : [];
  }

  async imageStatus(image: ImageSpec): Promise<Image | null> {
    return this.findImage(image.image) ?? null;
  }

  async pullImage(image: ImageSpec): Promise<string> {
    this.record('pullImage', image);
    const ref = normalizeRef(image.image);
    if (this.unpullable.has(image.image) || this.unpullable.has(ref)) {
      throw errors.notFound('images', '', `${image.image}: pull access denied, repository does not exist or may require authorization`);
    }
    let img = this.images.get(ref);
    if (!img) {
      img = { id: this.imageRef(image.image), repoTags: [ref], repoDigests: [], size: 1 << 20 };
      this.images.set(ref, img);
    }
    return img.id;
  }

  async removeImage(image: ImageSpec): Promise<void> {
    this.record('removeImage', image);
    const img = this.findImage(image.image);
    if (img) for (const [k, v] of this.images) if (v === img) this.images.delete(k);
  }

  async imageFsInfo(): Promise<FilesystemUsage[]> {
    let used = 0;
    for (const i of this.images.values()) used += i.size;
    return [{ timestamp: this.clock.now(), mountpoint: '/var/lib/fake/images', usedBytes: used, inodesUsed: this.images.size }];
  }

  // ---- helpers ----

  private findImage(ref: string): Image | undefined {
    const byTag = this.images.get(normalizeRef(ref));
    if (byTag) return byTag;
    for (const i of this.images.values()) if (i.id === ref) return i;
    return undefined;
  }

  private imageRef(ref: string): string {
    // Deterministic fake digest so two pulls of one ref agree.
    let h = 0;
    const n = normalizeRef(ref);
    for (let i = 0; i < n.length; i++) h = (Math.imul(h, 31) + n.charCodeAt(i)) >>> 0;
    return 'sha256:' + h.toString(16).padStart(8, '0').repeat(8);
  }

  private sandbox(id: string): Sandbox {
    const s = this.sandboxes.get(id);
    if (!s) throw notFound.sandbox(id);
    return s;
  }

  private container(id: string): Ctr {
    const c = this.containers.get(id);
    if (!c) throw notFound.container(id);
    return c;
  }

  private exit(c: Ctr, exitCode: number, oom: boolean, message: string): void {
    if (c.state === 'CONTAINER_EXITED') return;
    c.timer?.cancel();
    c.timer = null;
    c.state = 'CONTAINER_EXITED';
    c.exitCode = exitCode;
    c.reason = exitReason(exitCode, oom);
    c.message = message;
    c.finishedAt = this.clock.now();
    this.emit(c, 'CONTAINER_STOPPED_EVENT');
    const w = c.waiters;
    c.waiters = [];
    for (const f of w) f();
  }

  private statusOf(c: Ctr): ContainerStatus {
    return {
      id: c.id, podSandboxId: c.sandboxId, metadata: c.config.metadata, state: c.state,
      createdAt: c.createdAt, startedAt: c.startedAt, finishedAt: c.finishedAt, exitCode: c.exitCode,
      image: c.config.image, imageRef: this.imageRef(c.config.image.image), reason: c.reason, message: c.message,
      labels: c.config.labels ?? {}, annotations: c.config.annotations ?? {}, mounts: c.config.mounts ?? [],
      logPath: c.logPath,
    };
  }

  private statsOf(c: Ctr): ContainerStats {
    const running = c.state === 'CONTAINER_RUNNING';
    return {
      id: c.id, podSandboxId: c.sandboxId, metadata: c.config.metadata, timestamp: this.clock.now(),
      cpu: { usageCoreNanoSeconds: running ? (c.behaviour.cpuNanos ?? 0) : 0 },
      memory: { workingSetBytes: running ? (c.behaviour.memoryBytes ?? 0) : 0 },
    };
  }

  private emit(c: Ctr, type: ContainerEventType): void {
    this.hub.publish({ containerId: c.id, podSandboxId: c.sandboxId, type, createdAt: this.clock.now(), status: this.statusOf(c) });
  }
}
