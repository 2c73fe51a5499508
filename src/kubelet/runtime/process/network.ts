// Sandbox networking behind a small pluggable interface (the CNI-based implementation arrives with
// the networking work and implements the same two calls). Built in: a single-node bridge+veth
// network (what the CNI bridge plugin with host-local IPAM does, runtime-spike §5.1) and, without
// root, the host's loopback.
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { formatIPv4, mustParseIPv4 } from '../../../util/ipv4.js';
import { mustRun, runCommand, shQuote } from './command.js';

export interface SandboxNetworkResult {
  ip: string;
  additionalIps?: string[];
}

/** Gives a sandbox's network namespace its interfaces and address, and takes them away again. */
export interface SandboxNetwork {
  /** netnsPath is null when the sandbox shares the host network (no root, or hostNetwork pods). */
  setUp(sandboxId: string, netnsPath: string | null): Promise<SandboxNetworkResult>;
  /** Idempotent; must release the address even when the namespace is already gone. */
  tearDown(sandboxId: string, netnsPath: string | null): Promise<void>;
  /** NetworkReady condition. */
  ready(): Promise<{ ready: boolean; message?: string }>;
}

/** Host network: every sandbox is reached at 127.0.0.1 (the non-root mode). */
export class HostNetwork implements SandboxNetwork {
  constructor(private readonly ip = '127.0.0.1') {}
  async setUp(): Promise<SandboxNetworkResult> {
    return { ip: this.ip };
  }
  async tearDown(): Promise<void> {}
  async ready(): Promise<{ ready: boolean }> {
    return { ready: true };
  }
}

export interface BridgeNetworkOptions {
  /** Bridge device (default skiff0, at most 15 characters). */
  bridge?: string;
  /** The node's pod subnet, e.g. 10.42.0.0/24; the bridge takes the first address as gateway. */
  subnet: string;
  /** Where address leases are kept, one file per address naming its sandbox (host-local style). */
  stateDir: string;
  mtu?: number;
  /** Interface name prefix of the host-side veth (default "sk"; the rest is the sandbox id). */
  vethPrefix?: string;
}

/** A locally administered MAC derived from the gateway address (0a:58 + the IPv4 octets, as OVN does). */
export function gatewayMac(ip: string): string {
  return ['0a', '58', ...ip.split('.').map((o) => Number(o).toString(16).padStart(2, '0'))].join(':');
}

/** A Linux bridge on the host with one veth pair per sandbox; addresses from the node's subnet. */
export class BridgeNetwork implements SandboxNetwork {
  readonly bridge: string;
  readonly gateway: string;
  readonly prefix: number;
  private readonly first: number;
  private readonly last: number;
  private next: number;
  private bridgeReady = false;

  constructor(private readonly opts: BridgeNetworkOptions) {
    this.bridge = opts.bridge ?? 'skiff0';
    if (this.bridge.length > 15) throw new Error(`bridge name ${this.bridge} is longer than 15 characters`);
    const [net, len] = opts.subnet.split('/');
    this.prefix = Number(len);
    if (!(this.prefix >= 8 && this.prefix <= 30)) throw new Error(`subnet ${opts.subnet}: prefix must be /8../30`);
    const size = 2 ** (32 - this.prefix);
    const base = Math.floor(mustParseIPv4(net!) / size) * size;
    this.gateway = formatIPv4(base + 1);
    this.first = base + 2;
    this.last = base + size - 2;
    this.next = this.first;
  }

  async ready(): Promise<{ ready: boolean; message?: string }> {
    return { ready: true };
  }

  vethName(sandboxId: string): string {
    const p = this.opts.vethPrefix ?? 'sk';
    return p + sandboxId.slice(0, 15 - p.length);
  }

