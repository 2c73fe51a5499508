// Golden cells for the smaller printers: one realistic object each, cells compared whole.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { printerFor } from './index.js';
import { NOW, ago, D, H, M } from './testing/time.js';

const meta = (name: string, extra: any = {}) => ({ name, namespace: 'default', creationTimestamp: ago(2 * D), ...extra });
const row = (group: string, kind: string, obj: any) => printerFor(group, kind).cells(obj, NOW);
const names = (group: string, kind: string) => printerFor(group, kind).columns.map((c) => (c.priority ? `${c.name}*` : c.name));

void test('core: Namespace, ConfigMap, Secret, ServiceAccount', () => {
  assert.deepEqual(row('', 'Namespace', { metadata: meta('shop'), status: { phase: 'Active' } }), ['shop', 'Active', '2d']);
  assert.deepEqual(row('', 'Namespace', { metadata: meta('old', { deletionTimestamp: ago(M) }), status: { phase: 'Terminating' } })[1], 'Terminating');
  assert.deepEqual(row('', 'ConfigMap', { metadata: meta('kube-root-ca.crt'), data: { 'ca.crt': '…', x: 'y' }, binaryData: { z: 'AA==' } }), ['kube-root-ca.crt', 3, '2d']);
  assert.deepEqual(row('', 'Secret', { metadata: meta('tls'), type: 'kubernetes.io/tls', data: { 'tls.crt': 'x', 'tls.key': 'y' } }), ['tls', 'kubernetes.io/tls', 2, '2d']);
  assert.deepEqual(row('', 'Secret', { metadata: meta('empty'), type: 'Opaque' }), ['empty', 'Opaque', 0, '2d']);
  assert.deepEqual(row('', 'ServiceAccount', { metadata: meta('default') }), ['default', 0, '2d']);
  assert.deepEqual(names('', 'Secret'), ['Name', 'Type', 'Data', 'Age']);
});

void test('core: PodTemplate and ReplicationController', () => {
  assert.deepEqual(names('', 'PodTemplate'), ['Name', 'Containers', 'Images', 'Pod Labels']);
  const template = { metadata: { labels: { app: 'web', tier: 'fe' } }, spec: { containers: [{ name: 'web', image: 'nginx' }] } };
  assert.deepEqual(row('', 'PodTemplate', { metadata: meta('t1'), template }), ['t1', 'web', 'nginx', 'app=web,tier=fe']);
  assert.deepEqual(names('', 'ReplicationController'), ['Name', 'Desired', 'Current', 'Ready', 'Age', 'Containers*', 'Images*', 'Selector*']);
  assert.deepEqual(
    row('', 'ReplicationController', { metadata: meta('rc'), spec: { replicas: 2, selector: { app: 'web' }, template }, status: { replicas: 2, readyReplicas: 1 } }),
    ['rc', 2, 2, 1, '2d', 'web', 'nginx', 'app=web'],
  );
});

void test('core: PersistentVolume and PersistentVolumeClaim', () => {
  assert.deepEqual(names('', 'PersistentVolume'), [
    'Name', 'Capacity', 'Access Modes', 'Reclaim Policy', 'Status', 'Claim', 'StorageClass', 'VolumeAttributesClass', 'Reason', 'Age', 'VolumeMode*',
  ]);
  const pv = {
    metadata: { name: 'pvc-3f2a', creationTimestamp: ago(5 * H) },
    spec: {
      capacity: { storage: '10Gi' },
      accessModes: ['ReadWriteMany', 'ReadWriteOnce', 'ReadWriteOnce'],
      persistentVolumeReclaimPolicy: 'Delete',
      storageClassName: 'local-path',
      claimRef: { kind: 'PersistentVolumeClaim', namespace: 'db', name: 'data-db-0' },
      volumeMode: 'Filesystem',
    },
    status: { phase: 'Bound' },
  };
  assert.deepEqual(row('', 'PersistentVolume', pv), ['pvc-3f2a', '10Gi', 'RWO,RWX', 'Delete', 'Bound', 'db/data-db-0', 'local-path', '<unset>', '', '5h', 'Filesystem']);

  assert.deepEqual(names('', 'PersistentVolumeClaim'), [
    'Name', 'Status', 'Volume', 'Capacity', 'Access Modes', 'StorageClass', 'VolumeAttributesClass', 'Age', 'VolumeMode*',
  ]);
  const bound = {
    metadata: meta('data-db-0', { creationTimestamp: ago(5 * H) }),
    spec: { accessModes: ['ReadWriteOncePod'], resources: { requests: { storage: '8Gi' } }, storageClassName: 'local-path', volumeName: 'pvc-3f2a', volumeMode: 'Filesystem' },
    status: { phase: 'Bound', accessModes: ['ReadWriteOncePod'], capacity: { storage: '10Gi' } },
  };
  assert.deepEqual(row('', 'PersistentVolumeClaim', bound), ['data-db-0', 'Bound', 'pvc-3f2a', '10Gi', 'RWOP', 'local-path', '<unset>', '5h', 'Filesystem']);
  const pending = {
    metadata: meta('scratch', { annotations: { 'volume.beta.kubernetes.io/storage-class': 'fast' }, deletionTimestamp: ago(M) }),
    spec: { accessModes: ['ReadWriteOnce'], resources: { requests: { storage: '1Gi' } }, storageClassName: 'slow' },
    status: { phase: 'Pending' },
  };
  assert.deepEqual(row('', 'PersistentVolumeClaim', pending), ['scratch', 'Terminating', '', '', '', 'fast', '<unset>', '2d', '<unset>']);
});

