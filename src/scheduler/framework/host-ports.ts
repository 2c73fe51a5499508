// Host ports in use on a node (upstream framework.HostPortInfo): ip → "protocol/port". 0.0.0.0
// conflicts with every address on the same protocol and port.
import type { ContainerPort, Pod } from '../types.js';

const DEFAULT_IP = '0.0.0.0';

export class HostPortInfo {
  private byIP = new Map<string, Set<string>>();

  add(ip: string | undefined, protocol: string | undefined, port: number): void {
    if (port <= 0) return;
    const key = `${protocol || 'TCP'}/${port}`;
    const addr = ip || DEFAULT_IP;
    let set = this.byIP.get(addr);
    if (!set) this.byIP.set(addr, (set = new Set()));
    set.add(key);
  }

  remove(ip: string | undefined, protocol: string | undefined, port: number): void {
    if (port <= 0) return;
    const addr = ip || DEFAULT_IP;
    const set = this.byIP.get(addr);
    if (!set) return;
    set.delete(`${protocol || 'TCP'}/${port}`);
    if (set.size === 0) this.byIP.delete(addr);
  }

  /** Whether binding ip:protocol/port would clash with a port already in use. */
  conflicts(ip: string | undefined, protocol: string | undefined, port: number): boolean {
    if (port <= 0) return false;
    const key = `${protocol || 'TCP'}/${port}`;
    const addr = ip || DEFAULT_IP;
    if (addr === DEFAULT_IP) {
      for (const set of this.byIP.values()) if (set.has(key)) return true;
      return false;
    }
    return !!(this.byIP.get(addr)?.has(key) || this.byIP.get(DEFAULT_IP)?.has(key));
  }

  get size(): number {
    let n = 0;
    for (const s of this.byIP.values()) n += s.size;
    return n;
  }

  clone(): HostPortInfo {
    const c = new HostPortInfo();
    for (const [ip, set] of this.byIP) c.byIP.set(ip, new Set(set));
    return c;
  }
}

/** The host ports a pod asks for: its containers' and its sidecars' (restartable init containers). */
export function podHostPorts(pod: Pod): ContainerPort[] {
  const out: ContainerPort[] = [];
  for (const c of pod.spec.initContainers ?? []) {
    if (c.restartPolicy === 'Always') for (const p of c.ports ?? []) if ((p.hostPort ?? 0) > 0) out.push(p);
  }
  for (const c of pod.spec.containers ?? []) for (const p of c.ports ?? []) if ((p.hostPort ?? 0) > 0) out.push(p);
  return out;
}
