// Validation of the remaining groups: networking (Ingress, IngressClass, NetworkPolicy), policy
// (PodDisruptionBudget), autoscaling (HPA v2), RBAC, scheduling (PriorityClass), coordination
// (Lease), discovery (EndpointSlice), storage (StorageClass) — upstream pkg/apis/<group>/validation.
import { isDNS1035Label, isDNS1123Subdomain, isQualifiedName } from './names.js';
import {
  child, field, immutable, index, invalidEach, isObj, labelSelector, list, nonNegative, notMoreThan100Percent, oneOf,
  portNameErrors, portNumErrors, positiveIntOrPercent, type FieldCause, type Obj,
} from './common.js';
import { nameIsPathSegment } from './objectmeta.js';

function ingressBackend(b: Obj, path: string): FieldCause[] {
  const hasRes = isObj(b.resource);
  const hasSvc = isObj(b.service);
  if (hasRes && hasSvc) return [field.invalid(path, '', 'cannot set both resource and service backends')];
  if (hasRes) {
    const causes: FieldCause[] = [];
    if (!b.resource.kind) causes.push(field.required(child(path, 'resource.kind')));
    if (!b.resource.name) causes.push(field.required(child(path, 'resource.name')));
    return causes;
  }
  if (!hasSvc) return [field.invalid(path, '', 'resource or service backend is required')];
  const causes: FieldCause[] = [];
  const svc = b.service as Obj;
  if (!svc.name) causes.push(field.required(child(path, 'service.name')));
  else causes.push(...invalidEach(child(path, 'service.name'), svc.name, isDNS1035Label(String(svc.name))));
  const port = isObj(svc.port) ? svc.port : {};
  if (port.name && port.number) causes.push(field.invalid(path, '', 'cannot set both port name & port number'));
  else if (port.name) causes.push(...invalidEach(child(path, 'service.port.name'), port.name, portNameErrors(String(port.name))));
  else if (port.number) causes.push(...invalidEach(child(path, 'service.port.number'), port.number, portNumErrors(port.number)));
  else causes.push(field.required(path, 'port name or number is required'));
  return causes;
}

const IPV4_RE = /^\d{1,3}(\.\d{1,3}){3}$/;

export function validateIngress(o: Obj): FieldCause[] {
  const spec = (isObj(o.spec) ? o.spec : {}) as Obj;
  const causes: FieldCause[] = [];
  const rules = list(spec.rules);
  if (!isObj(spec.defaultBackend) && rules.length === 0) causes.push(field.invalid('spec', spec, 'either `defaultBackend` or `rules` must be specified'));
  if (isObj(spec.defaultBackend)) causes.push(...ingressBackend(spec.defaultBackend, 'spec.defaultBackend'));
  rules.forEach((r: any, i) => {
    const rp = index('spec.rules', i);
    const host = String(r?.host ?? '');
    if (host) {
      if (IPV4_RE.test(host)) causes.push(field.invalid(child(rp, 'host'), host, 'must be a DNS name, not an IP address'));
      const check = host.startsWith('*.') ? host.slice(2) : host;
      const msgs = host.includes('*') && !host.startsWith('*.') ? ["a wildcard DNS-1123 subdomain must start with '*.'"] : isDNS1123Subdomain(check);
      causes.push(...invalidEach(child(rp, 'host'), host, msgs));
    }
    if (!isObj(r?.http)) return;
    const paths = list(r.http.paths);
    if (paths.length === 0) causes.push(field.required(child(rp, 'http.paths')));
    paths.forEach((p: any, j) => {
      const pp = index(child(rp, 'http.paths'), j);
      if (!p?.pathType) causes.push(field.required(child(pp, 'pathType'), 'pathType must be specified'));
      else if (!['Exact', 'ImplementationSpecific', 'Prefix'].includes(p.pathType)) causes.push(field.notSupported(child(pp, 'pathType'), p.pathType, ['Exact', 'ImplementationSpecific', 'Prefix']));
      if ((p?.pathType === 'Exact' || p?.pathType === 'Prefix') && !String(p?.path ?? '').startsWith('/')) causes.push(field.invalid(child(pp, 'path'), p?.path ?? '', 'must be an absolute path'));
      causes.push(...ingressBackend(isObj(p?.backend) ? p.backend : {}, child(pp, 'backend')));
    });
  });
  list(spec.tls).forEach((t: any, i) => list(t?.hosts).forEach((h, j) => {
    const check = String(h).startsWith('*.') ? String(h).slice(2) : String(h);
    causes.push(...invalidEach(index(child(index('spec.tls', i), 'hosts'), j), h, isDNS1123Subdomain(check)));
  }));
  if (spec.ingressClassName != null) causes.push(...invalidEach('spec.ingressClassName', spec.ingressClassName, isDNS1123Subdomain(String(spec.ingressClassName))));
  return causes;
}