void test('core: ResourceQuota splits limits.* into the Limit column', () => {
  const rq = {
    metadata: meta('compute'),
    spec: { hard: { pods: '10', 'requests.cpu': '4', 'limits.memory': '8Gi', 'limits.cpu': '8' } },
    status: {
      hard: { pods: '10', 'requests.cpu': '4', 'limits.memory': '8Gi', 'limits.cpu': '8' },
      used: { pods: '3', 'requests.cpu': '1500m', 'limits.cpu': '3' },
    },
  };
  assert.deepEqual(row('', 'ResourceQuota', rq), ['compute', 'pods: 3/10, requests.cpu: 1500m/4', 'limits.cpu: 3/8, limits.memory: 0/8Gi', '2d']);
});

void test('coordination, discovery, policy, scheduling, node, storage', () => {
  assert.deepEqual(row('coordination.k8s.io', 'Lease', { metadata: meta('kube-scheduler'), spec: { holderIdentity: 'cp-1_3b9f' } }), ['kube-scheduler', 'cp-1_3b9f', '2d']);
  assert.deepEqual(row('coordination.k8s.io', 'Lease', { metadata: meta('free'), spec: {} })[1], '');

  const slice = {
    metadata: meta('web-abcde'),
    addressType: 'IPv4',
    ports: [{ name: 'http', port: 8080, protocol: 'TCP' }, { name: 'grpc', protocol: 'TCP' }],
    endpoints: [{ addresses: ['10.42.0.5'] }, { addresses: ['10.42.1.7'] }, { addresses: ['10.42.2.9'] }, { addresses: ['10.42.3.2'] }],
  };
  assert.deepEqual(row('discovery.k8s.io', 'EndpointSlice', slice), ['web-abcde', 'IPv4', '8080,grpc', '10.42.0.5,10.42.1.7,10.42.2.9 + 1 more...', '2d']);
  assert.deepEqual(row('discovery.k8s.io', 'EndpointSlice', { metadata: meta('empty'), addressType: 'IPv4', ports: null, endpoints: [] }).slice(2, 4), ['<unset>', '<unset>']);

  assert.deepEqual(names('policy', 'PodDisruptionBudget'), ['Name', 'Min Available', 'Max Unavailable', 'Allowed Disruptions', 'Age']);
  assert.deepEqual(row('policy', 'PodDisruptionBudget', { metadata: meta('web'), spec: { minAvailable: '50%' }, status: { disruptionsAllowed: 1 } }), ['web', '50%', 'N/A', 1, '2d']);
  assert.deepEqual(row('policy', 'PodDisruptionBudget', { metadata: meta('db'), spec: { maxUnavailable: 1 }, status: {} }).slice(1, 4), ['N/A', '1', 0]);

  assert.deepEqual(names('scheduling.k8s.io', 'PriorityClass'), ['Name', 'Value', 'Global-Default', 'Age', 'PreemptionPolicy']);
  assert.deepEqual(
    row('scheduling.k8s.io', 'PriorityClass', { metadata: meta('system-node-critical'), value: 2000001000, preemptionPolicy: 'PreemptLowerPriority' }),
    ['system-node-critical', 2000001000, false, '2d', 'PreemptLowerPriority'],
  );
  assert.deepEqual(row('node.k8s.io', 'RuntimeClass', { metadata: meta('gvisor'), handler: 'runsc' }), ['gvisor', 'runsc', '2d']);

  assert.deepEqual(names('storage.k8s.io', 'StorageClass'), ['Name', 'Provisioner', 'ReclaimPolicy', 'VolumeBindingMode', 'AllowVolumeExpansion', 'Age']);
  assert.deepEqual(
    row('storage.k8s.io', 'StorageClass', {
      metadata: meta('local-path', { annotations: { 'storageclass.kubernetes.io/is-default-class': 'true' } }),
      provisioner: 'rancher.io/local-path',
      reclaimPolicy: 'Delete',
      volumeBindingMode: 'WaitForFirstConsumer',
    }),
    ['local-path (default)', 'rancher.io/local-path', 'Delete', 'WaitForFirstConsumer', false, '2d'],
  );
  assert.deepEqual(row('storage.k8s.io', 'StorageClass', { metadata: meta('fast'), provisioner: 'ebs.csi.aws.com', allowVolumeExpansion: true }).slice(2, 5), ['Delete', 'Immediate', true]);
});

