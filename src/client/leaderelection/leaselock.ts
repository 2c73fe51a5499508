// A lock on one Lease object (client-go's resourcelock.LeaseLock). Updates carry the resourceVersion
// of the Lease last read or written, so two candidates racing for it cannot both win.
import type { KubeObject } from '../../api/types.js';
import type { CallOptions, Client, ResourceOps } from '../interfaces.js';
import { refs } from '../refs.js';
import { leaseSpecToRecord, recordToLeaseSpec, type LeaderElectionRecord, type LeaseSpec } from './record.js';

type Lease = KubeObject & { spec?: LeaseSpec };

export class LeaseLock {
  private lease?: Lease;
  private readonly leases: ResourceOps<Lease>;

  constructor(client: Client, readonly namespace: string, readonly name: string, readonly identity: string) {
    this.leases = client.resource<Lease>(refs.leases).namespace(namespace);
  }

  /** The current record and its raw JSON (to notice any change); NotFound propagates. */
  async get(opts: CallOptions = {}): Promise<{ record: LeaderElectionRecord; raw: string }> {
    this.lease = await this.leases.get(this.name, opts);
    return { record: leaseSpecToRecord(this.lease.spec), raw: JSON.stringify(this.lease.spec ?? {}) };
  }

  async create(r: LeaderElectionRecord, opts: CallOptions = {}): Promise<void> {
    this.lease = await this.leases.create({ apiVersion: 'coordination.k8s.io/v1', kind: 'Lease', metadata: { name: this.name, namespace: this.namespace }, spec: recordToLeaseSpec(r) }, opts);
  }

  /** Writes r over the Lease last seen; fails with Conflict if someone else wrote it since. */
  async update(r: LeaderElectionRecord, opts: CallOptions = {}): Promise<void> {
    if (!this.lease) throw new Error('leaselock: update before get or create');
    this.lease = await this.leases.update({ ...this.lease, spec: recordToLeaseSpec(r) }, opts);
  }

  describe(): string {
    return `${this.namespace}/${this.name}`;
  }
}