  async setUp(sandboxId: string, netnsPath: string | null): Promise<SandboxNetworkResult> {
    if (!netnsPath) throw new Error('bridge network needs a network namespace');
    await this.ensureBridge();
    const ip = this.allocate(sandboxId);
    const veth = this.vethName(sandboxId);
    const mtu = this.opts.mtu ? ['mtu', String(this.opts.mtu)] : [];
    try {
      // One child process from Node for the whole set-up (see namespaces.ts createNamespaces); the
      // addresses inside the namespace go to the inner `ip -batch` on stdin.
      await mustRun(['sh', '-c', [
        `ip link add ${veth}${mtu.length ? ` ${mtu.join(' ')}` : ''} type veth peer name eth0${mtu.length ? ` ${mtu.join(' ')}` : ''} netns ${shQuote(netnsPath)}`,
        `ip link set ${veth} master ${this.bridge}`,
        `ip link set ${veth} type bridge_slave hairpin on`,
        `ip link set ${veth} up`,
        `nsenter --net=${shQuote(netnsPath)} ip -batch -`,
      ].join(' && ')], [
        'link set lo up',
        `addr add ${ip}/${this.prefix} dev eth0`,
        'link set eth0 up',
        `route add default via ${this.gateway}`,
      ].join('\n') + '\n');
    } catch (e) {
      await this.tearDown(sandboxId, netnsPath);
      throw e;
    }
    return { ip };
  }

  async tearDown(sandboxId: string, _netnsPath: string | null): Promise<void> {
    const veth = this.vethName(sandboxId);
    if (existsSync(`/sys/class/net/${veth}`)) await runCommand(['ip', 'link', 'del', veth]);
    this.release(sandboxId);
  }

  /** Deletes the bridge (tests, or a node leaving); leases are dropped too. */
  async destroy(): Promise<void> {
    if (existsSync(`/sys/class/net/${this.bridge}`)) await runCommand(['ip', 'link', 'del', this.bridge]);
    rmSync(this.leaseDir(), { recursive: true, force: true });
    this.bridgeReady = false;
  }

  /** Addresses currently leased, by address. */
  leases(): Map<string, string> {
    const out = new Map<string, string>();
    if (!existsSync(this.leaseDir())) return out;
    for (const f of readdirSync(this.leaseDir())) out.set(f, readFileSync(join(this.leaseDir(), f), 'utf8'));
    return out;
  }

  private leaseDir(): string {
    return join(this.opts.stateDir, this.bridge);
  }

  private async ensureBridge(): Promise<void> {
    if (this.bridgeReady && existsSync(`/sys/class/net/${this.bridge}`)) return;
    if (!existsSync(`/sys/class/net/${this.bridge}`)) {
      const r = await runCommand(['ip', 'link', 'add', 'name', this.bridge, 'type', 'bridge']);
      if (r.code !== 0 && !existsSync(`/sys/class/net/${this.bridge}`)) throw new Error(`ip link add ${this.bridge}: ${r.stderr.trim()}`);
    }
    const mtu = this.opts.mtu ? ` mtu ${this.opts.mtu}` : '';
    // A fixed MAC: a bridge otherwise takes the lowest MAC among its ports and changes it as pods come
    // and go, leaving every other pod's neighbour entry for the gateway stale (no traffic until it
    // expires).
    await mustRun(['ip', '-batch', '-'], `link set ${this.bridge} address ${gatewayMac(this.gateway)}\naddr replace ${this.gateway}/${this.prefix} dev ${this.bridge}\nlink set ${this.bridge}${mtu} up\n`);
    this.bridgeReady = true;
  }

  /** Round-robin over the subnet (as host-local does), claiming a lease file with O_EXCL. */
  private allocate(sandboxId: string): string {
    mkdirSync(this.leaseDir(), { recursive: true });
    const count = this.last - this.first + 1;
    for (let i = 0; i < count; i++) {
      const n = this.next;
      this.next = n >= this.last ? this.first : n + 1;
      const ip = formatIPv4(n);
      try {
        writeFileSync(join(this.leaseDir(), ip), sandboxId, { flag: 'wx' });
        return ip;
      } catch (e) {
        if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
      }
    }
    throw new Error(`no free address in ${this.opts.subnet}`);
  }

  private release(sandboxId: string): void {
    for (const [ip, owner] of this.leases()) if (owner === sandboxId) rmSync(join(this.leaseDir(), ip), { force: true });
  }
}
