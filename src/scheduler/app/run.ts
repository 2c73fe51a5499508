// The scheduler as a component (kube-scheduler's cmd/app + eventhandlers.go): shared informers feed
// the scheduler's cache and queue, bindings go through pods/binding, outcomes become Events and the
// PodScheduled condition, and with leader election only the Lease holder schedules.
import type { KubeObject } from '../../api/types.js';
import { labelSelectorFromObject, labelSelectorFromSet, type LabelSelector } from '../../api/selectors/index.js';
import { requirementMatches, requirementString, type Requirement } from '../../api/selectors/requirement.js';
import {
  EventBroadcaster, LeaderElector, SharedInformerFactory, refs,
  type Client, type SharedIndexInformer,
} from '../../client/index.js';
import { isReason } from '../../util/errors.js';
import { realClock, type Clock } from '../../util/clock.js';
import { logger, type Logger } from '../../util/log.js';
import { Counter, Gauge, Histogram, type MetricsRegistry } from '../../util/metrics.js';
import { Scheduler, type EventSink, type SchedulingFailure } from '../scheduler.js';
import type { KubeSchedulerConfiguration } from '../config/index.js';
import type { Node, Pod, PodDisruptionBudget } from '../types.js';
import { concurrencyLimit } from './limit.js';
import { throttleWarnings } from './log-throttle.js';

export interface SchedulerAppOptions {
  client: Client;
  config?: KubeSchedulerConfiguration;
  /** Lease kube-system/kube-scheduler; default true. */
  leaderElect?: boolean;
  identity: string;
  clock?: Clock;
  log?: Logger;
  metrics?: MetricsRegistry;
  /** Binding calls in flight at once (default 128); more wait their turn. */
  bindConcurrency?: number;
  /** Called when leadership is lost (upstream exits the process). */
  onLostLeadership?: () => void;
}

export interface SchedulerApp {
  scheduler: Scheduler;
  /** True once the informers synced (readiness). */
  synced(): boolean;
  stop(): Promise<void>;
}

type Obj = Record<string, any>;

const DEFAULT_BIND_CONCURRENCY = 128;

/** The event recorder's warnings (a full queue drops an event each) at most this often per message. */
const EVENT_WARN_INTERVAL_MS = 10_000;

/** How long stop() lets queued Events be written. */
const EVENT_FLUSH_MS = 2000;

