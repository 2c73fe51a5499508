// The `cri` runtime (DESIGN.md §6): the kubelet's ContainerRuntime contract served by a CRI v1
// runtime (containerd 1.6) over gRPC, the way upstream kubelet's remote runtime works. Shapes are
// converted in convert.ts; events come from relisting (relist.ts); exec/attach/port-forward get a
// streaming URL from the runtime and hand it to a CriStreams client that speaks the streaming
// protocols to it.
//
// Pod cgroups: upstream kubelet creates the pod-level cgroup (PodContainerManager) and passes it as
// linux.cgroupParent; this runtime passes it straight through and creates no cgroups of its own
// (containerd/runc create the directory on demand and never remove it — runtime-spike P3 — so the
// kubelet's pod cgroup manager must rmdir it after RemovePodSandbox).
import type { Duplex } from 'node:stream';
import { realClock, type Clock } from '../../../util/clock.js';
import { errors, isReason } from '../../../util/errors.js';
import { logger, type Logger } from '../../../util/log.js';
import { EventHub } from '../events.js';
import { normalizeRef } from '../imageref.js';
import type { AttachRequest, ContainerRuntime, ExecRequest, StreamSession } from '../interface.js';
import type {
  AuthConfig, Container, ContainerConfig, ContainerEvent, ContainerFilter, ContainerStats, ContainerStatsFilter,
  ContainerStatus, ExecSyncResult, FilesystemUsage, Image, ImageFilter, ImageSpec, LinuxContainerResources,
  PodSandbox, PodSandboxConfig, PodSandboxFilter, PodSandboxStatus, RuntimeStatus, VersionInfo,
} from '../types.js';
import { CriClient, type WireMessage } from './client.js';
import {
  fromWireContainer, fromWireContainerStatus, fromWireFsUsage, fromWireImage, fromWirePodSandbox,
  fromWireRuntimeStatus, fromWireSandboxStatus, fromWireStats, fromWireVersion, toWireAuth, toWireContainerConfig,
  toWireContainerFilter, toWireImageSpec, toWireResources, toWireSandboxConfig, toWireSandboxFilter, toWireStatsFilter,
} from './convert.js';
import { PodCgroups, type PodCgroup } from './podcgroups.js';
import { Relister } from './relist.js';
import { createCriStreams, type CriStreams } from './streaming.js';

export type { CriStreams } from './streaming.js';

export interface CriRuntimeOptions {
  /** `unix:///run/containerd/containerd.sock` (the kubelet's --cri-endpoint). */
  endpoint: string;
  /** Deadline of ordinary CRI calls (default 10 s); pulls get pullTimeoutMs. */
  timeoutMs?: number;
  /** Deadline of PullImage and RunPodSandbox (which may pull the pause image); default 2 min. */
  pullTimeoutMs?: number;
  /** Interval of the ListContainers relist behind events(); default 1 s. */
  relistIntervalMs?: number;
  log?: Logger;
  clock?: Clock;
  /**
   * When set, the runtime owns pod cgroups as the process runtime does: a sandbox goes into
   * linux.cgroupParent or `<cgroupRoot>/pod<uid>`, which gets the pod's linux.resources (containerd
   * ignores them) and is removed after RemovePodSandbox if this runtime created it. Unset (default):
   * cgroupParent is passed through untouched, as upstream, where the kubelet owns pod cgroups.
   */
  cgroupRoot?: string;
  /** pids.max of each pod cgroup when cgroupRoot is set (kubelet --pod-max-pids). */
  podPidsLimit?: number;
  cgroupMountRoot?: string;
  /** Client of the runtime's streaming server (exec, attach, port-forward); default createCriStreams(). */
  streams?: CriStreams;
}

/** Runs `p`, treating NotFound as success (CRI stop/remove are idempotent). */
async function ignoreNotFound(p: Promise<unknown>): Promise<void> {
  try {
    await p;
  } catch (err) {
    if (!isReason(err, 'NotFound')) throw err;
  }
}

/** True when an image (as CRI reports it) is the one `ref` names: by id, tag or digest. */
export function imageMatches(img: Image, ref: string): boolean {
  if (img.id === ref || (ref.startsWith('sha256:') && img.id.startsWith(ref))) return true;
  const n = normalizeRef(ref);
  return img.repoTags.includes(n) || img.repoDigests.includes(n);
}

