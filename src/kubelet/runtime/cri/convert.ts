// Contract shapes ↔ CRI wire messages. The contract (../types.ts) is CRI in proto3-JSON spelling with
// three deliberate differences that are undone here: times are ms (wire: int64 ns as decimal
// strings), counters are numbers (wire: int64/uint64 strings, often in UInt64Value wrappers), and
// field names are camelCase (wire, with keepCase: snake_case). Enum names are the same on both sides.
import type {
  AuthConfig, Container, ContainerConfig, ContainerFilter, ContainerMetadata, ContainerStats, ContainerStatsFilter,
  ContainerStatus, FilesystemUsage, Image, ImageSpec, LinuxContainerResources, LinuxContainerSecurityContext,
  LinuxSandboxSecurityContext, Mount, NamespaceOption, PodSandbox, PodSandboxConfig, PodSandboxFilter,
  PodSandboxMetadata, PodSandboxStatus, RuntimeStatus, VersionInfo,
} from '../types.js';
import type { WireMessage } from './client.js';

const NS_PER_MS = 1_000_000n;

/** Wire int64 nanoseconds (string or number) → ms; 0/absent stays 0. */
export function nsToMs(ns: string | number | null | undefined): number {
  if (ns === null || ns === undefined || ns === '' || ns === 0 || ns === '0') return 0;
  return Number(BigInt(ns) / NS_PER_MS);
}

/** ms → wire int64 nanoseconds. */
export function msToNs(ms: number): string {
  return (BigInt(Math.trunc(ms)) * NS_PER_MS).toString();
}

/** Wire int64/uint64 (string) → number; absent → 0. */
export function num(v: string | number | null | undefined): number {
  if (v === null || v === undefined || v === '') return 0;
  return typeof v === 'number' ? v : Number(v);
}

/** A wrapper message ({value}) → number, or undefined when the wrapper is absent. */
function wrapped(w: WireMessage | null | undefined): number | undefined {
  return w ? num(w.value) : undefined;
}

const int64 = (n: number | undefined): string => String(Math.trunc(n ?? 0));
const int64Value = (n: number | undefined): WireMessage | null => (n === undefined ? null : { value: int64(n) });
const strMap = (m: Record<string, string> | null | undefined): Record<string, string> => ({ ...(m ?? {}) });

// ---- to the wire ----

export function toWireResources(r: LinuxContainerResources | undefined): WireMessage | null {
  if (!r) return null;
  return {
    cpu_period: int64(r.cpuPeriod), cpu_quota: int64(r.cpuQuota), cpu_shares: int64(r.cpuShares),
    memory_limit_in_bytes: int64(r.memoryLimitInBytes), oom_score_adj: int64(r.oomScoreAdj),
    cpuset_cpus: r.cpusetCpus ?? '', cpuset_mems: r.cpusetMems ?? '',
  };
}

/**
 * NamespaceOption with defaults made explicit. `defaultPid` matters for containers: an unset pid
 * would be the proto3 zero value POD (a pod-shared PID namespace, runtime-spike P4), while the
 * contract's default for containers is CONTAINER.
 */
export function toWireNamespaces(n: NamespaceOption | undefined, defaultPid: 'POD' | 'CONTAINER'): WireMessage {
  return {
    network: n?.network ?? 'POD', pid: n?.pid ?? defaultPid, ipc: n?.ipc ?? 'POD', target_id: n?.targetId ?? '',
  };
}

function toWireSandboxSecurity(s: LinuxSandboxSecurityContext | undefined): WireMessage {
  return {
    // A sandbox's own pid namespace is its pod's; CONTAINER here means "not shared with the host".
    namespace_options: toWireNamespaces(s?.namespaceOptions, 'CONTAINER'),
    run_as_user: int64Value(s?.runAsUser), run_as_group: int64Value(s?.runAsGroup),
    readonly_rootfs: s?.readonlyRootfs ?? false,
    supplemental_groups: (s?.supplementalGroups ?? []).map((g) => int64(g)),
    privileged: s?.privileged ?? false,
  };
}

export function toWireSandboxMetadata(m: PodSandboxMetadata): WireMessage {
  return { name: m.name, uid: m.uid, namespace: m.namespace, attempt: m.attempt ?? 0 };
}

export function toWireSandboxConfig(c: PodSandboxConfig): WireMessage {
  return {
    metadata: toWireSandboxMetadata(c.metadata),
    hostname: c.hostname ?? '',
    log_directory: c.logDirectory ?? '',
    dns_config: c.dnsConfig
      ? { servers: c.dnsConfig.servers ?? [], searches: c.dnsConfig.searches ?? [], options: c.dnsConfig.options ?? [] }
      : null,
    port_mappings: (c.portMappings ?? []).map((p) => ({
      protocol: p.protocol ?? 'TCP', container_port: p.containerPort, host_port: p.hostPort ?? 0, host_ip: p.hostIp ?? '',
    })),
    labels: strMap(c.labels),
    annotations: strMap(c.annotations),
    linux: {
      // The kubelet owns the pod cgroup; the runtime only places the sandbox in it.
      cgroup_parent: c.linux?.cgroupParent ?? '',
      security_context: toWireSandboxSecurity(c.linux?.securityContext),
      sysctls: strMap(c.linux?.sysctls),
      resources: toWireResources(c.linux?.resources),
    },
  };
}

