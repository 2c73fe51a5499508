// authorization.k8s.io/v1: SelfSubjectAccessReview (`kubectl auth can-i`). Notation: see ../schema.ts.

import type { MessageTable } from '../schema.js';

export const authorizationV1: MessageTable = {
  SelfSubjectAccessReview:
    '1 metadata:ObjectMeta, 2 spec:SelfSubjectAccessReviewSpec, 3 status:SubjectAccessReviewStatus',
  SelfSubjectAccessReviewSpec:
    '1 resourceAttributes:ResourceAttributes, 2 nonResourceAttributes:NonResourceAttributes',
  ResourceAttributes:
    '1 namespace, 2 verb, 3 group, 4 version, 5 resource, 6 subresource, 7 name, ' +
    '8 fieldSelector:FieldSelectorAttributes, 9 labelSelector:LabelSelectorAttributes',
  FieldSelectorAttributes: '1 rawSelector, 2 requirements:FieldSelectorRequirement[]',
  LabelSelectorAttributes: '1 rawSelector, 2 requirements:LabelSelectorRequirement[]',
  NonResourceAttributes: '1 path, 2 verb',
  SubjectAccessReviewStatus: '1 allowed:bool!, 2 reason, 3 evaluationError, 4 denied:bool',
};
