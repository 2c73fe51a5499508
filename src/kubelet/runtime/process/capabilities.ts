// What the machine allows the process runtime to do. Isolation needs root, cgroup v1 controllers
// and the util-linux/iproute2 tools (Debian: util-linux, iproute2; `script` from bsdutils).
import { accessSync, constants } from 'node:fs';
import { join } from 'node:path';
import { CgroupV1 } from './cgroups.js';

export interface Capabilities {
  root: boolean;
  cgroupV1: boolean;
  /** Missing executables among ip, unshare, nsenter, mount, umount, script. */
  missingTools: string[];
  /** True when every isolation feature is usable. */
  isolation: boolean;
  /** Why isolation is not possible ('' when it is). */
  reason: string;
}

const TOOLS = ['ip', 'unshare', 'nsenter', 'mount', 'umount', 'script'];

export function which(tool: string, path = process.env.PATH ?? '/usr/sbin:/usr/bin:/sbin:/bin'): string | null {
  for (const dir of path.split(':').concat(['/usr/sbin', '/sbin'])) {
    try {
      accessSync(join(dir, tool), constants.X_OK);
      return join(dir, tool);
    } catch {
      // next
    }
  }
  return null;
}

export function detectCapabilities(cgroupMountRoot = '/sys/fs/cgroup'): Capabilities {
  const root = process.getuid?.() === 0;
  const cgroupV1 = new CgroupV1(cgroupMountRoot).available();
  const missingTools = TOOLS.filter((t) => !which(t));
  const reasons: string[] = [];
  if (!root) reasons.push('not running as root');
  if (!cgroupV1) reasons.push(`cgroup v1 cpu/cpuacct/memory/pids not mounted under ${cgroupMountRoot}`);
  if (missingTools.length) reasons.push(`missing tools: ${missingTools.join(', ')}`);
  return { root, cgroupV1, missingTools, isolation: reasons.length === 0, reason: reasons.join('; ') };
}
