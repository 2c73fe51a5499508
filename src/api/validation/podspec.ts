// PodSpec validation (upstream ValidatePodSpec), pod templates (ValidatePodTemplateSpec) and the
// pod-only rules: create forbids ephemeral containers, update allows only a few changes.
import { isDNS1123Label, isDNS1123Subdomain, isQualifiedName, isValidLabelValue, validateAnnotations, validateLabels } from './names.js';
import { child, deepEqual, dnsLabel, field, index, inclusiveRangeError, invalidEach, isObj, list, oneOf, type FieldCause, type Obj } from './common.js';
import { container, resources } from './container.js';
import { volumes } from './volumes.js';

const RESTART_POLICIES = ['Always', 'OnFailure', 'Never'];
const DNS_POLICIES = ['ClusterFirstWithHostNet', 'ClusterFirst', 'Default', 'None'];
const TAINT_EFFECTS = ['NoSchedule', 'PreferNoSchedule', 'NoExecute'];
const MAX_INT32 = 2147483647;

/** ValidateTolerations. */
export function tolerations(ts: unknown, path: string): FieldCause[] {
  const causes: FieldCause[] = [];
  list(ts).forEach((t: any, i) => {
    const ip = index(path, i);
    if (!isObj(t)) return void causes.push(field.typeInvalid(ip, t, 'must be an object'));
    const k = String(t.key ?? '');
    if (k) causes.push(...invalidEach(child(ip, 'key'), k, isQualifiedName(k)));
    if (!k && t.operator !== 'Exists') {
      causes.push(field.invalid(child(ip, 'operator'), t.operator ?? '', 'operator must be Exists when `key` is empty, which means "match all values and all keys"'));
    }
    if (t.tolerationSeconds != null && t.effect !== 'NoExecute') {
      causes.push(field.invalid(child(ip, 'effect'), t.effect ?? '', "effect must be 'NoExecute' when `tolerationSeconds` is set"));
    }
    switch (t.operator ?? '') {
      case 'Equal': case '': {
        const errs = isValidLabelValue(String(t.value ?? ''));
        if (errs.length) causes.push(field.invalid(child(ip, 'operator'), t.value, errs.join(';')));
        break;
      }
      case 'Exists':
        if (t.value) causes.push(field.invalid(child(ip, 'operator'), t, "value must be empty when `operator` is 'Exists'"));
        break;
      default:
        causes.push(field.notSupported(child(ip, 'operator'), t.operator, ['Equal', 'Exists']));
    }
    if (t.effect) causes.push(...oneOf(t.effect, TAINT_EFFECTS, child(ip, 'effect')));
  });
  return causes;
}

const NODE_SELECTOR_OPS = ['In', 'NotIn', 'Exists', 'DoesNotExist', 'Gt', 'Lt'];

function nodeSelectorTerm(term: unknown, path: string): FieldCause[] {
  const causes: FieldCause[] = [];
  list((term as Obj)?.matchExpressions).forEach((e: any, i) => {
    const ip = index(child(path, 'matchExpressions'), i);
    const vals = list(e?.values);
    switch (e?.operator) {
      case 'In': case 'NotIn':
        if (vals.length === 0) causes.push(field.required(child(ip, 'values'), "must be specified when `operator` is 'In' or 'NotIn'"));
        break;
      case 'Exists': case 'DoesNotExist':
        if (vals.length > 0) causes.push(field.forbidden(child(ip, 'values'), "may not be specified when `operator` is 'Exists' or 'DoesNotExist'"));
        break;
      case 'Gt': case 'Lt':
        if (vals.length !== 1) causes.push(field.required(child(ip, 'values'), "must be specified single value when `operator` is 'Lt' or 'Gt'"));
        break;
      default:
        causes.push(field.notSupported(child(ip, 'operator'), e?.operator ?? '', NODE_SELECTOR_OPS));
    }
    causes.push(...invalidEach(child(ip, 'key'), String(e?.key ?? ''), isQualifiedName(String(e?.key ?? ''))));
  });
  return causes;
}

function podAffinityTerm(t: unknown, path: string): FieldCause[] {
  if (!isObj(t)) return [];
  if (!t.topologyKey) return [field.required(child(path, 'topologyKey'), 'can not be empty')];
  return invalidEach(child(path, 'topologyKey'), t.topologyKey, isQualifiedName(String(t.topologyKey)));
}

