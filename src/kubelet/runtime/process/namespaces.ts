// A sandbox's namespaces without a pause process: the network namespace through `ip netns add`
// (so `ip netns` and CNI plugins see it at /run/netns/<name>), and UTS + IPC namespaces kept alive
// by bind mounts that `unshare --uts=FILE --ipc=FILE` makes, with the pod's hostname set inside
// (unshare alone leaves the host's name; runtime-spike §5.2). Containers join them with nsenter;
// each gets its own PID namespace (CRI's default pid mode CONTAINER).
import { existsSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { mustRun, runCommand, shQuote } from './command.js';

export interface SandboxNamespaces {
  /** /run/netns/<name> */
  net: string;
  uts: string;
  ipc: string;
}

export const NETNS_DIR = '/run/netns';

export async function createNamespaces(netnsName: string, stateDir: string, hostname: string): Promise<SandboxNamespaces> {
  const ns: SandboxNamespaces = { net: join(NETNS_DIR, netnsName), uts: join(stateDir, 'uts'), ipc: join(stateDir, 'ipc') };
  try {
    mkdirSync(stateDir, { recursive: true });
    writeFileSync(ns.uts, '');
    writeFileSync(ns.ipc, '');
    // One child process for the three steps: every spawn forks the whole (large) Node process on
    // the kubelet's main thread, which is what limited pod start rate (bench/kubelet.ts).
    await mustRun(['sh', '-c', [
      `ip netns add ${shQuote(netnsName)}`,
      `unshare --uts=${shQuote(ns.uts)} --ipc=${shQuote(ns.ipc)} hostname ${shQuote(hostname)}`,
      `nsenter --net=${shQuote(ns.net)} ip link set lo up`,
    ].join(' && ')]);
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
  // One child process for all of it (see createNamespaces).
  const steps = [ns.uts, ns.ipc].filter((f) => existsSync(f)).map((f) => `umount ${shQuote(f)}`);
  const netns = join(NETNS_DIR, netnsName);
  if (existsSync(netns)) steps.push(`ip netns delete ${shQuote(netnsName)}`);
  if (!steps.length) return;
  // Each step runs whatever the one before did; the exit status is the last one's (the netns).
  const r = await runCommand(['sh', '-c', steps.join('; ')]);
  for (const f of [ns.uts, ns.ipc]) rmSync(f, { force: true });
  if (r.code !== 0 && existsSync(netns)) throw new Error(`ip netns delete ${netnsName}: ${r.stderr.trim()}`);
}
