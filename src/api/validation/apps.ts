// Workload controllers: apps/v1 Deployment, ReplicaSet, StatefulSet, DaemonSet (upstream
// pkg/apis/apps/validation) and core/v1 ReplicationController (pkg/apis/core/validation).
import { validateLabels } from './names.js';
import {
  child, field, immutable, intOrPercentValue, isObj, labelSelector, nonNegative, notMoreThan100Percent, oneOf,
  positiveIntOrPercent, selectorOf, selectorOfSet, type FieldCause, type Obj,
} from './common.js';
import { podTemplateSpec } from './podspec.js';
import type { LabelSelector } from '../selectors/index.js';

/** ValidatePodTemplateSpecForReplicaSet (and its RC/StatefulSet/DaemonSet twins). */
function templateForController(t: unknown, selector: LabelSelector | undefined, path: string, what: string): FieldCause[] {
  if (!isObj(t)) return [field.required(path)];
  const causes: FieldCause[] = [];
  const labels = isObj(t.metadata?.labels) ? t.metadata.labels : undefined;
  if (selector && !selector.empty() && !selector.matches(labels)) {
    causes.push(field.invalid(child(child(path, 'metadata'), 'labels'), labels ?? null, '`selector` does not match template `labels`'));
  }
  causes.push(...podTemplateSpec(t, path));
  const spec = isObj(t.spec) ? t.spec : {};
  if (spec.restartPolicy !== 'Always') causes.push(field.notSupported(`${path}.spec.restartPolicy`, spec.restartPolicy ?? '', ['Always']));
  if (spec.activeDeadlineSeconds != null) causes.push(field.forbidden(`${path}.spec.activeDeadlineSeconds`, `activeDeadlineSeconds in ${what} is not Supported`));
  return causes;
}

/** A required metav1.LabelSelector that must select something; returns its causes and the selector. */
function requiredSelector(sel: unknown, path: string, what: string): { causes: FieldCause[]; selector?: LabelSelector } {
  if (sel == null) return { causes: [field.required(path)] };
  const causes = labelSelector(sel, path);
  const s = sel as Obj;
  if (Object.keys(isObj(s.matchLabels) ? s.matchLabels : {}).length + (Array.isArray(s.matchExpressions) ? s.matchExpressions.length : 0) === 0) {
    causes.push(field.invalid(path, sel, `empty selector is invalid for ${what}`));
  }
  const selector = selectorOf(sel);
  if (!selector) causes.push(field.invalid(path, sel, 'invalid label selector'));
  return { causes, selector };
}

function rollingUpdate(ru: Obj, path: string): FieldCause[] {
  const causes = [...positiveIntOrPercent(ru.maxUnavailable, child(path, 'maxUnavailable')), ...positiveIntOrPercent(ru.maxSurge, child(path, 'maxSurge'))];
  if (intOrPercentValue(ru.maxUnavailable) === 0 && intOrPercentValue(ru.maxSurge) === 0) {
    causes.push(field.invalid(child(path, 'maxUnavailable'), ru.maxUnavailable ?? 0, 'may not be 0 when `maxSurge` is 0'));
  }
  causes.push(...notMoreThan100Percent(ru.maxUnavailable, child(path, 'maxUnavailable')));
  return causes;
}

export function validateDeployment(o: Obj): FieldCause[] {
  const spec = (isObj(o.spec) ? o.spec : {}) as Obj;
  const causes = nonNegative(spec.replicas, 'spec.replicas');
  const sel = requiredSelector(spec.selector, 'spec.selector', 'deployment');
  causes.push(...sel.causes, ...templateForController(spec.template, sel.selector, 'spec.template', 'ReplicaSet'));
  const st = isObj(spec.strategy) ? spec.strategy : {};
  switch (st.type) {
    case 'Recreate':
      if (st.rollingUpdate != null) causes.push(field.forbidden('spec.strategy.rollingUpdate', "may not be specified when strategy `type` is 'Recreate'"));
      break;
    case 'RollingUpdate':
      if (!isObj(st.rollingUpdate)) causes.push(field.required('spec.strategy.rollingUpdate', 'this should be defaulted and never be nil'));
      else causes.push(...rollingUpdate(st.rollingUpdate, 'spec.strategy.rollingUpdate'));
      break;
    default:
      causes.push(field.notSupported('spec.strategy', st, ['Recreate', 'RollingUpdate']));
  }
  causes.push(...nonNegative(spec.minReadySeconds, 'spec.minReadySeconds'));
  causes.push(...nonNegative(spec.revisionHistoryLimit, 'spec.revisionHistoryLimit'));
  if (spec.progressDeadlineSeconds != null) {
    causes.push(...nonNegative(spec.progressDeadlineSeconds, 'spec.progressDeadlineSeconds'));
    if (spec.progressDeadlineSeconds <= (spec.minReadySeconds ?? 0)) causes.push(field.invalid('spec.progressDeadlineSeconds', spec.progressDeadlineSeconds, 'must be greater than minReadySeconds'));
  }
  return causes;
}

export function validateReplicaSet(o: Obj): FieldCause[] {
  const spec = (isObj(o.spec) ? o.spec : {}) as Obj;
  const causes = [...nonNegative(spec.replicas, 'spec.replicas'), ...nonNegative(spec.minReadySeconds, 'spec.minReadySeconds')];
  const sel = requiredSelector(spec.selector, 'spec.selector', 'deployment');
  causes.push(...sel.causes, ...templateForController(spec.template, sel.selector, 'spec.template', 'ReplicaSet'));
  return causes;
}

