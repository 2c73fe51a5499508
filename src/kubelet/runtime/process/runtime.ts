// The embedded default runtime (DESIGN.md §6): each container is a local process.
//  - As root ("isolated"), a sandbox is a network namespace wired by a SandboxNetwork, UTS + IPC
//    namespaces with the pod's hostname, and a pod cgroup (cgroup v1: cpu, cpuacct, memory, pids);
//    each container gets a child cgroup with its limits and its own PID + mount namespace.
//  - Without root, containers are plain child processes on the host network (pod IP 127.0.0.1),
//    with no limits and no volume mounts.
// See README.md beside this file for images, logs and the limits of this runtime.
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { connect } from 'node:net';
import { join } from 'node:path';
import type { Duplex } from 'node:stream';
import { realClock, type Clock } from '../../../util/clock.js';
import { errors } from '../../../util/errors.js';
import { logger } from '../../../util/log.js';
import { EventHub } from '../events.js';
import { containerMatches, listSandboxRows, statsFilterMatches } from '../filters.js';
import { newId, notFound } from '../ids.js';
import type { AttachRequest, ContainerRuntime, ExecRequest, StreamSession } from '../interface.js';
import type {
  AuthConfig, Container, ContainerConfig, ContainerEvent, ContainerEventType, ContainerFilter, ContainerStats,
  ContainerStatsFilter, ContainerStatus, ExecSyncResult, FilesystemUsage, Image, ImageFilter, ImageSpec,
  LinuxContainerResources, PodSandbox, PodSandboxConfig, PodSandboxFilter, PodSandboxStatus, RuntimeStatus, VersionInfo,
} from '../types.js';
import { detectCapabilities } from './capabilities.js';
import { CgroupV1 } from './cgroups.js';
import { ProcessContainer } from './container.js';
import { ProcessImages, type ProcessImage } from './images.js';
import { commandLine, containerArgv, execArgv, resolveExecutable, StartError, withTty, workloadEnv, type Isolation } from './launch.js';
import { applySysctls, createNamespaces, destroyNamespaces, type SandboxNamespaces } from './namespaces.js';
import { BridgeNetwork, HostNetwork, type SandboxNetwork } from './network.js';
import { processTree, processUsage } from './procfs.js';
import { isDirectory, sandboxMounts, writeSandboxFiles } from './sandboxfiles.js';
import { cleanupLeftovers } from './leftovers.js';
import { runToCompletion, startSession } from './session.js';

const log = logger('kubelet.runtime.process');

export interface ProcessRuntimeOptions {
  /** Runtime state: namespace bind mounts, address leases (e.g. <dataDir>/runtime). */
  stateDir: string;
  clock?: Clock;
  /**
   * auto (default): isolate when the machine allows it (root, cgroup v1, tools); none: never;
   * required: fail in the constructor when isolation is not possible.
   */
  isolation?: 'auto' | 'none' | 'required';
  /** Sandbox networking when isolated; default a BridgeNetwork on `bridge` over `podCIDR`. */
  network?: SandboxNetwork;
  /** The node's pod subnet for the built-in bridge network (default 10.42.0.0/24). */
  podCIDR?: string;
  /** Bridge device of the built-in network (default skiff0). */
  bridge?: string;
  /** Prefix of network namespace names under /run/netns (default "skiff-"). */
  netnsPrefix?: string;
  /** Parent cgroup of pods that have no linux.cgroupParent (default "skiff"). */
  cgroupRoot?: string;
  cgroupMountRoot?: string;
  /** pids.max of each pod cgroup (kubelet --pod-max-pids); 0 = unlimited. */
  podPidsLimit?: number;
  /** Image refs with a rootfs or defaults of their own; every other ref is a host image. */
  images?: Record<string, ProcessImage>;
}

interface Sandbox {
  id: string;
  config: PodSandboxConfig;
  state: PodSandbox['state'];
  createdAt: number;
  ip: string;
  netnsName: string | null;
  ns: SandboxNamespaces | null;
  /** Pod cgroup path relative to the controller roots; null without isolation. */
  cgroupPath: string | null;
  /** Controllers in which this runtime created the pod cgroup (and so removes it). */
  cgroupOwned: boolean;
  stateDir: string;
}

export class ProcessRuntime implements ContainerRuntime {
  readonly isolated: boolean;
  readonly network: SandboxNetwork;
  readonly images: ProcessImages;
  private readonly clock: Clock;
  private readonly cgroups: CgroupV1 | null;
  private readonly sandboxes = new Map<string, Sandbox>();
  private readonly containers = new Map<string, ProcessContainer>();
  private readonly hub = new EventHub();