/** Starts informers, the event broadcaster and (once leading) the scheduling loop. */
export async function startScheduler(opts: SchedulerAppOptions): Promise<SchedulerApp> {
  const clock = opts.clock ?? realClock;
  const log = opts.log ?? logger('scheduler');
  const ac = new AbortController();
  const { client } = opts;
  const informers = new SharedInformerFactory(client, { clock });
  // As upstream: terminal pods are not the scheduler's concern.
  const pods = new SharedInformerFactory(client, { clock, fieldSelector: 'status.phase!=Succeeded,status.phase!=Failed' }).forResource<Pod>(refs.pods);
  const nodes = informers.forResource<Node>(refs.nodes);
  const pdbs = informers.forResource<PodDisruptionBudget>(refs.poddisruptionbudgets);
  const namespaces = informers.forResource(refs.namespaces);
  const selectors = {
    services: informers.forResource(refs.services),
    replicasets: informers.forResource(refs.replicasets),
    statefulsets: informers.forResource(refs.statefulsets),
    replicationcontrollers: informers.forResource(refs.replicationcontrollers),
  };
  const recorder = new EventBroadcaster({ client, reportingController: 'default-scheduler', reportingInstance: opts.identity, clock, log: throttleWarnings(logger('events'), clock, EVENT_WARN_INTERVAL_MS) });
  // The queue exists once the scheduler does; the gauge only reads it when /metrics is scraped.
  const metrics = schedulerMetrics(opts.metrics, () => scheduler.queue.pending());
  const podsClient = client.resource(refs.pods);
  const bindLimit = concurrencyLimit(opts.bindConcurrency ?? DEFAULT_BIND_CONCURRENCY);

  const events: EventSink = {
    scheduled(pod, node, message) {
      recorder.record(pod, 'Normal', 'Scheduled', 'Binding', message);
    },
    async failed(pod, failure) {
      recorder.record(pod, 'Warning', 'FailedScheduling', 'Scheduling', failure.message);
      await reportFailure(podsClient, pod, failure, clock).catch((err: unknown) => {
        if (!isReason(err, 'NotFound')) log.v(1).info('updating PodScheduled condition failed', { pod: `${pod.metadata.namespace}/${pod.metadata.name}`, err });
      });
    },
  };

  const scheduler = new Scheduler({
    ...(opts.config ? { config: opts.config } : {}),
    clock,
    events,
    bind: (pod, nodeName) => bindLimit(async () => {
      await podsClient.namespace(pod.metadata.namespace!).createSubresource(pod.metadata.name!, 'binding', {
        apiVersion: 'v1', kind: 'Binding',
        metadata: { name: pod.metadata.name, namespace: pod.metadata.namespace, uid: pod.metadata.uid },
        target: { apiVersion: 'v1', kind: 'Node', name: nodeName },
      });
    }),
    async evictVictim(victim, preemptor) {
      const ops = podsClient.namespace(victim.metadata.namespace!);
      // Upstream marks the victim with a DisruptionTarget condition, then deletes it gracefully.
      await ops.patch(victim.metadata.name!, 'strategic', {
        status: { conditions: [{ type: 'DisruptionTarget', status: 'True', reason: 'PreemptionByScheduler', message: `${opts.config?.profiles?.[0]?.schedulerName ?? 'default-scheduler'}: preempting to accommodate a higher priority pod`, lastTransitionTime: rfc3339(clock) }] },
      }, { subresource: 'status' }).catch(() => undefined);
      await ops.delete(victim.metadata.name!, { preconditions: { uid: victim.metadata.uid! } });
      recorder.record(victim, 'Normal', 'Preempted', 'Preempting', `Preempted by pod ${preemptor.metadata.uid ?? ''} on node ${preemptor.status?.nominatedNodeName ?? ''}`.trim(), preemptor);
    },
    async clearNomination(pod) {
      await podsClient.namespace(pod.metadata.namespace!).patch(pod.metadata.name!, 'merge', { status: { nominatedNodeName: null } }, { subresource: 'status' });
    },
    pdbs: () => pdbs.lister.list(),
    namespaceLabels: (ns) => namespaces.lister.get('', ns)?.metadata.labels ?? {},
    defaultSpreadSelector: (pod) => defaultSelector(pod, selectors),
  });

  pods.addEventHandler({
    add: (p) => scheduler.onPodAdd(p),
    update: (o, p) => {
      if (o.metadata.resourceVersion !== p.metadata.resourceVersion) scheduler.onPodUpdate(o, p);
    },
    delete: (p) => scheduler.onPodDelete(('obj' in p ? p.obj : p) as Pod),
  });
  nodes.addEventHandler({
    add: (n) => scheduler.onNodeAdd(n),
    update: (o, n) => {
      if (o.metadata.resourceVersion !== n.metadata.resourceVersion) scheduler.onNodeUpdate(o, n);
    },
    delete: (n) => scheduler.onNodeDelete(('obj' in n ? n.obj : n) as Node),
  });

  informers.start(ac.signal);
  void pods.run(ac.signal);
  const allInformers: SharedIndexInformer<KubeObject>[] = [pods as unknown as SharedIndexInformer<KubeObject>, nodes as unknown as SharedIndexInformer<KubeObject>];
  await informers.waitForCacheSync(ac.signal);
  while (!pods.hasSynced() && !ac.signal.aborted) await new Promise((r) => setTimeout(r, 20));
  log.info('scheduler caches synced', { nodes: nodes.lister.list().length, pods: pods.lister.list().length });

  const loop = async (signal: AbortSignal): Promise<void> => {
    scheduler.queue.run();
    scheduler.cache.run();
    signal.addEventListener('abort', () => {
      scheduler.queue.close();
      scheduler.cache.stop();
    }, { once: true });
    while (!signal.aborted) {
      const t0 = clock.monotonic();
      const out = await scheduler.scheduleNext(signal).catch((err: unknown) => {
        log.error('scheduling attempt failed', { err });
        return null;
      });
      if (out === undefined) break;
      if (out) {
        const result = out.node ? 'scheduled' : out.failure?.reason === 'SchedulerError' ? 'error' : 'unschedulable';
        const profile = out.pod.spec.schedulerName || 'default-scheduler';
        metrics?.attempts.inc({ result, profile });
        metrics?.duration.observe({ result, profile }, (clock.monotonic() - t0) / 1000);
        const created = Date.parse(out.pod.metadata.creationTimestamp ?? '');
        if (out.node && metrics && Number.isFinite(created)) metrics.e2e.observe({ profile }, Math.max(0, clock.now() - created) / 1000);
      }
      // Let bind promises and informer callbacks run between pods.
      await new Promise<void>((r) => setImmediate(r));
    }
    await scheduler.waitForBindings();
  };

  let running: Promise<void> | undefined;
  let elector: Promise<void> | undefined;
  if (opts.leaderElect === false) {
    running = loop(ac.signal);
  } else {
    elector = new LeaderElector({
      client, namespace: 'kube-system', name: 'kube-scheduler', identity: opts.identity, clock, log,
      callbacks: {
        onStartedLeading: (signal) => {
          log.info('became leader; scheduling', { identity: opts.identity });
          running = loop(signal);
        },
        onStoppedLeading: () => {
          log.warn('leadership lost', { identity: opts.identity });
          if (!ac.signal.aborted) opts.onLostLeadership?.();
        },
      },
    }).run(ac.signal);
  }

  return {
    scheduler,
    synced: () => allInformers.every((i) => i.hasSynced()),
    async stop() {
      ac.abort();
      await elector;
      await running;
      // Queued events are written for a moment, not for as long as a backlog of thousands takes
      // (upstream's broadcaster Shutdown does not wait for its queue either).
      let timer: { cancel(): void } | undefined;
      await Promise.race([recorder.shutdown(), new Promise<void>((r) => { timer = clock.setTimer(EVENT_FLUSH_MS, r); })]);
      timer?.cancel();
    },
  };
}

