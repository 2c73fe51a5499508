// kube-controller-manager's core (cmd/kube-controller-manager/app/controllermanager.go): pick the
// controllers --controllers enables, optionally win the kube-system/kube-controller-manager Lease,
// build one shared context (informer factory, an event recorder per controller), start the
// informers, wait for their caches, then run every controller with its workers until stopped. A
// lost lease stops everything and calls onLostLeadership (upstream exits the process there).
import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import { EventBroadcaster, LeaderElector, SharedInformerFactory, type Client } from '../client/index.js';
import { realClock, type Clock } from '../util/clock.js';
import { logger, type Logger } from '../util/log.js';
import { controllerClientBuilder } from './client-builder.js';
import type { Controller, ControllerContext, ControllerDescriptor, ControllerManagerConfig } from './types.js';

/** Upstream's defaults for the settings in ControllerManagerConfig. */
export const defaultControllerManagerConfig: ControllerManagerConfig = {
  clusterCIDR: '10.42.0.0/16', nodeCIDRMaskSize: 24, serviceCIDR: '10.43.0.0/16',
  nodeMonitorGracePeriodMs: 40_000, terminatedPodGCThreshold: 12_500,
};

export const LEASE_NAMESPACE = 'kube-system';
export const LEASE_NAME = 'kube-controller-manager';

export interface ControllerManagerOptions {
  client: Client;
  descriptors: ControllerDescriptor[];
  /** --controllers: '*' (every controller on by default), 'foo' (enable), '-foo' (disable); first match wins. */
  controllers: string[];
  config: ControllerManagerConfig;
  clock?: Clock;
  /** --leader-elect: run only while holding the Lease kube-system/kube-controller-manager. */
  leaderElect?: boolean;
  /** Leader election identity (default `<hostname>_<uuid>`, as upstream). */
  identity?: string;
  /** Stops the manager; the returned promise settles once controllers and informers stopped. */
  signal: AbortSignal;
  /** Called when leadership is lost (not on a requested stop); the CLI exits the process here. */
  onLostLeadership?: () => void;
  /** Called once the controllers started (after caches synced). */
  onStarted?: (names: string[]) => void;
  /** Lease timing (--leader-elect-lease-duration 15 s, renew-deadline 10 s, retry-period 2 s). */
  leaseDurationMs?: number;
  renewDeadlineMs?: number;
  retryPeriodMs?: number;
  log?: Logger;
}

/** Upstream IsControllerEnabled: the first matching entry decides; otherwise '*' enables the default set. */
export function isControllerEnabled(name: string, enabledByDefault: boolean, controllers: readonly string[]): boolean {
  let star = false;
  for (const c of controllers) {
    if (c === name) return true;
    if (c === `-${name}`) return false;
    if (c === '*') star = true;
  }
  return star && enabledByDefault;
}

/** Rejects --controllers entries naming no known controller (upstream's validation message). */
export function validateControllers(controllers: readonly string[], descriptors: readonly ControllerDescriptor[]): void {
  const known = new Set(descriptors.map((d) => d.name));
  for (const c of controllers) {
    if (c === '*') continue;
    const name = c.startsWith('-') ? c.slice(1) : c;
    if (!known.has(name)) throw new Error(`"${c}" is not in the list of known controllers`);
  }
}

/** The descriptors --controllers enables, in the order given. */
export function enabledDescriptors(descriptors: readonly ControllerDescriptor[], controllers: readonly string[]): ControllerDescriptor[] {
  return descriptors.filter((d) => isControllerEnabled(d.name, d.enabledByDefault, controllers));
}

/** Runs until opts.signal aborts (or leadership is lost); rejects on bad options or a controller that fails to build. */
export async function runControllerManager(opts: ControllerManagerOptions): Promise<void> {
  validateControllers(opts.controllers, opts.descriptors);
  const log = opts.log ?? logger('controller-manager');
  const clock = opts.clock ?? realClock;
  const identity = opts.identity ?? `${hostname()}_${randomUUID()}`;
  const enabled = enabledDescriptors(opts.descriptors, opts.controllers);
  if (!opts.leaderElect) return runControllers(opts, enabled, identity, clock, log, opts.signal);

  let leadingRun: Promise<void> | undefined;
  // Upstream renews the lease through its own "leader-election" client, so a controller's backlog
  // of writes in the shared rate limiter cannot delay a renewal past the renew deadline.
  const leaderClients = controllerClientBuilder(opts.client);
  const elector = new LeaderElector({
    client: leaderClients.client('leader-election'), namespace: LEASE_NAMESPACE, name: LEASE_NAME, identity, clock, log,
    leaseDurationMs: opts.leaseDurationMs ?? 15_000,
    renewDeadlineMs: opts.renewDeadlineMs ?? 10_000,
    retryPeriodMs: opts.retryPeriodMs ?? 2_000,
    callbacks: {
      onStartedLeading: (signal) => {
        leadingRun = runControllers(opts, enabled, identity, clock, log, signal).catch((err: unknown) => log.error('controllers failed', { err }));
      },
      onStoppedLeading: () => {
        if (opts.signal.aborted) return;
        log.error('leaderelection lost');
        opts.onLostLeadership?.();
      },
      onNewLeader: (who) => {
        if (who !== identity) log.info('new leader elected', { leader: who });
      },
    },
  });
  try {
    await elector.run(opts.signal);
    await leadingRun;
  } finally {
    leaderClients.close();
  }
}

async function runControllers(opts: ControllerManagerOptions, enabled: ControllerDescriptor[], identity: string, clock: Clock, log: Logger, signal: AbortSignal): Promise<void> {
  if (signal.aborted) return;
  const clients = controllerClientBuilder(opts.client);
  const informers = new SharedInformerFactory(clients.client('shared-informers'), { clock });
  const broadcasters = new Map<string, EventBroadcaster>();
  const host = identity.split('_')[0] || hostname();
  const ctx: ControllerContext = {
    client: opts.client, informers, clock, log, config: opts.config,
    recorder(name) {
      const reportingController = name.endsWith('-controller') ? name : `${name}-controller`;
      let b = broadcasters.get(reportingController);
      if (!b) {
        b = new EventBroadcaster({ client: opts.client, reportingController, reportingInstance: `${reportingController}-${host}`, clock, log: log.with({ events: reportingController }) });
        broadcasters.set(reportingController, b);
      }
      return b;
    },
  };
  const running: { name: string; workers: number; controller: Controller }[] = [];
  try {
    for (const d of enabled) {
      // Upstream refuses to start with a controller it cannot build.
      running.push({ name: d.name, workers: d.workers, controller: d.create({ ...ctx, client: clients.client(`${d.name}-controller`), log: log.with({ controller: d.name }) }) });
      log.v(1).info('created controller', { controller: d.name });
    }
    informers.start(signal);
    if (!(await informers.waitForCacheSync(signal))) return;
    log.info('caches synced; starting controllers', { controllers: running.map((r) => r.name) });
    opts.onStarted?.(running.map((r) => r.name));
    await Promise.all(running.map(async (r) => {
      try {
        await r.controller.run(r.workers, signal);
      } catch (err) {
        log.error('controller stopped with an error', { controller: r.name, err });
      }
    }));
  } finally {
    await informers.shutdown();
    await Promise.allSettled([...broadcasters.values()].map((b) => b.shutdown()));
    clients.close();
  }
}