  constructor(private readonly opts: ProcessRuntimeOptions) {
    this.clock = opts.clock ?? realClock;
    const mode = opts.isolation ?? 'auto';
    const caps = detectCapabilities(opts.cgroupMountRoot);
    if (mode === 'required' && !caps.isolation) throw new Error(`process runtime: isolation required but not possible: ${caps.reason}`);
    this.isolated = mode !== 'none' && caps.isolation;
    if (mode === 'auto' && !caps.isolation) log.info('process runtime without isolation', { reason: caps.reason });
    this.cgroups = this.isolated ? new CgroupV1(opts.cgroupMountRoot) : null;
    this.network = opts.network ?? (this.isolated
      ? new BridgeNetwork({ subnet: opts.podCIDR ?? '10.42.0.0/24', bridge: opts.bridge ?? 'skiff0', stateDir: join(opts.stateDir, 'leases') })
      : new HostNetwork());
    this.images = new ProcessImages(this.clock, opts.images);
    mkdirSync(opts.stateDir, { recursive: true });
  }

  async version(): Promise<VersionInfo> {
    return { version: '0.1.0', runtimeName: 'skiff-process', runtimeVersion: '0.1.0', runtimeApiVersion: 'v1' };
  }

  async status(): Promise<RuntimeStatus> {
    const net = await this.network.ready();
    return {
      conditions: [
        { type: 'RuntimeReady', status: true },
        { type: 'NetworkReady', status: net.ready, ...(net.message ? { reason: 'NetworkNotReady', message: net.message } : {}) },
      ],
    };
  }

  // ---- sandboxes ----

  async runPodSandbox(config: PodSandboxConfig): Promise<string> {
    const id = newId();
    const hostNetwork = config.linux?.securityContext?.namespaceOptions?.network === 'NODE';
    const s: Sandbox = {
      id, config, state: 'SANDBOX_READY', createdAt: this.clock.now(), ip: '', netnsName: null, ns: null,
      cgroupPath: null, cgroupOwned: false, stateDir: join(this.opts.stateDir, 'sandboxes', id),
    };
    try {
      if (this.isolated) {
        if (!hostNetwork) {
          s.netnsName = (this.opts.netnsPrefix ?? 'skiff-') + id.slice(0, 16);
          s.ns = await createNamespaces(s.netnsName, s.stateDir, config.hostname || config.metadata.name);
          if (config.linux?.sysctls) await applySysctls(s.ns, config.linux.sysctls);
        }
        writeSandboxFiles(s.stateDir, config);
        s.cgroupPath = config.linux?.cgroupParent || join(this.opts.cgroupRoot ?? 'skiff', `pod-${id.slice(0, 16)}`);
        s.cgroupOwned = this.cgroups!.create(s.cgroupPath).length > 0;
        // What cleanupLeftovers needs should this process die without removing the sandbox.
        mkdirSync(s.stateDir, { recursive: true });
        writeFileSync(join(s.stateDir, 'meta.json'), JSON.stringify({ netnsName: s.netnsName, cgroupPath: s.cgroupPath, cgroupOwned: s.cgroupOwned }));
        this.cgroups!.apply(s.cgroupPath, config.linux?.resources, this.opts.podPidsLimit);
      }
      if (!hostNetwork) s.ip = (await this.network.setUp(id, s.ns?.net ?? null)).ip;
    } catch (e) {
      await this.release(s).catch(() => {});
      throw errors.internal(`failed to run pod sandbox ${config.metadata.namespace}/${config.metadata.name}: ${(e as Error).message}`);
    }
    this.sandboxes.set(id, s);
    return id;
  }

  async stopPodSandbox(id: string): Promise<void> {
    const s = this.sandboxes.get(id);
    if (!s) return;
    await Promise.all([...this.containers.values()].filter((c) => c.sandboxId === id).map((c) => c.stop(0)));
    if (s.state === 'SANDBOX_READY') {
      s.state = 'SANDBOX_NOTREADY';
      await this.network.tearDown(id, s.ns?.net ?? null);
      if (s.netnsName && s.ns) await destroyNamespaces(s.netnsName, s.ns);
    }
  }