export function validateIngressClass(o: Obj): FieldCause[] {
  const spec = (isObj(o.spec) ? o.spec : {}) as Obj;
  const causes: FieldCause[] = [];
  if (spec.controller != null) {
    const c = String(spec.controller);
    if (c.length > 250) causes.push(field.tooLong('spec.controller', 250));
  }
  if (isObj(spec.parameters)) {
    if (!spec.parameters.kind) causes.push(field.required('spec.parameters.kind'));
    if (!spec.parameters.name) causes.push(field.required('spec.parameters.name'));
    causes.push(...oneOf(spec.parameters.scope, ['Cluster', 'Namespace'], 'spec.parameters.scope'));
  }
  return causes;
}

function policyPorts(ports: unknown, path: string): FieldCause[] {
  const causes: FieldCause[] = [];
  list(ports).forEach((p: any, i) => {
    const pp = index(path, i);
    if (p?.protocol != null) causes.push(...oneOf(p.protocol, ['SCTP', 'TCP', 'UDP'], child(pp, 'protocol')));
    if (typeof p?.port === 'number') causes.push(...invalidEach(child(pp, 'port'), p.port, portNumErrors(p.port)));
    else if (typeof p?.port === 'string') causes.push(...invalidEach(child(pp, 'port'), p.port, portNameErrors(p.port)));
    if (p?.endPort != null) {
      if (typeof p.port !== 'number') causes.push(field.required(child(pp, 'port'), 'must be specified when endPort is specified'));
      else if (p.endPort < p.port) causes.push(field.invalid(child(pp, 'endPort'), p.endPort, 'must be greater than or equal to `port`'));
    }
  });
  return causes;
}

function peers(ps: unknown, path: string): FieldCause[] {
  const causes: FieldCause[] = [];
  list(ps).forEach((peer: any, i) => {
    const pp = index(path, i);
    const n = ['podSelector', 'namespaceSelector', 'ipBlock'].filter((k) => peer?.[k] != null).length;
    if (n === 0) causes.push(field.required(pp, 'must specify a peer'));
    else if (peer.ipBlock != null && n > 1) causes.push(field.forbidden(pp, 'may not specify both ipBlock and another peer'));
    causes.push(...labelSelector(peer?.podSelector, child(pp, 'podSelector')), ...labelSelector(peer?.namespaceSelector, child(pp, 'namespaceSelector')));
    if (isObj(peer?.ipBlock) && !peer.ipBlock.cidr) causes.push(field.required(child(pp, 'ipBlock.cidr')));
  });
  return causes;
}

export function validateNetworkPolicy(o: Obj): FieldCause[] {
  const spec = (isObj(o.spec) ? o.spec : {}) as Obj;
  const causes = labelSelector(spec.podSelector, 'spec.podSelector');
  list(spec.ingress).forEach((r: any, i) => causes.push(...policyPorts(r?.ports, `spec.ingress[${i}].ports`), ...peers(r?.from, `spec.ingress[${i}].from`)));
  list(spec.egress).forEach((r: any, i) => causes.push(...policyPorts(r?.ports, `spec.egress[${i}].ports`), ...peers(r?.to, `spec.egress[${i}].to`)));
  const types = list(spec.policyTypes);
  types.forEach((t, i) => {
    if (t !== 'Ingress' && t !== 'Egress') causes.push(field.notSupported(index('spec.policyTypes', i), t, ['Ingress', 'Egress']));
  });
  if (types.length > 2) causes.push(field.invalid('spec.policyTypes', types, 'may not specify more than two policyTypes'));
  return causes;
}

