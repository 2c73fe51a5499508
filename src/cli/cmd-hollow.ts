// `skiff hollow-nodes`: N simulated nodes in one process (kubemark/kwok style) for tests and scale.
import type { Command } from './commands.js';
import { commandWithFlags, type FlagSpec } from './flags.js';
import { clientFlags, clientFromFlags } from './client-flags.js';
import { untilSignal } from './lifecycle.js';
import { HollowNodes } from '../hollow/index.js';
import { parseNodeLabels, parseNodeTaints } from '../agent/flags.js';
import { logger } from '../util/log.js';

const specs = {
  ...clientFlags,
  count: { type: 'string', default: '10', help: 'number of nodes' },
  'name-prefix': { type: 'string', default: 'hollow-node-', help: 'node names are <prefix><index>' },
  'start-index': { type: 'string', default: '0', help: 'first node index (disjoint ranges let several processes share a cluster)' },
  cpu: { type: 'string', default: '32', help: 'cpu capacity per node' },
  memory: { type: 'string', default: '256Gi', help: 'memory capacity per node' },
  pods: { type: 'string', default: '110', help: 'pod capacity per node' },
  'node-labels': { type: 'string', default: '', help: 'extra labels, k=v[,k=v…]' },
  zones: { type: 'string', default: '0', help: 'label node i with topology.kubernetes.io/zone=zone-<i mod zones> (0 = no zone label)' },
  'register-with-taints': { type: 'string', default: '', help: 'taints, key[=value]:Effect[,…]' },
  concurrency: { type: 'string', default: '64', help: 'API calls in flight for registration, leases and status' },
  'node-lease-duration-seconds': { type: 'string', default: '40', help: 'node Lease duration; renewed every quarter of it (kubelet flag)' },
} satisfies Record<string, FlagSpec>;

const SUMMARY = 'simulated nodes for scale tests: register, heartbeat, run bound pods (no containers)';

export const hollowNodesCommand: Command = commandWithFlags('hollow-nodes', SUMMARY, `--count N (--kubeconfig FILE | --server URL --token T) [flags]`, specs, async (flags) => {
    const count = intFlag(flags.count as string, '--count', 1);
    const client = await clientFromFlags(flags, { qps: -1, burst: 0, userAgent: 'skiff-hollow-nodes' });
    const hollow = new HollowNodes({
      client,
      count,
      prefix: flags['name-prefix'] as string,
      startIndex: intFlag(flags['start-index'] as string, '--start-index', 0),
      capacity: { cpu: flags.cpu as string, memory: flags.memory as string, pods: flags.pods as string },
      labels: parseNodeLabels(flags['node-labels'] as string),
      zones: intFlag(flags.zones as string, '--zones', 0),
      taints: parseNodeTaints(flags['register-with-taints'] as string),
      concurrency: intFlag(flags.concurrency as string, '--concurrency', 1),
      leaseDurationSeconds: intFlag(flags['node-lease-duration-seconds'] as string, '--node-lease-duration-seconds', 1),
      // As the kubelet: renew at a quarter of the lease duration (nodeLeaseRenewIntervalFraction).
      renewIntervalMs: intFlag(flags['node-lease-duration-seconds'] as string, '--node-lease-duration-seconds', 1) * 250,
    });
    await hollow.start();
    process.stdout.write(`${count} hollow nodes are ready.\n`);
    const log = logger('hollow-nodes');
    const report = setInterval(() => log.v(1).info('hollow nodes', { ...hollow.snapshot() }), 30_000);
    const sig = await untilSignal();
    clearInterval(report);
    process.stderr.write(`skiff: ${sig} received, stopping\n`);
    await hollow.stop();
    client.close();
    return 0;
});

function intFlag(v: string, flag: string, min: number): number {
  const n = Number(v);
  if (!Number.isInteger(n) || n < min) throw new Error(`${flag} ${v}: expected an integer ≥ ${min}`);
  return n;
}