export class CriRuntime implements ContainerRuntime {
  readonly client: CriClient;
  private readonly clock: Clock;
  private readonly log: Logger;
  private readonly hub = new EventHub();
  private readonly relister: Relister;
  private readonly streamClient: CriStreams;
  private readonly podCgroups: PodCgroups | null;
  /** Pod cgroup of each sandbox made while podCgroups is on. */
  private readonly podCgroupOf = new Map<string, PodCgroup>();
  /** Sandbox of each container seen (CRI ContainerStatus does not name it). */
  private readonly sandboxOf = new Map<string, string>();

  constructor(private readonly o: CriRuntimeOptions) {
    this.clock = o.clock ?? realClock;
    this.log = o.log ?? logger('kubelet.runtime.cri');
    this.streamClient = o.streams ?? createCriStreams({ log: this.log });
    this.podCgroups = o.cgroupRoot
      ? new PodCgroups({ root: o.cgroupRoot, mountRoot: o.cgroupMountRoot, pidsLimit: o.podPidsLimit, sleep: (ms) => this.clock.sleep(ms) })
      : null;
    this.client = new CriClient({ endpoint: o.endpoint, timeoutMs: o.timeoutMs, pullTimeoutMs: o.pullTimeoutMs, log: this.log });
    this.relister = new Relister({
      list: () => this.listContainers(),
      status: (id, sid) => this.statusOf(id, sid),
      hub: this.hub, clock: this.clock, intervalMs: o.relistIntervalMs, log: this.log,
    });
  }

  private rt(rpc: string, req: WireMessage, timeoutMs?: number): Promise<WireMessage> {
    return this.client.call('runtime', rpc, req, timeoutMs);
  }

  private img(rpc: string, req: WireMessage, timeoutMs?: number): Promise<WireMessage> {
    return this.client.call('image', rpc, req, timeoutMs);
  }

  // ---- runtime ----

  async version(): Promise<VersionInfo> {
    // The kubelet's own API version string (upstream kubeRuntimeAPIVersion).
    return fromWireVersion(await this.rt('Version', { version: '0.1.0' }));
  }

  async status(): Promise<RuntimeStatus> {
    return fromWireRuntimeStatus((await this.rt('Status', { verbose: false })).status);
  }

  // ---- sandboxes ----

  async runPodSandbox(config: PodSandboxConfig): Promise<string> {
    if (!this.podCgroups) {
      const r = await this.rt('RunPodSandbox', { config: toWireSandboxConfig(config), runtime_handler: '' }, this.client.pullTimeoutMs);
      return r.pod_sandbox_id;
    }
    const cg = this.podCgroups.prepare(config);
    const withParent: PodSandboxConfig = { ...config, linux: { ...config.linux, cgroupParent: cg.path } };
    try {
      const r = await this.rt('RunPodSandbox', { config: toWireSandboxConfig(withParent), runtime_handler: '' }, this.client.pullTimeoutMs);
      this.podCgroupOf.set(r.pod_sandbox_id, cg);
      return r.pod_sandbox_id;
    } catch (err) {
      // containerd may keep a NOTREADY sandbox in the cgroup (runtime-spike P7): then it stays busy.
      if (cg.owned) await this.podCgroups.remove(cg.path).catch(() => undefined);
      throw err;
    }
  }

  /** The pod cgroup of a sandbox this process did not start (after a restart): from containerd's spec. */
  private async podCgroupFromStatus(id: string): Promise<PodCgroup | undefined> {
    const r = await this.rt('PodSandboxStatus', { pod_sandbox_id: id, verbose: true }).catch(() => null);
    let cgroupsPath = '';
    try {
      cgroupsPath = JSON.parse(r?.info?.info ?? '{}').runtimeSpec?.linux?.cgroupsPath ?? '';
    } catch {
      return undefined;
    }
    const path = cgroupsPath.slice(0, cgroupsPath.lastIndexOf('/'));
    if (!path) return undefined;
    const mine = path.startsWith('/' + this.o.cgroupRoot!.replace(/^\/+|\/+$/g, '') + '/');
    return { path, owned: mine };
  }

  async stopPodSandbox(id: string): Promise<void> {
    await ignoreNotFound(this.rt('StopPodSandbox', { pod_sandbox_id: id }));
    void this.relister.observeSandboxStopped(id);
  }

