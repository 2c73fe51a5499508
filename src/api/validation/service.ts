// Service validation (upstream pkg/apis/core/validation ValidateService / ValidateServiceUpdate).
import { isDNS1123Subdomain, validateLabels } from './names.js';
import { child, dnsLabel, field, index, invalidEach, isObj, list, oneOf, portNumErrors, portNumOrName, type FieldCause, type Obj } from './common.js';

const TYPES = ['ClusterIP', 'ExternalName', 'LoadBalancer', 'NodePort'];
const PROTOCOLS = ['SCTP', 'TCP', 'UDP'];
const KUBELET_PORT = 10250;
const IPV4_RE = /^(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)(\.(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)){3}$/;

export interface ServiceValidationOptions {
  /** The node port range (upstream --service-node-port-range), checked before allocation. */
  nodePortRange?: { min: number; max: number };
}

const isHeadless = (spec: Obj) => spec.clusterIP === 'None' || list(spec.clusterIPs)[0] === 'None';
const externallyAccessible = (spec: Obj) => spec.type === 'LoadBalancer' || spec.type === 'NodePort' || (spec.type === 'ClusterIP' && list(spec.externalIPs).length > 0);

// Go's json.Marshal of the internal core.ServicePort key used for duplicate detection (no json tags there).
const portKey = (p: Obj) => ({ Name: '', Protocol: p.protocol ?? '', AppProtocol: null, Port: p.port ?? 0, TargetPort: 0, NodePort: 0 });

function servicePort(p: Obj, requireName: boolean, names: Set<string>, path: string): FieldCause[] {
  const causes: FieldCause[] = [];
  if (requireName && !p.name) causes.push(field.required(child(path, 'name')));
  else if (p.name) {
    causes.push(...dnsLabel(String(p.name), child(path, 'name')));
    if (names.has(p.name)) causes.push(field.duplicate(child(path, 'name'), p.name));
    else names.add(p.name);
  }
  causes.push(...invalidEach(child(path, 'port'), p.port ?? 0, portNumErrors(p.port)));
  causes.push(...oneOf(p.protocol, PROTOCOLS, child(path, 'protocol')));
  causes.push(...portNumOrName(p.targetPort, child(path, 'targetPort')));
  return causes;
}

