// Request and status shapes of the container runtime contract, mirroring CRI v1
// (k8s.io/cri-api/pkg/apis/runtime/v1/api.proto) in its proto3-JSON spelling (camelCase), so a
// `cri` runtime can map them onto gRPC messages field by field. Differences from the proto, on
// purpose: times are Unix *milliseconds* (0 = unset) instead of nanoseconds, int64 counters are
// JS numbers, and enums are string unions.

/** Identifies a pod sandbox (CRI PodSandboxMetadata). */
export interface PodSandboxMetadata {
  name: string;
  uid: string;
  namespace: string;
  /** Incremented each time the kubelet re-creates the sandbox of the same pod. */
  attempt?: number;
}

export interface DNSConfig {
  servers?: string[];
  searches?: string[];
  /** resolv.conf options, e.g. "ndots:5". */
  options?: string[];
}

export type Protocol = 'TCP' | 'UDP' | 'SCTP';

export interface PortMapping {
  protocol?: Protocol;
  containerPort: number;
  hostPort?: number;
  hostIp?: string;
}

/**
 * CRI NamespaceMode: POD shares the sandbox's namespace, CONTAINER gives the container its own,
 * NODE uses the host's, TARGET joins another container's (pid only).
 */
export type NamespaceMode = 'POD' | 'CONTAINER' | 'NODE' | 'TARGET';

export interface NamespaceOption {
  network?: NamespaceMode;
  /** Default CONTAINER for containers (see runtime-spike P4: unset must not mean POD here). */
  pid?: NamespaceMode;
  ipc?: NamespaceMode;
  targetId?: string;
}

export interface LinuxSandboxSecurityContext {
  namespaceOptions?: NamespaceOption;
  runAsUser?: number;
  runAsGroup?: number;
  readonlyRootfs?: boolean;
  supplementalGroups?: number[];
  privileged?: boolean;
}

/** CRI LinuxContainerResources; absent or 0 means "no limit / runtime default". */
export interface LinuxContainerResources {
  cpuPeriod?: number;
  cpuQuota?: number;
  cpuShares?: number;
  memoryLimitInBytes?: number;
  oomScoreAdj?: number;
  cpusetCpus?: string;
  cpusetMems?: string;
}

export interface LinuxPodSandboxConfig {
  /** Cgroup of the pod, relative to each controller's hierarchy root (e.g. /kubepods/pod<uid>). */
  cgroupParent?: string;
  securityContext?: LinuxSandboxSecurityContext;
  sysctls?: Record<string, string>;
  /** Pod-level limits (sum of the containers' plus overhead). */
  resources?: LinuxContainerResources;
}

/** CRI PodSandboxConfig. */
export interface PodSandboxConfig {
  metadata: PodSandboxMetadata;
  hostname?: string;
  /** Directory under which container logs go; ContainerConfig.logPath is relative to it. */
  logDirectory?: string;
  dnsConfig?: DNSConfig;
  portMappings?: PortMapping[];
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
  linux?: LinuxPodSandboxConfig;
}

export type PodSandboxState = 'SANDBOX_READY' | 'SANDBOX_NOTREADY';

export interface PodSandboxNetworkStatus {
  ip: string;
  additionalIps?: string[];
}

/** CRI PodSandboxStatus. */
export interface PodSandboxStatus {
  id: string;
  metadata: PodSandboxMetadata;
  state: PodSandboxState;
  createdAt: number;
  network?: PodSandboxNetworkStatus;
  /** Namespaces the sandbox holds, e.g. `{ network: '/run/netns/skiff-…' }`; empty without root. */
  namespacePaths?: Record<string, string>;
  labels: Record<string, string>;
  annotations: Record<string, string>;
}

/** One row of listPodSandbox (CRI PodSandbox). */
export interface PodSandbox {
  id: string;
  metadata: PodSandboxMetadata;
  state: PodSandboxState;
  createdAt: number;
  labels: Record<string, string>;
  annotations: Record<string, string>;
}

export interface PodSandboxFilter {
  id?: string;
  state?: PodSandboxState;
  /** Every pair must match (CRI label_selector is an exact-match map). */
  labelSelector?: Record<string, string>;
}

export interface ContainerMetadata {
  name: string;
  /** Restart count of this container within the pod. */
  attempt?: number;
}

export interface ImageSpec {
  image: string;
  annotations?: Record<string, string>;
}

export interface KeyValue {
  key: string;
  value: string;
}

export type MountPropagation = 'PROPAGATION_PRIVATE' | 'PROPAGATION_HOST_TO_CONTAINER' | 'PROPAGATION_BIDIRECTIONAL';

export interface Mount {
  containerPath: string;
  hostPath: string;
  readonly?: boolean;
  propagation?: MountPropagation;
}

export interface Device {
  containerPath: string;
  hostPath: string;
  /** cgroup device permissions, "rwm". */
  permissions?: string;
}

export interface Capability {
  addCapabilities?: string[];
  dropCapabilities?: string[];
}

