// Event handler shapes (client-go's ResourceEventHandler) and the tombstone a delete carries when the
// informer only learnt of it by relisting (cache.DeletedFinalStateUnknown).
import type { KubeObject } from '../../api/types.js';

/** A delete noticed on relist: `obj` is the last state the cache had, possibly stale. */
export class DeletedFinalStateUnknown<T extends KubeObject = KubeObject> {
  constructor(readonly key: string, readonly obj: T) {}
}

export interface EventHandler<T extends KubeObject = KubeObject> {
  /** isInInitialList: the object came with the informer's first list (or the replay for a late handler). */
  add?(obj: T, isInInitialList: boolean): void;
  /** Also called on resync and relist with old === new state (compare resourceVersions to tell). */
  update?(oldObj: T, newObj: T): void;
  delete?(obj: T | DeletedFinalStateUnknown<T>): void;
}

export interface HandlerRegistration {
  /** True once this handler has been given the informer's initial list. */
  hasSynced(): boolean;
  /** Stops deliveries to this handler. */
  remove(): void;
}

/** The object inside a delete notification, whether a tombstone or not. */
export function deletedObject<T extends KubeObject>(obj: T | DeletedFinalStateUnknown<T>): T {
  return obj instanceof DeletedFinalStateUnknown ? obj.obj : obj;
}
