// The node's CNI network configuration for the containerd (`cri`) runtime, written the way k3s
// writes flannel's: one conflist in the runtime's CNI conf dir, rewritten only when its content
// changes (containerd's CNI conf syncer reloads on every file event, so a needless rewrite on each
// agent start would make it re-read the config for nothing).
//
// The bridge is the same device the built-in process runtime uses (skiff0, gateway = first address
// of the node's pod CIDR), so a node can switch runtimes and keep one pod network. Both runtimes
// must not run at the same time on one node: each keeps its own address leases.
import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { isIPv4, isIPv6 } from 'node:net';
import { join } from 'node:path';
import { formatIPv4, mustParseIPv4 } from '../util/ipv4.js';

export interface CniConfigOptions {
  /** The runtime's CNI conf dir (containerd: plugins.cri.cni.conf_dir). */
  confDir: string;
  /** The node's pod subnet (spec.podCIDR), e.g. 10.42.3.0/24 or fd00:42:3::/64. */
  podCIDR: string;
  /** Linux bridge device (default skiff0, at most 15 characters). */
  bridge?: string;
  mtu?: number;
  /** host-local IPAM's lease dir (it keeps one file per address under dataDir/<network name>). */
  dataDir: string;
  /** CNI network name (default "skiff"; containerd keys its result cache by it). */
  name?: string;
}

/** File name inside confDir; "10-" sorts it before anything a user drops in later. */
export const CNI_CONFLIST_NAME = '10-skiff.conflist';

/** Validates the CIDR and returns [canonical subnet, gateway?, default route dst]. */
function parseCidr(cidr: string): { subnet: string; gateway?: string; anyDst: string } {
  const [addr, lenStr] = cidr.split('/');
  const len = Number(lenStr);
  if (addr && isIPv4(addr) && Number.isInteger(len) && len >= 8 && len <= 30) {
    const size = 2 ** (32 - len);
    const base = Math.floor(mustParseIPv4(addr) / size) * size;
    return { subnet: `${formatIPv4(base)}/${len}`, gateway: formatIPv4(base + 1), anyDst: '0.0.0.0/0' };
  }
  // host-local picks the first address of an IPv6 range as gateway itself.
  if (addr && isIPv6(addr) && Number.isInteger(len) && len >= 64 && len <= 126) return { subnet: cidr, anyDst: '::/0' };
  throw new Error(`podCIDR ${JSON.stringify(cidr)} is not an IPv4 /8../30 or IPv6 /64../126 subnet`);
}

/** The conflist object (exported for tests and `skiff` diagnostics). */
export function cniConflist(o: Omit<CniConfigOptions, 'confDir'>): Record<string, unknown> {
  const bridge = o.bridge ?? 'skiff0';
  if (!/^[A-Za-z0-9_.-]{1,15}$/.test(bridge)) throw new Error(`bridge name ${JSON.stringify(bridge)} must be 1..15 characters [A-Za-z0-9_.-]`);
  const net = parseCidr(o.podCIDR);
  const range: Record<string, string> = { subnet: net.subnet };
  if (net.gateway) range.gateway = net.gateway;
  return {
    // 1.0.0 is the newest version plugins 1.1.x accept (1.1.0 fails: runtime-spike §4.4).
    cniVersion: '1.0.0',
    name: o.name ?? 'skiff',
    // No loopback entry: containerd adds the loopback network itself (runtime-spike §4.1).
    plugins: [
      {
        type: 'bridge',
        bridge,
        isGateway: true,
        // Masquerading of pod traffic leaving the cluster is the proxy's/overlay's job (as with
        // flannel's ipMasq in k3s, done outside the bridge plugin); the bridge plugin's per-pod
        // CNI-<hash> chains would duplicate it.
        ipMasq: false,
        hairpinMode: true,
        ...(o.mtu ? { mtu: o.mtu } : {}),
        ipam: {
          type: 'host-local',
          dataDir: o.dataDir,
          ranges: [[range]],
          routes: [{ dst: net.anyDst }],
        },
      },
      // hostPort support; snat so a hostPort reached from the node itself (hairpin) answers.
      { type: 'portmap', capabilities: { portMappings: true }, snat: true },
    ],
  };
}

/**
 * Writes `<confDir>/10-skiff.conflist` atomically (temp file + rename) unless the file already holds
 * exactly this content; returns its path.
 */
export function writeCniConfig(o: CniConfigOptions): string {
  const path = join(o.confDir, CNI_CONFLIST_NAME);
  const text = JSON.stringify(cniConflist(o), null, 2) + '\n';
  let current: string | undefined;
  try {
    current = readFileSync(path, 'utf8');
  } catch {
    current = undefined;
  }
  if (current === text) return path;
  mkdirSync(o.confDir, { recursive: true });
  // A name containerd's conf loader ignores (it reads only .conf/.conflist/.json).
  const tmp = join(o.confDir, `.${CNI_CONFLIST_NAME}.${process.pid}.${createHash('sha256').update(text).digest('hex').slice(0, 8)}.tmp`);
  writeFileSync(tmp, text, { mode: 0o644 });
  renameSync(tmp, path);
  return path;
}

/**
 * Creates the IPv4 pod bridge before the runtime's bridge plugin does, with its gateway address and
 * a fixed MAC: a bridge the plugin creates takes the lowest MAC among its ports, which changes as
 * pods come and go and leaves the other pods' neighbour entry for the gateway stale. The plugin
 * then adopts the existing bridge (same gateway). Root only; idempotent.
 */
export async function prepareBridge(o: { podCIDR: string; bridge?: string; mtu?: number }): Promise<void> {
  const net = parseCidr(o.podCIDR);
  if (!net.gateway || !isIPv4(net.gateway)) return;
  const { runCommand, mustRun } = await import('../kubelet/runtime/process/command.js');
  const { gatewayMac } = await import('../kubelet/runtime/process/network.js');
  const bridge = o.bridge ?? 'skiff0';
  await runCommand(['ip', 'link', 'add', 'name', bridge, 'type', 'bridge']); // fails harmlessly when it exists
  const prefix = net.subnet.split('/')[1];
  const mtu = o.mtu ? ` mtu ${o.mtu}` : '';
  await mustRun(['ip', '-batch', '-'], `link set ${bridge} address ${gatewayMac(net.gateway)}\naddr replace ${net.gateway}/${prefix} dev ${bridge}\nlink set ${bridge}${mtu} up\n`);
}
