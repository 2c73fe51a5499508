// The components `skiff server` runs beside its API server, each talking to it over HTTPS with the
// cluster-admin credentials like any other client (they never touch the API server's internals).
import { hostname } from 'node:os';
import { randomUUID } from 'node:crypto';
import { RestClient, configFromKubeconfig } from '../client/index.js';
import { startScheduler, type SchedulerApp } from '../scheduler/app/index.js';

export interface EmbeddedOptions {
  kubeconfigPath: string;
  scheduler: boolean;
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