function weighted(terms: unknown, path: string, inner: (t: unknown, p: string) => FieldCause[], innerName: string): FieldCause[] {
  const causes: FieldCause[] = [];
  list(terms).forEach((t: any, i) => {
    const ip = index(path, i);
    if (typeof t?.weight !== 'number' || t.weight < 1 || t.weight > 100) causes.push(field.invalid(child(ip, 'weight'), t?.weight ?? 0, 'must be in the range 1-100'));
    causes.push(...inner(t?.[innerName], child(ip, innerName)));
  });
  return causes;
}

/** validateAffinity: node affinity terms and pod (anti-)affinity topology keys and weights. */
export function affinity(a: unknown, path: string): FieldCause[] {
  if (!isObj(a)) return [];
  const causes: FieldCause[] = [];
  const na = a.nodeAffinity;
  if (isObj(na)) {
    const np = child(path, 'nodeAffinity');
    const req = na.requiredDuringSchedulingIgnoredDuringExecution;
    if (isObj(req)) {
      const rp = child(np, 'requiredDuringSchedulingIgnoredDuringExecution');
      const terms = list(req.nodeSelectorTerms);
      if (terms.length === 0) causes.push(field.required(child(rp, 'nodeSelectorTerms'), 'must have at least one node selector term'));
      terms.forEach((t, i) => causes.push(...nodeSelectorTerm(t, index(child(rp, 'nodeSelectorTerms'), i))));
    }
    causes.push(...weighted(na.preferredDuringSchedulingIgnoredDuringExecution, child(np, 'preferredDuringSchedulingIgnoredDuringExecution'), nodeSelectorTerm, 'preference'));
  }
  for (const kind of ['podAffinity', 'podAntiAffinity']) {
    const pa = a[kind];
    if (!isObj(pa)) continue;
    const pp = child(path, kind);
    list(pa.requiredDuringSchedulingIgnoredDuringExecution).forEach((t, i) => causes.push(...podAffinityTerm(t, index(child(pp, 'requiredDuringSchedulingIgnoredDuringExecution'), i))));
    causes.push(...weighted(pa.preferredDuringSchedulingIgnoredDuringExecution, child(pp, 'preferredDuringSchedulingIgnoredDuringExecution'), podAffinityTerm, 'podAffinityTerm'));
  }
  return causes;
}

/** checkHostPortConflicts: a hostIP/protocol/hostPort triple may be used once across the containers. */
function hostPortConflicts(containers: unknown[], path: string): FieldCause[] {
  const causes: FieldCause[] = [];
  const seen = new Set<string>();
  containers.forEach((c: any, i) => {
    list(c?.ports).forEach((p: any, j) => {
      if (!p?.hostPort) return;
      const k = `${p.hostIP ?? ''}/${p.protocol ?? ''}/${p.hostPort}`;
      if (seen.has(k)) causes.push(field.duplicate(`${path}[${i}].ports[${j}].hostPort`, k));
      else seen.add(k);
    });
  });
  return causes;
}

