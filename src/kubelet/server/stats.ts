// /stats/summary: the kubelet Summary API (k8s.io/kubelet/pkg/apis/stats/v1alpha1) filled from the
// runtime's container stats — node and per-pod cpu/memory, which is what metrics-server reads.
// usageNanoCores is a rate, so it needs the previous sample of the same container.
import os from 'node:os';
import type { ContainerRuntime, ContainerStats } from '../runtime/index.js';
import type { Clock } from '../../util/clock.js';
import type { KubeletPods, KubeObject } from './types.js';

interface Sample {
  at: number;
  usage: number;
}

export interface CpuStats {
  time: string;
  usageNanoCores?: number;
  usageCoreNanoSeconds: number;
}

export interface MemoryStats {
  time: string;
  workingSetBytes: number;
  usageBytes?: number;
  rssBytes?: number;
  availableBytes?: number;
}

export class SummaryProvider {
  private readonly last = new Map<string, Sample>();
  private lastNode?: Sample;

  constructor(
    private readonly runtime: ContainerRuntime,
    private readonly pods: KubeletPods,
    private readonly nodeName: string,
    private readonly clock: Clock,
  ) {}

  /** The rate between this and the previous sample of key, in nanocores. */
  private rate(key: string, at: number, usage: number, store: (s: Sample) => void, prev?: Sample): number | undefined {
    store({ at, usage });
    if (!prev || at <= prev.at || usage < prev.usage) return undefined;
    return Math.round(((usage - prev.usage) / ((at - prev.at) * 1e6)) * 1e9);
  }

  private cpu(key: string, s: ContainerStats): CpuStats {
    const prev = this.last.get(key);
    const nano = this.rate(key, s.timestamp, s.cpu.usageCoreNanoSeconds, (v) => this.last.set(key, v), prev);
    return {
      time: new Date(s.timestamp).toISOString(),
      ...(nano !== undefined ? { usageNanoCores: nano } : {}),
      usageCoreNanoSeconds: s.cpu.usageCoreNanoSeconds,
    };
  }

  async summary(): Promise<KubeObject> {
    const now = this.clock.now();
    const time = new Date(now).toISOString();
    const stats = await this.runtime.listContainerStats();
    // sandbox id → pod object
    const bySandbox = new Map<string, KubeObject>();
    for (const pod of this.pods.list()) {
      const kp = this.pods.find(pod.metadata?.namespace ?? '', pod.metadata?.name ?? '');
      if (kp?.sandboxId) bySandbox.set(kp.sandboxId, pod);
    }
    const perPod = new Map<string, { pod: KubeObject; containers: KubeObject[]; cpuNs: number; cpuNano?: number; ws: number; usage: number }>();
    for (const s of stats) {
      const pod = bySandbox.get(s.podSandboxId);
      if (!pod) continue;
      const cpu = this.cpu(s.id, s);
      const mem: MemoryStats = {
        time: new Date(s.timestamp).toISOString(),
        workingSetBytes: s.memory.workingSetBytes,
        ...(s.memory.usageBytes !== undefined ? { usageBytes: s.memory.usageBytes } : {}),
        ...(s.memory.rssBytes !== undefined ? { rssBytes: s.memory.rssBytes } : {}),
      };
      const entry = perPod.get(s.podSandboxId) ?? { pod, containers: [], cpuNs: 0, ws: 0, usage: 0 };
      entry.containers.push({ name: s.metadata.name, startTime: pod.status?.startTime ?? time, cpu, memory: mem });
      entry.cpuNs += s.cpu.usageCoreNanoSeconds;
      if (cpu.usageNanoCores !== undefined) entry.cpuNano = (entry.cpuNano ?? 0) + cpu.usageNanoCores;
      entry.ws += s.memory.workingSetBytes;
      entry.usage += s.memory.usageBytes ?? s.memory.workingSetBytes;
      perPod.set(s.podSandboxId, entry);
    }
    const pods = [...perPod.values()].map((e) => ({
      podRef: { name: e.pod.metadata?.name, namespace: e.pod.metadata?.namespace, uid: e.pod.metadata?.uid },
      startTime: e.pod.status?.startTime ?? time,
      containers: e.containers,
      cpu: { time, ...(e.cpuNano !== undefined ? { usageNanoCores: e.cpuNano } : {}), usageCoreNanoSeconds: e.cpuNs },
      memory: { time, workingSetBytes: e.ws, usageBytes: e.usage },
    }));
    return { node: this.nodeStats(now), pods };
  }

  /** Whole-machine figures from the OS (the node's root cgroup upstream). */
  private nodeStats(now: number): KubeObject {
    const time = new Date(now).toISOString();
    const cpus = os.cpus();
    const busyMs = cpus.reduce((a, c) => a + c.times.user + c.times.nice + c.times.sys + c.times.irq, 0);
    const usage = busyMs * 1e6;
    const prev = this.lastNode;
    const nano = this.rate('node', now, usage, (v) => (this.lastNode = v), prev);
    const total = os.totalmem();
    const free = os.freemem();
    return {
      nodeName: this.nodeName,
      startTime: new Date(now - os.uptime() * 1000).toISOString(),
      cpu: { time, ...(nano !== undefined ? { usageNanoCores: nano } : {}), usageCoreNanoSeconds: usage },
      memory: { time, availableBytes: free, usageBytes: total - free, workingSetBytes: total - free },
    };
  }
}
