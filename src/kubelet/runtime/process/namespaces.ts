// A sandbox's namespaces without a pause process: the network namespace through `ip netns add`
// (so `ip netns` and CNI plugins see it at /run/netns/<name>), and UTS + IPC namespaces kept alive
// by bind mounts that `unshare --uts=FILE --ipc=FILE` makes, with the pod's hostname set inside
// (unshare alone leaves the host's name; runtime-spike §5.2). Containers join them with nsenter;
// each gets its own PID namespace (CRI's default pid mode CONTAINER).
import { existsSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { mustRun, runCommand } from './command.js';

export interface SandboxNamespaces {
  /** /run/netns/<name> */
  net: string;
  uts: string;
  ipc: string;
}

export const NETNS_DIR = '/run/netns';

export async function createNamespaces(netnsName: string, stateDir: string, hostname: string): Promise<SandboxNamespaces> {
  await mustRun(['ip', 'netns', 'add', netnsName]);
  const ns: SandboxNamespaces = { net: join(NETNS_DIR, netnsName), uts: join(stateDir, 'uts'), ipc: join(stateDir, 'ipc') };
  try {
    mkdirSync(stateDir, { recursive: true });
    writeFileSync(ns.uts, '');
    writeFileSync(ns.ipc, '');
    await mustRun(['unshare', `--uts=${ns.uts}`, `--ipc=${ns.ipc}`, 'hostname', hostname]);
    await mustRun(['nsenter', `--net=${ns.net}`, 'ip', 'link', 'set', 'lo', 'up']);
  } catch (e) {
    await destroyNamespaces(netnsName, ns);
    throw e;
  }
  return ns;
}

/** Writes sysctls inside the sandbox (net.* in its netns, kernel.shm and msg in its IPC namespace). */
export async function applySysctls(ns: SandboxNamespaces, sysctls: Record<string, string>): Promise<void> {
  const entries = Object.entries(sysctls);
  if (!entries.length) return;
  const script = entries.map(([k, v]) => `echo ${shWord(v)} > /proc/sys/${k.replace(/\./g, '/')}`).join(' && ');
  await mustRun(['nsenter', `--net=${ns.net}`, `--ipc=${ns.ipc}`, `--uts=${ns.uts}`, 'sh', '-c', script]);
}

function shWord(s: string): string {
  return `'${s.replace(/'/g, `'\\''`)}'`;
}

/** Unmounts and deletes whatever of the sandbox's namespaces exists; safe to call twice. */
export async function destroyNamespaces(netnsName: string, ns: Pick<SandboxNamespaces, 'uts' | 'ipc'>): Promise<void> {
  for (const f of [ns.uts, ns.ipc]) {
    if (!existsSync(f)) continue;
    await runCommand(['umount', f]);
    rmSync(f, { force: true });
  }
  if (existsSync(join(NETNS_DIR, netnsName))) {
    const r = await runCommand(['ip', 'netns', 'delete', netnsName]);
    if (r.code !== 0 && existsSync(join(NETNS_DIR, netnsName))) throw new Error(`ip netns delete ${netnsName}: ${r.stderr.trim()}`);
  }
}
