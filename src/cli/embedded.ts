// The components `skiff server` runs beside its API server, each talking to it over HTTPS with the
// cluster-admin credentials like any other client (they never touch the API server's internals).
import { hostname } from 'node:os';
import { randomUUID } from 'node:crypto';
import { RestClient, configFromKubeconfig } from '../client/index.js';
import { startScheduler, type SchedulerApp } from '../scheduler/app/index.js';
import { runControllerManager } from '../controllers/manager.js';
import { allControllers } from '../controllers/registry.js';
import type { ControllerManagerConfig } from '../controllers/types.js';
import { startAgent, type AgentOptions } from '../agent/index.js';
import { startDNS, type DNSServer } from '../dns/index.js';
import { registerDNSService } from '../dns/register.js';
import { firstIPv4 } from '../kubelet/node/host.js';

export interface EmbeddedOptions {
  kubeconfigPath: string;
  scheduler: boolean;
  /** --controllers for the embedded controller manager; empty = do not run it. */
  controllers: string[];
  controllerConfig: ControllerManagerConfig;
  /** Client rate limit of each embedded controller (upstream --kube-api-qps/--kube-api-burst: 20/30). */
  controllerQPS?: { qps: number; burst: number };
  /** The node agent for this machine (absent with --no-agent). */
  agent?: Omit<AgentOptions, 'client'>;
  /** Cluster DNS in this process, published as kube-system/kube-dns (absent with --disable-dns). */
  dns?: { clusterIP: string; clusterDomain: string; serviceCIDR: string; port: number };
}

export interface EmbeddedComponents {
  stop(): Promise<void>;
}

const progress = (msg: string) => process.stderr.write(`skiff: ${msg}\n`);

export async function startEmbedded(o: EmbeddedOptions): Promise<EmbeddedComponents> {
  const identity = `${hostname()}_${randomUUID()}`;
  const stops: (() => Promise<void>)[] = [];
  const clients: RestClient[] = [];
  const client = async (agent: string, qps: number, burst: number) => {
    const c = new RestClient(await configFromKubeconfig(o.kubeconfigPath, { qps, burst, userAgent: agent }));
    clients.push(c);
    return c;
  };
  try {
    if (o.controllers.length) {
      progress('starting the controller manager');
      const ac = new AbortController();
      const done = runControllerManager({
        client: await client('skiff-controller-manager', o.controllerQPS?.qps ?? 20, o.controllerQPS?.burst ?? 30), descriptors: [...allControllers], controllers: o.controllers,
        config: o.controllerConfig, leaderElect: true, identity, signal: ac.signal,
        // Another server took the lease: this one stops acting (upstream exits and is restarted).
        onLostLeadership: () => progress('controller manager lost its lease'),
      }).catch((err: unknown) => progress(`controller manager stopped: ${String(err)}`));
      stops.push(async () => {
        ac.abort();
        await done;
      });
    }
    if (o.agent) {
      progress('starting the node agent');
      const agent = await startAgent({ ...o.agent, client: await client('skiff-agent', 50, 100) });
      progress(`node ${agent.nodeName} registered (kubelet API on port ${agent.kubeletPort})`);
      stops.unshift(() => agent.stop());
    }
    if (o.dns) {
      progress('starting cluster DNS');
      const dnsClient = await client('skiff-dns', 20, 30);
      // Pods reach it through the kube-dns Service, whose endpoint is this node's address.
      const address = firstIPv4();
      const dns: DNSServer = await startDNS({
        client: dnsClient, clusterDomain: o.dns.clusterDomain, serviceCIDRs: [o.dns.serviceCIDR],
        listen: [{ address, port: o.dns.port }],
      });
      stops.push(() => dns.stop());
      const port = dns.ports[0]!.port;
      await registerDNSService({ client: dnsClient, clusterIP: o.dns.clusterIP, address, port, ...(o.agent?.nodeName ? { nodeName: o.agent.nodeName } : {}) });
      progress(`cluster DNS on ${address}:${port}, published as kube-system/kube-dns ${o.dns.clusterIP}`);
    }
    if (o.scheduler) {
      progress('starting the scheduler');
      const app: SchedulerApp = await startScheduler({ client: await client('skiff-scheduler', 50, 100), identity });
      stops.push(() => app.stop());
    }
  } catch (err) {
    for (const s of stops.reverse()) await s().catch(() => undefined);
    throw err;
  }
  return {
    async stop() {
      for (const s of stops.reverse()) await s().catch((err: unknown) => progress(`stopping a component: ${String(err)}`));
      for (const c of clients) c.close();
    },
  };
}