export interface LinuxContainerSecurityContext {
  capabilities?: Capability;
  privileged?: boolean;
  namespaceOptions?: NamespaceOption;
  runAsUser?: number;
  runAsGroup?: number;
  runAsUsername?: string;
  readonlyRootfs?: boolean;
  supplementalGroups?: number[];
  noNewPrivs?: boolean;
}

export interface LinuxContainerConfig {
  resources?: LinuxContainerResources;
  securityContext?: LinuxContainerSecurityContext;
}

/** CRI ContainerConfig. */
export interface ContainerConfig {
  metadata: ContainerMetadata;
  image: ImageSpec;
  /** Replaces the image entrypoint (Kubernetes `command`). */
  command?: string[];
  /** Replaces the image cmd (Kubernetes `args`). */
  args?: string[];
  workingDir?: string;
  envs?: KeyValue[];
  mounts?: Mount[];
  devices?: Device[];
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
  /** Relative to PodSandboxConfig.logDirectory, e.g. `app/0.log`. */
  logPath?: string;
  stdin?: boolean;
  /** Close the container's stdin after the first attach session ends. */
  stdinOnce?: boolean;
  tty?: boolean;
  linux?: LinuxContainerConfig;
}

export type ContainerState = 'CONTAINER_CREATED' | 'CONTAINER_RUNNING' | 'CONTAINER_EXITED' | 'CONTAINER_UNKNOWN';

/** Reasons the runtime reports for an exited container, as containerd does. */
export const ContainerReason = {
  Completed: 'Completed',
  Error: 'Error',
  OOMKilled: 'OOMKilled',
  /** Start failed (command not found, bad working dir, …); exit code 128 like runc's. */
  StartError: 'StartError',
} as const;

/** CRI ContainerStatus. */
export interface ContainerStatus {
  id: string;
  podSandboxId: string;
  metadata: ContainerMetadata;
  state: ContainerState;
  createdAt: number;
  startedAt: number;
  finishedAt: number;
  exitCode: number;
  image: ImageSpec;
  imageRef: string;
  /** Completed | Error | OOMKilled | StartError when exited; '' otherwise. */
  reason: string;
  message: string;
  labels: Record<string, string>;
  annotations: Record<string, string>;
  mounts: Mount[];
  /** Absolute path of the CRI-format log file ('' when the sandbox has no log directory). */
  logPath: string;
  /** Host pid of the container's main process while it runs (0 otherwise); not in CRI. */
  pid?: number;
}

/** One row of listContainers (CRI Container). */
export interface Container {
  id: string;
  podSandboxId: string;
  metadata: ContainerMetadata;
  image: ImageSpec;
  imageRef: string;
  state: ContainerState;
  createdAt: number;
  labels: Record<string, string>;
  annotations: Record<string, string>;
}

export interface ContainerFilter {
  id?: string;
  state?: ContainerState;
  podSandboxId?: string;
  labelSelector?: Record<string, string>;
}

export interface ExecSyncResult {
  stdout: Buffer;
  stderr: Buffer;
  exitCode: number;
}

export interface ContainerStats {
  id: string;
  podSandboxId: string;
  metadata: ContainerMetadata;
  /** When the figures were read (ms). */
  timestamp: number;
  cpu: { usageCoreNanoSeconds: number };
  memory: { workingSetBytes: number; usageBytes?: number; rssBytes?: number };
}

export interface ContainerStatsFilter {
  id?: string;
  podSandboxId?: string;
  labelSelector?: Record<string, string>;
}

export interface VersionInfo {
  version: string;
  runtimeName: string;
  runtimeVersion: string;
  runtimeApiVersion: string;
}

export interface RuntimeCondition {
  /** RuntimeReady | NetworkReady */
  type: string;
  status: boolean;
  reason?: string;
  message?: string;
}

export interface RuntimeStatus {
  conditions: RuntimeCondition[];
}

/** CRI ContainerEventType, for events(). */
export type ContainerEventType =
  | 'CONTAINER_CREATED_EVENT' | 'CONTAINER_STARTED_EVENT' | 'CONTAINER_STOPPED_EVENT' | 'CONTAINER_DELETED_EVENT';

export interface ContainerEvent {
  containerId: string;
  podSandboxId: string;
  type: ContainerEventType;
  createdAt: number;
  /** The container's status right after the change (absent for DELETED). */
  status?: ContainerStatus;
}

export interface Image {
  /** Image id (for the process runtime: a digest of the resolved reference and root). */
  id: string;
  repoTags: string[];
  repoDigests: string[];
  size: number;
  username?: string;
  pinned?: boolean;
}

export interface ImageFilter {
  image?: ImageSpec;
}

export interface FilesystemUsage {
  timestamp: number;
  mountpoint: string;
  usedBytes: number;
  inodesUsed: number;
}

export interface AuthConfig {
  username?: string;
  password?: string;
  auth?: string;
  serverAddress?: string;
  identityToken?: string;
  registryToken?: string;
}
