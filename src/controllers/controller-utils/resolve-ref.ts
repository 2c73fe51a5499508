// Owned objects enqueue their controller: find the owner a controller reference names in the
// owner's cache (upstream resolveControllerRef — kind, name and UID must all match).
import type { KubeObject, OwnerReference } from '../../api/types.js';
import type { Lister } from '../../client/index.js';
import { refersToKind, type OwnerKind } from './owner.js';

export function resolveControllerRef<T extends KubeObject>(namespace: string, ref: OwnerReference | undefined, kind: OwnerKind, lister: Lister<T>): T | undefined {
  if (!ref || !refersToKind(ref, kind)) return undefined;
  const owner = lister.get(namespace, ref.name);
  return owner && owner.metadata.uid === ref.uid ? owner : undefined;
}