  async removePodSandbox(id: string): Promise<void> {
    const s = this.sandboxes.get(id);
    if (!s) return;
    await this.stopPodSandbox(id);
    for (const c of [...this.containers.values()]) if (c.sandboxId === id) await this.removeContainer(c.id);
    await this.release(s);
    this.sandboxes.delete(id);
  }

  /** Undoes whatever of a sandbox exists: network, namespaces, pod cgroup, state dir. */
  private async release(s: Sandbox): Promise<void> {
    await this.network.tearDown(s.id, s.ns?.net ?? null);
    if (s.netnsName) await destroyNamespaces(s.netnsName, { uts: join(s.stateDir, 'uts'), ipc: join(s.stateDir, 'ipc') });
    if (s.cgroupPath && s.cgroupOwned) await this.cgroups!.remove(s.cgroupPath, (ms) => this.clock.sleep(ms));
    rmSync(s.stateDir, { recursive: true, force: true });
  }

  async podSandboxStatus(id: string): Promise<PodSandboxStatus> {
    const s = this.sandbox(id);
    const st: PodSandboxStatus = {
      id, metadata: s.config.metadata, state: s.state, createdAt: s.createdAt,
      labels: s.config.labels ?? {}, annotations: s.config.annotations ?? {}, namespacePaths: {},
    };
    if (s.state === 'SANDBOX_READY' && s.ip) st.network = { ip: s.ip };
    if (s.ns && s.state === 'SANDBOX_READY') st.namespacePaths = { network: s.ns.net, uts: s.ns.uts, ipc: s.ns.ipc };
    return st;
  }

  async listPodSandbox(filter?: PodSandboxFilter): Promise<PodSandbox[]> {
    return listSandboxRows(this.sandboxes.values(), filter);
  }

  // ---- containers ----

  async createContainer(podSandboxId: string, config: ContainerConfig, sandboxConfig: PodSandboxConfig): Promise<string> {
    const s = this.sandbox(podSandboxId);
    if (s.state !== 'SANDBOX_READY') throw errors.badRequest(`pod sandbox ${podSandboxId} is not ready`);
    const image = this.images.resolve(config.image.image);
    if (image.rootfs && image.rootfs !== '/' && !this.isolated) {
      throw errors.badRequest(`image ${config.image.image} has a root filesystem; the process runtime needs root to use it`);
    }
    if (image.rootfs && image.rootfs !== '/' && config.mounts?.length) {
      throw errors.badRequest('the process runtime does not support volume mounts with a rootfs image yet');
    }
    const pid = config.linux?.securityContext?.namespaceOptions?.pid;
    if (pid === 'POD' || pid === 'TARGET') {
      throw errors.badRequest(`the process runtime does not support pid namespace mode ${pid} (shareProcessNamespace)`);
    }
    const id = newId();
    const logDir = sandboxConfig.logDirectory ?? s.config.logDirectory;
    const logPath = logDir && config.logPath ? join(logDir, config.logPath) : '';
    let cgroupPath: string | null = null;
    if (this.isolated && s.cgroupPath) {
      cgroupPath = join(s.cgroupPath, id.slice(0, 16));
      this.cgroups!.create(cgroupPath);
      this.cgroups!.apply(cgroupPath, config.linux?.resources);
    }
    const c = new ProcessContainer(id, podSandboxId, config, this.images.imageRef(config.image.image), this.clock.now(),
      logPath, cgroupPath, this.clock, this.cgroups);
    this.containers.set(id, c);
    this.emit(c, 'CONTAINER_CREATED_EVENT');
    return id;
  }

  async startContainer(id: string): Promise<void> {
    const c = this.container(id);
    if (c.state !== 'CONTAINER_CREATED') throw errors.badRequest(`container ${id} is in state ${c.state}, not CONTAINER_CREATED`);
    const s = this.sandbox(c.sandboxId);
    const image = this.images.resolve(c.config.image.image);
    const rootfs = image.rootfs && image.rootfs !== '/' ? image.rootfs : null;
    const hostname = s.config.hostname || s.config.metadata.name;
    try {
      const env = workloadEnv(c.config, image, hostname);
      const argv = resolveExecutable(commandLine(c.config, image), env, rootfs);
      const cwd = c.config.workingDir || image.workingDir || '/';
      if (!isDirectory(join(rootfs ?? '/', cwd))) throw new StartError(`chdir to cwd ("${cwd}") set in config.json failed: no such file or directory`);
      c.env = env;
      c.cwd = cwd;
      const tty = !!c.config.tty;
      let spec;
      if (this.isolated) {
        const iso: Isolation = { cgroupProcs: this.cgroups!.procsFiles(c.cgroupPath!), ns: s.ns };
        const mounts = [...sandboxMounts(s.stateDir, s.config, c.config.mounts ?? []), ...(c.config.mounts ?? [])];
        spec = { argv: containerArgv({ argv, env, cwd, rootfs }, iso, mounts, tty), env, cwd: '/' };
      } else {
        spec = { argv: tty ? withTty(argv) : argv, env, cwd };
      }
      await c.start(spec, this.isolated, () => this.emit(c, 'CONTAINER_STARTED_EVENT'), () => this.emit(c, 'CONTAINER_STOPPED_EVENT'));
    } catch (e) {
      const msg = (e as Error).message;
      c.failStart(msg);
      this.emit(c, 'CONTAINER_STOPPED_EVENT');
      throw errors.internal(`failed to start container ${id}: ${msg}`);
    }
  }