function toWireMount(m: Mount): WireMessage {
  return {
    container_path: m.containerPath, host_path: m.hostPath, readonly: m.readonly ?? false,
    selinux_relabel: false, propagation: m.propagation ?? 'PROPAGATION_PRIVATE',
  };
}

function toWireContainerSecurity(s: LinuxContainerSecurityContext | undefined): WireMessage {
  return {
    capabilities: s?.capabilities
      ? { add_capabilities: s.capabilities.addCapabilities ?? [], drop_capabilities: s.capabilities.dropCapabilities ?? [] }
      : null,
    privileged: s?.privileged ?? false,
    namespace_options: toWireNamespaces(s?.namespaceOptions, 'CONTAINER'),
    run_as_user: int64Value(s?.runAsUser), run_as_group: int64Value(s?.runAsGroup),
    run_as_username: s?.runAsUsername ?? '',
    readonly_rootfs: s?.readonlyRootfs ?? false,
    supplemental_groups: (s?.supplementalGroups ?? []).map((g) => int64(g)),
    no_new_privs: s?.noNewPrivs ?? false,
  };
}

export function toWireImageSpec(s: ImageSpec): WireMessage {
  return { image: s.image, annotations: strMap(s.annotations) };
}

export function toWireContainerConfig(c: ContainerConfig): WireMessage {
  return {
    metadata: { name: c.metadata.name, attempt: c.metadata.attempt ?? 0 },
    image: toWireImageSpec(c.image),
    command: c.command ?? [],
    args: c.args ?? [],
    working_dir: c.workingDir ?? '',
    envs: (c.envs ?? []).map((e) => ({ key: e.key, value: e.value })),
    mounts: (c.mounts ?? []).map(toWireMount),
    devices: (c.devices ?? []).map((d) => ({ container_path: d.containerPath, host_path: d.hostPath, permissions: d.permissions ?? 'rwm' })),
    labels: strMap(c.labels),
    annotations: strMap(c.annotations),
    log_path: c.logPath ?? '',
    stdin: c.stdin ?? false,
    stdin_once: c.stdinOnce ?? false,
    tty: c.tty ?? false,
    linux: { resources: toWireResources(c.linux?.resources), security_context: toWireContainerSecurity(c.linux?.securityContext) },
  };
}

export function toWireSandboxFilter(f: PodSandboxFilter | undefined): WireMessage | null {
  if (!f) return null;
  return { id: f.id ?? '', state: f.state ? { state: f.state } : null, label_selector: strMap(f.labelSelector) };
}

export function toWireContainerFilter(f: ContainerFilter | undefined): WireMessage | null {
  if (!f) return null;
  return {
    id: f.id ?? '', state: f.state ? { state: f.state } : null, pod_sandbox_id: f.podSandboxId ?? '',
    label_selector: strMap(f.labelSelector),
  };
}

export function toWireStatsFilter(f: ContainerStatsFilter | undefined): WireMessage | null {
  if (!f) return null;
  return { id: f.id ?? '', pod_sandbox_id: f.podSandboxId ?? '', label_selector: strMap(f.labelSelector) };
}

export function toWireAuth(a: AuthConfig | undefined): WireMessage | null {
  if (!a) return null;
  return {
    username: a.username ?? '', password: a.password ?? '', auth: a.auth ?? '', server_address: a.serverAddress ?? '',
    identity_token: a.identityToken ?? '', registry_token: a.registryToken ?? '',
  };
}

// ---- from the wire ----

export function fromWireSandboxMetadata(w: WireMessage | null | undefined): PodSandboxMetadata {
  return { name: w?.name ?? '', uid: w?.uid ?? '', namespace: w?.namespace ?? '', attempt: w?.attempt ?? 0 };
}

function fromWireContainerMetadata(w: WireMessage | null | undefined): ContainerMetadata {
  return { name: w?.name ?? '', attempt: w?.attempt ?? 0 };
}

function fromWireImageSpec(w: WireMessage | null | undefined): ImageSpec {
  const spec: ImageSpec = { image: w?.image ?? '' };
  if (w?.annotations && Object.keys(w.annotations).length) spec.annotations = strMap(w.annotations);
  return spec;
}