  async removePodSandbox(id: string): Promise<void> {
    const cg = this.podCgroups ? this.podCgroupOf.get(id) ?? await this.podCgroupFromStatus(id) : undefined;
    await ignoreNotFound(this.rt('RemovePodSandbox', { pod_sandbox_id: id }));
    this.podCgroupOf.delete(id);
    if (cg?.owned) await this.podCgroups!.remove(cg.path);
    void this.relister.observeSandboxRemoved(id);
    for (const [cid, sid] of this.sandboxOf) if (sid === id) this.sandboxOf.delete(cid);
  }

  async podSandboxStatus(id: string): Promise<PodSandboxStatus> {
    const r = await this.rt('PodSandboxStatus', { pod_sandbox_id: id, verbose: false });
    if (!r.status) throw errors.notFound('podsandboxes', '', id);
    return fromWireSandboxStatus(r.status);
  }

  async listPodSandbox(filter?: PodSandboxFilter): Promise<PodSandbox[]> {
    const r = await this.rt('ListPodSandbox', { filter: toWireSandboxFilter(filter) });
    return (r.items ?? []).map(fromWirePodSandbox);
  }

  // ---- containers ----

  async createContainer(podSandboxId: string, config: ContainerConfig, sandboxConfig: PodSandboxConfig): Promise<string> {
    const r = await this.rt('CreateContainer', {
      pod_sandbox_id: podSandboxId, config: toWireContainerConfig(config), sandbox_config: toWireSandboxConfig(sandboxConfig),
    });
    this.sandboxOf.set(r.container_id, podSandboxId);
    void this.relister.observe(r.container_id, podSandboxId);
    return r.container_id;
  }

  async startContainer(id: string): Promise<void> {
    try {
      await this.rt('StartContainer', { container_id: id });
    } finally {
      // Started, or failed to start (then EXITED with StartError): either way a change to report.
      if (this.relister.active) void this.relister.observe(id, await this.sandboxIdOf(id).catch(() => ''));
    }
  }

  async stopContainer(id: string, timeoutSeconds: number): Promise<void> {
    // The call lasts as long as the grace period, so its deadline is longer by that much (upstream).
    const grace = Math.max(0, Math.trunc(timeoutSeconds));
    await ignoreNotFound(this.rt('StopContainer', { container_id: id, timeout: String(grace) }, this.client.timeoutMs + grace * 1000));
    if (this.relister.active) void this.relister.observe(id, await this.sandboxIdOf(id).catch(() => ''));
  }

  async removeContainer(id: string): Promise<void> {
    // Report an exit nobody has seen yet before the container (and its status) is gone.
    if (this.relister.active) await this.relister.observe(id, await this.sandboxIdOf(id).catch(() => ''));
    await ignoreNotFound(this.rt('RemoveContainer', { container_id: id }));
    void this.relister.observe(id, this.sandboxOf.get(id) ?? '', true);
    this.sandboxOf.delete(id);
  }

  async containerStatus(id: string): Promise<ContainerStatus> {
    const r = await this.rt('ContainerStatus', { container_id: id, verbose: false });
    if (!r.status) throw errors.notFound('containers', '', id);
    const s = fromWireContainerStatus(r.status, await this.sandboxIdOf(id));
    void this.relister.noteStatus(s);
    return s;
  }

  /** The container's sandbox: remembered, or asked for with ListContainers by id. */
  private async sandboxIdOf(id: string): Promise<string> {
    const known = this.sandboxOf.get(id);
    if (known !== undefined) return known;
    const rows = await this.listContainers({ id });
    return rows.find((c) => c.id === id)?.podSandboxId ?? '';
  }

  private async statusOf(id: string, podSandboxId: string): Promise<ContainerStatus> {
    const r = await this.rt('ContainerStatus', { container_id: id, verbose: false });
    if (!r.status) throw errors.notFound('containers', '', id);
    return fromWireContainerStatus(r.status, podSandboxId);
  }

  async listContainers(filter?: ContainerFilter): Promise<Container[]> {
    const r = await this.rt('ListContainers', { filter: toWireContainerFilter(filter) });
    const rows: Container[] = (r.containers ?? []).map(fromWireContainer);
    if (!filter) this.sandboxOf.clear(); // a full list: forget removed containers
    for (const c of rows) this.sandboxOf.set(c.id, c.podSandboxId);
    return rows;
  }

