// authentication.k8s.io/v1: SelfSubjectReview (`kubectl auth whoami`) and TokenRequest
// (`kubectl create token`). UserInfo.extra values are ExtraValue messages ({1: repeated string}),
// shown in JSON as plain string lists. Notation: see ../schema.ts.

import type { MessageTable } from '../schema.js';

export const authenticationV1: MessageTable = {
  SelfSubjectReview: '1 metadata:ObjectMeta, 2 status:SelfSubjectReviewStatus',
  SelfSubjectReviewStatus: '1 userInfo:UserInfo',
  UserInfo: '1 username, 2 uid, 3 groups:str[], 4 extra:map<StringList>',
  TokenRequest: '1 metadata:ObjectMeta, 2 spec:TokenRequestSpec, 3 status:TokenRequestStatus',
  // 5 (attestations) is an alpha field of an unreleased version: skipped as unknown.
  TokenRequestSpec: '1 audiences:str[], 3 boundObjectRef:BoundObjectReference, 4 expirationSeconds:i64!',
  BoundObjectReference: '1 kind, 2 apiVersion, 3 name, 4 uid',
  TokenRequestStatus: '1 token!, 2 expirationTimestamp:Time',
};