export function validatePodDisruptionBudget(o: Obj): FieldCause[] {
  const spec = (isObj(o.spec) ? o.spec : {}) as Obj;
  const causes: FieldCause[] = [];
  if (spec.minAvailable != null && spec.maxUnavailable != null) causes.push(field.invalid('spec', spec, 'minAvailable and maxUnavailable cannot be both set'));
  for (const k of ['minAvailable', 'maxUnavailable']) {
    if (spec[k] == null) continue;
    causes.push(...positiveIntOrPercent(spec[k], `spec.${k}`), ...notMoreThan100Percent(spec[k], `spec.${k}`));
  }
  causes.push(...labelSelector(spec.selector, 'spec.selector'));
  if (spec.unhealthyPodEvictionPolicy != null) causes.push(...oneOf(spec.unhealthyPodEvictionPolicy, ['AlwaysAllow', 'IfHealthyBudget'], 'spec.unhealthyPodEvictionPolicy'));
  return causes;
}

export function validateHPA(o: Obj): FieldCause[] {
  const spec = (isObj(o.spec) ? o.spec : {}) as Obj;
  const causes: FieldCause[] = [];
  const ref = isObj(spec.scaleTargetRef) ? spec.scaleTargetRef : {};
  if (!ref.kind) causes.push(field.required('spec.scaleTargetRef.kind'));
  else causes.push(...invalidEach('spec.scaleTargetRef.kind', ref.kind, nameIsPathSegment(String(ref.kind), false)));
  if (!ref.name) causes.push(field.required('spec.scaleTargetRef.name'));
  else causes.push(...invalidEach('spec.scaleTargetRef.name', ref.name, nameIsPathSegment(String(ref.name), false)));
  if (typeof spec.minReplicas === 'number' && spec.minReplicas < 1) causes.push(field.invalid('spec.minReplicas', spec.minReplicas, 'must be greater than or equal to 1'));
  if (typeof spec.maxReplicas !== 'number' || spec.maxReplicas < 1) causes.push(field.invalid('spec.maxReplicas', spec.maxReplicas ?? 0, 'must be greater than 0'));
  else if (typeof spec.minReplicas === 'number' && spec.maxReplicas < spec.minReplicas) causes.push(field.invalid('spec.maxReplicas', spec.maxReplicas, 'must be greater than or equal to `minReplicas`'));
  list(spec.metrics).forEach((m: any, i) => {
    const mp = index('spec.metrics', i);
    causes.push(...oneOf(m?.type, ['ContainerResource', 'External', 'Object', 'Pods', 'Resource'], child(mp, 'type')));
    const src = { Resource: 'resource', ContainerResource: 'containerResource', Pods: 'pods', Object: 'object', External: 'external' }[m?.type as string];
    if (src && !isObj(m[src])) causes.push(field.required(child(mp, src), `must populate information for the given metric source`));
  });
  return causes;
}

const RBAC_GROUP = 'rbac.authorization.k8s.io';

function policyRules(rules: unknown, path: string, namespaced: boolean): FieldCause[] {
  const causes: FieldCause[] = [];
  list(rules).forEach((r: any, i) => {
    const rp = index(path, i);
    if (list(r?.verbs).length === 0) causes.push(field.required(child(rp, 'verbs'), 'verbs must contain at least one value'));
    const urls = list(r?.nonResourceURLs);
    if (urls.length > 0) {
      if (namespaced) causes.push(field.invalid(child(rp, 'nonResourceURLs'), urls, 'namespaced rules cannot apply to non-resource URLs'));
      if (list(r?.apiGroups).length > 0 || list(r?.resources).length > 0 || list(r?.resourceNames).length > 0) {
        causes.push(field.invalid(child(rp, 'nonResourceURLs'), urls, 'rules cannot apply to both regular resources and non-resource URLs'));
      }
      return;
    }
    if (list(r?.apiGroups).length === 0) causes.push(field.required(child(rp, 'apiGroups'), 'resource rules must supply at least one api group'));
    if (list(r?.resources).length === 0) causes.push(field.required(child(rp, 'resources'), 'resource rules must supply at least one resource'));
  });
  return causes;
}

