// One Deployment sync's working state: a private, mutable copy of the Deployment and the writes
// every step shares (status, revision annotation, scaling a ReplicaSet with its Event).
import type { EventRecorder, ResourceOps } from '../../client/index.js';
import type { Logger } from '../../util/log.js';
import type { Deployment, ReplicaSet } from '../controller-utils/index.js';
import { REVISION, setReplicasAnnotations, replicasAnnotationsNeedUpdate } from './annotations.js';
import { desiredOf, maxSurge, replicasOf } from './util.js';

export interface DeploymentDeps {
  deployments(ns: string): ResourceOps<Deployment>;
  replicaSets(ns: string): ResourceOps<ReplicaSet>;
  /** Cached ReplicaSet by namespace/name (after an AlreadyExists on create). */
  cachedReplicaSet(ns: string, name: string): ReplicaSet | undefined;
  recorder: EventRecorder;
  now(): number;
  enqueueAfter(key: string, ms: number): void;
  enqueueRateLimited(key: string): void;
  log: Logger;
}

export class DeploymentSync {
  /** The Deployment as this sync sees and changes it (never the cached object). */
  d: Deployment;
  readonly ns: string;
  /** The revision annotation as stored, to know when it needs writing. */
  private storedRevision: string | undefined;

  constructor(readonly deps: DeploymentDeps, readonly key: string, cached: Deployment) {
    this.d = structuredClone(cached);
    this.d.apiVersion = 'apps/v1';
    this.d.kind = 'Deployment';
    this.ns = cached.metadata.namespace!;
    this.storedRevision = cached.metadata.annotations?.[REVISION];
  }

  get now(): number {
    return this.deps.now();
  }

  /** Sets the Deployment's revision annotation (upstream SetDeploymentRevision); true when it changed. */
  setRevision(revision: number): boolean {
    const v = String(revision);
    if (this.d.metadata.annotations?.[REVISION] === v) return false;
    this.d.metadata.annotations = { ...this.d.metadata.annotations, [REVISION]: v };
    return true;
  }

  /**
   * Writes this.d.status (and the revision annotation when it changed). Upstream writes both with
   * one UpdateStatus because the Deployment status strategy keeps annotations; status writes here
   * keep only status, so the annotation goes first in its own merge patch.
   */
  async writeStatus(): Promise<void> {
    const ops = this.deps.deployments(this.ns);
    const rev = this.d.metadata.annotations?.[REVISION];
    if (rev !== undefined && rev !== this.storedRevision) {
      const patched = await ops.patch(this.d.metadata.name!, 'merge', { metadata: { annotations: { [REVISION]: rev } } });
      this.storedRevision = rev;
      this.d.metadata.resourceVersion = patched.metadata.resourceVersion;
    }
    const updated = await ops.updateStatus(this.d);
    this.d.metadata.resourceVersion = updated.metadata.resourceVersion;
  }

  /** Scales rs to newScale (and refreshes its replicas annotations) with a ScalingReplicaSet Event. */
  async scaleReplicaSetAndRecordEvent(rs: ReplicaSet, newScale: number): Promise<{ scaled: boolean; rs: ReplicaSet }> {
    if (replicasOf(rs) === newScale) return { scaled: false, rs };
    return this.scaleReplicaSet(rs, newScale, replicasOf(rs) < newScale ? 'up' : 'down');
  }

  /** Upstream scaleReplicaSet: writes when the size or the replicas annotations are out of date. */
  async scaleReplicaSet(rs: ReplicaSet, newScale: number, operation: string): Promise<{ scaled: boolean; rs: ReplicaSet }> {
    const want = desiredOf(this.d);
    const max = want + maxSurge(this.d);
    const sizeChange = replicasOf(rs) !== newScale;
    if (!sizeChange && !replicasAnnotationsNeedUpdate(rs, want, max)) return { scaled: false, rs };
    const oldScale = replicasOf(rs);
    const copy = structuredClone(rs);
    copy.spec = { ...copy.spec!, replicas: newScale };
    setReplicasAnnotations(copy, want, max);
    const updated = await this.deps.replicaSets(this.ns).update(copy);
    if (sizeChange) {
      this.deps.recorder.record(this.d, 'Normal', 'ScalingReplicaSet', 'Scale', `Scaled ${operation} replica set ${rs.metadata.name} from ${oldScale} to ${newScale}`);
    }
    return { scaled: sizeChange, rs: updated };
  }
}
