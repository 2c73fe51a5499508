// How the job controller reads its pods (upstream pkg/controller/job: isPodFailed, getNewFinishedPods,
// completion indexes) and builds new ones from the template.
import type { KubeObject, OwnerReference } from '../../api/types.js';
import { matchPodFailurePolicy } from './failurepolicy.js';

type Obj = Record<string, any>;
export type Pod = KubeObject & { spec?: Obj; status?: Obj };
export type Job = KubeObject & { spec: Obj; status?: Obj };

export const TRACKING_FINALIZER = 'batch.kubernetes.io/job-tracking';
export const COMPLETION_INDEX_ANNOTATION = 'batch.kubernetes.io/job-completion-index';
export const COMPLETION_INDEX_LABEL = 'batch.kubernetes.io/job-completion-index';
export const COMPLETION_INDEX_ENV = 'JOB_COMPLETION_INDEX';

export function controllerRef(o: KubeObject): OwnerReference | undefined {
  return o.metadata.ownerReferences?.find((r) => r.controller === true);
}

/** Not finished and not being deleted (upstream controller.IsPodActive). */
export function isPodActive(p: Pod): boolean {
  const phase = p.status?.phase;
  return phase !== 'Succeeded' && phase !== 'Failed' && !p.metadata.deletionTimestamp;
}

export function isPodReady(p: Pod): boolean {
  return (p.status?.conditions ?? []).some((c: Obj) => c.type === 'Ready' && c.status === 'True');
}

/** Being deleted but not finished (upstream controller.IsPodTerminating). */
export function isPodTerminating(p: Pod): boolean {
  const phase = p.status?.phase;
  return !!p.metadata.deletionTimestamp && phase !== 'Succeeded' && phase !== 'Failed';
}

export function hasTrackingFinalizer(p: Pod): boolean {
  return (p.metadata.finalizers ?? []).includes(TRACKING_FINALIZER);
}

/** podReplacementPolicy Failed (or a podFailurePolicy) waits for pods to reach phase Failed. */
export function onlyReplaceFailedPods(job: Job): boolean {
  return job.spec.podReplacementPolicy === 'Failed' || !!job.spec.podFailurePolicy;
}

/** Upstream isPodFailed: a Failed pod, or (unless only failed pods count) one deleted before succeeding. */
export function isPodFailed(p: Pod, job: Job): boolean {
  if (onlyReplaceFailedPods(job)) return p.status?.phase === 'Failed';
  if (p.status?.phase === 'Failed') return true;
  return !!p.metadata.deletionTimestamp && p.status?.phase !== 'Succeeded';
}

/** The pod's completion index, or -1 when absent or malformed. */
export function completionIndex(p: Pod): number {
  const v = p.metadata.annotations?.[COMPLETION_INDEX_ANNOTATION] ?? p.metadata.labels?.[COMPLETION_INDEX_LABEL];
  if (v === undefined || !/^(0|[1-9]\d*)$/.test(v)) return -1;
  return Number(v);
}

export function isIndexed(job: Job): boolean {
  return job.spec.completionMode === 'Indexed';
}

/** Pods that finished since the last count: still carrying the finalizer and not yet uncounted. */
export function newFinishedPods(job: Job, pods: Pod[], expectedRm: ReadonlySet<string>): { succeeded: Pod[]; failed: Pod[] } {
  const unc = job.status?.uncountedTerminatedPods ?? {};
  const us = new Set<string>(unc.succeeded ?? []);
  const uf = new Set<string>(unc.failed ?? []);
  const succeeded: Pod[] = [];
  const failed: Pod[] = [];
  for (const p of pods) {
    if (!hasTrackingFinalizer(p) || expectedRm.has(p.metadata.uid!)) continue;
    if (p.status?.phase === 'Succeeded' && !us.has(p.metadata.uid!)) succeeded.push(p);
    else if (isPodFailed(p, job) && !uf.has(p.metadata.uid!)) failed.push(p);
  }
  return { succeeded, failed };
}

/** Failed pods a podFailurePolicy Ignore rule does not exclude. */
export function countedFailures(job: Job, failed: Pod[]): number {
  if (!job.spec.podFailurePolicy) return failed.length;
  return failed.filter((p) => matchPodFailurePolicy(job.spec.podFailurePolicy, p).countFailed).length;
}

/** When a pod finished: its latest container termination, else its Ready transition, else undefined. */
export function finishTime(p: Pod): number | undefined {
  let t: number | undefined;
  for (const cs of [...(p.status?.initContainerStatuses ?? []), ...(p.status?.containerStatuses ?? [])]) {
    const f = cs.state?.terminated?.finishedAt;
    if (f) t = Math.max(t ?? 0, Date.parse(f));
  }
  if (t !== undefined) return t;
  const ready = (p.status?.conditions ?? []).find((c: Obj) => c.type === 'Ready');
  if (ready?.lastTransitionTime) return Date.parse(ready.lastTransitionTime);
  if (p.metadata.deletionTimestamp) return Date.parse(p.metadata.deletionTimestamp);
  return undefined;
}

/** A new pod for job (index ≥ 0 for Indexed jobs), owned by it and carrying the tracking finalizer. */
export function podFromTemplate(job: Job, index: number): Pod {
  const tpl = structuredClone(job.spec.template ?? {}) as Obj;
  const meta = tpl.metadata ?? {};
  const spec = tpl.spec ?? {};
  const name = job.metadata.name!;
  const labels: Record<string, string> = { ...(meta.labels ?? {}) };
  const annotations: Record<string, string> = { ...(meta.annotations ?? {}) };
  if (index >= 0) {
    annotations[COMPLETION_INDEX_ANNOTATION] = String(index);
    labels[COMPLETION_INDEX_LABEL] = String(index);
    // Upstream gives indexed pods a stable hostname and the index as an environment variable.
    if (!spec.hostname) spec.hostname = `${name}-${index}`;
    // The variable reads the index label (PodIndexLabel, on since 1.28); one the user set wins.
    for (const c of [...(spec.initContainers ?? []), ...(spec.containers ?? [])]) {
      if ((c.env ?? []).some((e: Obj) => e.name === COMPLETION_INDEX_ENV)) continue;
      c.env = [...(c.env ?? []), { name: COMPLETION_INDEX_ENV, valueFrom: { fieldRef: { fieldPath: `metadata.labels['${COMPLETION_INDEX_LABEL}']` } } }];
    }
  }
  return {
    apiVersion: 'v1', kind: 'Pod',
    metadata: {
      generateName: index >= 0 ? `${name}-${index}-` : `${name}-`,
      namespace: job.metadata.namespace,
      labels, annotations,
      finalizers: [...(meta.finalizers ?? []), TRACKING_FINALIZER],
      ownerReferences: [{ apiVersion: 'batch/v1', kind: 'Job', name, uid: job.metadata.uid!, controller: true, blockOwnerDeletion: true }],
    },
    spec,
  };
}
