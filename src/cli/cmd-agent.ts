// `skiff agent` (kubelet joining a server with the join token) and `skiff kubelet` (the kubelet
// alone, from a kubeconfig). Both run the node agent of src/agent.
// Imports stay clear of control-plane.ts (lifecycle.ts has what is shared) and the other commands, which load the API server and
// its store: a node-only process should not carry them (bench/kubelet.ts measures its RSS).
import { readFile } from 'node:fs/promises';
import type { Command } from './commands.js';
import { commandWithFlags, type FlagSpec } from './flags.js';
import { defaultDataDir, untilSignal } from './lifecycle.js';
import { clientFlags, clientFromFlags } from './client-flags.js';
import { parseNodeLabels, parseNodeTaints, startAgent, type AgentOptions } from '../agent/index.js';
import { refs, type Client } from '../client/index.js';
import { parseBackendChoice, parseProxyMode } from '../proxy/modes.js';

export const agentFlags = {
  'node-name': { type: 'string', default: '', help: 'node name (default: the hostname)' },
  'kubelet-port': { type: 'string', default: '10250', help: 'kubelet API port (0 = pick a free one)' },
  'node-labels': { type: 'string', default: '', help: 'extra node labels, k=v[,k=v…]' },
  'register-with-taints': { type: 'string', default: '', help: 'taints, key[=value]:Effect[,…]' },
  'image-gc-high-threshold': { type: 'string', default: '85', help: 'image disk usage % that starts image garbage collection (100 = never)' },
  'image-gc-low-threshold': { type: 'string', default: '80', help: 'image disk usage % that garbage collection frees down to' },
} satisfies Record<string, FlagSpec>;

/** The node agent's options that come straight from the flags `skiff agent/kubelet` and `skiff server` share. */
export function agentFlagOptions(flags: Record<string, string | boolean>): Pick<AgentOptions,
  'dataDir' | 'runtime' | 'criEndpoint' | 'pauseImage' | 'cniConfDir' | 'imageGC' | 'clusterDNS' | 'clusterDomain' | 'kubeletPort' | 'taints'> {
  return {
    dataDir: (flags['data-dir'] as string) || defaultDataDir(),
    runtime: flags.runtime as 'process' | 'cri',
    criEndpoint: flags['cri-endpoint'] as string,
    pauseImage: flags['pause-image'] as string,
    cniConfDir: flags['cni-conf-dir'] as string,
    imageGC: imageGCFlags(flags),
    clusterDNS: flags['cluster-dns'] as string,
    clusterDomain: flags['cluster-domain'] as string,
    kubeletPort: Number(flags['kubelet-port']),
    taints: parseNodeTaints(flags['register-with-taints'] as string),
  };
}

/** --image-gc-* flags as the agent's imageGC option. */
function imageGCFlags(flags: Record<string, string | boolean>): { highThresholdPercent: number; lowThresholdPercent: number } {
  const pct = (name: string) => {
    const n = Number(flags[name]);
    if (!Number.isInteger(n) || n < 0 || n > 100) throw new Error(`--${name} ${String(flags[name])}: expected a percentage 0-100`);
    return n;
  };
  return { highThresholdPercent: pct('image-gc-high-threshold'), lowThresholdPercent: pct('image-gc-low-threshold') };
}

const specs = {
  ...clientFlags,
  ...agentFlags,
  'data-dir': { type: 'string', default: '', help: 'agent state (default ~/.skiff, /var/lib/skiff as root)' },
  runtime: { type: 'string', default: 'process', help: 'container runtime: process | cri' },
  'cri-endpoint': { type: 'string', default: 'unix:///run/containerd/containerd.sock', help: 'CRI socket (with --runtime cri)' },
  'pause-image': { type: 'string', default: '', help: 'sandbox image, pulled at start (with --runtime cri; the runtime\'s own setting decides what sandboxes use)' },
  'cni-conf-dir': { type: 'string', default: '/etc/cni/net.d', help: 'where the agent writes its node\'s CNI network config (with --runtime cri)' },
  'cluster-dns': { type: 'string', default: '10.43.0.10', help: 'cluster DNS service IP' },
  'cluster-domain': { type: 'string', default: 'cluster.local', help: 'cluster DNS domain' },
  'pod-cidr': { type: 'string', default: '', help: 'pod range when the cluster assigns none' },
} satisfies Record<string, FlagSpec>;

/** The service proxy's flags on `skiff agent` and `skiff server` (`skiff kubelet` runs no proxy). */
export const proxyFlags = {
  'proxy-mode': { type: 'string', default: '', help: 'service proxy: iptables | userspace (default iptables as root, else userspace)' },
  'iptables-backend': { type: 'string', default: 'auto', help: 'iptables client of the iptables mode: auto (follow the host, as upstream) | legacy | nft' },
  'cluster-cidr': { type: 'string', default: '10.42.0.0/16', help: 'pod network range (traffic from outside it is masqueraded)' },
  'service-cidr': { type: 'string', default: '10.43.0.0/16', help: 'Service cluster IP range' },
} satisfies Record<string, FlagSpec>;

/** The cluster CA: --certificate-authority, else the kube-root-ca.crt ConfigMap the cluster publishes. */
async function clusterCA(flags: Record<string, string | boolean>, client: Client): Promise<string> {
  if (flags['certificate-authority']) return readFile(flags['certificate-authority'] as string, 'utf8');
  const cm = await client.resource(refs.configmaps).namespace('kube-system').get('kube-root-ca.crt').catch(() => undefined);
  const ca = (cm as { data?: Record<string, string> } | undefined)?.data?.['ca.crt'];
  if (!ca) throw new Error('cannot find the cluster CA: pass --certificate-authority (kube-system/kube-root-ca.crt is not published yet)');
  return ca;
}

function command(name: 'agent' | 'kubelet', summary: string): Command {
  return commandWithFlags(name, summary, `(--server URL --token T | --kubeconfig FILE) [flags]`, name === 'agent' ? { ...specs, ...proxyFlags } : specs, async (flags) => {
      const client = await clientFromFlags(flags, { qps: 50, burst: 100, userAgent: `skiff-${name}` });
      const agent = await startAgent({
        client,
        ...agentFlagOptions(flags),
        nodeName: flags['node-name'] as string,
        clientCAPem: await clusterCA(flags, client),
        labels: parseNodeLabels(flags['node-labels'] as string),
        ...(flags['pod-cidr'] ? { podCIDR: flags['pod-cidr'] as string } : {}),
        ...(name === 'agent' ? {
          proxy: {
            mode: parseProxyMode(flags['proxy-mode'] as string), clusterCIDR: flags['cluster-cidr'] as string, serviceCIDR: flags['service-cidr'] as string,
            iptablesBackend: parseBackendChoice(flags['iptables-backend'] as string),
          },
        } : {}),
      });
      process.stdout.write(`Node ${agent.nodeName} is ready (kubelet API on port ${agent.kubeletPort}).\n`);
      const sig = await untilSignal();
      process.stderr.write(`skiff: ${sig} received, stopping\n`);
      await agent.stop();
      client.close();
      return 0;
  });
}

export const agentCommand = command('agent', 'node agent (kubelet and service proxy) joining a server');
export const kubeletCommand = command('kubelet', 'the kubelet alone');
