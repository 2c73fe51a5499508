// Replica arithmetic and ReplicaSet bookkeeping of the Deployment controller (upstream
// pkg/controller/deployment/util/deployment_util.go).
import { parseTime, type Deployment, type PodTemplateSpec, type ReplicaSet } from '../controller-utils/index.js';
import { POD_TEMPLATE_HASH, maxReplicasOf, desiredReplicasOf, revisionOf } from './annotations.js';

/** int32 max: progressDeadlineSeconds set to it means "no deadline" (upstream HasProgressDeadline). */
const MAX_INT32 = 2 ** 31 - 1;

export const replicasOf = (rs: ReplicaSet | undefined): number => rs?.spec?.replicas ?? 0;
export const desiredOf = (d: Deployment): number => d.spec?.replicas ?? 1;

/**
 * An IntOrString as a count of total: an integer as is, "N%" as N% of total rounded up or down
 * (upstream GetScaledValueFromIntOrPercent). Throws for anything else.
 */
export function scaledValue(v: number | string | undefined, total: number, roundUp: boolean): number {
  if (v === undefined) return 0;
  if (typeof v === 'number') return v;
  const m = /^(\d+)%$/.exec(v);
  if (!m) {
    if (/^\d+$/.test(v)) return Number(v);
    throw new Error(`invalid value for IntOrString: invalid value "${v}": must be an integer or a percentage`);
  }
  const exact = (Number(m[1]) * total) / 100;
  return roundUp ? Math.ceil(exact) : Math.floor(exact);
}

export function isRollingUpdate(d: Deployment): boolean {
  return (d.spec?.strategy?.type ?? 'RollingUpdate') === 'RollingUpdate';
}

/** maxSurge rounds up, maxUnavailable down; both 0 makes maxUnavailable 1 (upstream ResolveFenceposts). */
export function resolveFenceposts(maxSurge: number | string | undefined, maxUnavailable: number | string | undefined, desired: number): { surge: number; unavailable: number } {
  const surge = scaledValue(maxSurge ?? '25%', desired, true);
  let unavailable = scaledValue(maxUnavailable ?? '25%', desired, false);
  if (surge === 0 && unavailable === 0) unavailable = 1;
  return { surge, unavailable };
}

export function maxSurge(d: Deployment): number {
  if (!isRollingUpdate(d)) return 0;
  const ru = d.spec?.strategy?.rollingUpdate;
  return resolveFenceposts(ru?.maxSurge, ru?.maxUnavailable, desiredOf(d)).surge;
}

export function maxUnavailable(d: Deployment): number {
  const want = desiredOf(d);
  if (!isRollingUpdate(d) || want === 0) return 0;
  const ru = d.spec?.strategy?.rollingUpdate;
  return Math.min(resolveFenceposts(ru?.maxSurge, ru?.maxUnavailable, want).unavailable, want);
}

type MaybeRS = ReplicaSet | undefined;
const sum = (rss: readonly MaybeRS[], f: (rs: ReplicaSet) => number | undefined) => rss.reduce((n, rs) => n + (rs ? (f(rs) ?? 0) : 0), 0);

/** Sum of spec.replicas (upstream GetReplicaCountForReplicaSets). */
export const specReplicas = (rss: readonly MaybeRS[]) => sum(rss, (rs) => rs.spec?.replicas);
/** Sum of status.replicas (GetActualReplicaCountForReplicaSets). */
export const actualReplicas = (rss: readonly MaybeRS[]) => sum(rss, (rs) => rs.status?.replicas);
export const readyReplicas = (rss: readonly MaybeRS[]) => sum(rss, (rs) => rs.status?.readyReplicas);
export const availableReplicas = (rss: readonly MaybeRS[]) => sum(rss, (rs) => rs.status?.availableReplicas);

/** ReplicaSets with spec.replicas > 0. */
export function activeReplicaSets(rss: readonly MaybeRS[]): ReplicaSet[] {
  return rss.filter((rs): rs is ReplicaSet => !!rs && replicasOf(rs) > 0);
}

function ts(rs: ReplicaSet): number {
  return parseTime(rs.metadata.creationTimestamp) ?? 0;
}

/** Older first, then by name (upstream ReplicaSetsByCreationTimestamp). */
export function byCreation(a: ReplicaSet, b: ReplicaSet): number {
  const d = ts(a) - ts(b);
  if (d !== 0) return d;
  const na = a.metadata.name ?? '';
  const nb = b.metadata.name ?? '';
  return na < nb ? -1 : na > nb ? 1 : 0;
}

/** Larger first; ties older first (ReplicaSetsBySizeOlder). */
export function bySizeOlder(a: ReplicaSet, b: ReplicaSet): number {
  return replicasOf(b) - replicasOf(a) || byCreation(a, b);
}

/** Larger first; ties newer first (ReplicaSetsBySizeNewer). */
export function bySizeNewer(a: ReplicaSet, b: ReplicaSet): number {
  return replicasOf(b) - replicasOf(a) || byCreation(b, a);
}

/** Lower revision first, then older (ReplicaSetsByRevision). */
export function byRevision(a: ReplicaSet, b: ReplicaSet): number {
  return revisionOf(a) - revisionOf(b) || byCreation(a, b);
}