  async updateContainerResources(id: string, resources: LinuxContainerResources): Promise<void> {
    await this.rt('UpdateContainerResources', { container_id: id, linux: toWireResources(resources), annotations: {} });
  }

  async reopenContainerLog(id: string): Promise<void> {
    await this.rt('ReopenContainerLog', { container_id: id });
  }

  async execSync(id: string, cmd: string[], timeoutSeconds = 0): Promise<ExecSyncResult> {
    const t = Math.max(0, Math.trunc(timeoutSeconds));
    // Without a timeout the command may run long (upstream sets no deadline); allow the pull deadline.
    const deadline = t > 0 ? this.client.timeoutMs + t * 1000 : this.client.pullTimeoutMs;
    const r = await this.rt('ExecSync', { container_id: id, cmd, timeout: String(t) }, deadline);
    return { stdout: Buffer.from(r.stdout ?? []), stderr: Buffer.from(r.stderr ?? []), exitCode: r.exit_code ?? 0 };
  }

  async exec(id: string, req: ExecRequest): Promise<StreamSession> {
    const streams = this.streamClient;
    const tty = req.tty ?? false;
    const wire = {
      container_id: id, cmd: req.cmd, tty, stdin: req.stdin ?? false,
      stdout: req.stdout ?? true,
      // CRI: with a tty stderr is merged into stdout and must not be asked for.
      stderr: !tty && (req.stderr ?? true),
    };
    const r = await this.rt('Exec', wire);
    return streams.exec(r.url, { ...req, tty, stdin: wire.stdin, stdout: wire.stdout, stderr: wire.stderr });
  }

  async attach(id: string, req: AttachRequest): Promise<StreamSession> {
    const streams = this.streamClient;
    const tty = req.tty ?? false;
    const wire = { container_id: id, tty, stdin: req.stdin ?? false, stdout: req.stdout ?? true, stderr: !tty && (req.stderr ?? true) };
    const r = await this.rt('Attach', wire);
    const session = await streams.attach(r.url, { tty, stdin: wire.stdin, stdout: wire.stdout, stderr: wire.stderr });
    return this.withContainerExit(id, session);
  }

  /**
   * The streaming server ends an attach session when the container exits but sends no exit code
   * (that is the container's, not a process's): take it from ContainerStatus, which may lag the
   * end of the stream by a moment. -1 when the session was closed while the container still ran.
   */
  private withContainerExit(id: string, s: StreamSession): StreamSession {
    let detached = false;
    const exitCode = s.exitCode.catch(() => -1).then(async (code) => {
      if (detached) return -1;
      const sid = await this.sandboxIdOf(id).catch(() => '');
      for (let i = 0; i < 40; i++) {
        const st = await this.statusOf(id, sid).catch(() => null);
        if (!st) return code;
        if (st.state === 'CONTAINER_EXITED') return st.exitCode;
        await this.clock.sleep(50);
      }
      return -1;
    });
    const out: StreamSession = {
      resize: (size) => s.resize(size),
      exitCode,
      close: () => {
        detached = true;
        s.close();
      },
    };
    if (s.stdin) out.stdin = s.stdin;
    if (s.stdout) out.stdout = s.stdout;
    if (s.stderr) out.stderr = s.stderr;
    return out;
  }

  async portForward(podSandboxId: string, port: number): Promise<Duplex> {
    const streams = this.streamClient;
    const r = await this.rt('PortForward', { pod_sandbox_id: podSandboxId, port: [port] });
    return streams.portForward(r.url, port);
  }

  // ---- stats ----

  async containerStats(id: string): Promise<ContainerStats> {
    const [r, sid] = await Promise.all([this.rt('ContainerStats', { container_id: id }), this.sandboxIdOf(id)]);
    if (!r.stats) throw errors.notFound('containers', '', id);
    return fromWireStats(r.stats, sid);
  }

