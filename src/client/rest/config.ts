// How a REST client reaches and authenticates to one API server (client-go's rest.Config), built
// from a kubeconfig or given explicitly, with the defaults components use.
import { loadKubeconfig, type LoadedKubeconfig } from '../kubeconfig.js';
import type { Clock } from '../../util/clock.js';
import type { RateLimiter } from '../flowcontrol/index.js';

export interface RestConfig {
  /** https://host:port[/prefix] (http:// works for tests behind a proxy). */
  server: string;
  caPem?: string;
  certPem?: string;
  keyPem?: string;
  token?: string;
  insecureSkipTlsVerify?: boolean;
  /** Requests per second through the client-side token bucket; default 5 (--kube-api-qps); < 0 = unlimited. */
  qps?: number;
  /** Token bucket size; default 10 (--kube-api-burst). */
  burst?: number;
  /** Overrides qps/burst with a limiter shared between clients. */
  rateLimiter?: RateLimiter;
  /** Default `skiff/<version> (<os>/<arch>)`; components append their name, as upstream binaries do. */
  userAgent?: string;
  /** Per-request timeout for everything but watches; 0 (default) = none. */
  timeoutMs?: number;
  /** How often a 429 / Retry-After answer is retried before giving up (client-go: 10). */
  maxRetries?: number;
  /** The default namespace of the kubeconfig context (informational; clients never apply it implicitly). */
  namespace?: string;
  clock?: Clock;
}

export const DEFAULT_QPS = 5;
export const DEFAULT_BURST = 10;

/** A RestConfig from a loaded kubeconfig, with overrides (qps, userAgent, …) applied on top. */
export function configFromLoaded(kc: LoadedKubeconfig, overrides: Partial<RestConfig> = {}): RestConfig {
  const c: RestConfig = { server: kc.server, insecureSkipTlsVerify: kc.insecureSkipTlsVerify, namespace: kc.namespace };
  if (kc.caPem) c.caPem = kc.caPem;
  if (kc.certPem) c.certPem = kc.certPem;
  if (kc.keyPem) c.keyPem = kc.keyPem;
  if (kc.token) c.token = kc.token;
  return { ...c, ...overrides };
}

/** Reads a kubeconfig file (current or named context) into a RestConfig. */
export async function configFromKubeconfig(path: string, overrides: Partial<RestConfig> & { context?: string } = {}): Promise<RestConfig> {
  const { context, ...rest } = overrides;
  return configFromLoaded(await loadKubeconfig(path, context), rest);
}
