// The leader election record as stored in a coordination.k8s.io/v1 Lease's spec (client-go
// tools/leaderelection/resourcelock), with times as MicroTime (RFC 3339, six fractional digits).

export interface LeaderElectionRecord {
  /** '' when released. */
  holderIdentity: string;
  leaseDurationSeconds: number;
  /** Epoch ms. */
  acquireTime: number;
  renewTime: number;
  leaderTransitions: number;
}

/** metav1.MicroTime text: 2006-01-02T15:04:05.000000Z. */
export function formatMicroTime(ms: number): string {
  return new Date(ms).toISOString().replace(/\.(\d{3})Z$/, '.$1000Z');
}

export function parseMicroTime(s: unknown): number {
  if (typeof s !== 'string') return 0;
  const t = Date.parse(s);
  return Number.isNaN(t) ? 0 : t;
}

export interface LeaseSpec {
  holderIdentity?: string;
  leaseDurationSeconds?: number;
  acquireTime?: string;
  renewTime?: string;
  leaseTransitions?: number;
}

export function recordToLeaseSpec(r: LeaderElectionRecord): LeaseSpec {
  const spec: LeaseSpec = {};
  if (r.holderIdentity) spec.holderIdentity = r.holderIdentity;
  spec.leaseDurationSeconds = r.leaseDurationSeconds;
  if (r.acquireTime) spec.acquireTime = formatMicroTime(r.acquireTime);
  if (r.renewTime) spec.renewTime = formatMicroTime(r.renewTime);
  spec.leaseTransitions = r.leaderTransitions;
  return spec;
}

export function leaseSpecToRecord(spec: LeaseSpec | undefined): LeaderElectionRecord {
  return {
    holderIdentity: spec?.holderIdentity ?? '',
    leaseDurationSeconds: spec?.leaseDurationSeconds ?? 0,
    acquireTime: parseMicroTime(spec?.acquireTime),
    renewTime: parseMicroTime(spec?.renewTime),
    leaderTransitions: spec?.leaseTransitions ?? 0,
  };
}
