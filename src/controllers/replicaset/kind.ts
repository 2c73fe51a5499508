// The kinds this controller drives. Upstream runs the same ReplicaSetController for
// ReplicationControllers (pkg/controller/replication wraps it with a conversion); here the
// difference is only the resource, the owner kind, the selector shape and the event source.
import { labelSelectorFromObject, labelSelectorFromSet, type LabelSelector } from '../../api/selectors/index.js';
import { refs, type ResourceRef } from '../../client/index.js';
import type { OwnerKind } from '../controller-utils/index.js';
import type { PodTemplateSpec, ReplicaSet, ReplicationController } from '../controller-utils/index.js';

/** A ReplicaSet or a ReplicationController: the fields the controller reads are the same. */
export type ReplicaSetLike = ReplicaSet | ReplicationController;

export interface ReplicaSetKind {
  ref: ResourceRef;
  ownerKind: OwnerKind;
  /** The recorder name (events' reportingController), as upstream's event source. */
  eventSource: string;
  /** The queue's name, for logs. */
  queueName: string;
  /** The object's selector; throws on an invalid one. */
  selectorOf(obj: ReplicaSetLike): LabelSelector;
  templateOf(obj: ReplicaSetLike): PodTemplateSpec | undefined;
}

export const replicaSetKind: ReplicaSetKind = {
  ref: refs.replicasets,
  ownerKind: { apiVersion: 'apps/v1', kind: 'ReplicaSet' },
  eventSource: 'replicaset-controller',
  queueName: 'replicaset',
  selectorOf: (obj) => labelSelectorFromObject((obj as ReplicaSet).spec?.selector),
  templateOf: (obj) => obj.spec?.template,
};

export const replicationControllerKind: ReplicaSetKind = {
  ref: refs.replicationcontrollers,
  ownerKind: { apiVersion: 'v1', kind: 'ReplicationController' },
  eventSource: 'replication-controller',
  queueName: 'replicationmanager',
  // A map selector; an empty one selects nothing here (the API server defaults it to the template labels).
  selectorOf: (obj) => {
    const sel = (obj as ReplicationController).spec?.selector;
    return sel && Object.keys(sel).length ? labelSelectorFromSet(sel) : labelSelectorFromObject(null);
  },
  templateOf: (obj) => obj.spec?.template,
};
