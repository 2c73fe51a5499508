// Owner references as the workload controllers write them (upstream metav1.NewControllerRef and
// GetControllerOf).
import type { KubeObject, OwnerReference } from '../../api/types.js';

/** The kind that owns objects: apiVersion and kind, e.g. {apiVersion: 'apps/v1', kind: 'ReplicaSet'}. */
export interface OwnerKind {
  apiVersion: string;
  kind: string;
}

/** The managing owner reference (controller: true), if any. */
export function getControllerOf(obj: KubeObject): OwnerReference | undefined {
  return obj.metadata.ownerReferences?.find((r) => r.controller === true);
}

/** A reference marking owner as obj's controller, blocking the owner's foreground deletion until obj is gone. */
export function newControllerRef(owner: KubeObject, kind: OwnerKind): OwnerReference {
  return {
    apiVersion: kind.apiVersion, kind: kind.kind, name: owner.metadata.name!, uid: owner.metadata.uid!,
    controller: true, blockOwnerDeletion: true,
  };
}

/** True when ref points at this owner kind (group matched by apiVersion's group, as upstream compares GroupKind). */
export function refersToKind(ref: OwnerReference, kind: OwnerKind): boolean {
  return ref.kind === kind.kind && groupOf(ref.apiVersion) === groupOf(kind.apiVersion);
}

function groupOf(apiVersion: string): string {
  const i = apiVersion.indexOf('/');
  return i < 0 ? '' : apiVersion.slice(0, i);
}
