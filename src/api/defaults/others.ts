// Defaults of the remaining groups: autoscaling/v2 (HPA), networking.k8s.io/v1, rbac/v1,
// scheduling/v1, discovery/v1, storage/v1, policy/v1 — upstream pkg/apis/<group>/<version>/defaults.go.
import { canonicalField } from './resources.js';
import { isObj, objects, setIfEmpty, setIfMissing, type Obj } from './util.js';

const HPA_SCALE_UP: Obj = { stabilizationWindowSeconds: 0, selectPolicy: 'Max', policies: [{ type: 'Pods', value: 4, periodSeconds: 15 }, { type: 'Percent', value: 100, periodSeconds: 15 }] };
// Scale-down keeps stabilizationWindowSeconds unset: the controller's --horizontal-pod-autoscaler-downscale-stabilization applies.
const HPA_SCALE_DOWN: Obj = { selectPolicy: 'Max', policies: [{ type: 'Percent', value: 100, periodSeconds: 15 }] };

function hpaRules(rules: unknown, defaults: Obj): Obj {
  if (!isObj(rules)) return structuredClone(defaults);
  const out = { ...rules };
  // upstream copyHPAScalingRules: every field the client set wins, the rest come from the defaults.
  if (!Array.isArray(out.policies)) out.policies = structuredClone(defaults.policies);
  setIfMissing(out, 'selectPolicy', defaults.selectPolicy);
  if (defaults.stabilizationWindowSeconds !== undefined) setIfMissing(out, 'stabilizationWindowSeconds', defaults.stabilizationWindowSeconds);
  return out;
}

/** autoscaling/v2 (the storage version): minReplicas 1, 80% CPU when no metrics, behavior filled in. */
export function defaultHPA(o: Obj): void {
  const spec = o.spec as Obj | undefined;
  if (!isObj(spec)) return;
  setIfMissing(spec, 'minReplicas', 1);
  if (!Array.isArray(spec.metrics) || spec.metrics.length === 0) {
    spec.metrics = [{ type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: 80 } } }];
  }
  if (isObj(spec.behavior)) {
    spec.behavior.scaleUp = hpaRules(spec.behavior.scaleUp, HPA_SCALE_UP);
    spec.behavior.scaleDown = hpaRules(spec.behavior.scaleDown, HPA_SCALE_DOWN);
  }
  for (const m of objects(spec.metrics)) {
    for (const src of ['resource', 'containerResource', 'pods', 'object', 'external']) {
      const target = m[src]?.target;
      if (isObj(target)) {
        canonicalField(target, 'value');
        canonicalField(target, 'averageValue');
      }
    }
  }
}

export function defaultNetworkPolicy(o: Obj): void {
  const spec = o.spec as Obj | undefined;
  if (!isObj(spec)) return;
  for (const rule of [...objects(spec.ingress), ...objects(spec.egress)]) for (const p of objects(rule.ports)) setIfEmpty(p, 'protocol', 'TCP');
  if (!Array.isArray(spec.policyTypes) || spec.policyTypes.length === 0) {
    spec.policyTypes = ['Ingress'];
    if (Array.isArray(spec.egress) && spec.egress.length > 0) spec.policyTypes.push('Egress');
  }
}

export function defaultIngressClass(o: Obj): void {
  const params = o.spec?.parameters;
  if (isObj(params)) setIfMissing(params, 'scope', 'Cluster');
}

const RBAC_GROUP = 'rbac.authorization.k8s.io';

/** RoleBinding and ClusterRoleBinding: roleRef and subjects get their API groups. */
export function defaultRoleBinding(o: Obj): void {
  if (isObj(o.roleRef)) setIfEmpty(o.roleRef, 'apiGroup', RBAC_GROUP);
  for (const s of objects(o.subjects)) {
    if (s.apiGroup) continue;
    if (s.kind === 'ServiceAccount') s.apiGroup = '';
    else if (s.kind === 'User' || s.kind === 'Group') s.apiGroup = RBAC_GROUP;
  }
}

export function defaultPriorityClass(o: Obj): void {
  setIfMissing(o, 'preemptionPolicy', 'PreemptLowerPriority');
}

export function defaultEndpointSlice(o: Obj): void {
  for (const p of objects(o.ports)) {
    setIfMissing(p, 'name', '');
    setIfMissing(p, 'protocol', 'TCP');
  }
}

export function defaultStorageClass(o: Obj): void {
  setIfMissing(o, 'reclaimPolicy', 'Delete');
  setIfMissing(o, 'volumeBindingMode', 'Immediate');
}
