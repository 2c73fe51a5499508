// Service ClusterIP and NodePort allocation (upstream's ipallocator / portallocator). The
// allocation state is rebuilt from the stored Services on start (the repair pass), so it never
// leaks across restarts.
import { errors } from '../../util/errors.js';
import { formatIPv4, mustParseIPv4, parseIPv4 } from '../../util/ipv4.js';

/** Allocates IPv4 addresses from a CIDR, skipping the network and broadcast addresses. */
export class IPAllocator {
  private readonly base: number;
  private readonly size: number;
  private used = new Set<number>();
  private next = 0;

  constructor(readonly cidr: string) {
    const m = /^(\d+)\.(\d+)\.(\d+)\.(\d+)\/(\d+)$/.exec(cidr);
    if (!m) throw new Error(`invalid service CIDR ${cidr}`);
    const bits = Number(m[5]);
    if (bits < 8 || bits > 30) throw new Error(`service CIDR ${cidr}: prefix length must be between 8 and 30`);
    const ip = mustParseIPv4(`${m[1]}.${m[2]}.${m[3]}.${m[4]}`);
    const mask = bits === 0 ? 0 : (~0 << (32 - bits)) >>> 0;
    this.base = (ip & mask) >>> 0;
    this.size = 2 ** (32 - bits);
  }

  /** The n-th usable address (1 = the kubernetes Service, by convention). */
  nth(n: number): string {
    return formatIPv4(this.base + n);
  }

  contains(ip: string): boolean {
    const v = parseIPv4(ip) ?? NaN;
    return v > this.base && v < this.base + this.size - 1;
  }

  allocate(ip?: string): string {
    if (ip) {
      if (!this.contains(ip)) throw errors.invalidField('Service', 'spec.clusterIPs', ip, `failed to allocate IP ${ip}: the provided IP (${ip}) is not in the valid range. The range of valid IPs is ${this.cidr}`);
      const v = mustParseIPv4(ip);
      if (this.used.has(v)) throw errors.invalidField('Service', 'spec.clusterIPs', ip, `failed to allocate IP ${ip}: provided IP is already allocated`);
      this.used.add(v);
      return ip;
    }
    const usable = this.size - 2;
    for (let i = 0; i < usable; i++) {
      const off = 1 + ((this.next + i) % usable);
      const v = this.base + off;
      if (!this.used.has(v)) {
        this.used.add(v);
        this.next = off;
        return formatIPv4(v);
      }
    }
    throw errors.internal(`failed to allocate a serviceIP: range is full`);
  }

  /** Marks an address used (repair pass); false if it was already used. */
  mark(ip: string): boolean {
    const v = parseIPv4(ip) ?? NaN;
    if (Number.isNaN(v) || this.used.has(v)) return false;
    this.used.add(v);
    return true;
  }

  release(ip: string | undefined): void {
    if (ip) this.used.delete(parseIPv4(ip) ?? NaN);
  }
}

/** Allocates ports from an inclusive range (NodePorts: 30000-32767). */
export class PortAllocator {
  private used = new Set<number>();
  private next: number;

  constructor(readonly min = 30000, readonly max = 32767) {
    this.next = min;
  }

  allocate(port?: number): number {
    if (port) {
      if (port < this.min || port > this.max) throw errors.invalidField('Service', 'spec.ports[0].nodePort', port, `provided port is not in the valid range. The range of valid ports is ${this.min}-${this.max}`);
      if (this.used.has(port)) throw errors.invalidField('Service', 'spec.ports[0].nodePort', port, 'provided port is already allocated');
      this.used.add(port);
      return port;
    }
    const n = this.max - this.min + 1;
    for (let i = 0; i < n; i++) {
      const p = this.min + ((this.next - this.min + i) % n);
      if (!this.used.has(p)) {
        this.used.add(p);
        this.next = p + 1 > this.max ? this.min : p + 1;
        return p;
      }
    }
    throw errors.internal('failed to allocate a nodePort: range is full');
  }

  mark(port: number): boolean {
    if (this.used.has(port)) return false;
    this.used.add(port);
    return true;
  }

  release(port: number | undefined): void {
    if (port) this.used.delete(port);
  }
}

