import { test } from 'node:test';
import assert from 'node:assert/strict';
import { printerFor } from './index.js';
import { registeredKinds } from './registry.js';
import { NOW, ago, H } from './testing/time.js';

void test('every brief kind is registered', () => {
  const want = [
    '/Pod', '/PodTemplate', '/ReplicationController', '/Service', '/Endpoints', '/Node', '/Namespace', '/Event', '/ConfigMap',
    '/Secret', '/ServiceAccount', '/PersistentVolume', '/PersistentVolumeClaim', '/ResourceQuota', '/LimitRange',
    'apps/Deployment', 'apps/ReplicaSet', 'apps/StatefulSet', 'apps/DaemonSet', 'apps/ControllerRevision',
    'batch/Job', 'batch/CronJob', 'coordination.k8s.io/Lease', 'discovery.k8s.io/EndpointSlice', 'events.k8s.io/Event',
    'policy/PodDisruptionBudget', 'autoscaling/HorizontalPodAutoscaler', 'networking.k8s.io/Ingress',
    'networking.k8s.io/IngressClass', 'networking.k8s.io/NetworkPolicy', 'rbac.authorization.k8s.io/Role',
    'rbac.authorization.k8s.io/RoleBinding', 'rbac.authorization.k8s.io/ClusterRole', 'rbac.authorization.k8s.io/ClusterRoleBinding',
    'scheduling.k8s.io/PriorityClass', 'storage.k8s.io/StorageClass', 'node.k8s.io/RuntimeClass',
    'certificates.k8s.io/CertificateSigningRequest',
  ];
  const have = new Set(registeredKinds().map(([g, k]) => `${g}/${k}`));
  for (const k of want) assert.ok(have.has(k), `missing printer for ${k}`);
});

void test('every printer yields one cell per column, even for a bare object, and has one name-format column', () => {
  for (const [group, kind] of registeredKinds()) {
    const p = printerFor(group, kind);
    for (const obj of [{}, { metadata: { name: 'x', creationTimestamp: ago(H) } }]) {
      const cells = p.cells(obj, NOW);
      assert.equal(cells.length, p.columns.length, `${group}/${kind}`);
      for (const c of cells) assert.ok(['string', 'number', 'boolean'].includes(typeof c), `${group}/${kind} cell ${String(c)}`);
    }
    assert.equal(p.columns.filter((c) => c.format === 'name').length, 1, `${group}/${kind} name column`);
    for (const c of p.columns) assert.ok(c.description.length > 0 && (c.priority === 0 || c.priority === 1));
  }
});

void test('unknown kinds and custom resources get Name / Age', () => {
  const p = printerFor('example.com', 'Widget');
  assert.deepEqual(p.columns.map((c) => [c.name, c.format]), [['Name', 'name'], ['Age', '']]);
  assert.deepEqual(p.cells({ metadata: { name: 'w1', creationTimestamp: ago(H) } }, NOW), ['w1', '60m']);
  // Same kind name in another group is not confused with a built-in.
  assert.equal(printerFor('example.com', 'Pod').columns.length, 2);
  assert.equal(printerFor('', 'toString').columns.length, 2);
});

void test('kinds upstream leaves to the generic convertor get Name / Created At', () => {
  for (const [g, k] of [['', 'LimitRange'], ['rbac.authorization.k8s.io', 'Role'], ['rbac.authorization.k8s.io', 'ClusterRole']] as const) {
    const p = printerFor(g, k);
    assert.deepEqual(p.columns.map((c) => `${c.name}:${c.type}`), ['Name:string', 'Created At:date']);
    assert.deepEqual(p.cells({ metadata: { name: 'admin', creationTimestamp: '2024-11-05T08:09:10Z' } }, NOW), ['admin', '2024-11-05T08:09:10Z']);
  }
});
