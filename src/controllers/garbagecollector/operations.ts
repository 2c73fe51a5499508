// What the garbage collector asks of the API (upstream garbagecollector/operations.go and patch.go):
// live lookups by identity (a uid mismatch counts as absent), deletes with a uid precondition and a
// propagation policy, removing owner references by uid, and removing one finalizer.
import type { KubeObject, OwnerReference } from '../../api/types.js';
import { parseApiVersion } from '../../api/types.js';
import type { Client, ResourceOps } from '../../client/index.js';
import { resolveResource } from '../../client/index.js';
import { isReason } from '../../util/errors.js';
import type { ObjectIdentity } from './graph.js';

/** How a reference resolves against the API. */
export type LookupResult = { state: 'present'; obj: KubeObject } | { state: 'absent' };

export class GcOperations {
  constructor(private readonly client: Client) {}

  /** The resource ops of an identity; undefined when the kind is namespaced but the identity has no namespace. */
  opsFor(id: ObjectIdentity): ResourceOps | undefined {
    const info = resolveResource({ apiVersion: id.apiVersion, kind: id.kind });
    const rc = this.client.resource({ group: info.group, version: info.version, resource: info.resource });
    if (!info.namespaced) return rc;
    if (!id.namespace) return undefined;
    return rc.namespace(id.namespace);
  }

  /** Whether a kind is namespaced (throws for kinds the registry does not know, to be retried). */
  namespaced(apiVersion: string, kind: string): boolean {
    return resolveResource({ apiVersion, kind }).namespaced;
  }

  /** A live GET; absent when not found, when the uid differs, or when the reference cannot be valid. */
  async lookup(id: ObjectIdentity): Promise<LookupResult> {
    const ops = this.opsFor(id);
    if (!ops) return { state: 'absent' };
    try {
      const obj = await ops.get(id.name);
      return obj.metadata.uid === id.uid ? { state: 'present', obj } : { state: 'absent' };
    } catch (err) {
      if (isReason(err, 'NotFound')) return { state: 'absent' };
      throw err;
    }
  }

  async delete(id: ObjectIdentity, policy: 'Orphan' | 'Background' | 'Foreground'): Promise<void> {
    const ops = this.opsFor(id);
    if (!ops) return;
    try {
      await ops.delete(id.name, { propagationPolicy: policy, preconditions: { uid: id.uid } });
    } catch (err) {
      // Gone already, or replaced by a new object with the same name (the uid precondition failed).
      if (isReason(err, 'NotFound') || isReason(err, 'Conflict')) return;
      throw err;
    }
  }

  /**
   * Removes the owner references with the given uids from obj (a live copy), as one JSON patch that
   * first tests the object's uid and each removed entry, so a concurrent change fails it (retried).
   */
  async removeOwnerRefs(id: ObjectIdentity, obj: KubeObject, uids: Set<string>): Promise<void> {
    await this.patchRefs(id, obj, (r) => (uids.has(r.uid) ? null : r));
  }

  /** Sets blockOwnerDeletion=false on the references with the given uids (upstream unblockOwnerReferences). */
  async unblockOwnerRefs(id: ObjectIdentity, obj: KubeObject, uids: Set<string>): Promise<void> {
    await this.patchRefs(id, obj, (r) => (uids.has(r.uid) && r.blockOwnerDeletion ? { ...r, blockOwnerDeletion: false } : r));
  }

  private async patchRefs(id: ObjectIdentity, obj: KubeObject, edit: (r: OwnerReference) => OwnerReference | null): Promise<void> {
    const refs = obj.metadata.ownerReferences ?? [];
    const ops: unknown[] = [{ op: 'test', path: '/metadata/uid', value: id.uid }];
    for (let i = refs.length - 1; i >= 0; i--) {
      const r = refs[i]!;
      const next = edit(r);
      if (next === r) continue;
      ops.push({ op: 'test', path: `/metadata/ownerReferences/${i}/uid`, value: r.uid });
      ops.push(next === null ? { op: 'remove', path: `/metadata/ownerReferences/${i}` } : { op: 'replace', path: `/metadata/ownerReferences/${i}`, value: next });
    }
    if (ops.length === 1) return;
    const rops = this.opsFor(id);
    if (!rops) return;
    try {
      await rops.patch(id.name, 'json', ops);
    } catch (err) {
      if (isReason(err, 'NotFound')) return;
      throw err;
    }
  }

  /** Removes one finalizer from the live object (optimistic concurrency: a conflict is retried). */
  async removeFinalizer(id: ObjectIdentity, finalizer: string): Promise<void> {
    const ops = this.opsFor(id);
    if (!ops) return;
    let cur: KubeObject;
    try {
      cur = await ops.get(id.name);
    } catch (err) {
      if (isReason(err, 'NotFound')) return;
      throw err;
    }
    if (cur.metadata.uid !== id.uid || !cur.metadata.finalizers?.includes(finalizer)) return;
    const finalizers = cur.metadata.finalizers.filter((f) => f !== finalizer);
    try {
      await ops.patch(id.name, 'merge', { metadata: { uid: id.uid, resourceVersion: cur.metadata.resourceVersion, finalizers } });
    } catch (err) {
      if (isReason(err, 'NotFound')) return;
      throw err;
    }
  }
}

/** The group of an apiVersion (for comparing references across versions of one group). */
export function groupOf(apiVersion: string): string {
  return parseApiVersion(apiVersion).group;
}
