// `skiff scheduler`: the scheduler alone (kube-scheduler), against any API server.
import { readFile } from 'node:fs/promises';
import { hostname } from 'node:os';
import { randomUUID } from 'node:crypto';
import type { Command } from './commands.js';
import { commandWithFlags, type FlagSpec } from './flags.js';
import { clientFlags, clientFromFlags } from './client-flags.js';
import { untilSignal } from './lifecycle.js';
import { startScheduler } from '../scheduler/app/index.js';
import { parseConfig } from '../scheduler/index.js';
import { ComponentServer } from '../util/component-server.js';
import { MetricsRegistry } from '../util/metrics.js';

const specs = {
  ...clientFlags,
  config: { type: 'string', default: '', help: 'KubeSchedulerConfiguration file (kubescheduler.config.k8s.io/v1)' },
  'leader-elect': { type: 'string', default: 'true', help: 'elect a leader on Lease kube-system/kube-scheduler before scheduling' },
  'bind-address': { type: 'string', default: '127.0.0.1', help: 'address of the /healthz and /metrics endpoint' },
  port: { type: 'string', default: '10251', help: 'port of the /healthz and /metrics endpoint (0 = pick one)' },
} satisfies Record<string, FlagSpec>;

const SUMMARY = 'the scheduler alone: binds pending pods to nodes';

export const schedulerCommand: Command = commandWithFlags('scheduler', SUMMARY, `(--kubeconfig FILE | --server URL --token T) [flags]`, specs, async (flags) => {
    const config = flags.config ? parseConfig(await readFile(flags.config as string, 'utf8')) : undefined;
    const client = await clientFromFlags(flags, { qps: 50, burst: 100, userAgent: 'skiff-scheduler' });
    const metrics = new MetricsRegistry();
    let lost = false;
    const app = await startScheduler({
      client, metrics, identity: `${hostname()}_${randomUUID()}`,
      leaderElect: flags['leader-elect'] !== 'false',
      ...(config ? { config } : {}),
      onLostLeadership: () => {
        lost = true;
        process.kill(process.pid, 'SIGTERM');
      },
    });
    const server = new ComponentServer({ bindAddress: flags['bind-address'] as string, port: Number(flags.port), metrics, checks: { 'informer-sync': () => app.synced() } });
    await server.start();
    process.stdout.write(`Scheduler is running (health and metrics on http://${flags['bind-address'] as string}:${server.port}).\n`);
    const sig = await untilSignal();
    process.stderr.write(`skiff: ${lost ? 'leadership lost' : `${sig} received`}, stopping\n`);
    await app.stop();
    await server.stop();
    client.close();
    // Event writes still queued in the broadcaster would keep the process alive for as long as the
    // backlog takes; like kube-scheduler, exit once the scheduler itself has stopped.
    setTimeout(() => process.exit(lost ? 1 : 0), 1000).unref();
    return lost ? 1 : 0;
});
