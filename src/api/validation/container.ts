// Container validation (upstream pkg/apis/core/validation validateContainerCommon and the
// functions it calls: ports, env, envFrom, volume mounts, pull policy, resources, probes).
import { cmp, isInteger } from '../quantity/index.js';
import { isQualifiedName } from './names.js';
import {
  child, configKeyErrors, dnsLabel, field, index, invalidEach, isObj, key, list, nonNegative, oneOf, portNameErrors,
  portNumErrors, portNumOrName, quantityOf, type FieldCause, type Obj,
} from './common.js';

const PROTOCOLS = ['SCTP', 'TCP', 'UDP'];
const STANDARD_CONTAINER_RESOURCES = new Set(['cpu', 'memory', 'ephemeral-storage']);

function ports(ps: unknown, path: string): FieldCause[] {
  const causes: FieldCause[] = [];
  const names = new Set<string>();
  list(ps).forEach((p: any, i) => {
    const ip = index(path, i);
    if (!isObj(p)) return void causes.push(field.typeInvalid(ip, p, 'must be an object'));
    if (p.name) {
      const msgs = portNameErrors(String(p.name));
      if (msgs.length) causes.push(...invalidEach(child(ip, 'name'), p.name, msgs));
      else if (names.has(p.name)) causes.push(field.duplicate(child(ip, 'name'), p.name));
      else names.add(p.name);
    }
    if (!p.containerPort) causes.push(field.required(child(ip, 'containerPort')));
    else causes.push(...invalidEach(child(ip, 'containerPort'), p.containerPort, portNumErrors(p.containerPort)));
    if (p.hostPort) causes.push(...invalidEach(child(ip, 'hostPort'), p.hostPort, portNumErrors(p.hostPort)));
    causes.push(...oneOf(p.protocol, PROTOCOLS, child(ip, 'protocol')));
  });
  return causes;
}

function relaxedEnvNameErrors(name: string): string[] {
  const errs: string[] = [];
  if (name.length === 0) errs.push('environment variable name must be non-empty');
  for (const ch of name) {
    const c = ch.codePointAt(0)!;
    if (c > 0x7e || c < 0x20 || ch === '=') {
      errs.push("a valid environment variable name must consist only of printable ASCII characters other than '='");
      break;
    }
  }
  return errs;
}

const FIELD_PATHS = ['metadata.annotations', 'metadata.labels', 'metadata.name', 'metadata.namespace', 'metadata.uid', 'spec.nodeName', 'spec.serviceAccountName', 'status.hostIP', 'status.hostIPs', 'status.podIP', 'status.podIPs'];

/** validateObjectFieldSelector (downward API fieldRef). */
export function fieldRef(ref: Obj, path: string, allowed = FIELD_PATHS): FieldCause[] {
  if (!ref.apiVersion) return [field.required(child(path, 'apiVersion'))];
  if (!ref.fieldPath) return [field.required(child(path, 'fieldPath'))];
  const fp = String(ref.fieldPath);
  const sub = /^metadata\.(labels|annotations)\['(.+)'\]$/.exec(fp);
  if (sub) return invalidEach(child(path, 'fieldPath'), sub[2], isQualifiedName(sub[2]!.toLowerCase()));
  return allowed.includes(fp) ? [] : [field.notSupported(child(path, 'fieldPath'), fp, allowed.filter((f) => f !== 'metadata.annotations' && f !== 'metadata.labels'))];
}

function keyRef(ref: Obj, path: string): FieldCause[] {
  const causes: FieldCause[] = [];
  if (!ref.key) causes.push(field.required(child(path, 'key')));
  else causes.push(...invalidEach(child(path, 'key'), ref.key, configKeyErrors(String(ref.key))));
  if (!ref.name) causes.push(field.required(child(path, 'name')));
  return causes;
}

