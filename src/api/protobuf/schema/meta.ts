// meta.k8s.io/v1 messages shared by every object (k8s.io/apimachinery/pkg/apis/meta/v1).
// Notation: see ../schema.ts. Time, Quantity and friends are special types, not listed here.

import type { MessageTable } from '../schema.js';

export const metaV1: MessageTable = {
  ObjectMeta:
    '1 name, 2 generateName, 3 namespace, 4 selfLink, 5 uid, 6 resourceVersion, 7 generation:i64, ' +
    '8 creationTimestamp:Time, 9 deletionTimestamp:Time, 10 deletionGracePeriodSeconds:i64!, ' +
    '11 labels:map, 12 annotations:map, 13 ownerReferences:OwnerReference[], 14 finalizers:str[], ' +
    '17 managedFields:ManagedFieldsEntry[]',
  OwnerReference: '1 kind!, 3 name!, 4 uid!, 5 apiVersion!, 6 controller:bool!, 7 blockOwnerDeletion:bool!',
  ManagedFieldsEntry:
    '1 manager, 2 operation, 3 apiVersion, 4 time:Time, 6 fieldsType, 7 fieldsV1:FieldsV1, ' +
    '8 subresource',
  Condition: '1 type!, 2 status!, 3 observedGeneration:i64, 4 lastTransitionTime:Time, 5 reason!, 6 message!',
  LabelSelector: '1 matchLabels:map, 2 matchExpressions:LabelSelectorRequirement[]',
  LabelSelectorRequirement: '1 key!, 2 operator!, 3 values:str[]',
  FieldSelectorRequirement: '1 key!, 2 operator!, 3 values:str[]',
};
