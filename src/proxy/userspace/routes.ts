// Making ClusterIPs local addresses of the node (brief §1.2, fallback B, verified): one AnyIP route
// `ip route add local <serviceCIDR> dev lo` makes every address of the range local, so the proxy can
// bind ClusterIP:port directly and unbound ports answer with RST. With addresses on lo, Linux would
// answer ARP for them on every interface; arp_ignore=1/arp_announce=2 stop that (as IPVS mode does).
import { execFile } from 'node:child_process';
import { writeFile } from 'node:fs/promises';
import os from 'node:os';

/** Runs a command; resolves with stdout, rejects with stderr in the message. */
export type Exec = (cmd: string, args: string[]) => Promise<string>;

export const execCommand: Exec = (cmd, args) => new Promise((resolve, reject) => {
  execFile(cmd, args, { timeout: 10_000 }, (err, stdout, stderr) => {
    if (err) reject(new Error(`${cmd} ${args.join(' ')}: ${String(stderr).trim() || err.message}`));
    else resolve(String(stdout));
  });
});

export function isRoot(): boolean {
  return process.getuid?.() === 0;
}

/** Whether the AnyIP route for cidr is present (in the local table, where `ip` puts type local). */
export async function hasAnyIPRoute(cidr: string, exec: Exec = execCommand): Promise<boolean> {
  const out = await exec('ip', ['-4', 'route', 'show', 'table', 'local', 'type', 'local', 'exact', cidr]);
  return out.trim().length > 0;
}

/** Adds the AnyIP route unless present; resolves true when it added it. */
export async function installAnyIPRoute(cidr: string, exec: Exec = execCommand): Promise<boolean> {
  if (await hasAnyIPRoute(cidr, exec)) return false;
  await exec('ip', ['route', 'add', 'local', cidr, 'dev', 'lo']);
  return true;
}

/** Removes the AnyIP route if present; resolves true when it removed it. */
export async function removeAnyIPRoute(cidr: string, exec: Exec = execCommand): Promise<boolean> {
  if (!(await hasAnyIPRoute(cidr, exec))) return false;
  await exec('ip', ['route', 'del', 'local', cidr, 'dev', 'lo']);
  return true;
}

/** Sets arp_ignore=1 and arp_announce=2 on all interfaces; returns the errors (best effort). */
export async function setArpSysctls(procRoot = '/proc/sys/net/ipv4/conf/all'): Promise<Error[]> {
  const errs: Error[] = [];
  for (const [name, value] of [['arp_ignore', '1'], ['arp_announce', '2']] as const) {
    await writeFile(`${procRoot}/${name}`, value).catch((e: Error) => errs.push(e));
  }
  return errs;
}

/** The node's own addresses (every interface, including loopback). */
export function interfaceAddresses(): Set<string> {
  const out = new Set<string>();
  for (const list of Object.values(os.networkInterfaces())) for (const a of list ?? []) out.add(a.address);
  return out;
}