export const validateRole = (o: Obj) => policyRules(o.rules, 'rules', true);
export function validateClusterRole(o: Obj): FieldCause[] {
  const causes = policyRules(o.rules, 'rules', false);
  if (isObj(o.aggregationRule)) {
    const sels = list(o.aggregationRule.clusterRoleSelectors);
    if (sels.length === 0) causes.push(field.required('aggregationRule.clusterRoleSelectors', 'at least one clusterRoleSelector required if aggregationRule is non-nil'));
    sels.forEach((s, i) => causes.push(...labelSelector(s, index('aggregationRule.clusterRoleSelectors', i))));
  }
  return causes;
}

function binding(o: Obj, clusterScoped: boolean): FieldCause[] {
  const causes: FieldCause[] = [];
  const ref = isObj(o.roleRef) ? o.roleRef : {};
  if (ref.apiGroup !== RBAC_GROUP) causes.push(field.notSupported('roleRef.apiGroup', ref.apiGroup ?? '', [RBAC_GROUP]));
  const kinds = clusterScoped ? ['ClusterRole'] : ['Role', 'ClusterRole'];
  if (!kinds.includes(ref.kind)) causes.push(field.notSupported('roleRef.kind', ref.kind ?? '', kinds));
  if (!ref.name) causes.push(field.required('roleRef.name'));
  else causes.push(...invalidEach('roleRef.name', ref.name, nameIsPathSegment(String(ref.name), false)));
  list(o.subjects).forEach((s: any, i) => {
    const sp = index('subjects', i);
    if (!s?.name) causes.push(field.required(child(sp, 'name')));
    switch (s?.kind) {
      case 'ServiceAccount':
        if (s.name) causes.push(...invalidEach(child(sp, 'name'), s.name, isDNS1123Subdomain(String(s.name))));
        if (s.apiGroup) causes.push(field.notSupported(child(sp, 'apiGroup'), s.apiGroup, ['']));
        if (clusterScoped && !s.namespace) causes.push(field.required(child(sp, 'namespace')));
        break;
      case 'User': case 'Group':
        if (s.apiGroup !== RBAC_GROUP) causes.push(field.notSupported(child(sp, 'apiGroup'), s.apiGroup ?? '', [RBAC_GROUP]));
        break;
      default:
        causes.push(field.notSupported(child(sp, 'kind'), s?.kind ?? '', ['ServiceAccount', 'User', 'Group']));
    }
  });
  return causes;
}

export const validateRoleBinding = (o: Obj) => binding(o, false);
export const validateClusterRoleBinding = (o: Obj) => binding(o, true);
export function validateBindingUpdate(o: Obj, old: Obj, clusterScoped: boolean): FieldCause[] {
  const causes = binding(o, clusterScoped);
  if (immutable(o.roleRef, old.roleRef, 'roleRef').length) causes.push(field.invalid('roleRef', o.roleRef, 'cannot change roleRef'));
  return causes;
}

const SYSTEM_PRIORITY_CLASSES: Record<string, number> = { 'system-node-critical': 2000001000, 'system-cluster-critical': 2000000000 };
const HIGHEST_USER_PRIORITY = 1000000000;

export function validatePriorityClass(o: Obj): FieldCause[] {
  const causes: FieldCause[] = [];
  const name = String(o.metadata?.name ?? '');
  const system = SYSTEM_PRIORITY_CLASSES[name];
  if (system !== undefined) {
    if (o.value !== system) causes.push(field.forbidden('metadata.name', `${name} is a system priority class and its value must be ${system}`));
  } else if (name.startsWith('system-')) {
    causes.push(field.forbidden('metadata.name', "priority class names with 'system-' prefix are reserved for system use only"));
  } else if (typeof o.value === 'number' && o.value > HIGHEST_USER_PRIORITY) {
    causes.push(field.forbidden('value', `maximum allowed value of a user defined priority is ${HIGHEST_USER_PRIORITY}`));
  }
  if (o.preemptionPolicy != null) causes.push(...oneOf(o.preemptionPolicy, ['Never', 'PreemptLowerPriority'], 'preemptionPolicy'));
  return causes;
}

