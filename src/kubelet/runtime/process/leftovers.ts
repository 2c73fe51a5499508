// Crash recovery: what a previous run of the process runtime left behind when it died without
// removing its sandboxes (processes, network namespaces, UTS/IPC bind mounts, pod cgroups, address
// leases). Each isolated sandbox wrote <stateDir>/sandboxes/<id>/meta.json when it was created.
import { existsSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import type { Clock } from '../../../util/clock.js';
import type { CgroupV1 } from './cgroups.js';
import { destroyNamespaces, NETNS_DIR } from './namespaces.js';
import type { SandboxNetwork } from './network.js';

export interface LeftoverScope {
  stateDir: string;
  netnsPrefix: string;
  cgroupRoot: string;
  /** Ids of sandboxes the current run owns; never touched. */
  live: Set<string>;
  network: SandboxNetwork;
  cgroups: CgroupV1 | null;
  clock: Clock;
}

interface SandboxMeta {
  netnsName?: string | null;
  cgroupPath?: string | null;
  cgroupOwned?: boolean;
}

/** Removes every stale sandbox's resources; resolves to how many sandboxes were cleaned. */
export async function cleanupLeftovers(scope: LeftoverScope): Promise<number> {
  const dir = join(scope.stateDir, 'sandboxes');
  const stale = (existsSync(dir) ? readdirSync(dir) : []).filter((id) => !scope.live.has(id));
  const sleep = (ms: number) => scope.clock.sleep(ms);
  for (const id of stale) {
    const sdir = join(dir, id);
    let meta: SandboxMeta = {};
    try {
      meta = JSON.parse(readFileSync(join(sdir, 'meta.json'), 'utf8')) as SandboxMeta;
    } catch {
      // died before writing it: fall back to the names this runtime would have used
    }
    const netnsName = meta.netnsName ?? scope.netnsPrefix + id.slice(0, 16);
    await scope.network.tearDown(id, join(NETNS_DIR, netnsName)).catch(() => {});
    if (scope.cgroups) {
      const cg = scope.cgroups;
      const path = meta.cgroupPath ?? join(scope.cgroupRoot, `pod-${id.slice(0, 16)}`);
      // Container cgroups first (killing what still runs there), then the pod's own if it is ours.
      const memDir = cg.dir('memory', path);
      if (existsSync(memDir)) {
        for (const e of readdirSync(memDir, { withFileTypes: true })) if (e.isDirectory()) await cg.remove(join(path, e.name), sleep);
      }
      if (meta.cgroupOwned !== false) await cg.remove(path, sleep);
      await destroyNamespaces(netnsName, { uts: join(sdir, 'uts'), ipc: join(sdir, 'ipc') });
    }
    rmSync(sdir, { recursive: true, force: true });
  }
  return stale.length;
}
