// Strategies for resources with behaviour beyond the default: pods (graceful deletion, initial
// status), services (ClusterIP/NodePort allocation), namespaces (Terminating instead of deletion),
// jobs (generated selectors). Everything else uses defaultStrategy plus type defaulting.
import type { KubeObject } from '../../api/types.js';
import type { ResourceInfo } from '../../api/registry.js';
import { applyDefaults, DecodeError } from '../../api/defaults/index.js';
import { validateKind } from '../../api/validation/index.js';
import { errors } from '../../util/errors.js';
import { defaultStrategy, type Strategy } from './strategy.js';
import type { IPAllocator, PortAllocator } from './ipalloc.js';
import { nowRfc3339 } from './codec.js';
import { cmp } from '../../api/quantity/index.js';
import { dropTypeDependentFields } from './service-type.js';

export interface StrategyDeps {
  serviceIPs: IPAllocator;
  nodePorts: PortAllocator;
}

type Obj = Record<string, any>;

/**
 * The strategy for a resource: its type's defaulting on create and update (upstream defaults at
 * decode time, so an unparsable quantity is a 400 there too), its type's validation, and the
 * special behaviour of pods, services, namespaces, jobs and replication controllers.
 */
export function strategyFor(info: ResourceInfo, deps: StrategyDeps): Strategy {
  const base = defaultStrategy(info);
  // Defaults and validation are keyed by the storage version's group (HPA v1 → v2, events.k8s.io → core).
  const group = info.storage.group;
  const defaults = (obj: KubeObject) => {
    try {
      applyDefaults(group, info.kind, obj);
    } catch (err) {
      if (err instanceof DecodeError) throw errors.badRequest(`${info.kind} in version "${info.version}" cannot be handled as a ${info.kind}: ${err.message}`);
      throw err;
    }
  };
  const service = { nodePortRange: { min: deps.nodePorts.min, max: deps.nodePorts.max } };
  const typed: Strategy = {
    ...base,
    prepareForCreate(obj, ctx) {
      defaults(obj);
      base.prepareForCreate(obj, ctx);
    },
    prepareForUpdate(obj, old, ctx) {
      defaults(obj);
      base.prepareForUpdate(obj, old, ctx);
    },
    validate: (obj, old) => validateKind(group, info.kind, obj as Obj, old as Obj | undefined, { service }),
  };
  switch (`${info.group}/${info.resource}`) {
    case '/pods': return podStrategy(typed);
    case '/services': return serviceStrategy(typed, deps);
    case '/namespaces': return namespaceStrategy(typed);
    case 'batch/jobs': return jobStrategy(typed);
    // core/v1 RCs keep orphaning their pods by default, for backwards compatibility (upstream
    // rcStrategy.DefaultGarbageCollectionPolicy); apps/v1 workloads delete dependents.
    case '/replicationcontrollers': return { ...typed, defaultGarbageCollectionPolicy: 'OrphanDependents' };
    default: return typed;
  }
}

function podStrategy(s: Strategy): Strategy {
  return {
    ...s,
    prepareForCreate(obj, ctx) {
      s.prepareForCreate(obj, ctx);
      const spec = obj.spec as Obj;
      // DefaultTolerationSeconds admission: tolerate not-ready/unreachable for 300 s.
      spec.tolerations ??= [];
      for (const key of ['node.kubernetes.io/not-ready', 'node.kubernetes.io/unreachable']) {
        if (!(spec.tolerations as Obj[]).some((t) => t?.key === key || (t?.operator === 'Exists' && !t.key))) {
          spec.tolerations.push({ key, operator: 'Exists', effect: 'NoExecute', tolerationSeconds: 300 });
        }
      }
      spec.serviceAccountName ??= spec.serviceAccount ?? 'default';
      spec.serviceAccount ??= spec.serviceAccountName;
      // spec.priority and spec.preemptionPolicy come from Priority admission (admission/priority.ts).
      obj.status = { phase: 'Pending', qosClass: qosClass(spec) };
    },
    gracePeriod(obj, opts) {
      const spec = obj.spec as Obj | undefined;
      const phase = (obj.status as Obj | undefined)?.phase;
      // Unscheduled or finished pods have no kubelet to wait for (upstream pod strategy CheckGracefulDelete).
      if (!spec?.nodeName || phase === 'Succeeded' || phase === 'Failed') return 0;
      const g = opts.gracePeriodSeconds ?? spec.terminationGracePeriodSeconds ?? 30;
      return g <= 0 ? 0 : g;
    },
  };
}

