// The leader election record as stored in a coordination.k8s.io/v1 Lease's spec (client-go
// tools/leaderelection/resourcelock), with times as MicroTime (RFC 3339, six fractional digits).
import { formatMicroTime, parseMicroTime } from '../microtime.js';

export { formatMicroTime, parseMicroTime };

export interface LeaderElectionRecord {
  /** '' when released. */
  holderIdentity: string;
  leaseDurationSeconds: number;
  /** Epoch ms. */
  acquireTime: number;
  renewTime: number;
  leaderTransitions: number;
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
