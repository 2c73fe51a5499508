// The node agent (`skiff agent`, and the agent inside `skiff server`): the kubelet with its runtime
// and its HTTPS API on the kubelet port, and the service proxy (kube-proxy). (The overlay network
// joins it with its issue.) It reaches the cluster only through the API server.
import { join } from 'node:path';
import { hostname } from 'node:os';
import type { Client } from '../client/index.js';
import { startKubelet, type Kubelet } from '../kubelet/index.js';
import { startKubeletServer, type KubeletServer, type KubeletPods } from '../kubelet/server/index.js';
import { ProcessRuntime } from '../kubelet/runtime/process/index.js';
import type { ContainerRuntime } from '../kubelet/runtime/index.js';
import { logger } from '../util/log.js';
import { MetricsRegistry } from '../util/metrics.js';
import { ComponentServer } from '../util/component-server.js';
import { startProxy, type RunningProxy } from '../proxy/index.js';
import { createProxier, type BackendChoice, type ProxyMode } from '../proxy/modes.js';
import { kubeletServingCert } from './certs.js';
import { prepareBridge, writeCniConfig } from './cni.js';
import { importImageDir } from './images.js';

export interface AgentOptions {
  client: Client;
  nodeName?: string;
  dataDir: string;
  runtime: 'process' | 'cri';
  /** With runtime cri: the CRI socket, e.g. unix:///run/containerd/containerd.sock. */
  criEndpoint?: string;
  /** With runtime cri: the sandbox image, pulled at start so the first pod does not wait for it. */
  pauseImage?: string;
  /** With runtime cri: where this node's CNI network config is written (default /etc/cni/net.d). */
  cniConfDir?: string;
  /** Image GC thresholds (kubelet --image-gc-high-threshold / --image-gc-low-threshold: 85 / 80). */
  imageGC?: { highThresholdPercent?: number; lowThresholdPercent?: number };
  clusterDNS: string;
  clusterDomain: string;
  /** Kubelet API port (10250; 0 = pick a free one, published in the Node's daemonEndpoints). */
  kubeletPort: number;
  bindAddress?: string;
  /** CA that signs the API server's kubelet-client certificate (only it may call the kubelet API). */
  clientCAPem: string;
  /** Serving certificate for the kubelet API; default: one from a local CA of the node's own. */
  servingCert?: { certPem: string; keyPem: string };
  podCIDR?: string;
  labels?: Record<string, string>;
  taints?: { key: string; value?: string; effect: string }[];
  /** The service proxy of this node; absent = no proxy (`skiff kubelet`). */
  proxy?: {
    mode: ProxyMode; clusterCIDR: string; serviceCIDR: string;
    /** iptables client of the iptables mode (default auto: follow the host). */
    iptablesBackend?: BackendChoice;
    /** Port of the proxy's /healthz and /metrics on 127.0.0.1 (upstream 10249; 0 = pick one). */
    metricsPort?: number;
  };
}

export interface RunningAgent {
  nodeName: string;
  kubelet: Kubelet;
  kubeletPort: number;
  proxy?: RunningProxy;
  stop(): Promise<void>;
}

const log = logger('agent');