  async stopContainer(id: string, timeoutSeconds: number): Promise<void> {
    await this.container(id).stop(timeoutSeconds);
  }

  async removeContainer(id: string): Promise<void> {
    const c = this.containers.get(id);
    if (!c) return;
    if (c.state === 'CONTAINER_RUNNING') {
      c.kill();
      await c.waitExit();
    }
    if (c.cgroupPath) await this.cgroups!.remove(c.cgroupPath, (ms) => this.clock.sleep(ms));
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
        id: c.id, podSandboxId: c.sandboxId, metadata: c.config.metadata, image: c.config.image, imageRef: c.imageRef,
        state: c.state, createdAt: c.createdAt, labels: c.config.labels ?? {}, annotations: c.config.annotations ?? {},
      };
      if (containerMatches(row, filter)) out.push(row);
    }
    return out;
  }

  async updateContainerResources(id: string, resources: LinuxContainerResources): Promise<void> {
    const c = this.container(id);
    if (c.cgroupPath) this.cgroups!.apply(c.cgroupPath, resources);
    c.config = { ...c.config, linux: { ...c.config.linux, resources } };
  }

  async reopenContainerLog(id: string): Promise<void> {
    const c = this.container(id);
    if (c.state !== 'CONTAINER_RUNNING') throw errors.badRequest(`container ${id} is not running`);
    c.reopenLog();
  }

  // ---- exec, attach, port-forward ----

  private execSpec(c: ProcessContainer, cmd: string[], tty: boolean): { argv: string[]; env: Record<string, string>; cwd: string } {
    if (c.state !== 'CONTAINER_RUNNING') throw errors.badRequest(`container ${c.id} is not running`);
    if (!cmd.length) throw errors.badRequest('exec needs a command');
    if (!this.isolated) return { argv: tty ? withTty(cmd) : cmd, env: c.env, cwd: c.cwd };
    if (!c.mainPid) throw errors.internal(`container ${c.id} has no process to exec into`);
    const s = this.sandbox(c.sandboxId);
    const iso: Isolation = { cgroupProcs: this.cgroups!.procsFiles(c.cgroupPath!), ns: s.ns };
    return { argv: execArgv(cmd, c.mainPid, c.cwd, iso, tty), env: c.env, cwd: '/' };
  }

  async execSync(id: string, cmd: string[], timeoutSeconds = 0): Promise<ExecSyncResult> {
    return runToCompletion(this.execSpec(this.container(id), cmd, false), this.clock, timeoutSeconds);
  }

  async exec(id: string, req: ExecRequest): Promise<StreamSession> {
    const spec = this.execSpec(this.container(id), req.cmd, !!req.tty);
    return startSession(spec, { stdin: !!req.stdin, stdout: req.stdout !== false, stderr: req.stderr !== false, tty: !!req.tty }, this.clock);
  }

  async attach(id: string, req: AttachRequest): Promise<StreamSession> {
    const c = this.container(id);
    if (req.stdin && !c.config.stdin) throw errors.badRequest(`container ${id} was not created with stdin`);
    return c.attach(req);
  }

  async portForward(podSandboxId: string, port: number): Promise<Duplex> {
    const s = this.sandbox(podSandboxId);
    if (s.state !== 'SANDBOX_READY') throw errors.badRequest(`pod sandbox ${podSandboxId} is not ready`);
    const host = s.ip || '127.0.0.1';
    return new Promise((resolve, reject) => {
      const sock = connect({ host, port, allowHalfOpen: true });
      sock.once('connect', () => {
        sock.removeAllListeners('error');
        resolve(sock);
      });
      sock.once('error', (e) => reject(errors.internal(`port-forward to ${host}:${port} in sandbox ${podSandboxId}: ${e.message}`)));
    });
  }

  // ---- stats ----

  async containerStats(id: string): Promise<ContainerStats> {
    return this.statsOf(this.container(id));
  }

  async listContainerStats(filter?: ContainerStatsFilter): Promise<ContainerStats[]> {
    return [...this.containers.values()].filter((c) => statsFilterMatches(c, filter)).map((c) => this.statsOf(c));
  }

  private statsOf(c: ProcessContainer): ContainerStats {
    const base = { id: c.id, podSandboxId: c.sandboxId, metadata: c.config.metadata, timestamp: this.clock.now() };
    if (c.cgroupPath && this.cgroups) {
      const m = this.cgroups.memory(c.cgroupPath);
      return { ...base, cpu: { usageCoreNanoSeconds: this.cgroups.cpuUsageNanos(c.cgroupPath) }, memory: m };
    }
    const u = c.mainPid ? processUsage(processTree(c.mainPid)) : { cpuNanos: 0, rssBytes: 0 };
    return { ...base, cpu: { usageCoreNanoSeconds: u.cpuNanos }, memory: { workingSetBytes: u.rssBytes, rssBytes: u.rssBytes } };
  }

  events(signal?: AbortSignal): AsyncIterable<ContainerEvent> {
    return this.hub.subscribe(signal);
  }

  /**
   * Removes what an earlier run of this runtime (same stateDir, netnsPrefix, cgroupRoot) left
   * behind when it died without close(): its processes, network namespaces, UTS/IPC bind mounts,
   * pod cgroups and address leases. The kubelet calls it once at start-up. Resolves to the number
   * of sandboxes cleaned up.
   */
  async cleanupLeftovers(): Promise<number> {
    return cleanupLeftovers({
      stateDir: this.opts.stateDir, netnsPrefix: this.opts.netnsPrefix ?? 'skiff-', cgroupRoot: this.opts.cgroupRoot ?? 'skiff',
      live: new Set([...this.sandboxes.keys()]), network: this.network, cgroups: this.cgroups, clock: this.clock,
    });
  }

  /** Removes every sandbox and container (their processes, namespaces, cgroups, addresses). */
  async close(): Promise<void> {
    for (const id of [...this.sandboxes.keys()]) await this.removePodSandbox(id).catch((e: Error) => log.warn('close: remove sandbox', { id, err: e }));
    for (const id of [...this.containers.keys()]) await this.removeContainer(id).catch(() => {});
    this.hub.close();
  }

  // ---- images ----

  listImages(filter?: ImageFilter): Promise<Image[]> {
    return this.images.listImages(filter);
  }
  imageStatus(image: ImageSpec): Promise<Image | null> {
    return this.images.imageStatus(image);
  }
  pullImage(image: ImageSpec, _auth?: AuthConfig): Promise<string> {
    return this.images.pullImage(image);
  }
  removeImage(image: ImageSpec): Promise<void> {
    return this.images.removeImage(image);
  }
  imageFsInfo(): Promise<FilesystemUsage[]> {
    return this.images.imageFsInfo();
  }

  // ---- helpers ----

  private sandbox(id: string): Sandbox {
    const s = this.sandboxes.get(id);
    if (!s) throw notFound.sandbox(id);
    return s;
  }

  private container(id: string): ProcessContainer {
    const c = this.containers.get(id);
    if (!c) throw notFound.container(id);
    return c;
  }

  private statusOf(c: ProcessContainer): ContainerStatus {
    const st: ContainerStatus = {
      id: c.id, podSandboxId: c.sandboxId, metadata: c.config.metadata, state: c.state, createdAt: c.createdAt,
      startedAt: c.startedAt, finishedAt: c.finishedAt, exitCode: c.exitCode, image: c.config.image, imageRef: c.imageRef,
      reason: c.reason, message: c.message, labels: c.config.labels ?? {}, annotations: c.config.annotations ?? {},
      mounts: c.config.mounts ?? [], logPath: c.logPath,
    };
    if (c.mainPid) st.pid = c.mainPid;
    return st;
  }

  private emit(c: ProcessContainer, type: ContainerEventType): void {
    this.hub.publish({ containerId: c.id, podSandboxId: c.sandboxId, type, createdAt: this.clock.now(), status: this.statusOf(c) });
  }
}
