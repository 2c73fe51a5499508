export { LeaderElector } from './elector.js';
export type { LeaderCallbacks, LeaderElectionConfig } from './elector.js';
export { LeaseLock } from './leaselock.js';
export { formatMicroTime, parseMicroTime, leaseSpecToRecord, recordToLeaseSpec } from './record.js';
export type { LeaderElectionRecord, LeaseSpec } from './record.js';