/** ValidateService (spec only; metadata is checked by validateObjectMeta). */
export function validateService(o: Obj, opts: ServiceValidationOptions = {}): FieldCause[] {
  const spec = (isObj(o.spec) ? o.spec : {}) as Obj;
  const causes: FieldCause[] = [];
  const ports = list(spec.ports).filter(isObj);
  const headless = isHeadless(spec);
  if (ports.length === 0 && !headless && spec.type !== 'ExternalName') causes.push(field.required('spec.ports'));
  switch (spec.type) {
    case 'LoadBalancer':
      if (headless) causes.push(field.invalid('spec.clusterIPs[0]', 'None', "may not be set to 'None' for LoadBalancer services"));
      ports.forEach((p, i) => {
        if (p.port === KUBELET_PORT) causes.push(field.invalid(`spec.ports[${i}]`, p.port, `may not expose port ${KUBELET_PORT} externally since it is used by kubelet`));
      });
      break;
    case 'NodePort':
      if (headless) causes.push(field.invalid('spec.clusterIPs[0]', 'None', "may not be set to 'None' for NodePort services"));
      break;
    case 'ExternalName': {
      if (list(spec.clusterIPs).length > 0 || spec.clusterIP) causes.push(field.forbidden('spec.clusterIPs', 'may not be set for ExternalName services'));
      if (list(spec.ipFamilies).length > 0) causes.push(field.forbidden('spec.ipFamilies', 'may not be set for ExternalName services'));
      if (spec.ipFamilyPolicy != null) causes.push(field.forbidden('spec.ipFamilyPolicy', 'may not be set for ExternalName services'));
      const cname = String(spec.externalName ?? '').replace(/\.$/, '');
      if (cname) causes.push(...invalidEach('spec.externalName', cname, isDNS1123Subdomain(cname)));
      else causes.push(field.required('spec.externalName'));
      break;
    }
  }
  const names = new Set<string>();
  ports.forEach((p, i) => causes.push(...servicePort(p, ports.length > 1, names, `spec.ports[${i}]`)));
  if (spec.selector != null) causes.push(...validateLabels(spec.selector, 'spec.selector'));
  causes.push(...oneOf(spec.sessionAffinity, ['ClientIP', 'None'], 'spec.sessionAffinity'));
  if (spec.sessionAffinity === 'ClientIP') {
    const t = spec.sessionAffinityConfig?.clientIP?.timeoutSeconds;
    if (typeof t !== 'number' || t <= 0 || t > 86400) {
      causes.push(field.invalid('spec.sessionAffinityConfig.clientIP.timeoutSeconds', t ?? 0, 'must be greater than 0 and less than 86400'));
    }
  } else if (spec.sessionAffinity === 'None' && spec.sessionAffinityConfig != null) {
    causes.push(field.forbidden('spec.sessionAffinityConfig', 'must not be set when session affinity is None'));
  }
  if (spec.type !== 'ExternalName') {
    if (spec.clusterIP && spec.clusterIP !== 'None' && !IPV4_RE.test(String(spec.clusterIP)) && !String(spec.clusterIP).includes(':')) {
      causes.push(field.invalid('spec.clusterIPs[0]', spec.clusterIP, 'must be a valid IP address, (e.g. 10.9.8.7 or 2001:db8::ffff)'));
    }
    if (spec.ipFamilyPolicy != null) causes.push(...oneOf(spec.ipFamilyPolicy, ['PreferDualStack', 'RequireDualStack', 'SingleStack'], 'spec.ipFamilyPolicy'));
    list(spec.ipFamilies).forEach((f, i) => causes.push(...oneOf(f, ['IPv4', 'IPv6'], `spec.ipFamilies[${i}]`)));
  }
  list(spec.externalIPs).forEach((ip, i) => {
    if (!IPV4_RE.test(String(ip)) && !String(ip).includes(':')) causes.push(field.invalid(index('spec.externalIPs', i), ip, 'must be a valid IP address, (e.g. 10.9.8.7 or 2001:db8::ffff)'));
  });
  if (!spec.type) causes.push(field.required('spec.type'));
  else if (!TYPES.includes(spec.type)) causes.push(field.notSupported('spec.type', spec.type, TYPES));
  if (spec.type === 'ClusterIP') {
    ports.forEach((p, i) => {
      if (p.nodePort) causes.push(field.forbidden(`spec.ports[${i}].nodePort`, "may not be used when `type` is 'ClusterIP'"));
    });
  }
  const nodePorts = new Set<string>();
  const range = opts.nodePortRange;
  ports.forEach((p, i) => {
    if (!p.nodePort) return;
    const k = `${p.protocol}/${p.nodePort}`;
    if (nodePorts.has(k)) causes.push(field.duplicate(`spec.ports[${i}].nodePort`, p.nodePort));
    nodePorts.add(k);
    if (range && spec.type !== 'ClusterIP' && (p.nodePort < range.min || p.nodePort > range.max)) {
      causes.push(field.invalid(`spec.ports[${i}].nodePort`, p.nodePort, `provided port is not in the valid range. The range of valid ports is ${range.min}-${range.max}`));
    }
  });
  const seen = new Set<string>();
  ports.forEach((p, i) => {
    const k = `${p.protocol}/${p.port}`;
    if (seen.has(k)) causes.push(field.duplicate(`spec.ports[${i}]`, portKey(p)));
    seen.add(k);
  });
  if (!externallyAccessible(spec)) {
    if (spec.externalTrafficPolicy) causes.push(field.invalid('spec.externalTrafficPolicy', spec.externalTrafficPolicy, 'may only be set for externally-accessible services'));
  } else causes.push(...oneOf(spec.externalTrafficPolicy, ['Cluster', 'Local'], 'spec.externalTrafficPolicy'));
  if (['ClusterIP', 'NodePort', 'LoadBalancer'].includes(spec.type)) causes.push(...oneOf(spec.internalTrafficPolicy, ['Cluster', 'Local'], 'spec.internalTrafficPolicy'));
  return causes;
}

/** ValidateServiceUpdate: the primary cluster IP may not change unless ExternalName is involved. */
export function validateServiceUpdate(o: Obj, old: Obj, opts: ServiceValidationOptions = {}): FieldCause[] {
  const causes = validateService(o, opts);
  const spec = (o.spec ?? {}) as Obj;
  const oldSpec = (old.spec ?? {}) as Obj;
  if (spec.type !== 'ExternalName' && oldSpec.type !== 'ExternalName') {
    const now = spec.clusterIP || list(spec.clusterIPs)[0];
    const was = oldSpec.clusterIP || list(oldSpec.clusterIPs)[0];
    if (now && was && now !== was) causes.push(field.invalid('spec.clusterIPs[0]', now, 'may not change once set'));
  }
  return causes;
}
