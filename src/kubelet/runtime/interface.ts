// The kubelet's container runtime contract (DESIGN.md §6), shaped after CRI v1's RuntimeService and
// ImageService. The kubelet (pod workers, probes, status, the streaming server) is written against
// these two interfaces only; `process`, `fake` and the gRPC `cri` runtime implement them.
//
// Error contract: an unknown sandbox, container or image id fails with a StatusError whose reason
// is NotFound (isReason(err, 'NotFound')), as CRI answers codes.NotFound. Remove* and stop* of an
// id that is already gone succeed (CRI: "must not return an error if the … has already been removed").
import type { Duplex, Readable, Writable } from 'node:stream';
import type {
  AuthConfig, Container, ContainerConfig, ContainerEvent, ContainerFilter, ContainerStats, ContainerStatsFilter,
  ContainerStatus, ExecSyncResult, FilesystemUsage, Image, ImageFilter, ImageSpec, LinuxContainerResources,
  PodSandbox, PodSandboxConfig, PodSandboxFilter, PodSandboxStatus, RuntimeStatus, VersionInfo,
} from './types.js';

/** Terminal size for tty sessions (CRI/remotecommand TerminalSize). */
export interface TerminalSize {
  width: number;
  height: number;
}

export interface ExecRequest {
  cmd: string[];
  tty?: boolean;
  /** Open a stdin stream into the process. */
  stdin?: boolean;
  /** false drops the stream (it is then absent from the session); default true. */
  stdout?: boolean;
  stderr?: boolean;
}

export interface AttachRequest {
  tty?: boolean;
  stdin?: boolean;
  stdout?: boolean;
  stderr?: boolean;
}

/**
 * A live exec or attach session. With tty, stderr is merged into stdout (as with a real terminal)
 * and `stderr` is absent. `exitCode` resolves when the process ends (for attach: when the
 * container exits, or -1 if the session was closed first).
 */
export interface StreamSession {
  stdin?: Writable;
  stdout?: Readable;
  stderr?: Readable;
  /** Changes the terminal size of a tty session; a no-op without tty. */
  resize(size: TerminalSize): void;
  exitCode: Promise<number>;
  /** Ends the session: for exec kills the process, for attach only detaches. */
  close(): void;
}

/** CRI RuntimeService. */
export interface RuntimeService {
  version(): Promise<VersionInfo>;
  /** RuntimeReady / NetworkReady conditions. */
  status(): Promise<RuntimeStatus>;

  /** Creates and starts a sandbox (namespaces, network, pod cgroup); resolves to its id. */
  runPodSandbox(config: PodSandboxConfig): Promise<string>;
  /** Stops every container of the sandbox (with no grace) and tears down its network. Idempotent. */
  stopPodSandbox(id: string): Promise<void>;
  /** Removes the sandbox and its containers; forces a stop first. Idempotent. */
  removePodSandbox(id: string): Promise<void>;
  podSandboxStatus(id: string): Promise<PodSandboxStatus>;
  listPodSandbox(filter?: PodSandboxFilter): Promise<PodSandbox[]>;

  /** Creates a container in the sandbox (state CREATED); resolves to its id. */
  createContainer(podSandboxId: string, config: ContainerConfig, sandboxConfig: PodSandboxConfig): Promise<string>;
  /**
   * Starts a CREATED container. A start failure (e.g. command not found) rejects and leaves the
   * container EXITED with reason StartError, as containerd does.
   */
  startContainer(id: string): Promise<void>;
  /**
   * Sends SIGTERM, waits up to timeoutSeconds for the container to exit, then SIGKILL; resolves
   * once it has exited. timeoutSeconds 0 kills at once. Idempotent for an exited container.
   */
  stopContainer(id: string, timeoutSeconds: number): Promise<void>;
  /** Removes a container, force-stopping it if it runs. Idempotent. */
  removeContainer(id: string): Promise<void>;
  containerStatus(id: string): Promise<ContainerStatus>;
  listContainers(filter?: ContainerFilter): Promise<Container[]>;
  /** Applies new cpu/memory limits to a running or created container. */
  updateContainerResources(id: string, resources: LinuxContainerResources): Promise<void>;
  /** Closes and reopens the container's log file (after the kubelet rotated it). */
  reopenContainerLog(id: string): Promise<void>;

  /**
   * Runs cmd in the container and collects its output. timeoutSeconds > 0 kills it after that long
   * and rejects with a Timeout StatusError (upstream probes treat that as a probe failure).
   */
  execSync(id: string, cmd: string[], timeoutSeconds?: number): Promise<ExecSyncResult>;
  /** Starts an interactive process in the container. */
  exec(id: string, req: ExecRequest): Promise<StreamSession>;
  /** Attaches to the container's main process stdio. */
  attach(id: string, req: AttachRequest): Promise<StreamSession>;
  /** A byte stream to `port` inside the sandbox's network namespace. */
  portForward(podSandboxId: string, port: number): Promise<Duplex>;

  containerStats(id: string): Promise<ContainerStats>;
  listContainerStats(filter?: ContainerStatsFilter): Promise<ContainerStats[]>;

  /**
   * Container lifecycle events as they happen (CRI GetContainerEvents): CREATED, STARTED, STOPPED
   * (the container exited, for whatever reason), DELETED. The iteration ends when signal aborts.
   * Events of one container arrive in order; a slow reader buffers, it never drops.
   */
  events(signal?: AbortSignal): AsyncIterable<ContainerEvent>;
  /** Releases what the runtime holds (timers, child processes it still supervises). */
  close(): Promise<void>;
}

/** CRI ImageService. */
export interface ImageService {
  listImages(filter?: ImageFilter): Promise<Image[]>;
  /** null when the image is not present (CRI: an empty response, not an error). */
  imageStatus(image: ImageSpec): Promise<Image | null>;
  /** Makes the image present; resolves to its image ref (id). */
  pullImage(image: ImageSpec, auth?: AuthConfig, sandboxConfig?: PodSandboxConfig): Promise<string>;
  /** Idempotent: removing an absent image succeeds. */
  removeImage(image: ImageSpec): Promise<void>;
  imageFsInfo(): Promise<FilesystemUsage[]>;
}

/** What the kubelet holds: one object serving both services (as containerd's socket does). */
export type ContainerRuntime = RuntimeService & ImageService;
