// Which validation each kind gets on create and update, keyed by `group/Kind` of the storage
// version (core group ''). Kinds not listed only get the shared ObjectMeta rules.
import type { FieldCause } from './field.js';
import { type Obj } from './common.js';
import { podSpec, podSpecUpdate } from './podspec.js';
import { validateService, validateServiceUpdate, type ServiceValidationOptions } from './service.js';
import { selectorImmutable, validateDaemonSet, validateDeployment, validateReplicaSet, validateReplicationController, validateStatefulSet, validateStatefulSetUpdate } from './apps.js';
import { validateCronJob, validateJob, validateJobUpdate } from './batch.js';
import { validateConfigMap, validateConfigMapUpdate, validateSecret, validateSecretUpdate } from './config.js';
import {
  validateEndpoints, validateLimitRange, validateNamespace, validateNode, validatePersistentVolume, validatePersistentVolumeClaim,
  validatePersistentVolumeClaimUpdate, validatePodTemplate, validateResourceQuota,
} from './core.js';
import {
  validateBindingUpdate, validateClusterRole, validateClusterRoleBinding, validateEndpointSlice, validateEndpointSliceUpdate, validateHPA,
  validateIngress, validateIngressClass, validateLease, validateNetworkPolicy, validatePodDisruptionBudget, validatePriorityClass,
  validatePriorityClassUpdate, validateRole, validateRoleBinding, validateStorageClass, validateStorageClassUpdate,
} from './others.js';

export interface KindValidationOptions {
  service?: ServiceValidationOptions;
}

interface KindRules {
  create(o: Obj, opts: KindValidationOptions): FieldCause[];
  /** Defaults to create's rules on the new object. */
  update?(o: Obj, old: Obj, opts: KindValidationOptions): FieldCause[];
}

const same = (f: (o: Obj) => FieldCause[]): KindRules => ({ create: (o) => f(o) });

const pod: KindRules = {
  create(o) {
    const causes = podSpec(o.spec, 'spec');
    if (Array.isArray(o.spec?.ephemeralContainers) && o.spec.ephemeralContainers.length > 0) {
      causes.push({ field: 'spec.ephemeralContainers', reason: 'FieldValueForbidden', message: 'Forbidden: cannot be set on create' });
    }
    return causes;
  },
  update: (o, old) => [...podSpec(o.spec, 'spec'), ...podSpecUpdate((o.spec ?? {}) as Obj, (old.spec ?? {}) as Obj)],
};

const withSelectorImmutable = (f: (o: Obj) => FieldCause[]): KindRules => ({ create: (o) => f(o), update: (o, old) => [...f(o), ...selectorImmutable(o, old)] });

const KINDS: Record<string, KindRules> = {
  '/Pod': pod,
  '/PodTemplate': same(validatePodTemplate),
  '/Service': { create: (o, opts) => validateService(o, opts.service), update: (o, old, opts) => validateServiceUpdate(o, old, opts.service) },
  '/ReplicationController': same(validateReplicationController),
  '/ConfigMap': { create: validateConfigMap, update: validateConfigMapUpdate },
  '/Secret': { create: validateSecret, update: validateSecretUpdate },
  '/Namespace': same(validateNamespace),
  '/Node': same(validateNode),
  '/PersistentVolume': same(validatePersistentVolume),
  '/PersistentVolumeClaim': { create: validatePersistentVolumeClaim, update: validatePersistentVolumeClaimUpdate },
  '/Endpoints': same(validateEndpoints),
  '/ResourceQuota': same(validateResourceQuota),
  '/LimitRange': same(validateLimitRange),
  'apps/Deployment': withSelectorImmutable(validateDeployment),
  'apps/ReplicaSet': withSelectorImmutable(validateReplicaSet),
  'apps/DaemonSet': withSelectorImmutable(validateDaemonSet),
  'apps/StatefulSet': { create: validateStatefulSet, update: validateStatefulSetUpdate },
  'batch/Job': { create: validateJob, update: validateJobUpdate },
  'batch/CronJob': { create: (o) => validateCronJob(o), update: (o, old) => validateCronJob(o, old) },
  'autoscaling/HorizontalPodAutoscaler': same(validateHPA),
  'policy/PodDisruptionBudget': same(validatePodDisruptionBudget),
  'networking.k8s.io/Ingress': same(validateIngress),
  'networking.k8s.io/IngressClass': same(validateIngressClass),
  'networking.k8s.io/NetworkPolicy': same(validateNetworkPolicy),
  'rbac.authorization.k8s.io/Role': same(validateRole),
  'rbac.authorization.k8s.io/ClusterRole': same(validateClusterRole),
  'rbac.authorization.k8s.io/RoleBinding': { create: validateRoleBinding, update: (o, old) => validateBindingUpdate(o, old, false) },
  'rbac.authorization.k8s.io/ClusterRoleBinding': { create: validateClusterRoleBinding, update: (o, old) => validateBindingUpdate(o, old, true) },
  'scheduling.k8s.io/PriorityClass': { create: validatePriorityClass, update: validatePriorityClassUpdate },
  'coordination.k8s.io/Lease': same(validateLease),
  'discovery.k8s.io/EndpointSlice': { create: validateEndpointSlice, update: validateEndpointSliceUpdate },
  'storage.k8s.io/StorageClass': { create: validateStorageClass, update: validateStorageClassUpdate },
};

/**
 * Kind-specific validation of obj (storage version), or of an update from old to obj; the
 * ObjectMeta rules are separate (validateObjectMeta). Returns one cause per violation.
 */
export function validateKind(group: string, kind: string, obj: Obj, old?: Obj, opts: KindValidationOptions = {}): FieldCause[] {
  const rules = KINDS[`${group}/${kind}`];
  if (!rules) return [];
  return old && rules.update ? rules.update(obj, old, opts) : rules.create(obj, opts);
}
