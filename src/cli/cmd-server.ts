// `skiff server` (the whole control plane) and `skiff apiserver` (the API server alone).
import type { Command } from './commands.js';
import { commandWithFlags, type FlagSpec } from './flags.js';
import { defaultDataDir, startControlPlane, untilSignal } from './control-plane.js';
import { startEmbedded, type EmbeddedComponents } from './embedded.js';
import { controllerManagerConfig, controllerManagerFlags } from './cmd-controller-manager.js';
import { agentFlagOptions, agentFlags, proxyFlags } from './cmd-agent.js';
import { parseBackendChoice, parseProxyMode } from '../proxy/modes.js';
import { parseNodeLabels } from '../agent/flags.js';
import type { AgentOptions } from '../agent/index.js';
import type { RunningControlPlane } from './control-plane.js';
import { hostname, networkInterfaces } from 'node:os';

const common = {
  'data-dir': { type: 'string', default: '', help: 'state, certificates and kubeconfig (default ~/.skiff, /var/lib/skiff as root)' },
  'bind-address': { type: 'string', default: '127.0.0.1', help: 'address to serve the API on' },
  port: { type: 'string', default: '6443', help: 'HTTPS port (0 = pick a free port)' },
  'secure-port': { type: 'string', default: '', help: 'alias of --port (kube-apiserver name)' },
  'advertise-address': { type: 'string', default: '', help: 'address clients and pods use to reach the API server' },
  datastore: { type: 'string', default: 'sqlite', help: 'sqlite | etcd | memory' },
  'etcd-endpoints': { type: 'string', default: '', help: 'etcd client URLs, comma separated (with --datastore etcd)' },
  'service-cidr': { type: 'string', default: '10.43.0.0/16', help: 'range for Service cluster IPs' },
  'service-cluster-ip-range': { type: 'string', default: '', help: 'alias of --service-cidr (kube-apiserver name)' },
  token: { type: 'string', default: '', help: 'node join secret (generated into DATA/token if absent)' },
  'token-auth-file': { type: 'string', default: '', help: 'static bearer tokens (kube-apiserver CSV format)' },
  'default-watch-cache-size': { type: 'string', default: '10000', help: 'events kept per resource for watches resuming from a recent resourceVersion' },
  'min-request-timeout': { type: 'string', default: '1800', help: 'watches without timeoutSeconds last a random [N, 2N] seconds' },
} satisfies Record<string, FlagSpec>;

const serverOnly = {
  'no-agent': { type: 'boolean', help: 'do not run a node agent on this machine' },
  'disable-scheduler': { type: 'boolean', help: 'do not run the scheduler in this process' },
  'disable-controller-manager': { type: 'boolean', help: 'do not run the controller manager in this process' },
  'disable-dns': { type: 'boolean', help: 'do not run cluster DNS (kube-system/kube-dns) in this process' },
  'cluster-dns-port': { type: 'string', default: '0', help: 'port cluster DNS serves on at the node address, behind the kube-dns Service (0 = pick a free one)' },
  ...agentFlags,
  controllers: controllerManagerFlags.controllers,
  'kube-api-qps': { type: 'string', default: '20', help: 'client requests per second of each embedded controller (-1 = unlimited)' },
  'kube-api-burst': { type: 'string', default: '30', help: 'client burst of each embedded controller' },
  'node-cidr-mask-size': controllerManagerFlags['node-cidr-mask-size'],
  'node-monitor-grace-period': controllerManagerFlags['node-monitor-grace-period'],
  'terminated-pod-gc-threshold': controllerManagerFlags['terminated-pod-gc-threshold'],
  runtime: { type: 'string', default: 'process', help: 'container runtime for the agent: process | cri' },
  'cri-endpoint': { type: 'string', default: 'unix:///run/containerd/containerd.sock', help: 'CRI socket (with --runtime cri)' },
  'pause-image': { type: 'string', default: '', help: 'sandbox image, pulled at start (with --runtime cri)' },
  'cni-conf-dir': { type: 'string', default: '/etc/cni/net.d', help: 'where the agent writes its CNI network config (with --runtime cri)' },
  'cni-bin-dir': { type: 'string', default: '', help: 'CNI plugin binaries (accepted for k3s compatibility: the runtime\'s own config names them)' },
  'proxy-mode': proxyFlags['proxy-mode'],
  'iptables-backend': proxyFlags['iptables-backend'],
  'cluster-cidr': { type: 'string', default: '10.42.0.0/16', help: 'pod network range (a /24 per node)' },
  'cluster-dns': { type: 'string', default: '10.43.0.10', help: 'cluster DNS service IP' },
  'cluster-domain': { type: 'string', default: 'cluster.local', help: 'cluster DNS domain' },
} satisfies Record<string, FlagSpec>;