function env(vars: unknown, path: string): FieldCause[] {
  const causes: FieldCause[] = [];
  list(vars).forEach((ev: any, i) => {
    const ip = index(path, i);
    const name = String(ev?.name ?? '');
    if (!name) causes.push(field.required(child(ip, 'name')));
    causes.push(...invalidEach(child(ip, 'name'), name, relaxedEnvNameErrors(name)));
    const vf = ev?.valueFrom;
    if (!isObj(vf)) return;
    const vp = child(ip, 'valueFrom');
    const sources = ['fieldRef', 'resourceFieldRef', 'configMapKeyRef', 'secretKeyRef'].filter((k) => isObj(vf[k]));
    if (isObj(vf.fieldRef)) causes.push(...fieldRef(vf.fieldRef, child(vp, 'fieldRef')));
    if (isObj(vf.resourceFieldRef) && !vf.resourceFieldRef.resource) causes.push(field.required(child(child(vp, 'resourceFieldRef'), 'resource')));
    if (isObj(vf.configMapKeyRef)) causes.push(...keyRef(vf.configMapKeyRef, child(vp, 'configMapKeyRef')));
    if (isObj(vf.secretKeyRef)) causes.push(...keyRef(vf.secretKeyRef, child(vp, 'secretKeyRef')));
    if (sources.length === 0) causes.push(field.invalid(vp, '', 'must specify one of: `fieldRef`, `resourceFieldRef`, `configMapKeyRef` or `secretKeyRef`'));
    else if (ev.value) causes.push(field.invalid(vp, '', 'may not be specified when `value` is not empty'));
    else if (sources.length > 1) causes.push(field.invalid(vp, '', 'may not have more than one field specified at a time'));
  });
  return causes;
}

function envFrom(sources: unknown, path: string): FieldCause[] {
  const causes: FieldCause[] = [];
  list(sources).forEach((s: any, i) => {
    const ip = index(path, i);
    if (s?.prefix) causes.push(...invalidEach(child(ip, 'prefix'), s.prefix, relaxedEnvNameErrors(String(s.prefix))));
    const refs = ['configMapRef', 'secretRef'].filter((k) => isObj(s?.[k]));
    for (const r of refs) if (!s[r].name) causes.push(field.required(child(child(ip, r), 'name')));
    if (refs.length === 0) causes.push(field.invalid(ip, '', 'must specify one of: `configMapRef` or `secretRef`'));
    else if (refs.length > 1) causes.push(field.invalid(ip, '', 'may not have more than one field specified at a time'));
  });
  return causes;
}

function volumeMounts(mounts: unknown, volumes: ReadonlySet<string>, path: string): FieldCause[] {
  const causes: FieldCause[] = [];
  const seen = new Set<string>();
  list(mounts).forEach((m: any, i) => {
    const ip = index(path, i);
    if (!m?.name) causes.push(field.required(child(ip, 'name')));
    if (!volumes.has(m?.name)) causes.push(field.notFound(child(ip, 'name'), String(m?.name ?? '')));
    if (!m?.mountPath) causes.push(field.required(child(ip, 'mountPath')));
    if (seen.has(m?.mountPath)) causes.push(field.invalid(child(ip, 'mountPath'), m.mountPath, 'must be unique'));
    seen.add(m?.mountPath);
    if (m?.subPath) causes.push(...localDescendingPath(String(m.subPath), child(path, 'subPath')));
    if (m?.mountPropagation != null) causes.push(...oneOf(m.mountPropagation, ['Bidirectional', 'HostToContainer', 'None'], child(ip, 'mountPropagation'), false));
  });
  return causes;
}

/** validateLocalDescendingPath: relative, no '..' element. */
export function localDescendingPath(p: string, path: string): FieldCause[] {
  const causes: FieldCause[] = [];
  if (p.startsWith('/')) causes.push(field.invalid(path, p, 'must be a relative path'));
  if (p.split(/[\\/]/).includes('..')) causes.push(field.invalid(path, p, "must not contain '..'"));
  return causes;
}

const isExtended = (name: string) => name.includes('/') && !name.startsWith('kubernetes.io/') && !name.startsWith('requests.');
const isHugePages = (name: string) => name.startsWith('hugepages-');
const overcommitAllowed = (name: string) => !name.includes('/') ? !isHugePages(name) : name.startsWith('kubernetes.io/');

