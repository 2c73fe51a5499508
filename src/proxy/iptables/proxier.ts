// The iptables-mode Proxier: renders the whole rule set, applies it with one iptables-restore, and
// keeps what it wrote so partial syncs only rewrite the chains of changed services (upstream
// pkg/proxy/iptables/proxier.go syncProxyRules with MinimizeIPTablesRestore).
import type { Clock } from '../../util/clock.js';
import { realClock } from '../../util/clock.js';
import type { Logger } from '../../util/log.js';
import { logger } from '../../util/log.js';
import type { Proxier, ProxierOptions, SyncRequest, SyncResult } from '../types.js';
import { cleanupLeftovers } from './cleanup.js';
import type { UdpServiceSnapshot } from './conntrack.js';
import { runConntrack, staleFlowCommands, udpSnapshots } from './conntrack.js';
import type { CommandRunner } from './exec.js';
import { describeFailure, netnsRunner, runCommand } from './exec.js';
import { ChainNamer } from './hash.js';
import { canariesExist, ensureCanaries, ensureJumps } from './jumps.js';
import type { ServiceRecord } from './render.js';
import { LARGE_CLUSTER_THRESHOLD, countEndpoints, renderRules } from './render.js';
import { listChains, restore } from './restore.js';

export interface IptablesProxierOptions extends ProxierOptions {
  /** Runs iptables tools; default runs them directly. Tests/benches pass one that prefixes `ip netns exec NAME`. */
  exec?: CommandRunner;
  /** Convenience: run every tool inside /run/netns/NAME (ignored when exec is given). */
  netns?: string;
  /** Masquerade all traffic to ClusterIPs, not only off-cluster sources (upstream --masquerade-all). */
  masqueradeAll?: boolean;
  /** Run conntrack cleanup of stale UDP flows after syncs (default true). */
  conntrack?: boolean;
  /** This node's IPs (loadBalancerSourceRanges that contain one also admit the LB IPs as sources). */
  nodeIPs?: string[];
  /** Endpoints above which per-endpoint comments are dropped (upstream large cluster mode, 1000). */
  largeClusterThreshold?: number;
  log?: Logger;
  clock?: Clock;
}

export type IptablesProxier = Proxier & { lastRestoreText(): string };

/** Creates the iptables-mode Proxier; nothing touches the node until the first sync. */
export function createIptablesProxier(o: IptablesProxierOptions): IptablesProxier {
  return new IptablesModeProxier(o);
}

class IptablesModeProxier implements Proxier {
  readonly mode = 'iptables' as const;
  private readonly exec: CommandRunner;
  private readonly log: Logger;
  private readonly clock: Clock;
  private readonly namer = new ChainNamer();
  /** Per service port: the nat chains the last successful sync left programmed. */
  private records = new Map<string, ServiceRecord>();
  private udp = new Map<string, UdpServiceSnapshot>();
  private needFull = true;
  /** Whether the next full sync must read chain names back (see sync). */
  private scanNeeded = true;
  private forwardingSet = false;
  private lastText = '';

  constructor(private readonly o: IptablesProxierOptions) {
    this.exec = o.exec ?? (o.netns ? netnsRunner(o.netns) : runCommand);
    this.log = (o.log ?? logger('proxy')).with({ mode: 'iptables' });
    this.clock = o.clock ?? realClock;
  }

  lastRestoreText(): string {
    return this.lastText;
  }

  async sync(req: SyncRequest): Promise<SyncResult> {
    const start = this.clock.monotonic();
    const full = req.changed === null || this.needFull;
    let existing: string[] = [];
    if (full) {
      await this.enableForwarding();
      // Jumps and canaries only on full syncs: they are only lost when someone flushes iptables,
      // which the canary check turns into a full sync.
      await ensureJumps(this.exec);
      await ensureCanaries(this.exec);
      // Reading back 40,000 chains costs seconds, so large clusters (upstream's large cluster mode
      // does the same, once per syncPeriod) only scan when our own record may be incomplete: after
      // a start (a previous process's chains) or a failed restore (chains of a half-done sync).
      if (this.scanNeeded || countEndpoints(req.state) <= (this.o.largeClusterThreshold ?? LARGE_CLUSTER_THRESHOLD)) {
        try {
          existing = await listChains(this.exec, 'nat');
          this.scanNeeded = false;
        } catch (e) {
          this.log.warn('cannot list nat chains; stale chains will not be deleted', { err: e as Error });
        }
      }
    }
    const rendered = this.clock.monotonic();
    const r = renderRules({
      state: req.state,
      changed: full ? null : req.changed,
      previous: this.records,
      clusterCIDR: this.o.clusterCIDR,
      masqueradeAll: this.o.masqueradeAll,
      nodeIPs: this.o.nodeIPs,
      existingChains: existing,
      largeClusterThreshold: this.o.largeClusterThreshold,
      namer: this.namer,
    });
    this.lastText = r.text;
    const restoring = this.clock.monotonic();
    try {
      await restore(this.exec, r.text);
    } catch (e) {
      this.needFull = true;
      this.scanNeeded = true;
      throw e;
    }
    this.namer.rotate();
    this.records = r.services;
    this.needFull = false;
    const done = this.clock.monotonic();
    this.log.v(2).info('synced iptables rules', {
      full, services: req.state.services.size, written: r.written.length, deletedChains: r.deletedChains.length,
      filterRules: r.filterRules, natRules: r.natRules, largeClusterMode: r.largeClusterMode,
      prepareMs: Math.round(rendered - start), renderMs: Math.round(restoring - rendered), restoreMs: Math.round(done - restoring),
    });
    if (this.o.conntrack !== false) await this.cleanConntrack(req);
    return { programmed: r.filterRules + r.natRules, full };
  }

  private async cleanConntrack(req: SyncRequest): Promise<void> {
    const next = udpSnapshots(req.state);
    const cmds = staleFlowCommands(this.udp, next);
    this.udp = next;
    if (!cmds.length) return;
    const failures = await runConntrack(this.exec, cmds);
    // Not worth failing the sync: the rules are right, only old flows may linger.
    for (const f of failures) this.log.warn('conntrack cleanup failed', { error: f });
  }

  // DNATed traffic to pods on the bridge is routed, so the node must forward (kube-proxy expects it).
  private async enableForwarding(): Promise<void> {
    if (this.forwardingSet) return;
    this.forwardingSet = true;
    const argv = ['sysctl', '-w', 'net.ipv4.ip_forward=1'];
    const r = await this.exec(argv);
    if (r.code !== 0) this.log.warn('cannot enable IP forwarding', { error: describeFailure(argv, r) });
  }

  async healthy(): Promise<boolean> {
    return canariesExist(this.exec);
  }

  async close(): Promise<void> {
    // Rules stay in place so traffic keeps flowing across a restart.
  }

  async cleanup(): Promise<void> {
    this.records = new Map();
    this.udp = new Map();
    this.needFull = true;
    this.scanNeeded = true;
    await cleanupLeftovers(this.exec);
  }
}