/** The PodScheduled=False condition and nominatedNodeName, written only when they change. */
async function reportFailure(pods: ReturnType<Client['resource']>, pod: Pod, f: SchedulingFailure, clock: Clock): Promise<void> {
  const cur = (pod.status?.conditions as Obj[] | undefined)?.find((c) => c.type === 'PodScheduled');
  const sameCondition = cur && cur.status === 'False' && cur.reason === f.reason && cur.message === f.message;
  const nominated = f.nominatedNodeName;
  const sameNomination = nominated === undefined || (pod.status?.nominatedNodeName ?? '') === nominated;
  if (sameCondition && sameNomination) return;
  const status: Obj = {};
  if (!sameCondition) {
    status.conditions = [{ type: 'PodScheduled', status: 'False', reason: f.reason, message: f.message, lastProbeTime: null, lastTransitionTime: rfc3339(clock) }];
  }
  if (!sameNomination) status.nominatedNodeName = nominated || null;
  await pods.namespace(pod.metadata.namespace!).patch(pod.metadata.name!, 'strategic', { status }, { subresource: 'status' });
}

/**
 * upstream helper.DefaultSelector: the union of the selectors of the Services, ReplicationControllers,
 * ReplicaSets and StatefulSets in the pod's namespace that select it.
 */
function defaultSelector(pod: Pod, s: Record<'services' | 'replicasets' | 'statefulsets' | 'replicationcontrollers', SharedIndexInformer<KubeObject>>): LabelSelector | undefined {
  const ns = pod.metadata.namespace ?? '';
  const labels = pod.metadata.labels ?? {};
  const reqs: Requirement[] = [];
  const take = (sel: LabelSelector) => {
    if (!sel.empty() && sel.matches(labels)) reqs.push(...sel.requirements);
  };
  for (const svc of s.services.lister.listNamespace(ns)) take(labelSelectorFromSet((svc.spec as Obj | undefined)?.selector));
  for (const rc of s.replicationcontrollers.lister.listNamespace(ns)) take(labelSelectorFromSet((rc.spec as Obj | undefined)?.selector));
  for (const rs of s.replicasets.lister.listNamespace(ns)) take(labelSelectorFromObject((rs.spec as Obj | undefined)?.selector));
  for (const ss of s.statefulsets.lister.listNamespace(ns)) take(labelSelectorFromObject((ss.spec as Obj | undefined)?.selector));
  if (!reqs.length) return undefined;
  return {
    requirements: reqs,
    matches: (l) => reqs.every((r) => requirementMatches(r, l)),
    empty: () => false,
    toString: () => reqs.map(requirementString).join(','),
  };
}

function rfc3339(clock: Clock): string {
  return new Date(clock.now()).toISOString().replace(/\.\d+Z$/, 'Z');
}

interface SchedulerMetrics {
  attempts: Counter;
  duration: Histogram;
  /** Pod created → successfully scheduled (upstream scheduler_pod_scheduling_sli_duration_seconds). */
  e2e: Histogram;
}

/** Registers the scheduler's metrics; the pending-pods gauge reads the queue when scraped. */
function schedulerMetrics(reg: MetricsRegistry | undefined, pending: () => Record<string, number>): SchedulerMetrics | undefined {
  if (!reg) return undefined;
  const gauge: Gauge = reg.register(new Gauge('scheduler_pending_pods', 'Number of pending pods, by the queue type.', ['queue'], () => {
    for (const [queue, n] of Object.entries(pending())) gauge.set({ queue }, n);
  }));
  return {
    e2e: reg.register(new Histogram('scheduler_pod_scheduling_sli_duration_seconds', 'E2e latency for a pod being scheduled, from the time the pod is created.', ['profile'], [0.01, 0.02, 0.04, 0.08, 0.16, 0.32, 0.64, 1.28, 2.56, 5.12, 10.24, 20.48, 40.96, 81.92, 163.84])),
    attempts: reg.register(new Counter('scheduler_schedule_attempts_total', 'Number of attempts to schedule pods, by the result.', ['result', 'profile'])),
    duration: reg.register(new Histogram('scheduler_scheduling_attempt_duration_seconds', 'Scheduling attempt latency in seconds (scheduling algorithm + binding)', ['result', 'profile'], [0.001, 0.002, 0.004, 0.008, 0.016, 0.032, 0.064, 0.128, 0.256, 0.512, 1.024, 2.048, 4.096, 8.192])),
  };
}