function resourceName(name: string, path: string): FieldCause[] {
  const causes = invalidEach(path, name, isQualifiedName(name));
  if (!name.includes('/')) {
    if (!STANDARD_CONTAINER_RESOURCES.has(name) && !isHugePages(name)) causes.push(field.invalid(path, name, 'must be a standard resource for containers'));
  } else if (!name.startsWith('kubernetes.io/') && name.startsWith('requests.')) {
    causes.push(field.invalid(path, name, "doesn't follow extended resource name standard"));
  }
  return causes;
}

function quantityValue(name: string, v: unknown, path: string): FieldCause[] {
  const q = quantityOf(v);
  if (!q) return [];
  if (q.nanos < 0n) return [field.invalid(path, String(v), 'must be greater than or equal to 0')];
  if (isExtended(name) && !isInteger(q)) return [field.invalid(path, String(v), 'must be an integer')];
  return [];
}

/** ValidateContainerResourceRequirements (quantities were canonicalised by defaulting). */
export function resources(r: unknown, path: string): FieldCause[] {
  if (!isObj(r)) return [];
  const causes: FieldCause[] = [];
  const limits = isObj(r.limits) ? r.limits : {};
  const requests = isObj(r.requests) ? r.requests : {};
  const limPath = child(path, 'limits');
  const reqPath = child(path, 'requests');
  for (const [name, v] of Object.entries(limits)) {
    causes.push(...resourceName(name, key(limPath, name)), ...quantityValue(name, v, key(limPath, name)));
  }
  for (const [name, v] of Object.entries(requests)) {
    causes.push(...resourceName(name, key(reqPath, name)), ...quantityValue(name, v, key(reqPath, name)));
    const lim = limits[name];
    if (lim !== undefined) {
      const qr = quantityOf(v);
      const ql = quantityOf(lim);
      if (qr && ql) {
        const c = cmp(qr, ql);
        if (c !== 0 && !overcommitAllowed(name)) causes.push(field.invalid(reqPath, String(v), `must be equal to ${name} limit of ${lim}`));
        else if (c > 0) causes.push(field.invalid(reqPath, String(v), `must be less than or equal to ${name} limit of ${lim}`));
      }
    } else if (!overcommitAllowed(name)) causes.push(field.required(limPath, 'Limit must be set for non overcommitable resources'));
  }
  return causes;
}

function handler(h: Obj, path: string, kinds: readonly string[]): FieldCause[] {
  const causes: FieldCause[] = [];
  const present = kinds.filter((k) => isObj(h[k]));
  present.slice(1).forEach((k) => causes.push(field.forbidden(child(path, k), 'may not specify more than 1 handler type')));
  if (present.length === 0) causes.push(field.required(path, 'must specify a handler type'));
  if (isObj(h.exec) && list(h.exec.command).length === 0) causes.push(field.required(child(child(path, 'exec'), 'command')));
  if (isObj(h.httpGet)) {
    const p = child(path, 'httpGet');
    if (!h.httpGet.path) causes.push(field.required(child(p, 'path')));
    causes.push(...portNumOrName(h.httpGet.port, child(p, 'port')));
    causes.push(...oneOf(h.httpGet.scheme, ['HTTP', 'HTTPS'], child(p, 'scheme'), false));
  }
  if (isObj(h.tcpSocket)) causes.push(...portNumOrName(h.tcpSocket.port, child(child(path, 'tcpSocket'), 'port')));
  if (isObj(h.grpc)) causes.push(...invalidEach(child(child(path, 'grpc'), 'port'), h.grpc.port, portNumErrors(h.grpc.port)));
  if (isObj(h.sleep) && (typeof h.sleep.seconds !== 'number' || h.sleep.seconds < 0)) causes.push(field.invalid(child(child(path, 'sleep'), 'seconds'), h.sleep.seconds ?? null, 'must be non-negative'));
  return causes;
}

