// Conversion between the version a client speaks and the version objects are stored in, for the
// resources served in more than one shape: autoscaling/v1 HPAs (stored as autoscaling/v2) and
// events.k8s.io/v1 Events (stored as core/v1 Events), following upstream's conversion functions.
import type { KubeObject } from './types.js';
import type { ResourceInfo } from './registry.js';

/** The object as stored (storage version); input is in info's version. */
export function toStorageVersion(info: ResourceInfo, obj: KubeObject): KubeObject {
  if (info.group === 'autoscaling' && info.version === 'v1') return hpaV1ToV2(obj);
  if (info.group === 'events.k8s.io') return eventsV1ToCore(obj);
  if (info.group === 'autoscaling') return { ...obj, apiVersion: 'autoscaling/v2', kind: 'HorizontalPodAutoscaler' };
  return obj;
}

/** The stored object in info's version. */
export function fromStorageVersion(info: ResourceInfo, obj: KubeObject): KubeObject {
  if (info.group === 'autoscaling' && info.version === 'v1') return hpaV2ToV1(obj);
  if (info.group === 'events.k8s.io') return coreToEventsV1(obj);
  return obj;
}

const CPU_ANNOTATION = 'autoscaling.alpha.kubernetes.io/metrics';

function hpaV1ToV2(o: KubeObject): KubeObject {
  const spec = (o.spec ?? {}) as Record<string, any>;
  const { targetCPUUtilizationPercentage, ...rest } = spec;
  const out: KubeObject = { ...o, apiVersion: 'autoscaling/v2', kind: 'HorizontalPodAutoscaler', spec: { ...rest } };
  if (targetCPUUtilizationPercentage !== undefined) {
    (out.spec as any).metrics = [{ type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: targetCPUUtilizationPercentage } } }];
  }
  const st = o.status as Record<string, any> | undefined;
  if (st) {
    const { currentCPUUtilizationPercentage, ...srest } = st;
    out.status = { ...srest };
    if (currentCPUUtilizationPercentage !== undefined) {
      (out.status as any).currentMetrics = [{ type: 'Resource', resource: { name: 'cpu', current: { averageUtilization: currentCPUUtilizationPercentage } } }];
    }
  }
  return out;
}

function hpaV2ToV1(o: KubeObject): KubeObject {
  const spec = (o.spec ?? {}) as Record<string, any>;
  const { metrics, behavior: _b, ...rest } = spec;
  const out: KubeObject = { ...o, apiVersion: 'autoscaling/v1', kind: 'HorizontalPodAutoscaler', spec: { ...rest } };
  const cpu = (metrics as any[] | undefined)?.find((m) => m?.type === 'Resource' && m.resource?.name === 'cpu' && m.resource?.target?.type === 'Utilization');
  if (cpu) (out.spec as any).targetCPUUtilizationPercentage = cpu.resource.target.averageUtilization;
  const others = (metrics as any[] | undefined)?.filter((m) => m !== cpu) ?? [];
  if (others.length) out.metadata = { ...o.metadata, annotations: { ...o.metadata.annotations, [CPU_ANNOTATION]: JSON.stringify(others) } };
  const st = o.status as Record<string, any> | undefined;
  if (st) {
    const { currentMetrics, conditions: _c, ...srest } = st;
    out.status = { ...srest };
    const cur = (currentMetrics as any[] | undefined)?.find((m) => m?.type === 'Resource' && m.resource?.name === 'cpu');
    if (cur?.resource?.current?.averageUtilization !== undefined) (out.status as any).currentCPUUtilizationPercentage = cur.resource.current.averageUtilization;
  }
  return out;
}

/** events.k8s.io/v1 → core/v1 field mapping (upstream's events/v1 conversion). */
function eventsV1ToCore(o: KubeObject): KubeObject {
  const e = o as Record<string, any>;
  const out: Record<string, any> = { metadata: o.metadata, apiVersion: 'v1', kind: 'Event' };
  if (e.regarding) out.involvedObject = e.regarding;
  if (e.related) out.related = e.related;
  if (e.note !== undefined) out.message = e.note;
  for (const k of ['reason', 'type', 'action', 'eventTime', 'reportingController', 'reportingInstance'] as const) if (e[k] !== undefined) out[k === 'reportingController' ? 'reportingComponent' : k] = e[k];
  if (e.deprecatedSource) out.source = e.deprecatedSource;
  if (e.deprecatedFirstTimestamp) out.firstTimestamp = e.deprecatedFirstTimestamp;
  if (e.deprecatedLastTimestamp) out.lastTimestamp = e.deprecatedLastTimestamp;
  if (e.deprecatedCount !== undefined) out.count = e.deprecatedCount;
  if (e.series) out.series = { count: e.series.count, lastObservedTime: e.series.lastObservedTime };
  out.involvedObject ??= {};
  return out as KubeObject;
}

function coreToEventsV1(o: KubeObject): KubeObject {
  const e = o as Record<string, any>;
  const out: Record<string, any> = { apiVersion: 'events.k8s.io/v1', kind: 'Event', metadata: o.metadata };
  if (e.involvedObject) out.regarding = e.involvedObject;
  if (e.related) out.related = e.related;
  if (e.message !== undefined) out.note = e.message;
  for (const k of ['reason', 'type', 'action', 'eventTime', 'reportingInstance'] as const) if (e[k] !== undefined) out[k] = e[k];
  if (e.reportingComponent !== undefined) out.reportingController = e.reportingComponent;
  if (e.source) out.deprecatedSource = e.source;
  if (e.firstTimestamp) out.deprecatedFirstTimestamp = e.firstTimestamp;
  if (e.lastTimestamp) out.deprecatedLastTimestamp = e.lastTimestamp;
  if (e.count !== undefined) out.deprecatedCount = e.count;
  if (e.series) out.series = e.series;
  return out as KubeObject;
}
