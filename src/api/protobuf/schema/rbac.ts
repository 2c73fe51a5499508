// rbac.authorization.k8s.io/v1: roles and bindings (`kubectl create role|rolebinding|clusterrole|clusterrolebinding`). Notation: see ../schema.ts.

import type { MessageTable } from '../schema.js';

export const rbacV1: MessageTable = {
  Role: '1 metadata:ObjectMeta, 2 rules:PolicyRule[]',
  PolicyRule:
    '1 verbs:str[], 2 apiGroups:str[], 3 resources:str[], 4 resourceNames:str[], ' +
    '5 nonResourceURLs:str[]',
  RoleBinding: '1 metadata:ObjectMeta, 2 subjects:Subject[], 3 roleRef:RoleRef',
  Subject: '1 kind!, 2 apiGroup, 3 name!, 4 namespace',
  RoleRef: '1 apiGroup!, 2 kind!, 3 name!',
  ClusterRole: '1 metadata:ObjectMeta, 2 rules:PolicyRule[], 3 aggregationRule:AggregationRule',
  AggregationRule: '1 clusterRoleSelectors:LabelSelector[]',
  ClusterRoleBinding: '1 metadata:ObjectMeta, 2 subjects:Subject[], 3 roleRef:RoleRef',
};