function probe(p: unknown, path: string, kind: 'liveness' | 'readiness' | 'startup'): FieldCause[] {
  if (!isObj(p)) return [];
  const causes = handler(p, path, ['exec', 'httpGet', 'tcpSocket', 'grpc']);
  for (const k of ['initialDelaySeconds', 'timeoutSeconds', 'periodSeconds', 'successThreshold', 'failureThreshold']) causes.push(...nonNegative(p[k], child(path, k)));
  if (typeof p.terminationGracePeriodSeconds === 'number' && p.terminationGracePeriodSeconds <= 0) {
    causes.push(field.invalid(child(path, 'terminationGracePeriodSeconds'), p.terminationGracePeriodSeconds, 'must be greater than 0'));
  }
  if (kind !== 'readiness' && p.successThreshold !== undefined && p.successThreshold !== 1) causes.push(field.invalid(child(path, 'successThreshold'), p.successThreshold, 'must be 1'));
  if (kind === 'readiness' && p.terminationGracePeriodSeconds != null) causes.push(field.invalid(child(path, 'terminationGracePeriodSeconds'), p.terminationGracePeriodSeconds, 'must not be set for readinessProbes'));
  return causes;
}

export interface ContainerContext {
  volumes: ReadonlySet<string>;
  /** 'regular' containers may have probes and lifecycle; init containers only when restartable. */
  kind: 'regular' | 'init' | 'ephemeral';
}

/** validateContainerCommon plus the per-kind rules (probes, lifecycle, restartPolicy). */
export function container(c: Obj, path: string, ctx: ContainerContext): FieldCause[] {
  const causes: FieldCause[] = [];
  if (!c.name) causes.push(field.required(child(path, 'name')));
  else causes.push(...dnsLabel(String(c.name), child(path, 'name')));
  if (!c.image) causes.push(field.required(child(path, 'image')));
  else if (typeof c.image === 'string' && c.image !== c.image.trim()) causes.push(field.invalid(child(path, 'image'), c.image, 'must not have leading or trailing whitespace'));
  causes.push(...oneOf(c.terminationMessagePolicy, ['File', 'FallbackToLogsOnError'], child(path, 'terminationMessagePolicy')));
  causes.push(...ports(c.ports, child(path, 'ports')));
  causes.push(...env(c.env, child(path, 'env')));
  causes.push(...envFrom(c.envFrom, child(path, 'envFrom')));
  causes.push(...volumeMounts(c.volumeMounts, ctx.volumes, child(path, 'volumeMounts')));
  causes.push(...oneOf(c.imagePullPolicy, ['Always', 'IfNotPresent', 'Never'], child(path, 'imagePullPolicy')));
  causes.push(...resources(c.resources, child(path, 'resources')));
  const restartable = ctx.kind === 'init' && c.restartPolicy === 'Always';
  if (ctx.kind === 'regular' || restartable) {
    if (isObj(c.lifecycle)) {
      for (const hook of ['postStart', 'preStop']) {
        if (isObj(c.lifecycle[hook])) causes.push(...handler(c.lifecycle[hook], child(child(path, 'lifecycle'), hook), ['exec', 'httpGet', 'tcpSocket', 'sleep']));
      }
    }
    causes.push(...probe(c.livenessProbe, child(path, 'livenessProbe'), 'liveness'));
    causes.push(...probe(c.readinessProbe, child(path, 'readinessProbe'), 'readiness'));
    causes.push(...probe(c.startupProbe, child(path, 'startupProbe'), 'startup'));
  } else {
    for (const k of ['lifecycle', 'livenessProbe', 'readinessProbe', 'startupProbe']) {
      if (c[k] != null) causes.push(field.forbidden(child(path, k), ctx.kind === 'init' ? 'may not be set for init containers without restartPolicy=Always' : 'cannot be set for an Ephemeral Container'));
    }
  }
  if (ctx.kind === 'regular' && c.restartPolicy != null) causes.push(field.forbidden(child(path, 'restartPolicy'), 'may not be set for non-init containers'));
  if (ctx.kind === 'init' && c.restartPolicy != null && c.restartPolicy !== 'Always') causes.push(field.notSupported(child(path, 'restartPolicy'), c.restartPolicy, ['Always']));
  return causes;
}
