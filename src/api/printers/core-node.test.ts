import { test } from 'node:test';
import assert from 'node:assert/strict';
import { printerFor } from './index.js';
import { NOW, ago, D } from './testing/time.js';

const node = printerFor('', 'Node');

function makeNode(over: { labels?: any; spec?: any; conditions?: any[]; addresses?: any[]; nodeInfo?: any } = {}) {
  return {
    apiVersion: 'v1',
    kind: 'Node',
    metadata: {
      name: 'cp-1',
      creationTimestamp: ago(12 * D),
      labels: over.labels ?? {
        'kubernetes.io/hostname': 'cp-1',
        'node-role.kubernetes.io/control-plane': '',
        'node-role.kubernetes.io/etcd': 'true',
        'kubernetes.io/role': 'master',
      },
    },
    spec: { podCIDR: '10.42.0.0/24', ...over.spec },
    status: {
      conditions: over.conditions ?? [
        { type: 'MemoryPressure', status: 'False' },
        { type: 'DiskPressure', status: 'False' },
        { type: 'Ready', status: 'True', reason: 'KubeletReady' },
      ],
      addresses: over.addresses ?? [
        { type: 'Hostname', address: 'cp-1' },
        { type: 'InternalIP', address: '192.168.1.10' },
        { type: 'ExternalIP', address: '203.0.113.10' },
      ],
      nodeInfo: over.nodeInfo ?? {
        kubeletVersion: 'v1.32.0+skiff',
        osImage: 'Debian GNU/Linux 12 (bookworm)',
        kernelVersion: '6.1.0-28-amd64',
        containerRuntimeVersion: 'containerd://1.7.24',
      },
    },
  };
}

void test('node columns', () => {
  assert.deepEqual(
    node.columns.map((c) => [c.name, c.priority]),
    [
      ['Name', 0], ['Status', 0], ['Roles', 0], ['Age', 0], ['Version', 0],
      ['Internal-IP', 1], ['External-IP', 1], ['OS-Image', 1], ['Kernel-Version', 1], ['Container-Runtime', 1],
    ],
  );
  assert.equal(node.columns[0]!.format, 'name');
});

void test('a ready control-plane node', () => {
  assert.deepEqual(node.cells(makeNode(), NOW), [
    'cp-1', 'Ready', 'control-plane,etcd,master', '12d', 'v1.32.0+skiff',
    '192.168.1.10', '203.0.113.10', 'Debian GNU/Linux 12 (bookworm)', '6.1.0-28-amd64', 'containerd://1.7.24',
  ]);
});

void test('cordoned, not-ready, unknown and bare nodes', () => {
  const cordoned = makeNode({ spec: { unschedulable: true } });
  assert.equal(node.cells(cordoned, NOW)[1], 'Ready,SchedulingDisabled');

  const notReady = makeNode({ conditions: [{ type: 'Ready', status: 'Unknown', reason: 'NodeStatusUnknown' }] });
  assert.equal(node.cells(notReady, NOW)[1], 'NotReady');

  const fresh = makeNode({ labels: {}, conditions: [], addresses: [], nodeInfo: {}, spec: { unschedulable: true } });
  assert.deepEqual(node.cells(fresh, NOW), [
    'cp-1', 'Unknown,SchedulingDisabled', '<none>', '12d', '', '<none>', '<none>', '<unknown>', '<unknown>', '<unknown>',
  ]);
});
