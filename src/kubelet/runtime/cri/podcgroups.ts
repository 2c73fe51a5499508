// Pod-level cgroups for the cri runtime, when it is asked to own them (CriRuntimeOptions.cgroupRoot).
// Upstream the kubelet's PodContainerManager creates /kubepods/…/pod<uid> with the pod's limits and
// passes it as linux.cgroupParent; containerd 1.6 only places the sandbox and containers under it:
// it ignores the sandbox's linux.resources, and neither it nor runc ever removes the parent
// (runtime-spike P3). Skiff's runtime contract gives the pod cgroup to the runtime (the process
// runtime makes `cgroupParent || <cgroupRoot>/pod-<id>` with the pod's resources), so this does the
// same on top of containerd: create and limit the parent before RunPodSandbox, remove it after
// RemovePodSandbox.
import { readdirSync, rmdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { CgroupV1 } from '../process/cgroups.js';
import type { PodSandboxConfig } from '../types.js';

export interface PodCgroupsOptions {
  /** Parent of pod cgroups the runtime names itself (sandboxes without linux.cgroupParent). */
  root: string;
  /** cgroup v1 mount root; default /sys/fs/cgroup. */
  mountRoot?: string;
  /** pids.max of each pod cgroup; 0/unset: no limit. */
  pidsLimit?: number;
  sleep: (ms: number) => Promise<void>;
}

/** A pod cgroup as prepared for one sandbox. */
export interface PodCgroup {
  /** Relative to the hierarchy roots, e.g. /skiff/podu-1. */
  path: string;
  /** True when this runtime created it (and so removes it). */
  owned: boolean;
}

/** `<root>/pod<uid>` with characters a cgroup name cannot hold replaced. */
export function podCgroupPath(root: string, uid: string): string {
  return '/' + join(root, `pod${uid.replace(/[^A-Za-z0-9_.-]/g, '_')}`).replace(/^\/+/, '');
}

export class PodCgroups {
  private readonly v1: CgroupV1;

  constructor(private readonly o: PodCgroupsOptions) {
    this.v1 = new CgroupV1(o.mountRoot);
  }

  /** Creates (if needed) the sandbox's pod cgroup and writes the pod's limits into it. */
  prepare(config: PodSandboxConfig): PodCgroup {
    const given = config.linux?.cgroupParent;
    const path = given || podCgroupPath(this.o.root, config.metadata.uid);
    // A name of our own is ours even if an earlier sandbox of the same pod made it (removal waits
    // until the last one is gone: rmdir fails while another sandbox is inside).
    const owned = this.v1.create(path).length > 0 || !given;
    this.v1.apply(path, config.linux?.resources, this.o.pidsLimit);
    return { path, owned };
  }

  /**
   * Removes path from every mounted hierarchy (runc made it in all of them, not only the four the
   * process runtime uses). A cgroup still in use (another sandbox of the same pod) stays.
   */
  async remove(path: string): Promise<void> {
    const root = this.o.mountRoot ?? '/sys/fs/cgroup';
    const hierarchies = readdirSync(root).filter((h) => {
      try {
        return statSync(join(root, h)).isDirectory();
      } catch {
        return false;
      }
    });
    // runc removes the sandbox's own cgroup a moment after RemovePodSandbox returns.
    for (let attempt = 0; attempt < 25; attempt++) {
      let busy = false;
      for (const h of hierarchies) {
        try {
          rmdirSync(join(root, h, path));
        } catch (e) {
          const code = (e as NodeJS.ErrnoException).code;
          if (code === 'EBUSY' || code === 'ENOTEMPTY') busy = true;
        }
      }
      if (!busy) return;
      await this.o.sleep(20);
    }
  }
}
