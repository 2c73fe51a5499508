// networking.k8s.io/v1: Ingress (`kubectl create ingress`). Notation: see ../schema.ts.

import type { MessageTable } from '../schema.js';

export const networkingV1: MessageTable = {
  Ingress: '1 metadata:ObjectMeta, 2 spec:IngressSpec, 3 status:IngressStatus',
  IngressSpec:
    '1 defaultBackend:IngressBackend, 2 tls:IngressTLS[], 3 rules:IngressRule[], ' +
    '4 ingressClassName!',
  IngressBackend: '3 resource:TypedLocalObjectReference, 4 service:IngressServiceBackend',
  IngressServiceBackend: '1 name!, 2 port:ServiceBackendPort',
  ServiceBackendPort: '1 name, 2 number:i32',
  IngressTLS: '1 hosts:str[], 2 secretName',
  IngressRule: '1 host, 2 ...:IngressRuleValue',
  IngressRuleValue: '1 http:HTTPIngressRuleValue',
  HTTPIngressRuleValue: '1 paths:HTTPIngressPath[]',
  HTTPIngressPath: '1 path, 2 backend:IngressBackend, 3 pathType!',
  IngressStatus: '1 loadBalancer:IngressLoadBalancerStatus',
  IngressLoadBalancerStatus: '1 ingress:IngressLoadBalancerIngress[]',
  IngressLoadBalancerIngress: '1 ip, 2 hostname, 4 ports:IngressPortStatus[]',
  IngressPortStatus: '1 port:i32!, 2 protocol!, 3 error!',
};