/**
 * Removes empty maps/arrays, null and undefined, as apimachinery's semantic equality of the decoded
 * Go structs ignores nil-vs-empty and null-vs-absent. `kubectl rollout undo` sends the old template
 * as Go marshals it, with `metadata.creationTimestamp: null`: that template must still match the
 * ReplicaSet it came from.
 */
function normalize(v: unknown): unknown {
  if (v === null) return undefined;
  if (Array.isArray(v)) return v.length ? v.map(normalize) : undefined;
  if (v && typeof v === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, x] of Object.entries(v)) {
      const n = normalize(x);
      if (n !== undefined) out[k] = n;
    }
    return Object.keys(out).length ? out : undefined;
  }
  return v;
}

/** Templates equal apart from the pod-template-hash label (upstream EqualIgnoreHash). */
export function equalIgnoreHash(a: PodTemplateSpec | undefined, b: PodTemplateSpec | undefined): boolean {
  const strip = (t: PodTemplateSpec | undefined) => {
    const c = structuredClone(t ?? {}) as PodTemplateSpec;
    if (c.metadata?.labels) delete c.metadata.labels[POD_TEMPLATE_HASH];
    return normalize(c);
  };
  return JSON.stringify(sortKeys(strip(a))) === JSON.stringify(sortKeys(strip(b)));
}

function sortKeys(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(sortKeys);
  if (v && typeof v === 'object') return Object.fromEntries(Object.entries(v).sort(([x], [y]) => (x < y ? -1 : x > y ? 1 : 0)).map(([k, x]) => [k, sortKeys(x)]));
  return v;
}

/** The oldest ReplicaSet whose template equals the Deployment's (upstream FindNewReplicaSet). */
export function findNewReplicaSet(d: Deployment, rss: readonly ReplicaSet[]): ReplicaSet | undefined {
  return [...rss].sort(byCreation).find((rs) => equalIgnoreHash(rs.spec?.template, d.spec?.template));
}

/** Every ReplicaSet but the new one (upstream FindOldReplicaSets' second result). */
export function findOldReplicaSets(d: Deployment, rss: readonly ReplicaSet[]): ReplicaSet[] {
  const n = findNewReplicaSet(d, rss);
  return rss.filter((rs) => !n || rs.metadata.uid !== n.metadata.uid);
}

/** How many replicas the new ReplicaSet may have now (upstream NewRSNewReplicas). */
export function newRSNewReplicas(d: Deployment, all: readonly MaybeRS[], newRS: ReplicaSet): number {
  const want = desiredOf(d);
  if (!isRollingUpdate(d)) return want;
  const maxTotal = want + maxSurge(d);
  const current = specReplicas(all);
  if (current >= maxTotal) return replicasOf(newRS);
  const up = Math.min(maxTotal - current, want - replicasOf(newRS));
  return replicasOf(newRS) + up;
}

/** The new ReplicaSet runs, wants and has every desired replica available (upstream IsSaturated). */
export function isSaturated(d: Deployment, rs: ReplicaSet | undefined): boolean {
  if (!rs) return false;
  const want = desiredOf(d);
  return replicasOf(rs) === want && desiredReplicasOf(rs) === want && (rs.status?.availableReplicas ?? 0) === want;
}

/** The one active ReplicaSet, or the newest when none is active; undefined when several are (FindActiveOrLatest). */
export function findActiveOrLatest(newRS: ReplicaSet | undefined, oldRSs: readonly ReplicaSet[]): ReplicaSet | undefined {
  if (!newRS && oldRSs.length === 0) return undefined;
  const newestFirst = [...oldRSs].sort((a, b) => byCreation(b, a));
  const active = activeReplicaSets([...newestFirst, newRS]);
  if (active.length === 0) return newRS ?? newestFirst[0];
  if (active.length === 1) return active[0];
  return undefined;
}

/** rs's share of a scaling step, from its max-replicas annotation (upstream getReplicaSetFraction). */
function fraction(rs: ReplicaSet, d: Deployment): number {
  const want = desiredOf(d);
  if (want === 0) return -replicasOf(rs);
  const deploymentReplicas = want + maxSurge(d);
  const annotated = maxReplicasOf(rs) ?? d.status?.replicas ?? 0;
  if (annotated === 0) return 0;
  // Go's math.Round rounds half away from zero.
  const size = (replicasOf(rs) * deploymentReplicas) / annotated;
  return Math.sign(size) * Math.round(Math.abs(size)) - replicasOf(rs);
}

/** How many replicas rs gains (or loses) of toAdd, given added so far (upstream GetProportion). */
export function proportion(rs: ReplicaSet | undefined, d: Deployment, toAdd: number, added: number): number {
  if (!rs || replicasOf(rs) === 0 || toAdd === 0 || toAdd === added) return 0;
  const f = fraction(rs, d);
  const allowed = toAdd - added;
  return toAdd > 0 ? Math.min(f, allowed) : Math.max(f, allowed);
}

export function hasProgressDeadline(d: Deployment): boolean {
  const s = d.spec?.progressDeadlineSeconds;
  return s !== undefined && s !== null && s !== MAX_INT32;
}

export function hasRevisionHistoryLimit(d: Deployment): boolean {
  const l = d.spec?.revisionHistoryLimit;
  return l !== undefined && l !== null && l !== MAX_INT32;
}
