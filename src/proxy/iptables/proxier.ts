// The iptables-mode Proxier: renders the whole rule set, applies it with one iptables-restore, and
// keeps what it wrote so partial syncs only rewrite the chains of changed services (upstream
// pkg/proxy/iptables/proxier.go syncProxyRules with MinimizeIPTablesRestore).
import type { Clock } from '../../util/clock.js';
import { realClock } from '../../util/clock.js';
import type { Logger } from '../../util/log.js';
import { logger } from '../../util/log.js';
import type { Proxier, ProxierOptions, SyncRequest, SyncResult } from '../types.js';
import type { BackendChoice, IptablesBackend } from './backend.js';
import { backendRunner, resolveBackend } from './backend.js';
import { cleanupLeftovers } from './cleanup.js';
import type { UdpServiceSnapshot } from './conntrack.js';
import { runConntrack, staleFlowCommands, udpSnapshots } from './conntrack.js';
import type { CommandRunner } from './exec.js';
import { describeFailure, netnsRunner, runCommand } from './exec.js';
import { ChainNamer } from './hash.js';
import { canariesExist, ensureCanaries, ensureJumps } from './jumps.js';
import type { RenderInput, RenderResult, ServiceRecord } from './render.js';
import { LARGE_CLUSTER_THRESHOLD, RenderCache, countEndpoints, renderRules, renderStreamed } from './render.js';
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
  /** Which iptables client (legacy or nft); `auto` (default) follows the host as upstream does. */
  backend?: BackendChoice;
  /** Endpoints above which per-endpoint comments are dropped (upstream large cluster mode, 1000). */
  largeClusterThreshold?: number;
  log?: Logger;
  clock?: Clock;
}

/**
 * Longest time between two checks of the jump rules even when the canaries are all there (a jump
 * deleted by hand is then restored): upstream's full-sync period, one hour.
 */
const JUMPS_RECHECK_MS = 60 * 60 * 1000;

export type IptablesProxier = Proxier & {
  lastRestoreText(): string;
  /** The iptables mode in use, once the first sync (or cleanup) has resolved it. */
  backend(): IptablesBackend | undefined;
};

/** Creates the iptables-mode Proxier; nothing touches the node until the first sync. */
export function createIptablesProxier(o: IptablesProxierOptions): IptablesProxier {
  return new IptablesModeProxier(o);
}

class IptablesModeProxier implements Proxier {
  readonly mode = 'iptables' as const;
  private readonly hostExec: CommandRunner;
  /** Runs iptables tools of the resolved backend (set by ready()). */
  private exec: CommandRunner;
  private resolved: IptablesBackend | undefined;
  private readonly log: Logger;
  private readonly clock: Clock;
  private readonly namer = new ChainNamer();
  private readonly renderCache = new RenderCache();
  /** Per service port: the nat chains the last successful sync left programmed. */
  private records = new Map<string, ServiceRecord>();
  private udp = new Map<string, UdpServiceSnapshot>();
  private needFull = true;
  /** Whether the next full sync must read chain names back (see sync). */
  private scanNeeded = true;
  private forwardingSet = false;
  /**
   * Whether the jump rules from the built-in chains must be ensured: on the first sync, after a
   * failed restore, after a flush found by healthy(). Upstream ensures them on every full sync;
   * with the legacy client each command reads the whole nat table (≈150 ms at 10,000 services), so
   * periodic full syncs rely on the canary check instead (upstream's own comment: ensuring them is
   * only needed at start and after a flush, which the canaries reveal), plus a check at least
   * once per JUMPS_RECHECK_MS.
   */
  private jumpsNeeded = true;
  private jumpsEnsuredAt = -Infinity;
  /** What the last restore was given (its text is joined only when asked for). */
  private last: { readonly text: string } | undefined;

  constructor(private readonly o: IptablesProxierOptions) {
    this.hostExec = o.exec ?? (o.netns ? netnsRunner(o.netns) : runCommand);
    this.exec = this.hostExec;
    this.log = (o.log ?? logger('proxy')).with({ mode: 'iptables' });
    this.clock = o.clock ?? realClock;
  }

  lastRestoreText(): string {
    return this.last?.text ?? '';
  }

  backend(): IptablesBackend | undefined {
    return this.resolved;
  }

  private async ready(): Promise<void> {
    if (this.resolved) return;
    const b = await resolveBackend(this.hostExec, this.o.backend ?? 'auto');
    this.exec = backendRunner(this.hostExec, b);
    this.resolved = b;
    this.log.info('iptables backend', { backend: b, choice: this.o.backend ?? 'auto' });
  }

  async sync(req: SyncRequest): Promise<SyncResult> {
    const start = this.clock.monotonic();
    await this.ready();
    const full = req.changed === null || this.needFull;
    let existing: string[] = [];
    if (full) {
      await this.enableForwarding();
      // Jumps and canaries only when they may be missing (see jumpsNeeded).
      if (this.jumpsNeeded || start - this.jumpsEnsuredAt > JUMPS_RECHECK_MS) {
        await ensureJumps(this.exec);
        await ensureCanaries(this.exec);
        this.jumpsEnsuredAt = start;
      }
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
    const input: RenderInput = {
      state: req.state,
      changed: full ? null : req.changed,
      previous: this.records,
      clusterCIDR: this.o.clusterCIDR,
      masqueradeAll: this.o.masqueradeAll,
      nodeIPs: this.o.nodeIPs,
      existingChains: existing,
      largeClusterThreshold: this.o.largeClusterThreshold,
      namer: this.namer,
      cache: this.renderCache,
    };
    // Legacy rewrites the whole table blob per commit, so it gets one commit (several only help
    // iptables-nft), and in large clusters the text is rendered while iptables-restore parses it.
    const legacy = this.resolved === 'legacy';
    const streamed = legacy && countEndpoints(req.state) > (this.o.largeClusterThreshold ?? LARGE_CLUSTER_THRESHOLD);
    let r: RenderResult;
    try {
      if (streamed) {
        const s = renderStreamed(input);
        await restore(this.exec, s.chunks);
        r = s.result();
      } else {
        r = renderRules(legacy ? { ...input, sectioned: false } : input);
        this.last = r;
        await restore(this.exec, r.text);
      }
    } catch (e) {
      this.needFull = true;
      this.scanNeeded = true;
      this.jumpsNeeded = true;
      throw e;
    }
    this.last = r;
    if (full) this.jumpsNeeded = false;
    this.namer.rotate();
    this.records = r.services;
    this.needFull = false;
    const done = this.clock.monotonic();
    this.log.v(2).info('synced iptables rules', {
      full, services: req.state.services.size, written: r.written.length, deletedChains: r.deletedChains.length,
      filterRules: r.filterRules, natRules: r.natRules, largeClusterMode: r.largeClusterMode, streamed,
      prepareMs: Math.round(rendered - start), renderAndRestoreMs: Math.round(done - rendered),
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
    await this.ready();
    const ok = await canariesExist(this.exec);
    if (!ok) this.jumpsNeeded = true;
    return ok;
  }

  async close(): Promise<void> {
    // Rules stay in place so traffic keeps flowing across a restart.
  }

  async cleanup(): Promise<void> {
    this.records = new Map();
    this.udp = new Map();
    this.needFull = true;
    this.scanNeeded = true;
    this.jumpsNeeded = true;
    await this.ready();
    await cleanupLeftovers(this.exec);
  }
}
