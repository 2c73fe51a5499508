// Adoption and release of owned objects (upstream controller_ref_manager.go): a controller claims
// the objects its selector matches — its own stay, orphans are adopted with a patch that adds a
// controller ownerReference, owned objects that no longer match are released with a patch that
// removes it. A controller being deleted never adopts (and does not release either).
import type { KubeObject } from '../../api/types.js';
import type { LabelSelector } from '../../api/selectors/index.js';
import type { ResourceOps } from '../../client/index.js';
import { isReason } from '../../util/errors.js';
import { getControllerOf, newControllerRef, type OwnerKind } from './owner.js';

export interface RefManagerOptions<T extends KubeObject> {
  /** The claiming controller object (e.g. the ReplicaSet). */
  controller: KubeObject;
  controllerKind: OwnerKind;
  selector: LabelSelector;
  /** Patches the owned objects in the controller's namespace. */
  ops: ResourceOps<T>;
  /**
   * Called once before the first adoption: re-reads the controller from the API server and throws
   * when it is gone, replaced (UID changed) or being deleted (upstream RecheckDeletionTimestamp).
   */
  canAdopt(): Promise<void>;
}

export class ControllerRefManager<T extends KubeObject> {
  private adoptChecked?: Promise<void>;

  constructor(private readonly o: RefManagerOptions<T>) {}

  /**
   * The objects this controller owns after adopting and releasing; `filter` (e.g. isPodActive)
   * must hold for an orphan to be adopted. Throws, after trying every object, when any patch failed.
   */
  async claim(objs: readonly T[], filter: (obj: T) => boolean = () => true): Promise<T[]> {
    const claimed: T[] = [];
    const errs: unknown[] = [];
    const uid = this.o.controller.metadata.uid;
    const deleting = !!this.o.controller.metadata.deletionTimestamp;
    for (const obj of objs) {
      const ref = getControllerOf(obj);
      const matches = this.o.selector.matches(obj.metadata.labels) && filter(obj);
      try {
        if (ref) {
          if (ref.uid !== uid) continue;
          if (this.o.selector.matches(obj.metadata.labels)) {
            claimed.push(obj);
            continue;
          }
          // Ours but no longer selected: let go, unless we are being deleted (the GC handles that).
          if (!deleting) await this.release(obj);
          continue;
        }
        if (deleting || !matches || obj.metadata.deletionTimestamp) continue;
        if (obj.metadata.namespace !== this.o.controller.metadata.namespace) continue;
        const adopted = await this.adopt(obj);
        if (adopted) claimed.push(adopted);
      } catch (err) {
        errs.push(err);
      }
    }
    if (errs.length === 1) throw errs[0];
    if (errs.length) throw new AggregateError(errs, errs.map((e) => (e instanceof Error ? e.message : String(e))).join('; '));
    return claimed;
  }

  private async adopt(obj: T): Promise<T | undefined> {
    this.adoptChecked ??= this.o.canAdopt();
    await this.adoptChecked;
    const ref = newControllerRef(this.o.controller, this.o.controllerKind);
    // The uid in the patch is a precondition: the patch fails if the object was replaced meanwhile.
    try {
      return await this.o.ops.patch(obj.metadata.name!, 'strategic', { metadata: { ownerReferences: [ref], uid: obj.metadata.uid } });
    } catch (err) {
      if (isReason(err, 'NotFound')) return undefined; // gone: nothing to adopt
      throw err;
    }
  }

  private async release(obj: T): Promise<void> {
    const patch = { metadata: { ownerReferences: [{ $patch: 'delete', uid: this.o.controller.metadata.uid }], uid: obj.metadata.uid } };
    try {
      await this.o.ops.patch(obj.metadata.name!, 'strategic', patch);
    } catch (err) {
      // Gone, or replaced by another object of the same name: nothing of ours to release.
      if (isReason(err, 'NotFound') || isReason(err, 'Invalid') || isReason(err, 'Conflict')) return;
      throw err;
    }
  }
}

/**
 * The usual canAdopt: re-read the controller, and refuse when its UID changed or it is being
 * deleted (upstream RecheckDeletionTimestamp over a fresh GET).
 */
export function recheckDeletionTimestamp(controller: KubeObject, fresh: () => Promise<KubeObject>): () => Promise<void> {
  return async () => {
    const cur = await fresh();
    const what = `${controller.kind ?? 'controller'} ${controller.metadata.namespace}/${controller.metadata.name}`;
    if (cur.metadata.uid !== controller.metadata.uid) throw new Error(`original ${what} is gone: got uid ${cur.metadata.uid}, wanted ${controller.metadata.uid}`);
    if (cur.metadata.deletionTimestamp) throw new Error(`${what} has just been deleted at ${cur.metadata.deletionTimestamp}`);
  };
}
