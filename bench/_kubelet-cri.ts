// The containerd side of bench/kubelet.ts: a private containerd 1.6 with the test harness's images
// in a loopback registry (src/kubelet/runtime/cri/testing), and the memory figures both runtimes
// are compared by — proportional set sizes read from /proc/<pid>/smaps_rollup.
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { cniConflist } from '../src/agent/cni.js';
import { createCriRuntime } from '../src/kubelet/runtime/cri/index.js';
import { criUnavailableReason, startCriTestEnv } from '../src/kubelet/runtime/cri/testing/index.js';

export { criUnavailableReason };

export interface CriBenchEnv {
  /** `unix:///…/containerd.sock`, for `skiff agent --cri-endpoint`. */
  endpoint: string;
  /** containerd's socket path (its shims carry it as `-address`). */
  address: string;
  containerdPid: number;
  logFile: string;
  busyboxRef: string;
  pauseRef: string;
  /** containerd reads its CNI config here; the agent writes its conflist here. */
  cniConfDir: string;
  /** The bench's own bridge and pod subnet (see startCriBenchEnv). */
  bridge: string;
  podSubnet: string;
  /** Milliseconds each setup step took. */
  timings: Record<string, number>;
  stop(): Promise<void>;
}

/**
 * The harness's test environment (images cached in imageCacheDir, a registry, containerd, a bridge
 * `skcri<hex>` on a random 10.2xx.y.0/24) under `dir`, with the busybox image pulled into containerd
 * before returning, so pod startup is measured without the image pull (as the upstream pod startup
 * SLO is); the pause image is left to the agent, which pulls it at start.
 *
 * The pods stay on the harness's bridge: the agent's conflist names skiff0, which other clusters on
 * this machine (the process runtime, cri e2e runs) use with their own address leases and gateway —
 * the bridge plugin refuses a second gateway on it, and sharing it would hand out clashing
 * addresses. The bench's conflist sorts first in the conf dir (containerd loads only the first,
 * max_conf_num = 1), so the agent's 10-skiff.conflist, written over the harness's, is ignored.
 */
export async function startCriBenchEnv(dir: string, imageCacheDir: string): Promise<CriBenchEnv> {
  const env = await startCriTestEnv({ dir, imageCacheDir });
  try {
    const cniConfDir = join(dir, 'net.d');
    writeFileSync(join(cniConfDir, '05-bench.conflist'), JSON.stringify(cniConflist({ podCIDR: env.podCIDR, bridge: env.bridge, name: env.bridge, dataDir: join(dir, 'ipam-bench') }), null, 2));
    const timings: Record<string, number> = {};
    for (const [k, v] of Object.entries(env.timings)) timings[`${k}Ms`] = v;
    const t0 = performance.now();
    const rt = await createCriRuntime({ endpoint: env.containerd.endpoint });
    try {
      await rt.pullImage({ image: env.busyboxRef });
    } finally {
      await rt.close();
    }
    timings.pullBusyboxMs = Math.round(performance.now() - t0);
    return {
      endpoint: env.containerd.endpoint, address: env.containerd.address, containerdPid: env.containerd.pid, logFile: env.containerd.logFile,
      busyboxRef: env.busyboxRef, pauseRef: env.pauseRef, cniConfDir, bridge: env.bridge, podSubnet: env.podCIDR, timings, stop: () => env.stop(),
    };
  } catch (e) {
    await env.stop();
    throw e;
  }
}

function pids(): number[] {
  return readdirSync('/proc').filter((n) => /^\d+$/.test(n)).map(Number);
}

function readOr(path: string): string | undefined {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return undefined; // the process went away
  }
}

/** Proportional set size of a process in KiB (0 once it has gone). */
export function pssKB(pid: number): number {
  const m = /^Pss:\s+(\d+) kB/m.exec(readOr(`/proc/${pid}/smaps_rollup`) ?? '');
  return m ? Number(m[1]) : 0;
}

/** Resident set size of a process in KiB (0 once it has gone). */
export function rssKB(pid: number): number {
  const m = /^VmRSS:\s+(\d+) kB/m.exec(readOr(`/proc/${pid}/status`) ?? '');
  return m ? Number(m[1]) : 0;
}

/** The containerd-shim processes serving the containerd at `address` (argv `… -address <address>`). */
export function shimPids(address: string): number[] {
  return pids().filter((pid) => {
    const argv = (readOr(`/proc/${pid}/cmdline`) ?? '').split('\0');
    const i = argv.indexOf('-address');
    return i > 0 && argv[i + 1] === address && argv[0]!.includes('containerd-shim');
  });
}