export async function startAgent(o: AgentOptions): Promise<RunningAgent> {
  if (o.runtime !== 'process' && o.runtime !== 'cri') throw new Error(`--runtime ${String(o.runtime)}: expected process or cri`);
  const nodeName = (o.nodeName || hostname()).toLowerCase();
  let kubelet: Kubelet | undefined;
  // The kubelet API starts first so its port can be published when the Node registers; it reaches
  // the kubelet (and its runtime, made once the node's podCIDR is known) through these forwarders.
  const pods: KubeletPods = {
    find: (ns, name) => kubelet?.find(ns, name),
    list: () => kubelet?.list() ?? [],
  };
  const runtime = new Proxy({} as ContainerRuntime, {
    get: (_t, prop) => {
      const rt = kubelet?.runtime as unknown as Record<string | symbol, unknown> | undefined;
      const v = rt?.[prop];
      if (typeof v !== 'function') throw new Error('the container runtime is not ready yet');
      return (v as (...a: unknown[]) => unknown).bind(rt);
    },
  });
  const tls = o.servingCert ?? await kubeletServingCert(nodeName);
  const server: KubeletServer = await startKubeletServer({
    port: o.kubeletPort, bindAddress: o.bindAddress ?? '0.0.0.0', tls, clientCAPem: o.clientCAPem, runtime, pods, nodeName,
  });
  const ac = new AbortController();
  try {
    kubelet = await startKubelet({
      client: o.client, nodeName, dataDir: join(o.dataDir, 'agent'),
      clusterDNS: o.clusterDNS, clusterDomain: o.clusterDomain, kubeletPort: server.port, signal: ac.signal,
      ...(o.podCIDR ? { podCIDR: o.podCIDR } : {}),
      ...(o.labels ? { labels: o.labels } : {}),
      ...(o.taints ? { taints: o.taints } : {}),
      ...(o.pauseImage ? { podSandboxImage: o.pauseImage } : {}),
      ...(o.imageGC?.highThresholdPercent !== undefined ? { imageGCHighThresholdPercent: o.imageGC.highThresholdPercent } : {}),
      ...(o.imageGC?.lowThresholdPercent !== undefined ? { imageGCLowThresholdPercent: o.imageGC.lowThresholdPercent } : {}),
      runtime: async (cidr) => {
        if (o.runtime === 'cri') return criRuntime(o, cidr ?? o.podCIDR ?? '10.42.0.0/24');
        const rt = new ProcessRuntime({ stateDir: join(o.dataDir, 'agent', 'runtime'), podCIDR: cidr ?? o.podCIDR ?? '10.42.0.0/24' });
        const removed = await rt.cleanupLeftovers().catch(() => 0);
        if (removed) log.info('removed what an earlier run left behind', { sandboxes: removed });
        return rt;
      },
    });
  } catch (err) {
    await server.stop();
    throw err;
  }
  let proxy: RunningProxy | undefined;
  let proxyHealth: ComponentServer | undefined;
  if (o.proxy) {
    try {
      const proxier = await createProxier(o.proxy.mode, {
        nodeName, clusterCIDR: o.proxy.clusterCIDR, serviceCIDR: o.proxy.serviceCIDR, log: logger('proxy'),
        ...(o.proxy.iptablesBackend ? { iptablesBackend: o.proxy.iptablesBackend } : {}),
      });
      const metrics = new MetricsRegistry();
      const running = await startProxy({ client: o.client, nodeName, proxier, metrics });
      proxy = running;
      proxyHealth = new ComponentServer({ port: o.proxy.metricsPort ?? 10249, metrics, checks: { 'proxy-sync': () => running.healthy() } });
      // Another proxy on this machine (a second agent, tests) may hold the port: serve without it.
      await proxyHealth.start().catch((err: unknown) => {
        log.warn('service proxy /healthz and /metrics not served', { err: String((err as Error).message ?? err) });
        proxyHealth = undefined;
      });
    } catch (err) {
      ac.abort();
      await kubelet.stop();
      await server.stop();
      throw err;
    }
  }
  log.info('node agent running', { node: nodeName, kubeletPort: server.port, podCIDR: kubelet.podCIDR, proxy: proxy?.mode ?? 'none' });
  return {
    nodeName,
    kubelet,
    kubeletPort: server.port,
    ...(proxy ? { proxy } : {}),
    async stop() {
      await proxyHealth?.stop();
      await proxy?.stop();
      ac.abort();
      await kubelet?.stop();
      await server.stop();
    },
  };
}

/**
 * The cri runtime for this node: the CNI network config for its podCIDR goes where the runtime reads
 * it (as k3s writes flannel's), image tarballs in DATA/agent/images are imported, and the pause image
 * is pulled ahead of the first pod.
 */
async function criRuntime(o: AgentOptions, podCIDR: string): Promise<ContainerRuntime> {
  const { createCriRuntime } = await import('../kubelet/runtime/cri/index.js');
  const endpoint = o.criEndpoint || 'unix:///run/containerd/containerd.sock';
  await prepareBridge({ podCIDR });
  const conf = writeCniConfig({ confDir: o.cniConfDir || '/etc/cni/net.d', podCIDR, dataDir: join(o.dataDir, 'agent', 'cni') });
  log.info('wrote the CNI network config', { file: conf, podCIDR });
  // The runtime owns pod cgroups (<root>/pod<uid>) as the process runtime does: containerd ignores
  // sandbox resources and never removes the parent (runtime-spike P3).
  const rt = await createCriRuntime({ endpoint, cgroupRoot: 'skiff' });
  await importImageDir(endpoint, join(o.dataDir, 'agent', 'images'), (msg, f) => log.info(msg, f));
  if (o.pauseImage) {
    await rt.pullImage({ image: o.pauseImage }).catch((err: unknown) => log.warn('could not pull the pause image', { image: o.pauseImage, err: String((err as Error).message ?? err) }));
  }
  return rt;
}
