import { test } from 'node:test';
import assert from 'node:assert/strict';
import { printerFor } from './index.js';
import { NOW, ago, M, S, H } from './testing/time.js';

const core = printerFor('', 'Event');
const v1 = printerFor('events.k8s.io', 'Event');

void test('event columns: Last Seen first, Name last and wide', () => {
  assert.deepEqual(
    core.columns.map((c) => `${c.name}:${c.format}:${c.priority}`),
    ['Last Seen::0', 'Type::0', 'Reason::0', 'Object::0', 'Subobject::1', 'Source::1', 'Message::0', 'First Seen::1', 'Count::1', 'Name:name:1'],
  );
  assert.deepEqual(v1.columns, core.columns);
});

void test('core/v1 event from the kubelet', () => {
  const ev = {
    apiVersion: 'v1',
    kind: 'Event',
    metadata: { name: 'web-5d8f7c9b6-x2x7q.17f3a1b2c3d4e5f6', namespace: 'default', creationTimestamp: ago(20 * M) },
    involvedObject: { kind: 'Pod', namespace: 'default', name: 'web-5d8f7c9b6-x2x7q', fieldPath: 'spec.containers{web}' },
    reason: 'BackOff',
    message: 'Back-off restarting failed container web in pod web-5d8f7c9b6-x2x7q\n',
    source: { component: 'kubelet', host: 'node-1' },
    firstTimestamp: ago(20 * M),
    lastTimestamp: ago(45 * S),
    count: 14,
    type: 'Warning',
    reportingComponent: 'kubelet',
    reportingInstance: 'node-1',
  };
  assert.deepEqual(core.cells(ev, NOW), [
    '45s', 'Warning', 'BackOff', 'pod/web-5d8f7c9b6-x2x7q', 'spec.containers{web}', 'kubelet, node-1',
    'Back-off restarting failed container web in pod web-5d8f7c9b6-x2x7q', '20m', 14, 'web-5d8f7c9b6-x2x7q.17f3a1b2c3d4e5f6',
  ]);
});

void test('core/v1 event written through the new API: eventTime, series, reportingController, no count', () => {
  const single = {
    metadata: { name: 'web.1', namespace: 'default' },
    involvedObject: { kind: 'Deployment', name: 'web' },
    reason: 'ScalingReplicaSet',
    message: 'Scaled up replica set web-5d8f7c9b6 to 3',
    source: {},
    eventTime: '2025-03-01T11:57:00.123456Z',
    type: 'Normal',
    reportingComponent: 'deployment-controller',
  };
  assert.deepEqual(core.cells(single, NOW), [
    '2m59s', 'Normal', 'ScalingReplicaSet', 'deployment/web', '', 'deployment-controller', 'Scaled up replica set web-5d8f7c9b6 to 3', '2m59s', 1, 'web.1',
  ]);

  const series = { ...single, series: { count: 7, lastObservedTime: ago(10 * S) } };
  const cells = core.cells(series, NOW);
  assert.equal(cells[0], '10s');
  assert.equal(cells[8], 7);

  const clusterScoped = { ...single, involvedObject: { kind: 'Node' }, source: { component: 'kubelet' } };
  assert.equal(core.cells(clusterScoped, NOW)[3], 'node');
});

void test('events.k8s.io/v1 event maps regarding/note/deprecated* onto the same cells', () => {
  const ev = {
    apiVersion: 'events.k8s.io/v1',
    kind: 'Event',
    metadata: { name: 'node-1.abc', namespace: 'default' },
    eventTime: null,
    reportingController: 'kubelet',
    reportingInstance: 'node-1',
    action: 'NodeReady',
    reason: 'NodeReady',
    regarding: { kind: 'Node', name: 'node-1', uid: 'node-1' },
    note: 'Node node-1 status is now: NodeReady',
    type: 'Normal',
    deprecatedSource: { component: 'kubelet', host: 'node-1' },
    deprecatedFirstTimestamp: ago(2 * H),
    deprecatedLastTimestamp: ago(2 * H),
    deprecatedCount: 1,
  };
  assert.deepEqual(v1.cells(ev, NOW), [
    '120m', 'Normal', 'NodeReady', 'node/node-1', '', 'kubelet, node-1', 'Node node-1 status is now: NodeReady', '120m', 1, 'node-1.abc',
  ]);
});