const sameQuantity = (a: unknown, b: unknown) => {
  try {
    return cmp(a as string, b as string) === 0;
  } catch {
    return String(a) === String(b);
  }
};

/** Upstream's QoS classes: Guaranteed when every container's requests equal limits for cpu and memory. */
function qosClass(spec: Obj): string {
  const cs = [...((spec.containers as Obj[]) ?? []), ...((spec.initContainers as Obj[]) ?? [])];
  let any = false;
  let guaranteed = true;
  for (const c of cs) {
    const req = c?.resources?.requests ?? {};
    const lim = c?.resources?.limits ?? {};
    for (const r of ['cpu', 'memory']) {
      if (req[r] !== undefined || lim[r] !== undefined) any = true;
      const l = lim[r];
      const q = req[r] ?? l;
      if (l === undefined || !sameQuantity(q, l)) guaranteed = false;
    }
  }
  if (!any) return 'BestEffort';
  return guaranteed ? 'Guaranteed' : 'Burstable';
}

function serviceStrategy(s: Strategy, deps: StrategyDeps): Strategy {
  const needsNodePorts = (spec: Obj) => spec.type === 'NodePort' || (spec.type === 'LoadBalancer' && spec.allocateLoadBalancerNodePorts !== false);
  const allocate = (obj: KubeObject, old?: KubeObject) => {
    const spec = obj.spec as Obj;
    const oldSpec = old?.spec as Obj | undefined;
    const taken: (() => void)[] = [];
    try {
      if (spec.type !== 'ExternalName' && spec.clusterIP !== 'None') {
        if (oldSpec?.clusterIP && oldSpec.clusterIP !== 'None' && (!spec.clusterIP || spec.clusterIP === oldSpec.clusterIP)) {
          spec.clusterIP = oldSpec.clusterIP;
        } else {
          const want = spec.clusterIP || spec.clusterIPs?.[0] || undefined;
          const ip = deps.serviceIPs.allocate(want);
          taken.push(() => deps.serviceIPs.release(ip));
          spec.clusterIP = ip;
        }
        spec.clusterIPs = [spec.clusterIP];
      } else if (spec.clusterIP === 'None') {
        spec.clusterIPs = ['None'];
      }
      if (Array.isArray(spec.ports)) {
        const oldPorts = needsNodePorts(oldSpec ?? {}) ? (oldSpec?.ports as Obj[] | undefined) ?? [] : [];
        // Upstream patchAllocatedValues: a port left without a nodePort gets the old port's of the
        // same name back, unless the new spec already uses that nodePort elsewhere.
        const inUse = new Set((spec.ports as Obj[]).map((p) => p?.nodePort).filter(Boolean));
        for (const p of spec.ports as Obj[]) {
          if (!needsNodePorts(spec)) {
            delete p.nodePort;
            continue;
          }
          const byName = p.nodePort ? undefined : oldPorts.find((q) => (q.name ?? '') === (p.name ?? '') && q.nodePort && !inUse.has(q.nodePort));
          const prev = (byName ?? oldPorts.find((q) => q.port === p.port && q.protocol === p.protocol))?.nodePort;
          if (prev && (!p.nodePort || p.nodePort === prev)) {
            p.nodePort = prev;
            continue;
          }
          const port = deps.nodePorts.allocate(p.nodePort);
          taken.push(() => deps.nodePorts.release(port));
          p.nodePort = port;
        }
      }
    } catch (err) {
      for (const undo of taken) undo();
      throw err;
    }
  };
  const releaseAll = (obj: KubeObject, keep?: KubeObject) => {
    const spec = obj.spec as Obj;
    const keepSpec = keep?.spec as Obj | undefined;
    if (spec?.clusterIP && spec.clusterIP !== 'None' && spec.clusterIP !== keepSpec?.clusterIP) deps.serviceIPs.release(spec.clusterIP);
    for (const p of (spec?.ports as Obj[] | undefined) ?? []) {
      if (p?.nodePort && !(keepSpec?.ports as Obj[] | undefined)?.some((q) => q.nodePort === p.nodePort)) deps.nodePorts.release(p.nodePort);
    }
  };
  return {
    ...s,
    beforeCreate(obj) {
      allocate(obj);
    },
    rollbackCreate(obj) {
      releaseAll(obj);
    },
    beforeUpdate(obj, old) {
      allocate(obj, old);
      releaseAll(old, obj);
    },
    prepareForUpdate(obj, old, ctx) {
      s.prepareForUpdate(obj, old, ctx);
      dropTypeDependentFields(obj, old);
      const spec = obj.spec as Obj;
      const oldSpec = old.spec as Obj;
      if (spec && oldSpec && !spec.clusterIP && oldSpec.clusterIP && spec.type !== 'ExternalName') {
        spec.clusterIP = oldSpec.clusterIP;
        spec.clusterIPs = oldSpec.clusterIPs;
      }
    },
    afterDelete(obj) {
      releaseAll(obj);
    },
  };
}

