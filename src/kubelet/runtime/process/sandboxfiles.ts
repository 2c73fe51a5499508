// Files the process runtime keeps per sandbox and hands to its containers.
import { existsSync, mkdirSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Mount, PodSandboxConfig } from '../types.js';

/**
 * Files the runtime provides to every container of a sandbox, as containerd does: /etc/hostname,
 * and /etc/resolv.conf when the kubelet sent a dnsConfig (ClusterFirst pods). The kubelet's own
 * /etc/hosts arrives as an ordinary mount.
 */
export function writeSandboxFiles(dir: string, config: PodSandboxConfig): void {
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'hostname'), (config.hostname || config.metadata.name) + '\n');
  const dns = config.dnsConfig;
  if (!dns) return;
  const lines: string[] = [];
  if (dns.searches?.length) lines.push(`search ${dns.searches.join(' ')}`);
  for (const ns of dns.servers ?? []) lines.push(`nameserver ${ns}`);
  if (dns.options?.length) lines.push(`options ${dns.options.join(' ')}`);
  writeFileSync(join(dir, 'resolv.conf'), lines.join('\n') + '\n');
}

export function sandboxMounts(dir: string, config: PodSandboxConfig, own: Mount[]): Mount[] {
  const taken = new Set(own.map((m) => m.containerPath));
  const out: Mount[] = [];
  if (!taken.has('/etc/hostname')) out.push({ hostPath: join(dir, 'hostname'), containerPath: '/etc/hostname', readonly: true });
  if (config.dnsConfig && !taken.has('/etc/resolv.conf')) out.push({ hostPath: join(dir, 'resolv.conf'), containerPath: '/etc/resolv.conf', readonly: true });
  return out;
}

export function isDirectory(p: string): boolean {
  try {
    return existsSync(p) && statSync(p).isDirectory();
  } catch {
    return false;
  }
}
