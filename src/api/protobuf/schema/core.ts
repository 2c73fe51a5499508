// core/v1 ("v1") objects other than pods and volumes: the kinds `kubectl create namespace|configmap|
// secret|serviceaccount|service|quota` send, plus the small reference types other groups share.
// Notation: see ../schema.ts.

import type { MessageTable } from '../schema.js';

export const coreV1: MessageTable = {
  Namespace: '1 metadata:ObjectMeta, 2 spec:NamespaceSpec, 3 status:NamespaceStatus',
  NamespaceSpec: '1 finalizers:str[]',
  NamespaceStatus: '1 phase, 2 conditions:NamespaceCondition[]',
  NamespaceCondition: '1 type!, 2 status!, 4 lastTransitionTime:Time, 5 reason, 6 message',
  ConfigMap: '1 metadata:ObjectMeta, 2 data:map, 3 binaryData:map<bytes>, 4 immutable:bool!',
  Secret: '1 metadata:ObjectMeta, 2 data:map<bytes>, 3 type, 4 stringData:map, 5 immutable:bool!',
  ServiceAccount:
    '1 metadata:ObjectMeta, 2 secrets:ObjectReference[], 3 imagePullSecrets:LocalObjectReference[], ' +
    '4 automountServiceAccountToken:bool!',
  ObjectReference: '1 kind, 2 namespace, 3 name, 4 uid, 5 apiVersion, 6 resourceVersion, 7 fieldPath',
  LocalObjectReference: '1 name',
  TypedLocalObjectReference: '1 apiGroup!, 2 kind!, 3 name!',
  Service: '1 metadata:ObjectMeta, 2 spec:ServiceSpec, 3 status:ServiceStatus',
  ServiceSpec:
    '1 ports:ServicePort[], 2 selector:map, 3 clusterIP, 4 type, 5 externalIPs:str[], ' +
    '7 sessionAffinity, 8 loadBalancerIP, 9 loadBalancerSourceRanges:str[], 10 externalName, ' +
    '11 externalTrafficPolicy, 12 healthCheckNodePort:i32, 13 publishNotReadyAddresses:bool, ' +
    '14 sessionAffinityConfig:SessionAffinityConfig, 17 ipFamilyPolicy!, 18 clusterIPs:str[], ' +
    '19 ipFamilies:str[], 20 allocateLoadBalancerNodePorts:bool!, 21 loadBalancerClass!, ' +
    '22 internalTrafficPolicy!, 23 trafficDistribution!',
  ServicePort: '1 name, 2 protocol, 3 port:i32!, 4 targetPort:IntOrString, 5 nodePort:i32, 6 appProtocol!',
  SessionAffinityConfig: '1 clientIP:ClientIPConfig',
  ClientIPConfig: '1 timeoutSeconds:i32!',
  ServiceStatus: '1 loadBalancer:LoadBalancerStatus, 2 conditions:Condition[]',
  LoadBalancerStatus: '1 ingress:LoadBalancerIngress[]',
  LoadBalancerIngress: '1 ip, 2 hostname, 3 ipMode!, 4 ports:PortStatus[]',
  PortStatus: '1 port:i32!, 2 protocol!, 3 error!',
  ResourceQuota: '1 metadata:ObjectMeta, 2 spec:ResourceQuotaSpec, 3 status:ResourceQuotaStatus',
  ResourceQuotaSpec: '1 hard:map<Quantity>, 2 scopes:str[], 3 scopeSelector:ScopeSelector',
  ScopeSelector: '1 matchExpressions:ScopedResourceSelectorRequirement[]',
  ScopedResourceSelectorRequirement: '1 scopeName!, 2 operator!, 3 values:str[]',
  ResourceQuotaStatus: '1 hard:map<Quantity>, 2 used:map<Quantity>',
};
