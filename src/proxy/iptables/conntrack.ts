// Stale UDP conntrack cleanup after a successful sync (networking brief §2.8, the exec-based form
// of upstream pkg/proxy/conntrack): UDP has no teardown, so an entry keeps DNATing a client's flow
// to an endpoint that is gone, or keeps an un-NATed entry made while the service had no endpoints.
import { categorizeEndpoints } from '../categorize.js';
import type { ProxyState } from '../types.js';
import type { CommandRunner } from './exec.js';
import { describeFailure } from './exec.js';

/** What conntrack cleanup remembers about one UDP service port between syncs. */
export interface UdpServiceSnapshot {
  /** ClusterIP, external IPs and load-balancer IPs. */
  ips: string[];
  nodePort: number;
  /** IPs of the endpoints the rules DNAT to. */
  endpointIPs: Set<string>;
}

/** Snapshots of state's UDP service ports, keyed like ProxyState. */
export function udpSnapshots(state: ProxyState): Map<string, UdpServiceSnapshot> {
  const out = new Map<string, UdpServiceSnapshot>();
  for (const [key, svc] of state.services) {
    if (svc.protocol !== 'UDP') continue;
    const { allReachable } = categorizeEndpoints(svc, state.endpoints.get(key) ?? []);
    out.set(key, {
      ips: [svc.clusterIP, ...svc.externalIPs, ...svc.loadBalancerIPs],
      nodePort: svc.nodePort,
      endpointIPs: new Set(allReachable.map((e) => e.ip)),
    });
  }
  return out;
}

/**
 * The `conntrack` argument lists that clear stale flows going from prev to next: flows DNATed to an
 * endpoint that left, and every flow to a service that went from no endpoints to some (those were
 * created un-NATed and would otherwise keep missing the new rules).
 */
export function staleFlowCommands(prev: ReadonlyMap<string, UdpServiceSnapshot>, next: ReadonlyMap<string, UdpServiceSnapshot>): string[][] {
  const cmds = new Map<string, string[]>();
  const add = (args: string[]) => cmds.set(args.join(' '), args);
  for (const key of new Set([...prev.keys(), ...next.keys()])) {
    const p = prev.get(key);
    const n = next.get(key);
    if (n && n.endpointIPs.size > 0 && (!p || p.endpointIPs.size === 0)) {
      for (const ip of n.ips) add(['-D', '-p', 'udp', '--orig-dst', ip]);
      if (n.nodePort) add(['-D', '-p', 'udp', '--orig-port-dst', String(n.nodePort)]);
    }
    if (!p) continue;
    for (const ep of p.endpointIPs) {
      if (n?.endpointIPs.has(ep)) continue;
      for (const ip of p.ips) add(['-D', '-p', 'udp', '--orig-dst', ip, '--dst-nat', ep]);
      if (p.nodePort) add(['-D', '-p', 'udp', '--orig-port-dst', String(p.nodePort), '--dst-nat', ep]);
    }
  }
  return [...cmds.values()].sort((a, b) => a.join(' ').localeCompare(b.join(' ')));
}

/** Runs conntrack for each command; returns failures ("0 flow entries" with status 1 is success). */
export async function runConntrack(exec: CommandRunner, commands: readonly string[][]): Promise<string[]> {
  const failures: string[] = [];
  for (const args of commands) {
    const argv = ['conntrack', ...args];
    const r = await exec(argv);
    if (r.code === 0 || (r.code === 1 && /0 flow entries/.test(r.stderr))) continue;
    failures.push(describeFailure(argv, r));
  }
  return failures;
}
