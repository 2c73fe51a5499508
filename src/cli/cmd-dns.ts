// `skiff dns`: cluster DNS alone (the kube-dns/CoreDNS role), answering from informer caches.
import type { Command } from './commands.js';
import { commandWithFlags, type FlagSpec } from './flags.js';
import { clientFlags, clientFromFlags } from './client-flags.js';
import { untilSignal } from './lifecycle.js';
import { startDNS } from '../dns/index.js';
import { ComponentServer } from '../util/component-server.js';
import { MetricsRegistry } from '../util/metrics.js';

const specs = {
  ...clientFlags,
  listen: { type: 'string', default: '0.0.0.0:53', help: 'address:port to serve DNS on, UDP and TCP (comma separated; port 0 = pick one)' },
  'cluster-domain': { type: 'string', default: 'cluster.local', help: 'cluster DNS domain' },
  'service-cidr': { type: 'string', default: '10.43.0.0/16', help: 'Service range (reverse lookups inside it are answered, not forwarded)' },
  upstreams: { type: 'string', default: '', help: 'resolvers for other names, ip[:port] comma separated (default: /etc/resolv.conf)' },
  'metrics-port': { type: 'string', default: '9153', help: 'port of the /healthz and /metrics endpoint (0 = pick one)' },
} satisfies Record<string, FlagSpec>;

const SUMMARY = 'cluster DNS alone: Service and pod names for the cluster domain, forwarding for the rest';

/** "a:p,b:p" → listen addresses; IPv6 in brackets. */
export function parseListen(s: string): { address: string; port: number }[] {
  return s.split(',').map((x) => x.trim()).filter(Boolean).map((x) => {
    const m = /^\[?([^\]]+?)\]?:(\d+)$/.exec(x);
    if (!m) throw new Error(`--listen ${x}: expected address:port`);
    return { address: m[1]!, port: Number(m[2]) };
  });
}

export const dnsCommand: Command = commandWithFlags('dns', SUMMARY, '(--kubeconfig FILE | --server URL --token T) [flags]', specs, async (flags) => {
  const client = await clientFromFlags(flags, { qps: 20, burst: 30, userAgent: 'skiff-dns' });
  const metrics = new MetricsRegistry();
  const dns = await startDNS({
    client, metrics,
    clusterDomain: flags['cluster-domain'] as string,
    listen: parseListen(flags.listen as string),
    serviceCIDRs: [flags['service-cidr'] as string],
    ...(flags.upstreams ? { upstreams: (flags.upstreams as string).split(',').map((u) => u.trim()).filter(Boolean) } : {}),
  });
  const health = new ComponentServer({ port: Number(flags['metrics-port']), metrics });
  await health.start();
  process.stdout.write(`Cluster DNS is serving on ${dns.ports.map((p) => `${p.address}:${p.port}`).join(', ')}.\n`);
  const sig = await untilSignal();
  process.stderr.write(`skiff: ${sig} received, stopping\n`);
  await dns.stop();
  await health.stop();
  client.close();
  return 0;
});