/** Every process below `root` (children, grandchildren, …), from the ppid field of /proc/<pid>/stat. */
export function descendants(root: number): number[] {
  const children = new Map<number, number[]>();
  for (const pid of pids()) {
    const stat = readOr(`/proc/${pid}/stat`);
    if (!stat) continue;
    const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
    children.set(ppid, [...(children.get(ppid) ?? []), pid]);
  }
  const out: number[] = [];
  const walk = (p: number): void => {
    for (const c of children.get(p) ?? []) {
      out.push(c);
      walk(c);
    }
  };
  walk(root);
  return out;
}

/** The process's command name (/proc/<pid>/comm), '' once it has gone. */
export function comm(pid: number): string {
  return (readOr(`/proc/${pid}/comm`) ?? '').trim();
}

export function sumPssKB(list: number[]): number {
  return list.reduce((s, p) => s + pssKB(p), 0);
}

/** Pod cgroups (pod<uid>) left under /sys/fs/cgroup[/<ctrl>]/<root> for the given uids. */
export function leftoverPodCgroups(root: string, uids: string[]): string[] {
  const base = '/sys/fs/cgroup';
  const dirs = [join(base, root), ...(existsSync(base) ? readdirSync(base).map((c) => join(base, c, root)) : [])];
  const out: string[] = [];
  for (const d of dirs) {
    if (!existsSync(d)) continue;
    for (const uid of uids) if (existsSync(join(d, `pod${uid}`))) out.push(join(d, `pod${uid}`));
  }
  return out;
}

/** Wall-clock times (ms since the epoch) of one pod's steps in containerd's log. */
export interface CriPodSteps {
  sandboxStart?: number;
  sandboxEnd?: number;
  createStart?: number;
  createEnd?: number;
  startStart?: number;
  startEnd?: number;
}

/**
 * Per pod (by name), when containerd's CRI plugin began and finished RunPodSandbox, CreateContainer
 * and StartContainer, from its info-level log (`time="…" level=info msg="RunPodSandbox for
 * &PodSandboxMetadata{Name:p1,…} returns sandbox id \"…\""` and the like; containerd 1.6 wording).
 */
export function criStepsFromLog(logFile: string): Map<string, CriPodSteps> {
  const byPod = new Map<string, CriPodSteps>();
  const podOfSandbox = new Map<string, string>();
  const podOfContainer = new Map<string, string>();
  const step = (pod: string | undefined): CriPodSteps | undefined => {
    if (!pod) return undefined;
    let s = byPod.get(pod);
    if (!s) byPod.set(pod, s = {});
    return s;
  };
  for (const line of (readOr(logFile) ?? '').split('\n')) {
    const t = /^time="([^"]+)"/.exec(line)?.[1];
    const msg = /msg="((?:[^"\\]|\\.)*)"/.exec(line)?.[1]?.replace(/\\"/g, '"');
    if (!t || !msg) continue;
    const at = Date.parse(t);
    let m: RegExpExecArray | null;
    if ((m = /^RunPodSandbox for &PodSandboxMetadata\{Name:([^,]+),.*?(?: returns sandbox id "([0-9a-f]+)")?$/.exec(msg))) {
      const s = step(m[1])!;
      if (m[2]) {
        s.sandboxEnd = at;
        podOfSandbox.set(m[2], m[1]!);
      } else s.sandboxStart ??= at;
    } else if ((m = /^CreateContainer within sandbox "([0-9a-f]+)" for (?:container )?&ContainerMetadata\{.*?\}(?: returns container id "([0-9a-f]+)")?$/.exec(msg))) {
      const pod = podOfSandbox.get(m[1]!);
      const s = step(pod);
      if (!s) continue;
      if (m[2]) {
        s.createEnd = at;
        podOfContainer.set(m[2], pod!);
      } else s.createStart ??= at;
    } else if ((m = /^StartContainer for "([0-9a-f]+)"( returns successfully)?$/.exec(msg))) {
      const s = step(podOfContainer.get(m[1]!));
      if (!s) continue;
      if (m[2]) s.startEnd = at;
      else s.startStart ??= at;
    }
  }
  return byPod;
}

/** CPU clock ticks (USER_HZ) of a process: its own (utime+stime) and its reaped children's (cutime+cstime). */
export function cpuTicks(pid: number): { self: number; children: number } {
  const stat = readOr(`/proc/${pid}/stat`);
  if (!stat) return { self: 0, children: 0 };
  const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  // Fields 14–17 of proc(5), counted from field 3 (state) here.
  return { self: Number(f[11]) + Number(f[12]), children: Number(f[13]) + Number(f[14]) };
}

/** Own plus reaped children's ticks, summed over processes. */
export function totalTicks(list: number[]): number {
  return list.reduce((s, p) => {
    const t = cpuTicks(p);
    return s + t.self + t.children;
  }, 0);
}