  async listContainerStats(filter?: ContainerStatsFilter): Promise<ContainerStats[]> {
    const [r, containers] = await Promise.all([
      this.rt('ListContainerStats', { filter: toWireStatsFilter(filter) }),
      this.listContainers({ id: filter?.id, podSandboxId: filter?.podSandboxId, labelSelector: filter?.labelSelector }),
    ]);
    const byId = new Map(containers.map((c) => [c.id, c]));
    const out = (r.stats ?? []).map((s: WireMessage) => fromWireStats(s, byId.get(s.attributes?.id)?.podSandboxId ?? ''));
    // containerd 1.6 reports only containers that have a task; the contract (and the kubelet's
    // summary API) lists every matching container, with zero usage when it does not run.
    const seen = new Set(out.map((s: ContainerStats) => s.id));
    for (const c of containers) {
      if (seen.has(c.id)) continue;
      out.push({ id: c.id, podSandboxId: c.podSandboxId, metadata: c.metadata, timestamp: this.clock.now(), cpu: { usageCoreNanoSeconds: 0 }, memory: { workingSetBytes: 0 } });
    }
    return out;
  }

  // ---- events ----

  events(signal?: AbortSignal): AsyncIterable<ContainerEvent> {
    const inner = this.hub.subscribe(signal);
    if (signal?.aborted) return inner;
    const relister = this.relister;
    relister.retain();
    let released = false;
    const release = () => {
      if (released) return;
      released = true;
      relister.release();
    };
    signal?.addEventListener('abort', release, { once: true });
    return {
      [Symbol.asyncIterator]: () => {
        const it = inner[Symbol.asyncIterator]();
        return {
          next: async () => {
            const r = await it.next();
            if (r.done) release();
            return r;
          },
          return: async () => {
            release();
            return it.return ? it.return() : { value: undefined, done: true };
          },
        };
      },
    };
  }

  async close(): Promise<void> {
    this.hub.close();
    while (this.relister.active) this.relister.release();
    this.client.close();
  }

  // ---- images ----

  async listImages(filter?: ImageFilter): Promise<Image[]> {
    const r = await this.img('ListImages', { filter: filter?.image ? { image: toWireImageSpec(filter.image) } : null });
    const images = (r.images ?? []).map(fromWireImage);
    // containerd 1.6 ignores the filter ("TODO … when CRI defines this more clearly").
    const ref = filter?.image?.image;
    return ref ? images.filter((i: Image) => imageMatches(i, ref)) : images;
  }

  async imageStatus(image: ImageSpec): Promise<Image | null> {
    const r = await this.img('ImageStatus', { image: toWireImageSpec(image), verbose: false });
    return r.image && r.image.id ? fromWireImage(r.image) : null;
  }

  async pullImage(image: ImageSpec, auth?: AuthConfig, sandboxConfig?: PodSandboxConfig): Promise<string> {
    const r = await this.img('PullImage', {
      image: toWireImageSpec(image), auth: toWireAuth(auth), sandbox_config: sandboxConfig ? toWireSandboxConfig(sandboxConfig) : null,
    });
    return r.image_ref;
  }

  async removeImage(image: ImageSpec): Promise<void> {
    await ignoreNotFound(this.img('RemoveImage', { image: toWireImageSpec(image) }));
  }

  async imageFsInfo(): Promise<FilesystemUsage[]> {
    const r = await this.img('ImageFsInfo', {});
    return (r.image_filesystems ?? []).map(fromWireFsUsage);
  }
}

/**
 * A CriRuntime that has answered Version with runtime API v1. Fails with a message naming the
 * endpoint when nothing serves CRI there (containerd not running, wrong socket, CRI plugin disabled).
 */
export async function createCriRuntime(o: CriRuntimeOptions): Promise<CriRuntime> {
  const rt = new CriRuntime(o);
  let v: VersionInfo;
  try {
    v = await rt.version();
  } catch (err) {
    await rt.close();
    const why = err instanceof Error ? err.message : String(err);
    throw errors.unavailable(`no CRI v1 runtime at ${o.endpoint} (is containerd running with its CRI plugin?): ${why}`);
  }
  if (v.runtimeApiVersion !== 'v1') {
    await rt.close();
    throw errors.unavailable(`CRI runtime at ${o.endpoint} (${v.runtimeName} ${v.runtimeVersion}) speaks ${v.runtimeApiVersion || 'an unknown API'}, not v1`);
  }
  (o.log ?? logger('kubelet.runtime.cri')).info('connected to CRI runtime', { endpoint: o.endpoint, runtime: v.runtimeName, version: v.runtimeVersion });
  return rt;
}
