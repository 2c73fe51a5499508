// Validation tables for networking, policy, autoscaling, RBAC, scheduling, coordination, discovery, storage and core extras.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { check } from './fixtures.js';

test('ingress', () => {
  const rule = (path: Record<string, any>) => ({ spec: { rules: [{ host: 'a.example.com', http: { paths: [path] } }] } });
  const backend = { service: { name: 'web', port: { number: 80 } } };
  assert.deepEqual(check('networking.k8s.io', 'Ingress', rule({ path: '/', pathType: 'Prefix', backend })), []);
  assert.deepEqual(check('networking.k8s.io', 'Ingress', { spec: {} }), ['spec: Invalid value: {}: either `defaultBackend` or `rules` must be specified']);
  assert.deepEqual(check('networking.k8s.io', 'Ingress', rule({ path: 'x', pathType: 'Prefix', backend })), ['spec.rules[0].http.paths[0].path: Invalid value: "x": must be an absolute path']);
  assert.deepEqual(check('networking.k8s.io', 'Ingress', rule({ path: '/', backend })), ['spec.rules[0].http.paths[0].pathType: Required value: pathType must be specified']);
  assert.deepEqual(check('networking.k8s.io', 'Ingress', rule({ path: '/', pathType: 'Exact', backend: { service: { name: 'web', port: {} } } })), ['spec.rules[0].http.paths[0].backend: Required value: port name or number is required']);
});

test('network policy, pdb, hpa', () => {
  assert.deepEqual(check('networking.k8s.io', 'NetworkPolicy', { spec: { podSelector: {}, ingress: [{ from: [{ ipBlock: { cidr: '10.0.0.0/8' }, podSelector: {} }], ports: [{ port: 80, endPort: 70 }] }] } }), [
    'spec.ingress[0].ports[0].endPort: Invalid value: 70: must be greater than or equal to `port`',
    'spec.ingress[0].from[0]: Forbidden: may not specify both ipBlock and another peer',
  ]);
  assert.deepEqual(check('policy', 'PodDisruptionBudget', { spec: { minAvailable: 1, selector: { matchLabels: { a: 'b' } } } }), []);
  assert.deepEqual(check('policy', 'PodDisruptionBudget', { spec: { minAvailable: '120%' } }), ['spec.minAvailable: Invalid value: "120%": must not be greater than 100%']);
  assert.deepEqual(check('autoscaling', 'HorizontalPodAutoscaler', { spec: { scaleTargetRef: { kind: 'Deployment', name: 'web' }, minReplicas: 3, maxReplicas: 2 } }), ['spec.maxReplicas: Invalid value: 2: must be greater than or equal to `minReplicas`']);
});

test('rbac', () => {
  assert.deepEqual(check('rbac.authorization.k8s.io', 'Role', { rules: [{ apiGroups: [''], resources: ['pods'], verbs: ['get'] }] }), []);
  assert.deepEqual(check('rbac.authorization.k8s.io', 'Role', { rules: [{ apiGroups: [''], resources: ['pods'] }, { nonResourceURLs: ['/healthz'], verbs: ['get'] }] }), [
    'rules[0].verbs: Required value: verbs must contain at least one value',
    'rules[1].nonResourceURLs: Invalid value: ["/healthz"]: namespaced rules cannot apply to non-resource URLs',
  ]);
  assert.deepEqual(check('rbac.authorization.k8s.io', 'ClusterRoleBinding', { roleRef: { kind: 'Role', name: 'r' }, subjects: [{ kind: 'ServiceAccount', name: 'sa' }] }), [
    'roleRef.kind: Unsupported value: "Role": supported values: "ClusterRole"',
    'subjects[0].namespace: Required value',
  ]);
  const rb = { roleRef: { kind: 'Role', name: 'r' }, subjects: [{ kind: 'User', name: 'u' }] };
  assert.deepEqual(check('rbac.authorization.k8s.io', 'RoleBinding', { ...rb, roleRef: { kind: 'Role', name: 'other' } }, rb), ['roleRef: Invalid value: {"apiGroup":"rbac.authorization.k8s.io","kind":"Role","name":"other"}: cannot change roleRef']);
});

