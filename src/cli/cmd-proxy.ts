// `skiff proxy`: the service proxy (kube-proxy) alone. `--cleanup` removes what a mode programmed on
// this node and exits, as upstream's `kube-proxy --cleanup`.
import { hostname } from 'node:os';
import type { Command } from './commands.js';
import { commandWithFlags, type FlagSpec } from './flags.js';
import { clientFlags, clientFromFlags } from './client-flags.js';
import { untilSignal } from './lifecycle.js';
import { proxyFlags } from './cmd-agent.js';
import { startProxy } from '../proxy/index.js';
import { createProxier, parseBackendChoice, parseProxyMode } from '../proxy/modes.js';
import { ComponentServer } from '../util/component-server.js';
import { MetricsRegistry } from '../util/metrics.js';

const specs = {
  ...clientFlags,
  ...proxyFlags,
  'hostname-override': { type: 'string', default: '', help: 'this node\'s name (default: the hostname)' },
  cleanup: { type: 'boolean', help: 'remove the rules or routes of the chosen mode and exit' },
  'min-sync-period': { type: 'string', default: '1', help: 'seconds between syncs at most once (bursts of 2 allowed)' },
  'sync-period': { type: 'string', default: '30', help: 'seconds between periodic checks of the programmed rules' },
  'metrics-bind-address': { type: 'string', default: '127.0.0.1:10249', help: 'address:port of /healthz and /metrics (port 0 = pick one)' },
} satisfies Record<string, FlagSpec>;

const SUMMARY = 'the service proxy alone: Service virtual IPs on this node (iptables or userspace mode)';

function seconds(v: string, flag: string): number {
  const n = Number(v);
  if (!Number.isFinite(n) || n <= 0) throw new Error(`${flag} ${v}: expected a positive number of seconds`);
  return n * 1000;
}

export const proxyCommand: Command = commandWithFlags('proxy', SUMMARY, '(--kubeconfig FILE | --server URL --token T) [flags]', specs, async (flags) => {
  const mode = parseProxyMode(flags['proxy-mode'] as string);
  const nodeName = ((flags['hostname-override'] as string) || hostname()).toLowerCase();
  const proxier = await createProxier(mode, {
    nodeName, clusterCIDR: flags['cluster-cidr'] as string, serviceCIDR: flags['service-cidr'] as string,
    iptablesBackend: parseBackendChoice(flags['iptables-backend'] as string),
  });
  if (flags.cleanup) {
    await proxier.cleanup();
    process.stdout.write(`Removed the ${mode} proxy's rules from this node.\n`);
    return 0;
  }
  const client = await clientFromFlags(flags, { qps: 20, burst: 30, userAgent: 'skiff-proxy' });
  const metrics = new MetricsRegistry();
  const proxy = await startProxy({
    client, nodeName, proxier, metrics,
    minSyncPeriodMs: seconds(flags['min-sync-period'] as string, '--min-sync-period'),
    syncPeriodMs: seconds(flags['sync-period'] as string, '--sync-period'),
  });
  const [addr, port] = (flags['metrics-bind-address'] as string).split(/:(?=\d+$)/);
  const health = new ComponentServer({ bindAddress: addr!, port: Number(port ?? 10249), metrics, checks: { 'proxy-sync': () => proxy.healthy() } });
  await health.start();
  process.stdout.write(`Service proxy (${mode} mode) is running for node ${nodeName}; /healthz and /metrics on ${addr}:${health.port}.\n`);
  const sig = await untilSignal();
  process.stderr.write(`skiff: ${sig} received, stopping\n`);
  await proxy.stop();
  await health.stop();
  client.close();
  return 0;
});
