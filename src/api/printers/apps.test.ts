import { test } from 'node:test';
import assert from 'node:assert/strict';
import { printerFor } from './index.js';
import { NOW, ago, D, H, M } from './testing/time.js';

const template = {
  metadata: { labels: { app: 'web' } },
  spec: {
    containers: [
      { name: 'web', image: 'nginx:1.27' },
      { name: 'log-shipper', image: 'fluent/fluent-bit:3.1' },
    ],
  },
};

void test('Deployment', () => {
  const p = printerFor('apps', 'Deployment');
  assert.deepEqual(
    p.columns.map((c) => `${c.name}:${c.type}:${c.priority}`),
    ['Name:string:0', 'Ready:string:0', 'Up-to-date:string:0', 'Available:string:0', 'Age:string:0', 'Containers:string:1', 'Images:string:1', 'Selector:string:1'],
  );
  const d = {
    metadata: { name: 'web', namespace: 'shop', creationTimestamp: ago(6 * D + 5 * H) },
    spec: {
      replicas: 3,
      selector: { matchLabels: { app: 'web' }, matchExpressions: [{ key: 'tier', operator: 'In', values: ['frontend', 'edge'] }] },
      template,
    },
    status: { replicas: 3, updatedReplicas: 2, readyReplicas: 2, availableReplicas: 2 },
  };
  assert.deepEqual(p.cells(d, NOW), [
    'web', '2/3', 2, 2, '6d5h', 'web,log-shipper', 'nginx:1.27,fluent/fluent-bit:3.1', 'app=web,tier in (edge,frontend)',
  ]);
  // A fresh deployment with no status yet, replicas defaulted.
  const fresh = { metadata: { name: 'api', creationTimestamp: ago(5 * M) }, spec: { selector: { matchLabels: { app: 'api' } }, template } };
  assert.deepEqual(p.cells(fresh, NOW).slice(0, 5), ['api', '0/1', 0, 0, '5m']);
});

void test('ReplicaSet, StatefulSet, DaemonSet', () => {
  const rs = printerFor('apps', 'ReplicaSet');
  assert.deepEqual(
    rs.cells(
      {
        metadata: { name: 'web-5d8f7c9b6', creationTimestamp: ago(2 * H) },
        spec: { replicas: 3, selector: { matchLabels: { app: 'web', 'pod-template-hash': '5d8f7c9b6' } }, template },
        status: { replicas: 3, readyReplicas: 1 },
      },
      NOW,
    ),
    ['web-5d8f7c9b6', 3, 3, 1, '120m', 'web,log-shipper', 'nginx:1.27,fluent/fluent-bit:3.1', 'app=web,pod-template-hash=5d8f7c9b6'],
  );

  const ss = printerFor('apps', 'StatefulSet');
  assert.deepEqual(ss.columns.map((c) => c.name), ['Name', 'Ready', 'Age', 'Containers', 'Images']);
  assert.deepEqual(
    ss.cells({ metadata: { name: 'db', creationTimestamp: ago(30 * D) }, spec: { replicas: 3, template }, status: { readyReplicas: 3 } }, NOW),
    ['db', '3/3', '30d', 'web,log-shipper', 'nginx:1.27,fluent/fluent-bit:3.1'],
  );

  const ds = printerFor('apps', 'DaemonSet');
  assert.deepEqual(
    ds.cells(
      {
        metadata: { name: 'node-exporter', creationTimestamp: ago(90 * M) },
        spec: {
          selector: { matchLabels: { app: 'node-exporter' } },
          template: { spec: { nodeSelector: { 'kubernetes.io/os': 'linux' }, containers: [{ name: 'exporter', image: 'prom/node-exporter:v1.8.2' }] } },
        },
        status: { desiredNumberScheduled: 4, currentNumberScheduled: 4, numberReady: 3, updatedNumberScheduled: 4, numberAvailable: 3 },
      },
      NOW,
    ),
    ['node-exporter', 4, 4, 3, 4, 3, 'kubernetes.io/os=linux', '90m', 'exporter', 'prom/node-exporter:v1.8.2', 'app=node-exporter'],
  );
});

void test('ControllerRevision names its controller as kind.group/name', () => {
  const p = printerFor('apps', 'ControllerRevision');
  const cr = {
    metadata: {
      name: 'node-exporter-6c7d9f8b4',
      creationTimestamp: ago(90 * M),
      ownerReferences: [{ apiVersion: 'apps/v1', kind: 'DaemonSet', name: 'node-exporter', uid: 'u1', controller: true }],
    },
    revision: 2,
  };
  assert.deepEqual(p.cells(cr, NOW), ['node-exporter-6c7d9f8b4', 'daemonset.apps/node-exporter', 2, '90m']);
  assert.equal(p.cells({ metadata: { name: 'orphan' }, revision: 1 }, NOW)[1], '<none>');
});
