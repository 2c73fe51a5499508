// Skiff's userspace proxy mode (brief §1.1/§1.2): the historical socket proxy without iptables
// capture. Every ClusterIP is a local address of the node (one AnyIP route over the service CIDR),
// so the proxy listens on ClusterIP:port itself, and on the NodePort and local external/LB
// addresses; each connection goes to the next endpoint in round robin (or the client's affine one).
import type { Clock, Timer } from '../../util/clock.js';
import { realClock } from '../../util/clock.js';
import type { Logger } from '../../util/log.js';
import { logger } from '../../util/log.js';
import type { Proxier, ProxierOptions, SyncRequest, SyncResult } from '../types.js';
import type { ListenAddress, PortPlan } from './plan.js';
import { planPort } from './plan.js';
import { RoundRobin } from './roundrobin.js';
import type { Exec } from './routes.js';
import { cidrContainsIPv4 as cidrContains } from '../../util/ipv4.js';
import { execCommand, hasAnyIPRoute, installAnyIPRoute, interfaceAddresses, isRoot, removeAnyIPRoute, setArpSysctls } from './routes.js';
import { TcpListener } from './tcp.js';
import { UdpListener } from './udp.js';

export interface UserspaceProxierOptions extends ProxierOptions {
  /** Service CIDR made local with an AnyIP route when root (default 10.43.0.0/16); null = do not touch routes (tests, non-root: then ClusterIPs must already be local, e.g. 127.x). */
  serviceCIDR?: string | null;
  /** Addresses NodePorts listen on (default ['0.0.0.0']). */
  nodePortAddresses?: string[];
  udpIdleTimeoutMs?: number;
  log?: Logger;
  clock?: Clock;
  /** Dial attempt timeouts (default 250/500/1000/2000 ms, upstream EndpointDialTimeouts). */
  dialTimeoutsMs?: readonly number[];
  /** Runs `ip` (tests may fake it). */
  exec?: Exec;
}

export type UserspaceProxier = Proxier & {
  /** listeners by "ip:port/proto" for tests */
  listeners(): string[];
};

/** DNS clients retry after ~5 s; a few seconds keeps a resolver's retries on one backend. */
const DEFAULT_UDP_IDLE_MS = 5_000;
/** How often expired affinity entries are swept (they are also checked on every use). */
const AFFINITY_SWEEP_MS = 10_000;

interface Balancers {
  internal: RoundRobin;
  external: RoundRobin;
}

interface Bound {
  addr: ListenAddress;
  l: TcpListener | UdpListener;
}

