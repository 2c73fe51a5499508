// Picks and builds a proxy mode. Each mode loads lazily, so a node that runs one does not load the
// other. Default (upstream kube-proxy's default is iptables): iptables as root with iptables-restore
// on the PATH, userspace otherwise.
import { execFileSync } from 'node:child_process';
import type { Logger } from '../util/log.js';
import type { BackendChoice } from './iptables/backend.js';
import type { Proxier, ProxierOptions } from './types.js';

export type ProxyMode = 'iptables' | 'userspace';

export type { BackendChoice } from './iptables/backend.js';
export { parseBackendChoice } from './iptables/backend.js';

export interface ModeOptions extends ProxierOptions {
  serviceCIDR: string;
  /** iptables mode: which iptables client (default auto). */
  iptablesBackend?: BackendChoice;
  log?: Logger;
}

export function defaultProxyMode(): ProxyMode {
  if (process.getuid?.() !== 0) return 'userspace';
  try {
    execFileSync('iptables-restore', ['--version'], { stdio: 'ignore' });
    return 'iptables';
  } catch {
    return 'userspace';
  }
}

export function parseProxyMode(s: string): ProxyMode {
  if (!s) return defaultProxyMode();
  if (s === 'iptables' || s === 'userspace') return s;
  throw new Error(`--proxy-mode ${s}: expected iptables or userspace`);
}

export async function createProxier(mode: ProxyMode, o: ModeOptions): Promise<Proxier> {
  if (mode === 'iptables') {
    if (process.getuid?.() !== 0) throw new Error('--proxy-mode iptables needs root (use --proxy-mode userspace)');
    const { createIptablesProxier } = await import('./iptables/index.js');
    return createIptablesProxier({
      nodeName: o.nodeName, clusterCIDR: o.clusterCIDR, backend: o.iptablesBackend ?? 'auto', ...(o.log ? { log: o.log } : {}),
    });
  }
  const { createUserspaceProxier } = await import('./userspace/index.js');
  const root = process.getuid?.() === 0;
  return createUserspaceProxier({
    nodeName: o.nodeName, clusterCIDR: o.clusterCIDR,
    // Without root the AnyIP route cannot be added: only ClusterIPs that are already local serve.
    serviceCIDR: root ? o.serviceCIDR : null,
    ...(o.log ? { log: o.log } : {}),
  });
}