function namespaceStrategy(s: Strategy): Strategy {
  return {
    ...s,
    prepareForCreate(obj, ctx) {
      s.prepareForCreate(obj, ctx);
      obj.spec = { finalizers: ['kubernetes'] };
      obj.status = { phase: 'Active' };
      obj.metadata.labels = { ...obj.metadata.labels, 'kubernetes.io/metadata.name': obj.metadata.name! };
    },
    prepareForUpdate(obj, old) {
      // spec.finalizers change only through /finalize; status only through /status.
      obj.spec = old.spec;
      obj.status = old.status;
      obj.metadata.labels = { ...obj.metadata.labels, 'kubernetes.io/metadata.name': old.metadata.name! };
    },
    beginDelete(obj, ctx) {
      const m = obj.metadata;
      const specFinalizers = ((obj.spec as Obj | undefined)?.finalizers as string[] | undefined) ?? [];
      if (!specFinalizers.length && !m.finalizers?.length) return undefined;
      if (!m.deletionTimestamp) {
        m.deletionTimestamp = nowRfc3339(ctx.now);
        m.deletionGracePeriodSeconds = 0;
      }
      obj.status = { ...(obj.status as Obj), phase: 'Terminating' };
      return obj;
    },
  };
}

function jobStrategy(s: Strategy): Strategy {
  return {
    ...s,
    prepareForCreate(obj, ctx) {
      s.prepareForCreate(obj, ctx);
      const spec = obj.spec as Obj | undefined;
      if (!spec || spec.manualSelector === true) return;
      // Upstream generates a selector on the job's uid and labels the template with it.
      const uid = obj.metadata.uid!;
      const labels = { 'batch.kubernetes.io/controller-uid': uid, 'batch.kubernetes.io/job-name': obj.metadata.name ?? '', 'controller-uid': uid, 'job-name': obj.metadata.name ?? '' };
      spec.selector = { matchLabels: { 'batch.kubernetes.io/controller-uid': uid } };
      if (spec.template) {
        spec.template.metadata ??= {};
        spec.template.metadata.labels = { ...spec.template.metadata.labels, ...labels };
      }
    },
  };
}
