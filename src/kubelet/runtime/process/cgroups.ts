// cgroup v1 management for the process runtime (this machine: v1 for cpu, cpuacct, memory, pids;
// no systemd, so cgroupfs paths — runtime-spike §1/P2). The runtime owns every cgroup it creates
// and removes it again, because nobody else will (runtime-spike P3).
import { existsSync, mkdirSync, readFileSync, rmdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { LinuxContainerResources } from '../types.js';

export const CONTROLLERS = ['cpu', 'cpuacct', 'memory', 'pids'] as const;
export type Controller = (typeof CONTROLLERS)[number];

/** cgroup v1 hierarchies under one mount root (default /sys/fs/cgroup). */
export class CgroupV1 {
  constructor(readonly mountRoot = '/sys/fs/cgroup') {}

  /** True when every controller this runtime uses is mounted as v1 here. */
  available(): boolean {
    return CONTROLLERS.every((c) => existsSync(join(this.mountRoot, c, 'cgroup.procs')));
  }

  dir(controller: Controller, path: string): string {
    return join(this.mountRoot, controller, path);
  }

  /** The cgroup.procs files a process writes itself into to join path in every controller. */
  procsFiles(path: string): string[] {
    return CONTROLLERS.map((c) => join(this.dir(c, path), 'cgroup.procs'));
  }

  /** Creates path in every controller; resolves to the controllers where it did not exist before. */
  create(path: string): Controller[] {
    const made: Controller[] = [];
    for (const c of CONTROLLERS) {
      const d = this.dir(c, path);
      if (!existsSync(d)) {
        mkdirSync(d, { recursive: true });
        made.push(c);
      }
    }
    return made;
  }

  /** Writes CRI resources: cpu shares and CFS quota/period, memory limit (and memsw when swap accounting exists). */
  apply(path: string, r: LinuxContainerResources | undefined, pidsMax?: number): void {
    if (r?.cpuShares) this.write('cpu', path, 'cpu.shares', r.cpuShares);
    if (r?.cpuPeriod) this.write('cpu', path, 'cpu.cfs_period_us', r.cpuPeriod);
    if (r?.cpuQuota) this.write('cpu', path, 'cpu.cfs_quota_us', r.cpuQuota);
    if (r?.memoryLimitInBytes) {
      const memsw = join(this.dir('memory', path), 'memory.memsw.limit_in_bytes');
      // memsw must stay >= the memory limit; raise order matters when lowering or raising.
      const hasMemsw = existsSync(memsw);
      if (hasMemsw) {
        const cur = Number(this.read('memory', path, 'memory.limit_in_bytes'));
        if (r.memoryLimitInBytes > cur) this.write('memory', path, 'memory.memsw.limit_in_bytes', r.memoryLimitInBytes);
      }
      this.write('memory', path, 'memory.limit_in_bytes', r.memoryLimitInBytes);
      if (hasMemsw) this.write('memory', path, 'memory.memsw.limit_in_bytes', r.memoryLimitInBytes);
    }
    if (pidsMax && pidsMax > 0) this.write('pids', path, 'pids.max', pidsMax);
  }

  pids(path: string): number[] {
    const out = new Set<number>();
    for (const c of CONTROLLERS) {
      let text = '';
      try {
        text = readFileSync(join(this.dir(c, path), 'cgroup.procs'), 'utf8');
      } catch {
        continue;
      }
      for (const l of text.split('\n')) if (l) out.add(Number(l));
    }
    return [...out];
  }

  /** Sends signal to every process in the cgroup (the last resort of a stop). */
  killAll(path: string, signal: NodeJS.Signals = 'SIGKILL'): number {
    let n = 0;
    for (const pid of this.pids(path)) {
      try {
        process.kill(pid, signal);
        n++;
      } catch {
        // already gone
      }
    }
    return n;
  }

  /** Kills what is left and removes path from every controller; tolerates missing dirs. */
  async remove(path: string, sleep: (ms: number) => Promise<void>): Promise<void> {
    for (let attempt = 0; ; attempt++) {
      this.killAll(path);
      const left: string[] = [];
      for (const c of CONTROLLERS) {
        const d = this.dir(c, path);
        try {
          rmdirSync(d);
        } catch (e) {
          const code = (e as NodeJS.ErrnoException).code;
          if (code !== 'ENOENT') left.push(`${d}: ${code}`);
        }
      }
      if (!left.length) return;
      // EBUSY while killed processes are still exiting.
      if (attempt >= 50) throw new Error(`cannot remove cgroup: ${left.join(', ')}`);
      await sleep(20);
    }
  }

  /** Number of OOM kills in the cgroup (memory.oom_control oom_kill, kernel >= 4.13). */
  oomKills(path: string): number {
    try {
      const m = /^oom_kill (\d+)$/m.exec(this.read('memory', path, 'memory.oom_control'));
      return m ? Number(m[1]) : 0;
    } catch {
      return 0;
    }
  }

  cpuUsageNanos(path: string): number {
    try {
      return Number(this.read('cpuacct', path, 'cpuacct.usage'));
    } catch {
      return 0;
    }
  }

  /** usage minus inactive file cache: the working set cAdvisor and the kubelet evict on. */
  memory(path: string): { usageBytes: number; workingSetBytes: number; rssBytes: number } {
    try {
      const usage = Number(this.read('memory', path, 'memory.usage_in_bytes'));
      const stat = this.read('memory', path, 'memory.stat');
      const field = (k: string) => Number(new RegExp(`^${k} (\\d+)$`, 'm').exec(stat)?.[1] ?? 0);
      const inactive = field('total_inactive_file');
      return { usageBytes: usage, workingSetBytes: Math.max(0, usage - inactive), rssBytes: field('total_rss') };
    } catch {
      return { usageBytes: 0, workingSetBytes: 0, rssBytes: 0 };
    }
  }

  read(c: Controller, path: string, file: string): string {
    return readFileSync(join(this.dir(c, path), file), 'utf8').trim();
  }

  write(c: Controller, path: string, file: string, value: number | string): void {
    writeFileSync(join(this.dir(c, path), file), String(value));
  }
}