/** ValidatePodSpec. */
export function podSpec(spec: unknown, path: string): FieldCause[] {
  if (!isObj(spec)) return [field.required(path)];
  const causes: FieldCause[] = [];
  const vols = volumes(spec.volumes, child(path, 'volumes'));
  causes.push(...vols.causes);
  const containers = list(spec.containers);
  const cpath = child(path, 'containers');
  if (containers.length === 0) causes.push(field.required(cpath));
  const names = new Set<string>();
  containers.forEach((c, i) => {
    const ip = index(cpath, i);
    if (!isObj(c)) return void causes.push(field.typeInvalid(ip, c, 'must be an object'));
    causes.push(...container(c, ip, { volumes: vols.names, kind: 'regular' }));
    if (names.has(c.name)) causes.push(field.duplicate(child(ip, 'name'), c.name));
    else names.add(c.name);
  });
  causes.push(...hostPortConflicts(containers, cpath));
  list(spec.initContainers).forEach((c, i) => {
    const ip = index(child(path, 'initContainers'), i);
    if (!isObj(c)) return void causes.push(field.typeInvalid(ip, c, 'must be an object'));
    causes.push(...container(c, ip, { volumes: vols.names, kind: 'init' }));
    if (names.has(c.name)) causes.push(field.duplicate(child(ip, 'name'), c.name));
    else names.add(c.name);
  });
  list(spec.ephemeralContainers).forEach((c, i) => {
    const ip = index(child(path, 'ephemeralContainers'), i);
    if (!isObj(c)) return;
    causes.push(...container(c, ip, { volumes: vols.names, kind: 'ephemeral' }));
    if (names.has(c.name)) causes.push(field.duplicate(child(ip, 'name'), c.name));
    else names.add(c.name);
  });
  causes.push(...oneOf(spec.restartPolicy, RESTART_POLICIES, child(path, 'restartPolicy')));
  causes.push(...oneOf(spec.dnsPolicy, DNS_POLICIES, child(path, 'dnsPolicy')));
  if (spec.dnsPolicy === 'None' && !isObj(spec.dnsConfig)) causes.push(field.required(child(path, 'dnsConfig'), 'must provide `dnsConfig` when `dnsPolicy` is None'));
  causes.push(...validateLabels(spec.nodeSelector, child(path, 'nodeSelector')));
  list(spec.imagePullSecrets).forEach((s: any, i) => {
    if (!s?.name) causes.push(field.required(child(index(child(path, 'imagePullSecrets'), i), 'name')));
  });
  causes.push(...affinity(spec.affinity, child(path, 'affinity')));
  list(spec.readinessGates).forEach((g: any, i) => {
    const p = child(index(child(path, 'readinessGates'), i), 'conditionType');
    causes.push(...invalidEach(p, String(g?.conditionType ?? ''), isQualifiedName(String(g?.conditionType ?? ''))));
  });
  list(spec.topologySpreadConstraints).forEach((c: any, i) => {
    const ip = index(child(path, 'topologySpreadConstraints'), i);
    if (!(typeof c?.maxSkew === 'number' && c.maxSkew > 0)) causes.push(field.invalid(child(ip, 'maxSkew'), c?.maxSkew ?? 0, 'must be greater than zero'));
    if (!c?.topologyKey) causes.push(field.required(child(ip, 'topologyKey'), 'can not be empty'));
    causes.push(...oneOf(c?.whenUnsatisfiable, ['DoNotSchedule', 'ScheduleAnyway'], child(ip, 'whenUnsatisfiable')));
  });
  if (spec.serviceAccountName) causes.push(...invalidEach(child(path, 'serviceAccountName'), spec.serviceAccountName, isDNS1123Subdomain(String(spec.serviceAccountName))));
  if (spec.nodeName) causes.push(...invalidEach(child(path, 'nodeName'), spec.nodeName, isDNS1123Subdomain(String(spec.nodeName))));
  if (spec.activeDeadlineSeconds != null) {
    const v = spec.activeDeadlineSeconds;
    if (typeof v !== 'number' || v < 1 || v > MAX_INT32) causes.push(field.invalid(child(path, 'activeDeadlineSeconds'), v, inclusiveRangeError(1, MAX_INT32)));
  }
  if (spec.hostname) causes.push(...dnsLabel(String(spec.hostname), child(path, 'hostname')));
  if (spec.subdomain) causes.push(...dnsLabel(String(spec.subdomain), child(path, 'subdomain')));
  causes.push(...tolerations(spec.tolerations, child(path, 'tolerations')));
  if (spec.priorityClassName) causes.push(...invalidEach(child(path, 'priorityClassName'), spec.priorityClassName, isDNS1123Subdomain(String(spec.priorityClassName))));
  if (spec.runtimeClassName) causes.push(...invalidEach(child(path, 'runtimeClassName'), spec.runtimeClassName, isDNS1123Subdomain(String(spec.runtimeClassName))));
  if (spec.preemptionPolicy != null) causes.push(...oneOf(spec.preemptionPolicy, ['Never', 'PreemptLowerPriority'], child(path, 'preemptionPolicy')));
  if (isObj(spec.resources)) causes.push(...resources(spec.resources, child(path, 'resources')));
  if (isObj(spec.os)) causes.push(...oneOf(spec.os.name, ['linux', 'windows'], child(child(path, 'os'), 'name')));
  if (spec.terminationGracePeriodSeconds != null && typeof spec.terminationGracePeriodSeconds !== 'number') {
    causes.push(field.typeInvalid(child(path, 'terminationGracePeriodSeconds'), spec.terminationGracePeriodSeconds, 'must be an integer'));
  }
  list(spec.hostAliases).forEach((h: any, i) => {
    const ip = index(child(path, 'hostAliases'), i);
    if (!h?.ip) causes.push(field.required(child(ip, 'ip')));
    list(h?.hostnames).forEach((n, j) => causes.push(...invalidEach(index(child(ip, 'hostnames'), j), n, isDNS1123Subdomain(String(n)))));
  });
  return causes;
}