export function validateStatefulSet(o: Obj): FieldCause[] {
  const spec = (isObj(o.spec) ? o.spec : {}) as Obj;
  const causes = oneOf(spec.podManagementPolicy, ['OrderedReady', 'Parallel'], 'spec.podManagementPolicy');
  const us = isObj(spec.updateStrategy) ? spec.updateStrategy : {};
  switch (us.type) {
    case 'OnDelete':
      if (us.rollingUpdate != null) causes.push(field.invalid('spec.updateStrategy.rollingUpdate', us.rollingUpdate, "only allowed for updateStrategy 'RollingUpdate'"));
      break;
    case 'RollingUpdate':
      if (isObj(us.rollingUpdate)) {
        causes.push(...nonNegative(us.rollingUpdate.partition, 'spec.updateStrategy.rollingUpdate.partition'));
        if (us.rollingUpdate.maxUnavailable != null) {
          causes.push(...positiveIntOrPercent(us.rollingUpdate.maxUnavailable, 'spec.updateStrategy.rollingUpdate.maxUnavailable'));
          if (intOrPercentValue(us.rollingUpdate.maxUnavailable) === 0) causes.push(field.invalid('spec.updateStrategy.rollingUpdate.maxUnavailable', us.rollingUpdate.maxUnavailable, 'must be greater than 0'));
        }
      }
      break;
    case undefined: case null: case '':
      causes.push(field.required('spec.updateStrategy', ''));
      break;
    default:
      causes.push(field.invalid('spec.updateStrategy', us, "must be 'RollingUpdate' or 'OnDelete'"));
  }
  const retention = spec.persistentVolumeClaimRetentionPolicy;
  if (isObj(retention)) {
    causes.push(...oneOf(retention.whenDeleted, ['Retain', 'Delete'], 'spec.persistentVolumeClaimRetentionPolicy.whenDeleted'));
    causes.push(...oneOf(retention.whenScaled, ['Retain', 'Delete'], 'spec.persistentVolumeClaimRetentionPolicy.whenScaled'));
  }
  causes.push(...nonNegative(spec.replicas, 'spec.replicas'), ...nonNegative(spec.minReadySeconds, 'spec.minReadySeconds'));
  if (isObj(spec.ordinals)) causes.push(...nonNegative(spec.ordinals.start, 'spec.ordinals.start'));
  const sel = requiredSelector(spec.selector, 'spec.selector', 'statefulset');
  causes.push(...sel.causes, ...templateForController(spec.template, sel.selector, 'spec.template', 'StatefulSet'));
  return causes;
}

const STS_MUTABLE = ['replicas', 'ordinals', 'template', 'updateStrategy', 'persistentVolumeClaimRetentionPolicy', 'minReadySeconds'];

export function validateStatefulSetUpdate(o: Obj, old: Obj): FieldCause[] {
  const causes = validateStatefulSet(o);
  const strip = (s: unknown) => Object.fromEntries(Object.entries(isObj(s) ? s : {}).filter(([k]) => !STS_MUTABLE.includes(k)));
  if (immutable(strip(o.spec), strip(old.spec), 'spec').length) {
    causes.push(field.forbidden('spec', "updates to statefulset spec for fields other than 'replicas', 'ordinals', 'template', 'updateStrategy', 'persistentVolumeClaimRetentionPolicy' and 'minReadySeconds' are forbidden"));
  }
  return causes;
}

export function validateDaemonSet(o: Obj): FieldCause[] {
  const spec = (isObj(o.spec) ? o.spec : {}) as Obj;
  const sel = requiredSelector(spec.selector, 'spec.selector', 'daemonset');
  const causes = [...sel.causes, ...templateForController(spec.template, sel.selector, 'spec.template', 'DaemonSet')];
  causes.push(...nonNegative(spec.minReadySeconds, 'spec.minReadySeconds'), ...nonNegative(spec.templateGeneration, 'spec.templateGeneration'));
  const us = isObj(spec.updateStrategy) ? spec.updateStrategy : {};
  causes.push(...oneOf(us.type, ['OnDelete', 'RollingUpdate'], 'spec.updateStrategy.type'));
  if (us.type === 'RollingUpdate') {
    if (!isObj(us.rollingUpdate)) causes.push(field.required('spec.updateStrategy.rollingUpdate'));
    else causes.push(...rollingUpdate(us.rollingUpdate, 'spec.updateStrategy.rollingUpdate'));
  }
  causes.push(...nonNegative(spec.revisionHistoryLimit, 'spec.revisionHistoryLimit'));
  return causes;
}

/** Deployment, ReplicaSet and DaemonSet selectors may not change (apps/v1). */
export function selectorImmutable(o: Obj, old: Obj): FieldCause[] {
  return immutable(o.spec?.selector, old.spec?.selector, 'spec.selector');
}

export function validateReplicationController(o: Obj): FieldCause[] {
  const spec = (isObj(o.spec) ? o.spec : {}) as Obj;
  const causes = nonNegative(spec.minReadySeconds, 'spec.minReadySeconds');
  if (!isObj(spec.selector) || Object.keys(spec.selector).length === 0) causes.push(field.required('spec.selector'));
  causes.push(...validateLabels(spec.selector, 'spec.selector'));
  causes.push(...nonNegative(spec.replicas, 'spec.replicas'));
  causes.push(...templateForController(spec.template, selectorOfSet(spec.selector), 'spec.template', 'ReplicationController'));
  return causes;
}
