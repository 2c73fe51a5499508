// A set of equally sized IPv4 subnets carved out of a cluster CIDR (upstream nodeipam/ipam/cidrset):
// one bit per subnet, allocated round-robin from the last allocation so a just-released subnet is
// not handed straight back out.

export interface Cidr { base: number; prefix: number }

export function parseCidr(s: string): Cidr {
  const m = /^(\d+)\.(\d+)\.(\d+)\.(\d+)\/(\d+)$/.exec(s.trim());
  if (!m) throw new RangeError(`invalid IPv4 CIDR: ${s}`);
  const octets = m.slice(1, 5).map(Number);
  const prefix = Number(m[5]);
  if (octets.some((o) => o > 255) || prefix > 32) throw new RangeError(`invalid IPv4 CIDR: ${s}`);
  const ip = ((octets[0]! << 24) >>> 0) + (octets[1]! << 16) + (octets[2]! << 8) + octets[3]!;
  const mask = prefix === 0 ? 0 : (0xffffffff << (32 - prefix)) >>> 0;
  return { base: (ip & mask) >>> 0, prefix };
}

export function formatCidr(c: Cidr): string {
  const b = c.base;
  return `${b >>> 24}.${(b >>> 16) & 255}.${(b >>> 8) & 255}.${b & 255}/${c.prefix}`;
}

export class CidrSet {
  private readonly used: Uint8Array;
  private readonly count: number;
  private next = 0;
  private allocatedCount = 0;

  constructor(readonly cluster: Cidr, readonly maskSize: number) {
    if (maskSize < cluster.prefix || maskSize > 32) throw new RangeError(`node CIDR mask size ${maskSize} does not fit cluster CIDR /${cluster.prefix}`);
    if (maskSize - cluster.prefix > 24) throw new RangeError(`node CIDR mask size ${maskSize} makes too many subnets of /${cluster.prefix}`);
    this.count = 2 ** (maskSize - cluster.prefix);
    this.used = new Uint8Array(this.count);
  }

  /** The next free subnet, or undefined when all are taken. */
  allocateNext(): string | undefined {
    for (let i = 0; i < this.count; i++) {
      const idx = (this.next + i) % this.count;
      if (this.used[idx]) continue;
      this.used[idx] = 1;
      this.allocatedCount++;
      this.next = (idx + 1) % this.count;
      return this.format(idx);
    }
    return undefined;
  }

  /** Marks a subnet taken (a node that already has one); false if outside the cluster CIDR or the wrong size. */
  occupy(cidr: string): boolean {
    const idx = this.indexOf(cidr);
    if (idx === undefined) return false;
    if (!this.used[idx]) this.allocatedCount++;
    this.used[idx] = 1;
    return true;
  }

  release(cidr: string): void {
    const idx = this.indexOf(cidr);
    if (idx === undefined || !this.used[idx]) return;
    this.used[idx] = 0;
    this.allocatedCount--;
  }

  allocated(): number {
    return this.allocatedCount;
  }

  private indexOf(cidr: string): number | undefined {
    let c: Cidr;
    try {
      c = parseCidr(cidr);
    } catch {
      return undefined;
    }
    if (c.prefix !== this.maskSize) return undefined;
    const off = c.base - this.cluster.base;
    const size = 2 ** (32 - this.maskSize);
    if (off < 0 || off % size !== 0 || off / size >= this.count) return undefined;
    return off / size;
  }

  private format(idx: number): string {
    return formatCidr({ base: this.cluster.base + idx * 2 ** (32 - this.maskSize), prefix: this.maskSize });
  }
}
