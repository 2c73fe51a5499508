// Writing ControllerRevisions through the API (upstream realHistory.CreateControllerRevision and
// UpdateControllerRevision): a name collision with different data bumps the collision count and retries.
import type { Client } from '../../client/index.js';
import { refs } from '../../client/index.js';
import { isReason } from '../../util/errors.js';
import { equalRevision, hashRevision, revisionName, CONTROLLER_REVISION_HASH_LABEL, type ControllerRevision } from './revision.js';

export class RevisionStore {
  constructor(private readonly client: Client) {}

  private ops(ns: string) {
    return this.client.resource<ControllerRevision>(refs.controllerrevisions).namespace(ns);
  }

  /**
   * Creates revision (named from its data and *collisionCount) or returns an existing one with the
   * same data; a different revision under that name increments collision.count and retries.
   */
  async create(parentName: string, revision: ControllerRevision, collision: { count: number }): Promise<ControllerRevision> {
    const ns = revision.metadata.namespace!;
    for (;;) {
      const hash = hashRevision(revision.data, collision.count);
      const clone: ControllerRevision = structuredClone(revision);
      clone.metadata.name = revisionName(parentName, hash);
      clone.metadata.labels = { ...clone.metadata.labels, [CONTROLLER_REVISION_HASH_LABEL]: hash };
      try {
        return await this.ops(ns).create(clone);
      } catch (err) {
        if (!isReason(err, 'AlreadyExists')) throw err;
        const existing = await this.ops(ns).get(clone.metadata.name);
        if (equalRevision(existing, clone)) return existing;
        collision.count++;
      }
    }
  }

  /** Sets a revision's number (upstream UpdateControllerRevision). */
  async updateRevisionNumber(rev: ControllerRevision, revision: number): Promise<ControllerRevision> {
    if (rev.revision === revision) return rev;
    return this.ops(rev.metadata.namespace!).patch(rev.metadata.name!, 'merge', { revision });
  }

  async delete(rev: ControllerRevision): Promise<void> {
    try {
      await this.ops(rev.metadata.namespace!).delete(rev.metadata.name!);
    } catch (err) {
      if (!isReason(err, 'NotFound')) throw err;
    }
  }
}