export function createUserspaceProxier(o: UserspaceProxierOptions): UserspaceProxier {
  const serviceCIDR = o.serviceCIDR === undefined ? '10.43.0.0/16' : o.serviceCIDR;
  const nodePortAddresses = o.nodePortAddresses ?? ['0.0.0.0'];
  const udpIdleTimeoutMs = o.udpIdleTimeoutMs ?? DEFAULT_UDP_IDLE_MS;
  const clock = o.clock ?? realClock;
  const log = (o.log ?? logger('proxy')).with({ mode: 'userspace' });
  const exec = o.exec ?? execCommand;
  if (udpIdleTimeoutMs <= 0) throw new Error('udpIdleTimeoutMs must be positive');

  const plans = new Map<string, PortPlan>();
  const balancers = new Map<string, Balancers>();
  const bound = new Map<string, Bound>();
  const bindErrors = new Map<string, string>();
  let routeReady = false;
  let routeWarned = false;
  let closed = false;
  let sweepTimer: Timer | undefined;

  const scheduleSweep = () => {
    sweepTimer = clock.setTimer(AFFINITY_SWEEP_MS, () => {
      for (const b of balancers.values()) {
        b.internal.sweep();
        b.external.sweep();
      }
      if (!closed) scheduleSweep();
    });
  };
  scheduleSweep();

  async function ensureRoute(): Promise<void> {
    if (serviceCIDR === null || routeReady) return;
    if (!isRoot()) {
      if (!routeWarned) log.warn('not root: ClusterIPs must already be local addresses', { serviceCIDR });
      routeWarned = true;
      return;
    }
    try {
      if (await installAnyIPRoute(serviceCIDR, exec)) log.info('installed AnyIP route', { serviceCIDR });
      routeReady = true;
      for (const err of await setArpSysctls()) log.warn('arp sysctl not set', { err });
    } catch (err) {
      log.error('cannot install AnyIP route; ClusterIP listeners will fail to bind', { serviceCIDR, err });
    }
  }

  function isLocalAddress(ip: string, own: Set<string>): boolean {
    return own.has(ip) || (routeReady && serviceCIDR !== null && cidrContains(serviceCIDR, ip));
  }

  function pickerFor(id: string) {
    return () => {
      const b = bound.get(id);
      return b && balancers.get(b.addr.service)?.[b.addr.cls];
    };
  }

  async function bind(addr: ListenAddress): Promise<void> {
    const common = { ip: addr.ip, port: addr.port, picker: pickerFor(addr.id), clock, log };
    try {
      const l = addr.protocol === 'TCP'
        ? await TcpListener.listen({ ...common, dialTimeoutsMs: o.dialTimeoutsMs })
        : await UdpListener.listen({ ...common, idleTimeoutMs: udpIdleTimeoutMs });
      bound.set(addr.id, { addr, l });
      bindErrors.delete(addr.id);
      log.v(2).info('listening', { addr: addr.id, service: addr.service });
    } catch (err) {
      // One bad port must not fail the whole sync: it stays planned and is retried next sync.
      const msg = (err as Error).message;
      if (bindErrors.get(addr.id) !== msg) log.warn('cannot listen; will retry at the next sync', { addr: addr.id, service: addr.service, err });
      bindErrors.set(addr.id, msg);
    }
  }

  async function sync(req: SyncRequest): Promise<SyncResult> {
    const full = req.changed === null;
    if (closed) return { programmed: 0, full };
    await ensureRoute();
    const { services, endpoints } = req.state;
    const own = interfaceAddresses();
    const ctx = { nodePortAddresses, isLocalAddress: (ip: string) => isLocalAddress(ip, own) };

    for (const key of [...plans.keys()]) {
      if (!services.has(key)) {
        plans.delete(key);
        balancers.delete(key);
      }
    }
    for (const [key, svc] of services) {
      if (!full && !req.changed!.has(key) && plans.has(key)) continue;
      if (svc.protocol === 'SCTP' && !plans.has(key)) log.warn('SCTP is not proxied in userspace mode', { service: key });
      const plan = planPort(svc, endpoints.get(key) ?? [], ctx);
      plans.set(key, plan);
      let b = balancers.get(key);
      if (!b) balancers.set(key, (b = { internal: new RoundRobin(clock), external: new RoundRobin(clock) }));
      b.internal.update(plan.internal, plan.affinityTimeoutSeconds);
      b.external.update(plan.external, plan.affinityTimeoutSeconds);
    }

    const desired = new Map<string, ListenAddress>();
    for (const plan of plans.values()) {
      for (const a of plan.addresses) {
        const other = desired.get(a.id);
        if (other) log.warn('address claimed by two service ports; first wins', { addr: a.id, kept: other.service, skipped: a.service });
        else desired.set(a.id, a);
      }
    }
    for (const [id, b] of bound) {
      const want = desired.get(id);
      if (!want) {
        // Closing only the listener: open connections keep flowing until either end closes.
        b.l.close();
        bound.delete(id);
        log.v(2).info('stopped listening', { addr: id });
      } else {
        b.addr = want; // same socket, possibly a new owner or traffic class
      }
    }
    for (const [id, addr] of desired) if (!bound.has(id)) await bind(addr);
    for (const id of [...bindErrors.keys()]) if (!desired.has(id)) bindErrors.delete(id);

    for (const b of bound.values()) {
      if (b.l instanceof UdpListener) {
        const rr = balancers.get(b.addr.service)?.[b.addr.cls];
        b.l.retain(rr ? rr.keys() : new Set());
      }
    }
    return { programmed: bound.size, full };
  }

  async function healthy(): Promise<boolean> {
    if (closed) return true;
    if (routeReady && serviceCIDR !== null && !(await hasAnyIPRoute(serviceCIDR, exec).catch(() => false))) {
      log.warn('AnyIP route disappeared; asking for a full resync', { serviceCIDR });
      routeReady = false;
      return false;
    }
    return bindErrors.size === 0;
  }

  async function close(): Promise<void> {
    closed = true;
    sweepTimer?.cancel();
    for (const b of bound.values()) b.l.destroy();
    bound.clear();
    plans.clear();
    balancers.clear();
  }

  async function cleanup(): Promise<void> {
    await close();
    // The route is this mode's own programming: removed even when an earlier run installed it
    // (`skiff proxy --cleanup` runs in a fresh process).
    if (serviceCIDR !== null && isRoot()) {
      if (await removeAnyIPRoute(serviceCIDR, exec)) log.info('removed AnyIP route', { serviceCIDR });
    }
    routeReady = false;
  }

  return {
    mode: 'userspace',
    sync,
    healthy,
    close,
    cleanup,
    listeners: () => [...bound.keys()].sort(),
  };
}
