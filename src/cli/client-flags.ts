// How component commands (controller-manager, scheduler, kubelet, hollow-nodes, …) reach the API
// server: a kubeconfig (upstream's --kubeconfig), or --server with the join --token (as a k3s agent).
import { readFile } from 'node:fs/promises';
import { RestClient, configFromKubeconfig, type RestConfig } from '../client/index.js';
import type { FlagSpec } from './flags.js';

export const clientFlags = {
  kubeconfig: { type: 'string', default: '', help: 'kubeconfig with the API server and credentials' },
  server: { type: 'string', default: '', help: 'API server URL (with --token, instead of --kubeconfig)' },
  token: { type: 'string', default: '', help: 'node join token (with --server)' },
  'certificate-authority': { type: 'string', default: '', help: 'CA bundle to verify the server (with --server; default: not verified)' },
  'kube-api-qps': { type: 'string', default: '', help: 'client requests per second (default per component; -1 = unlimited)' },
  'kube-api-burst': { type: 'string', default: '', help: 'client burst' },
} satisfies Record<string, FlagSpec>;

export async function clientFromFlags(flags: Record<string, string | boolean>, defaults: { qps: number; burst: number; userAgent: string }): Promise<RestClient> {
  const qps = flags['kube-api-qps'] ? Number(flags['kube-api-qps']) : defaults.qps;
  const burst = flags['kube-api-burst'] ? Number(flags['kube-api-burst']) : defaults.burst;
  if (!Number.isFinite(qps) || !Number.isFinite(burst)) throw new Error('--kube-api-qps/--kube-api-burst: expected numbers');
  const overrides: Partial<RestConfig> = { qps, burst, userAgent: defaults.userAgent };
  const kubeconfig = (flags.kubeconfig as string) || (flags.server ? '' : process.env.KUBECONFIG ?? '');
  if (kubeconfig) return new RestClient(await configFromKubeconfig(kubeconfig, overrides));
  if (!flags.server || !flags.token) throw new Error('need --kubeconfig, or --server and --token');
  const ca = flags['certificate-authority'] as string;
  const config: RestConfig = { server: flags.server as string, token: flags.token as string, ...overrides };
  if (ca) config.caPem = await readFile(ca, 'utf8');
  else config.insecureSkipTlsVerify = true;
  return new RestClient(config);
}