export function validatePriorityClassUpdate(o: Obj, old: Obj): FieldCause[] {
  const causes = validatePriorityClass(o);
  if (o.value !== old.value) causes.push(field.forbidden('value', 'may not be changed in an update.'));
  causes.push(...immutable(o.preemptionPolicy, old.preemptionPolicy, 'preemptionPolicy'));
  return causes;
}

export function validateLease(o: Obj): FieldCause[] {
  const spec = (isObj(o.spec) ? o.spec : {}) as Obj;
  const causes: FieldCause[] = [];
  if (spec.leaseDurationSeconds != null && !(spec.leaseDurationSeconds > 0)) causes.push(field.invalid('spec.leaseDurationSeconds', spec.leaseDurationSeconds, 'must be greater than 0'));
  causes.push(...nonNegative(spec.leaseTransitions, 'spec.leaseTransitions'));
  if (spec.strategy != null) causes.push(...oneOf(spec.strategy, ['OldestEmulationVersion'], 'spec.strategy'));
  return causes;
}

export function validateEndpointSlice(o: Obj): FieldCause[] {
  const causes = oneOf(o.addressType, ['IPv4', 'IPv6', 'FQDN'], 'addressType');
  const eps = list(o.endpoints);
  if (eps.length > 1000) causes.push(field.tooMany('endpoints', eps.length, 1000));
  eps.forEach((e: any, i) => {
    const ep = index('endpoints', i);
    const addrs = list(e?.addresses);
    if (addrs.length === 0) causes.push(field.required(child(ep, 'addresses'), 'must contain at least 1 address'));
    else if (addrs.length > 100) causes.push(field.tooMany(child(ep, 'addresses'), addrs.length, 100));
  });
  const names = new Set<string>();
  list(o.ports).forEach((p: any, i) => {
    const pp = index('ports', i);
    const n = String(p?.name ?? '');
    if (n) causes.push(...invalidEach(child(pp, 'name'), n, isDNS1035Label(n).length && isQualifiedName(n).length ? isDNS1035Label(n) : []));
    if (names.has(n)) causes.push(field.duplicate(child(pp, 'name'), n));
    names.add(n);
    if (p?.protocol != null) causes.push(...oneOf(p.protocol, ['SCTP', 'TCP', 'UDP'], child(pp, 'protocol')));
  });
  return causes;
}

export function validateEndpointSliceUpdate(o: Obj, old: Obj): FieldCause[] {
  return [...validateEndpointSlice(o), ...immutable(o.addressType, old.addressType, 'addressType')];
}

export function validateStorageClass(o: Obj): FieldCause[] {
  const causes: FieldCause[] = [];
  if (!o.provisioner) causes.push(field.required('provisioner'));
  else causes.push(...invalidEach('provisioner', o.provisioner, isQualifiedName(String(o.provisioner).toLowerCase())));
  if (o.reclaimPolicy != null) causes.push(...oneOf(o.reclaimPolicy, ['Delete', 'Retain'], 'reclaimPolicy'));
  if (o.volumeBindingMode != null) causes.push(...oneOf(o.volumeBindingMode, ['Immediate', 'WaitForFirstConsumer'], 'volumeBindingMode'));
  return causes;
}

export function validateStorageClassUpdate(o: Obj, old: Obj): FieldCause[] {
  const causes = validateStorageClass(o);
  if (immutable(o.parameters, old.parameters, 'parameters').length) causes.push(field.forbidden('parameters', 'updates to parameters are forbidden.'));
  if (o.provisioner !== old.provisioner) causes.push(field.forbidden('provisioner', 'updates to provisioner are forbidden.'));
  if (o.reclaimPolicy !== old.reclaimPolicy) causes.push(field.forbidden('reclaimPolicy', 'updates to reclaimPolicy are forbidden.'));
  causes.push(...immutable(o.volumeBindingMode, old.volumeBindingMode, 'volumeBindingMode'));
  return causes;
}
