// Reading /proc for the process runtime: finding a container's PID-namespace init, and per-process
// CPU and memory figures when there is no cgroup (non-root mode).
import { readdirSync, readFileSync } from 'node:fs';

/** Pids in the process tree under pid (pid included), breadth first. */
export function processTree(pid: number): number[] {
  const out: number[] = [];
  const queue = [pid];
  while (queue.length) {
    const p = queue.shift()!;
    out.push(p);
    let tasks: string[] = [];
    try {
      tasks = readdirSync(`/proc/${p}/task`);
    } catch {
      continue;
    }
    for (const t of tasks) {
      try {
        for (const c of readFileSync(`/proc/${p}/task/${t}/children`, 'utf8').split(' ')) if (c.trim()) queue.push(Number(c));
      } catch {
        // gone
      }
    }
  }
  return out;
}

/** The first pid among pids that is PID 1 of a nested PID namespace (NSpid: <host> … 1). */
export function findNamespaceInit(pids: number[]): number {
  for (const p of pids) {
    try {
      const m = /^NSpid:\s+(.*)$/m.exec(readFileSync(`/proc/${p}/status`, 'utf8'));
      const ids = m?.[1]!.trim().split(/\s+/) ?? [];
      if (ids.length >= 2 && ids[ids.length - 1] === '1') return p;
    } catch {
      // gone
    }
  }
  return 0;
}

const CLOCK_TICKS = 100; // USER_HZ on Linux

/** CPU time (ns) and resident memory (bytes) summed over pids. */
export function processUsage(pids: number[]): { cpuNanos: number; rssBytes: number } {
  let cpuNanos = 0;
  let rssBytes = 0;
  for (const p of pids) {
    try {
      const stat = readFileSync(`/proc/${p}/stat`, 'utf8');
      // Fields after the parenthesised comm: state is field 3; utime 14, stime 15.
      const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      cpuNanos += ((Number(f[11]) + Number(f[12])) * 1e9) / CLOCK_TICKS;
      const m = /^VmRSS:\s+(\d+) kB$/m.exec(readFileSync(`/proc/${p}/status`, 'utf8'));
      if (m) rssBytes += Number(m[1]) * 1024;
    } catch {
      // gone
    }
  }
  return { cpuNanos, rssBytes };
}