void test('autoscaling: HPA v2 metrics and the v1 CPU shorthand', () => {
  assert.deepEqual(names('autoscaling', 'HorizontalPodAutoscaler'), ['Name', 'Reference', 'Targets', 'MinPods', 'MaxPods', 'Replicas', 'Age']);
  const v2 = {
    apiVersion: 'autoscaling/v2',
    metadata: meta('web'),
    spec: {
      scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: 'web' },
      minReplicas: 2,
      maxReplicas: 10,
      metrics: [
        { type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: 70 } } },
        { type: 'Resource', resource: { name: 'memory', target: { type: 'AverageValue', averageValue: '500Mi' } } },
        { type: 'Pods', pods: { metric: { name: 'rps' }, target: { type: 'AverageValue', averageValue: '100' } } },
      ],
    },
    status: {
      currentReplicas: 3,
      desiredReplicas: 3,
      currentMetrics: [
        { type: 'Resource', resource: { name: 'cpu', current: { averageUtilization: 45, averageValue: '90m' } } },
        { type: 'Resource', resource: { name: 'memory', current: { averageValue: '312Mi' } } },
      ],
    },
  };
  assert.deepEqual(row('autoscaling', 'HorizontalPodAutoscaler', v2), ['web', 'Deployment/web', 'cpu: 45%/70%, memory: 312Mi/500Mi + 1 more...', '2', 10, 3, '2d']);

  const fresh = { ...v2, spec: { ...v2.spec, minReplicas: undefined, metrics: v2.spec.metrics.slice(0, 1) }, status: {} };
  assert.deepEqual(row('autoscaling', 'HorizontalPodAutoscaler', fresh).slice(2, 6), ['cpu: <unknown>/70%', '<unset>', 10, 0]);

  const external = { ...v2, spec: { ...v2.spec, metrics: [{ type: 'External', external: { metric: { name: 'queue' }, target: { type: 'AverageValue', averageValue: '30' } } }] } };
  assert.equal(row('autoscaling', 'HorizontalPodAutoscaler', external)[2], '<unknown>/30 (avg)');

  const v1 = {
    apiVersion: 'autoscaling/v1',
    metadata: meta('api'),
    spec: { scaleTargetRef: { kind: 'Deployment', name: 'api' }, minReplicas: 1, maxReplicas: 5, targetCPUUtilizationPercentage: 80 },
    status: { currentReplicas: 1, desiredReplicas: 1, currentCPUUtilizationPercentage: 12 },
  };
  assert.deepEqual(row('autoscaling', 'HorizontalPodAutoscaler', v1), ['api', 'Deployment/api', 'cpu: 12%/80%', '1', 5, 1, '2d']);
  assert.equal(row('autoscaling', 'HorizontalPodAutoscaler', { ...v1, spec: { ...v1.spec, targetCPUUtilizationPercentage: undefined } })[2], '<none>');
});