export function fromWirePodSandbox(w: WireMessage): PodSandbox {
  return {
    id: w.id, metadata: fromWireSandboxMetadata(w.metadata), state: w.state, createdAt: nsToMs(w.created_at),
    labels: strMap(w.labels), annotations: strMap(w.annotations),
  };
}

export function fromWireSandboxStatus(w: WireMessage): PodSandboxStatus {
  const s: PodSandboxStatus = {
    id: w.id, metadata: fromWireSandboxMetadata(w.metadata), state: w.state, createdAt: nsToMs(w.created_at),
    labels: strMap(w.labels), annotations: strMap(w.annotations),
  };
  if (w.network) {
    s.network = { ip: w.network.ip ?? '' };
    const extra = (w.network.additional_ips ?? []).map((p: WireMessage) => p.ip as string);
    if (extra.length) s.network.additionalIps = extra;
  }
  return s;
}

export function fromWireContainer(w: WireMessage): Container {
  return {
    id: w.id, podSandboxId: w.pod_sandbox_id, metadata: fromWireContainerMetadata(w.metadata),
    image: fromWireImageSpec(w.image), imageRef: w.image_ref ?? '', state: w.state, createdAt: nsToMs(w.created_at),
    labels: strMap(w.labels), annotations: strMap(w.annotations),
  };
}

function fromWireMount(w: WireMessage): Mount {
  const m: Mount = { containerPath: w.container_path, hostPath: w.host_path, readonly: !!w.readonly };
  if (w.propagation) m.propagation = w.propagation;
  return m;
}

/** CRI ContainerStatus has no sandbox id; the caller knows it (from ListContainers or the label). */
export function fromWireContainerStatus(w: WireMessage, podSandboxId: string): ContainerStatus {
  const startedAt = nsToMs(w.started_at);
  let finishedAt = nsToMs(w.finished_at);
  // containerd stamps started_at after the task's Start returns, and finished_at from the exit
  // event, so a process that exits at once can look as if it finished before it started.
  if (finishedAt && startedAt && finishedAt < startedAt) finishedAt = startedAt;
  return {
    id: w.id, podSandboxId, metadata: fromWireContainerMetadata(w.metadata), state: w.state,
    createdAt: nsToMs(w.created_at), startedAt, finishedAt,
    exitCode: w.exit_code ?? 0, image: fromWireImageSpec(w.image), imageRef: w.image_ref ?? '',
    reason: w.reason ?? '', message: w.message ?? '', labels: strMap(w.labels), annotations: strMap(w.annotations),
    mounts: (w.mounts ?? []).map(fromWireMount), logPath: w.log_path ?? '',
  };
}

/** podSandboxId comes from the container list (CRI ContainerAttributes does not carry it). */
export function fromWireStats(w: WireMessage, podSandboxId: string): ContainerStats {
  const a = w.attributes ?? {};
  const mem = w.memory;
  const memory: ContainerStats['memory'] = { workingSetBytes: wrapped(mem?.working_set_bytes) ?? 0 };
  const usage = wrapped(mem?.usage_bytes);
  if (usage !== undefined) memory.usageBytes = usage;
  const rss = wrapped(mem?.rss_bytes);
  if (rss !== undefined) memory.rssBytes = rss;
  return {
    id: a.id ?? '', podSandboxId, metadata: fromWireContainerMetadata(a.metadata),
    timestamp: nsToMs(w.cpu?.timestamp ?? mem?.timestamp),
    cpu: { usageCoreNanoSeconds: wrapped(w.cpu?.usage_core_nano_seconds) ?? 0 },
    memory,
  };
}

export function fromWireImage(w: WireMessage): Image {
  const img: Image = {
    id: w.id, repoTags: [...(w.repo_tags ?? [])], repoDigests: [...(w.repo_digests ?? [])], size: num(w.size),
  };
  if (w.username) img.username = w.username;
  if (w.pinned) img.pinned = true;
  return img;
}

export function fromWireFsUsage(w: WireMessage): FilesystemUsage {
  return {
    timestamp: nsToMs(w.timestamp), mountpoint: w.fs_id?.mountpoint ?? '',
    usedBytes: wrapped(w.used_bytes) ?? 0, inodesUsed: wrapped(w.inodes_used) ?? 0,
  };
}

export function fromWireVersion(w: WireMessage): VersionInfo {
  return {
    version: w.version ?? '', runtimeName: w.runtime_name ?? '', runtimeVersion: w.runtime_version ?? '',
    runtimeApiVersion: w.runtime_api_version ?? '',
  };
}

export function fromWireRuntimeStatus(w: WireMessage | null | undefined): RuntimeStatus {
  return {
    conditions: (w?.conditions ?? []).map((c: WireMessage) => {
      const out: RuntimeStatus['conditions'][number] = { type: c.type, status: !!c.status };
      if (c.reason) out.reason = c.reason;
      if (c.message) out.message = c.message;
      return out;
    }),
  };
}
