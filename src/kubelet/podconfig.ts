// CRI configs for a pod (upstream kuberuntime_sandbox.go generatePodSandboxConfig and
// kuberuntime_container.go generateContainerConfig): hostname, DNS (ClusterFirst: cluster DNS,
// `<ns>.svc.<domain> svc.<domain> <domain>`, ndots:5), host network, port mappings, labels and
// annotations the kubelet reads back, resources as cgroup values.
import { toMilli, toValue } from '../api/quantity/index.js';
import { containerLogPath, podLogDirectory, type ContainerConfig, type DNSConfig, type KeyValue, type LinuxContainerResources, type Mount, type PodSandboxConfig, type PortMapping } from './runtime/index.js';
import { containerHash } from './hash.js';
import { LABEL, type Obj } from './types.js';

export interface DNSSettings {
  clusterDNS: string[];
  clusterDomain: string;
}

/** upstream dns.go GetPodDNS, without reading the host's resolv.conf (the runtime keeps it for Default). */
export function podDNS(pod: Obj, s: DNSSettings): DNSConfig | undefined {
  const spec = pod.spec ?? {};
  let policy: string = spec.dnsPolicy ?? 'ClusterFirst';
  if (policy === 'ClusterFirst' && spec.hostNetwork) policy = 'Default';
  if (policy === 'ClusterFirstWithHostNet') policy = 'ClusterFirst';
  let cfg: DNSConfig | undefined;
  if (policy === 'ClusterFirst' && s.clusterDNS.length) {
    const d = s.clusterDomain;
    cfg = { servers: [...s.clusterDNS], searches: [`${pod.metadata.namespace}.svc.${d}`, `svc.${d}`, d], options: ['ndots:5'] };
  } else if (policy === 'None') cfg = { servers: [], searches: [], options: [] };
  const extra = spec.dnsConfig;
  if (extra) {
    cfg ??= { servers: [], searches: [], options: [] };
    cfg.servers = [...(cfg.servers ?? []), ...(extra.nameservers ?? [])];
    cfg.searches = [...(cfg.searches ?? []), ...(extra.searches ?? [])];
    const opts = new Map((cfg.options ?? []).map((o) => [o.split(':')[0]!, o]));
    for (const o of extra.options ?? []) opts.set(o.name, o.value !== undefined ? `${o.name}:${o.value}` : o.name);
    cfg.options = [...opts.values()];
  }
  return cfg;
}

export function podHostname(pod: Obj): string {
  return String(pod.spec?.hostname ?? pod.metadata.name).slice(0, 63).replace(/[-.]+$/, '');
}

export function sandboxConfig(pod: Obj, attempt: number, logsRoot: string, dns: DNSSettings): PodSandboxConfig {
  const md = pod.metadata;
  const ports: PortMapping[] = [];
  for (const c of pod.spec?.containers ?? []) {
    for (const p of c.ports ?? []) {
      if (!p.hostPort) continue;
      ports.push({ protocol: p.protocol ?? 'TCP', containerPort: p.containerPort, hostPort: p.hostPort, ...(p.hostIP ? { hostIp: p.hostIP } : {}) });
    }
  }
  const cfg: PodSandboxConfig = {
    metadata: { name: md.name, namespace: md.namespace, uid: md.uid, attempt },
    hostname: pod.spec?.hostNetwork ? undefined : podHostname(pod),
    logDirectory: podLogDirectory(logsRoot, md.namespace, md.name, md.uid),
    portMappings: ports,
    labels: { ...(md.labels ?? {}), [LABEL.podName]: md.name, [LABEL.podNamespace]: md.namespace, [LABEL.podUID]: md.uid },
    annotations: { ...(md.annotations ?? {}) },
    linux: {
      securityContext: { namespaceOptions: { network: pod.spec?.hostNetwork ? 'NODE' : 'POD', pid: pod.spec?.hostPID ? 'NODE' : 'CONTAINER', ipc: pod.spec?.hostIPC ? 'NODE' : 'POD' } },
      ...(pod.spec?.securityContext?.sysctls?.length ? { sysctls: Object.fromEntries(pod.spec.securityContext.sysctls.map((s: Obj) => [s.name, s.value])) } : {}),
    },
  };
  const d = podDNS(pod, dns);
  if (d) cfg.dnsConfig = d;
  if (!cfg.hostname) delete cfg.hostname;
  return cfg;
}

/** cgroup values from requests/limits (upstream MilliCPUToShares / MilliCPUToQuota). */
export function containerResources(c: Obj): LinuxContainerResources {
  const r: LinuxContainerResources = {};
  const req = c.resources?.requests ?? {};
  const lim = c.resources?.limits ?? {};
  const cpuReq = req.cpu ?? lim.cpu;
  r.cpuShares = cpuReq ? Math.max(2, Math.floor((toMilli(cpuReq) * 1024) / 1000)) : 2;
  if (lim.cpu) {
    r.cpuPeriod = 100_000;
    r.cpuQuota = Math.max(1000, Math.floor((toMilli(lim.cpu) * 100_000) / 1000));
  }
  if (lim.memory) r.memoryLimitInBytes = toValue(lim.memory);
  return r;
}

export interface ContainerInputs {
  pod: Obj;
  container: Obj;
  isInit: boolean;
  restartCount: number;
  envs: KeyValue[];
  command?: string[];
  args?: string[];
  mounts: Mount[];
  /** Host file behind terminationMessagePath. */
  terminationLog?: string;
}

export function containerConfig(i: ContainerInputs): ContainerConfig {
  const { pod, container: c } = i;
  const md = pod.metadata;
  const cfg: ContainerConfig = {
    metadata: { name: c.name, attempt: i.restartCount },
    image: { image: c.image },
    envs: i.envs,
    mounts: i.mounts,
    labels: { [LABEL.podName]: md.name, [LABEL.podNamespace]: md.namespace, [LABEL.podUID]: md.uid, [LABEL.containerName]: c.name, [LABEL.containerType]: i.isInit ? 'init' : 'app' },
    annotations: {
      // Pod annotations first (the fake runtime's scripted behaviour reads them), the kubelet's own win.
      ...(md.annotations ?? {}),
      [LABEL.hash]: containerHash(c),
      [LABEL.restartCount]: String(i.restartCount),
      [LABEL.terminationMessagePath]: c.terminationMessagePath ?? '/dev/termination-log',
      [LABEL.terminationMessagePolicy]: c.terminationMessagePolicy ?? 'File',
      [LABEL.gracePeriod]: String(pod.spec?.terminationGracePeriodSeconds ?? 30),
      ...(i.terminationLog ? { 'skiff.io/termination-log-host': i.terminationLog } : {}),
    },
    logPath: containerLogPath(c.name, i.restartCount),
    linux: { resources: containerResources(c) },
  };
  if (i.command) cfg.command = i.command;
  if (i.args) cfg.args = i.args;
  if (c.workingDir) cfg.workingDir = c.workingDir;
  if (c.stdin) cfg.stdin = true;
  if (c.stdinOnce) cfg.stdinOnce = true;
  if (c.tty) cfg.tty = true;
  return cfg;
}