void test('networking: Ingress, IngressClass, NetworkPolicy', () => {
  assert.deepEqual(names('networking.k8s.io', 'Ingress'), ['Name', 'Class', 'Hosts', 'Address', 'Ports', 'Age']);
  const ing = {
    metadata: meta('shop'),
    spec: {
      ingressClassName: 'traefik',
      tls: [{ hosts: ['shop.example.com'], secretName: 'shop-tls' }],
      rules: [{ host: 'shop.example.com' }, { host: 'api.example.com' }, {}, { host: 'admin.example.com' }, { host: 'x.example.com' }],
    },
    status: { loadBalancer: { ingress: [{ ip: '192.168.1.10' }, { ip: '192.168.1.11' }] } },
  };
  assert.deepEqual(row('networking.k8s.io', 'Ingress', ing), [
    'shop', 'traefik', 'shop.example.com,api.example.com,admin.example.com + 2 more...', '192.168.1.10,192.168.1.11', '80, 443', '2d',
  ]);
  assert.deepEqual(row('networking.k8s.io', 'Ingress', { metadata: meta('catch-all'), spec: { defaultBackend: {} } }), ['catch-all', '<none>', '*', '', '80', '2d']);

  assert.deepEqual(
    row('networking.k8s.io', 'IngressClass', { metadata: meta('nginx'), spec: { controller: 'k8s.io/ingress-nginx', parameters: { apiGroup: 'k8s.example.com', kind: 'IngressParameters', name: 'external-lb' } } }),
    ['nginx', 'k8s.io/ingress-nginx', 'IngressParameters.k8s.example.com/external-lb', '2d'],
  );
  assert.deepEqual(row('networking.k8s.io', 'IngressClass', { metadata: meta('traefik'), spec: { controller: 'traefik.io/ingress-controller' } })[2], '<none>');

  assert.deepEqual(row('networking.k8s.io', 'NetworkPolicy', { metadata: meta('deny-all'), spec: { podSelector: {}, policyTypes: ['Ingress'] } }), ['deny-all', '<none>', '2d']);
  assert.deepEqual(
    row('networking.k8s.io', 'NetworkPolicy', { metadata: meta('db'), spec: { podSelector: { matchLabels: { role: 'db' }, matchExpressions: [{ key: 'env', operator: 'NotIn', values: ['dev'] }, { key: 'canary', operator: 'DoesNotExist' }] } } })[1],
    '!canary,env notin (dev),role=db',
  );
});

void test('rbac: bindings list subjects in the wide columns', () => {
  assert.deepEqual(names('rbac.authorization.k8s.io', 'ClusterRoleBinding'), ['Name', 'Role', 'Age', 'Users*', 'Groups*', 'ServiceAccounts*']);
  const crb = {
    metadata: meta('cluster-admin'),
    roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: 'cluster-admin' },
    subjects: [
      { kind: 'Group', apiGroup: 'rbac.authorization.k8s.io', name: 'system:masters' },
      { kind: 'User', name: 'alice' },
      { kind: 'User', name: 'bob' },
      { kind: 'ServiceAccount', name: 'ci', namespace: 'tools' },
    ],
  };
  assert.deepEqual(row('rbac.authorization.k8s.io', 'ClusterRoleBinding', crb), ['cluster-admin', 'ClusterRole/cluster-admin', '2d', 'alice, bob', 'system:masters', 'tools/ci']);
  assert.deepEqual(row('rbac.authorization.k8s.io', 'RoleBinding', { metadata: meta('view'), roleRef: { kind: 'Role', name: 'viewer' } }), ['view', 'Role/viewer', '2d', '', '', '']);
});

void test('certificates: CertificateSigningRequest', () => {
  assert.deepEqual(names('certificates.k8s.io', 'CertificateSigningRequest'), ['Name', 'Age', 'SignerName', 'Requestor', 'RequestedDuration', 'Condition']);
  const csr = {
    metadata: { name: 'csr-8x2kq', creationTimestamp: ago(3 * M) },
    spec: { signerName: 'kubernetes.io/kube-apiserver-client-kubelet', username: 'system:node:node-1', expirationSeconds: 86400, request: 'LS0t' },
    status: { conditions: [{ type: 'Approved', status: 'True' }], certificate: 'LS0tLS1CRUdJTg==' },
  };
  assert.deepEqual(row('certificates.k8s.io', 'CertificateSigningRequest', csr), [
    'csr-8x2kq', '3m', 'kubernetes.io/kube-apiserver-client-kubelet', 'system:node:node-1', '24h', 'Approved,Issued',
  ]);
  const denied = { ...csr, spec: { username: 'eve' }, status: { conditions: [{ type: 'Approved' }, { type: 'Denied' }, { type: 'Failed' }] } };
  assert.deepEqual(row('certificates.k8s.io', 'CertificateSigningRequest', denied).slice(2), ['<none>', 'eve', '<none>', 'Denied,Failed']);
  assert.equal(row('certificates.k8s.io', 'CertificateSigningRequest', { metadata: csr.metadata, spec: {} })[5], 'Pending');
});