test('priority classes, leases, endpoint slices, storage classes', () => {
  assert.deepEqual(check('scheduling.k8s.io', 'PriorityClass', { value: 2000000000, metadata: { name: 'system-cluster-critical' } }), []);
  assert.deepEqual(check('scheduling.k8s.io', 'PriorityClass', { value: 2000000000 }), ['value: Forbidden: maximum allowed value of a user defined priority is 1000000000']);
  assert.deepEqual(check('scheduling.k8s.io', 'PriorityClass', { value: 5, metadata: { name: 'system-mine' } }), ["metadata.name: Forbidden: priority class names with 'system-' prefix are reserved for system use only"]);
  assert.deepEqual(check('scheduling.k8s.io', 'PriorityClass', { value: 6 }, { value: 5 }), ['value: Forbidden: may not be changed in an update.']);
  assert.deepEqual(check('coordination.k8s.io', 'Lease', { spec: { leaseDurationSeconds: 0 } }), ['spec.leaseDurationSeconds: Invalid value: 0: must be greater than 0']);
  assert.deepEqual(check('discovery.k8s.io', 'EndpointSlice', { addressType: 'IPv5', endpoints: [{ addresses: [] }] }), [
    'addressType: Unsupported value: "IPv5": supported values: "IPv4", "IPv6", "FQDN"',
    'endpoints[0].addresses: Required value: must contain at least 1 address',
  ]);
  assert.deepEqual(check('storage.k8s.io', 'StorageClass', { provisioner: 'a', reclaimPolicy: 'Delete' }, { provisioner: 'b' }), ['provisioner: Forbidden: updates to provisioner are forbidden.']);
});

test('core extras: namespaces, PVCs, PVs, nodes, quotas', () => {
  assert.deepEqual(check('', 'PersistentVolumeClaim', { spec: { accessModes: ['ReadWriteOnce'], resources: { requests: { storage: '1Gi' } } } }), []);
  assert.deepEqual(check('', 'PersistentVolumeClaim', { spec: {} }), ['spec.accessModes: Required value: at least 1 access mode is required', 'spec.resources[storage]: Required value']);
  const pvc = { spec: { accessModes: ['ReadWriteOnce'], resources: { requests: { storage: '1Gi' } } } };
  assert.deepEqual(check('', 'PersistentVolumeClaim', { spec: { ...pvc.spec, resources: { requests: { storage: '2Gi' } } } }, pvc), []);
  assert.deepEqual(check('', 'PersistentVolumeClaim', { spec: { ...pvc.spec, accessModes: ['ReadWriteMany'] } }, pvc), ['spec: Forbidden: spec is immutable after creation except resources.requests and volumeAttributesClassName for bound claims']);
  assert.deepEqual(check('', 'PersistentVolume', { spec: { capacity: { storage: '1Gi' }, accessModes: ['ReadWriteOnce'], hostPath: { path: '/x' } } }), []);
  assert.deepEqual(check('', 'Node', { spec: { taints: [{ key: 'k', effect: 'Sometimes' }] } }), ['spec.taints[0].effect: Unsupported value: "Sometimes": supported values: "NoSchedule", "PreferNoSchedule", "NoExecute"']);
  assert.deepEqual(check('', 'ResourceQuota', { spec: { hard: { pods: '-1' } } }), ['spec.hard[pods]: Invalid value: "-1": must be greater than or equal to 0']);
  assert.deepEqual(check('', 'Namespace', { spec: { finalizers: ['kubernetes', 'custom'] } }), ['spec.finalizers: Invalid value: "custom": name is neither a standard finalizer name nor is it fully qualified']);
});