/** ValidatePodTemplateSpec (templates may not carry ephemeral containers). */
export function podTemplateSpec(t: unknown, path: string): FieldCause[] {
  if (!isObj(t)) return [field.required(path)];
  const meta = isObj(t.metadata) ? t.metadata : {};
  const causes = [
    ...validateLabels(meta.labels, child(child(path, 'metadata'), 'labels')),
    ...validateAnnotations(meta.annotations, child(child(path, 'metadata'), 'annotations')),
    ...podSpec(t.spec, child(path, 'spec')),
  ];
  if (list(t.spec?.ephemeralContainers).length > 0) causes.push(field.forbidden(child(child(path, 'spec'), 'ephemeralContainers'), 'ephemeral containers not allowed in pod template'));
  return causes;
}

const UPDATABLE = '`spec.containers[*].image`,`spec.initContainers[*].image`,`spec.activeDeadlineSeconds`,`spec.tolerations` (only additions to existing tolerations),`spec.terminationGracePeriodSeconds` (allow it to be set to 1 if it was previously negative)';

/** ValidatePodUpdate's spec rules: only images, activeDeadlineSeconds (down), tolerations (additions) and a few more may change. */
export function podSpecUpdate(spec: Obj, old: Obj): FieldCause[] {
  const causes: FieldCause[] = [];
  for (const k of ['containers', 'initContainers']) {
    if (list(spec[k]).length !== list(old[k]).length) return [field.forbidden(`spec.${k}`, 'pod updates may not add or remove containers')];
  }
  const ads = spec.activeDeadlineSeconds;
  if (ads != null) {
    if (typeof ads !== 'number' || ads < 0 || ads > MAX_INT32) return [field.invalid('spec.activeDeadlineSeconds', ads, inclusiveRangeError(0, MAX_INT32))];
    if (old.activeDeadlineSeconds != null && old.activeDeadlineSeconds < ads) return [field.invalid('spec.activeDeadlineSeconds', ads, 'must be less than or equal to previous value')];
  } else if (old.activeDeadlineSeconds != null) {
    causes.push(field.invalid('spec.activeDeadlineSeconds', null, 'must not update from a positive integer to nil value'));
  }
  // validateOnlyAddedTolerations: every old toleration must still be there (its tolerationSeconds may change).
  for (const t of list(old.tolerations)) {
    const kept = list(spec.tolerations).some((n) => isObj(n) && isObj(t) && deepEqual({ ...n, tolerationSeconds: null }, { ...t, tolerationSeconds: null }));
    if (!kept) {
      causes.push(field.forbidden('spec.tolerations', 'existing toleration can not be modified except its tolerationSeconds'));
      break;
    }
  }
  if (deepEqual(spec, old)) return causes;
  const munged: Obj = structuredClone(spec);
  for (const k of ['containers', 'initContainers']) list(munged[k]).forEach((c: Obj, i) => isObj(c) && (c.image = list(old[k])[i]?.image));
  munged.activeDeadlineSeconds = old.activeDeadlineSeconds;
  munged.tolerations = old.tolerations;
  munged.schedulingGates = old.schedulingGates;
  if (typeof old.terminationGracePeriodSeconds === 'number' && old.terminationGracePeriodSeconds < 0 && munged.terminationGracePeriodSeconds === 1) {
    munged.terminationGracePeriodSeconds = old.terminationGracePeriodSeconds;
  }
  // A scheduling-gated pod may still gain node selector and affinity constraints.
  if (list(old.schedulingGates).length > 0) {
    munged.nodeSelector = old.nodeSelector;
    munged.affinity = old.affinity;
  }
  // nodeName is set once through the binding subresource, which upstream does not run through
  // this check; the strategy cannot tell a binding write from a plain update, so the first
  // assignment is let through here.
  if (!old.nodeName) munged.nodeName = old.nodeName;
  if (!deepEqual(munged, old)) causes.push(field.forbidden('spec', `pod updates may not change fields other than ${UPDATABLE}`));
  return causes;
}

export { isDNS1123Label };