function command(name: string, summary: string, specs: Record<string, FlagSpec>): Command {
  return commandWithFlags(name, summary, `[flags]`, specs, async (flags) => {
      const dataDir = (flags['data-dir'] as string) || defaultDataDir();
      const port = Number((flags['secure-port'] as string) || flags.port);
      if (!Number.isInteger(port) || port < 0 || port > 65535) throw new Error(`--port ${String(flags.port)}: expected 0-65535`);
      const cp = await startControlPlane({
        dataDir,
        bindAddress: flags['bind-address'] as string,
        port,
        datastore: flags.datastore as string,
        etcdEndpoints: flags['etcd-endpoints'] as string,
        serviceCIDR: (flags['service-cluster-ip-range'] as string) || (flags['service-cidr'] as string),
        token: flags.token as string,
        tokenAuthFile: flags['token-auth-file'] as string,
        advertiseAddress: flags['advertise-address'] as string,
        watchCacheSize: positiveInt(flags['default-watch-cache-size'] as string, '--default-watch-cache-size'),
        minRequestTimeoutSeconds: positiveInt(flags['min-request-timeout'] as string, '--min-request-timeout'),
      });
      let embedded: EmbeddedComponents | undefined;
      if (name === 'server') {
        try {
          embedded = await startEmbedded({
            kubeconfigPath: cp.kubeconfigPath,
            scheduler: !flags['disable-scheduler'],
            controllerQPS: { qps: Number(flags['kube-api-qps']), burst: Number(flags['kube-api-burst']) },
            controllers: flags['disable-controller-manager'] ? [] : (flags.controllers as string).split(',').map((c) => c.trim()).filter(Boolean),
            ...(flags['no-agent'] ? {} : { agent: await agentOptions(flags, cp) }),
            ...(flags['disable-dns'] ? {} : {
              dns: {
                clusterIP: flags['cluster-dns'] as string, clusterDomain: flags['cluster-domain'] as string,
                serviceCIDR: (flags['service-cluster-ip-range'] as string) || (flags['service-cidr'] as string),
                port: Number(flags['cluster-dns-port']),
              },
            }),
            controllerConfig: await controllerManagerConfig({ ...flags, 'service-cluster-ip-range': (flags['service-cluster-ip-range'] as string) || (flags['service-cidr'] as string) }, cp.caPem),
          });
        } catch (err) {
          await cp.stop();
          throw err;
        }
      }
      process.stdout.write(`Skiff is ready. export KUBECONFIG=${cp.kubeconfigPath}\n`);
      const sig = await untilSignal();
      process.stderr.write(`skiff: ${sig} received, stopping\n`);
      await embedded?.stop();
      await cp.stop();
      return 0;
  });
}

export const serverCommand = command('server', 'control plane (API server, controllers, scheduler) plus a node agent', { ...common, ...serverOnly });
export const apiserverCommand = command('apiserver', 'the API server alone', common);

async function agentOptions(flags: Record<string, string | boolean>, cp: RunningControlPlane): Promise<Omit<AgentOptions, 'client'>> {
  const nodeName = ((flags['node-name'] as string) || hostname()).toLowerCase();
  const ips = ['127.0.0.1', ...Object.values(networkInterfaces()).flat().filter((a) => a && a.family === 'IPv4' && !a.internal).map((a) => a!.address)];
  return {
    ...agentFlagOptions(flags),
    nodeName,
    clientCAPem: cp.caPem,
    servingCert: await cp.issueServingCert(nodeName, { dnsNames: [nodeName, 'localhost'], ips }),
    labels: { 'node-role.kubernetes.io/control-plane': 'true', ...parseNodeLabels(flags['node-labels'] as string) },
    proxy: {
      mode: parseProxyMode(flags['proxy-mode'] as string),
      iptablesBackend: parseBackendChoice(flags['iptables-backend'] as string),
      clusterCIDR: flags['cluster-cidr'] as string,
      serviceCIDR: (flags['service-cluster-ip-range'] as string) || (flags['service-cidr'] as string),
    },
  };
}

function positiveInt(v: string, flag: string): number {
  const n = Number(v);
  if (!Number.isInteger(n) || n <= 0) throw new Error(`${flag} ${v}: expected a positive integer`);
  return n;
}
