// `skiff controller-manager`: the controller manager alone (kube-controller-manager).
import { readFile } from 'node:fs/promises';
import type { Command } from './commands.js';
import { commandWithFlags, type FlagSpec } from './flags.js';
import { clientFlags, clientFromFlags } from './client-flags.js';
import { untilSignal } from './lifecycle.js';
import { defaultControllerManagerConfig, runControllerManager } from '../controllers/manager.js';
import { allControllers } from '../controllers/registry.js';
import type { ControllerManagerConfig } from '../controllers/types.js';

export const controllerManagerFlags = {
  controllers: { type: 'string', default: '*', help: "controllers to run: '*' (the defaults), 'foo' enables, '-foo' disables; comma separated" },
  'cluster-cidr': { type: 'string', default: '10.42.0.0/16', help: 'pod network range (node-ipam gives each node a /24)' },
  'node-cidr-mask-size': { type: 'string', default: '24', help: 'size of each node\'s pod range' },
  'service-cluster-ip-range': { type: 'string', default: '10.43.0.0/16', help: 'Service cluster IP range' },
  'root-ca-file': { type: 'string', default: '', help: 'CA bundle published as kube-root-ca.crt in every namespace' },
  'node-monitor-grace-period': { type: 'string', default: '40', help: 'seconds without a heartbeat before a node is marked NotReady/Unknown' },
  'terminated-pod-gc-threshold': { type: 'string', default: '12500', help: 'terminated pods kept before the oldest are deleted' },
} satisfies Record<string, FlagSpec>;

const specs = {
  ...clientFlags,
  ...controllerManagerFlags,
  'leader-elect': { type: 'string', default: 'true', help: 'elect a leader on Lease kube-system/kube-controller-manager before acting' },
} satisfies Record<string, FlagSpec>;

const SUMMARY = 'the controller manager alone: workload and housekeeping controllers';

/** ControllerManagerConfig from the flags shared by `skiff controller-manager` and `skiff server`. */
export async function controllerManagerConfig(flags: Record<string, string | boolean>, rootCAPem?: string): Promise<ControllerManagerConfig> {
  const n = (v: unknown, flag: string) => {
    const x = Number(v);
    if (!Number.isFinite(x) || x < 0) throw new Error(`--${flag} ${String(v)}: expected a non-negative number`);
    return x;
  };
  const ca = rootCAPem ?? (flags['root-ca-file'] ? await readFile(flags['root-ca-file'] as string, 'utf8') : undefined);
  return {
    ...defaultControllerManagerConfig,
    clusterCIDR: (flags['cluster-cidr'] as string) || defaultControllerManagerConfig.clusterCIDR,
    nodeCIDRMaskSize: n(flags['node-cidr-mask-size'] ?? 24, 'node-cidr-mask-size'),
    serviceCIDR: (flags['service-cluster-ip-range'] as string) || (flags['service-cidr'] as string) || defaultControllerManagerConfig.serviceCIDR,
    nodeMonitorGracePeriodMs: n(flags['node-monitor-grace-period'] ?? 40, 'node-monitor-grace-period') * 1000,
    terminatedPodGCThreshold: n(flags['terminated-pod-gc-threshold'] ?? 12500, 'terminated-pod-gc-threshold'),
    ...(ca ? { rootCAPem: ca } : {}),
  };
}

export const controllerManagerCommand: Command = commandWithFlags('controller-manager', SUMMARY, `(--kubeconfig FILE | --server URL --token T) [flags]`, specs, async (flags) => {
    const client = await clientFromFlags(flags, { qps: 20, burst: 30, userAgent: 'skiff-controller-manager' });
    const ac = new AbortController();
    let lost = false;
    const done = runControllerManager({
      client,
      descriptors: [...allControllers],
      controllers: (flags.controllers as string).split(',').map((s) => s.trim()).filter(Boolean),
      config: await controllerManagerConfig(flags),
      leaderElect: flags['leader-elect'] !== 'false',
      signal: ac.signal,
      onStarted: (names) => process.stdout.write(`Controller manager is running ${names.length} controllers.\n`),
      onLostLeadership: () => {
        lost = true;
        ac.abort();
      },
    });
    const sig = await Promise.race([untilSignal(), done.then(() => 'leadership lost')]);
    process.stderr.write(`skiff: ${lost ? 'leadership lost' : `${sig} received`}, stopping\n`);
    ac.abort();
    await done;
    client.close();
    return lost ? 1 : 0;
});
