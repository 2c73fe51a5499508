import { test } from 'node:test';
import assert from 'node:assert/strict';
import { nodeSchedulingPropertiesChanged } from './node-changes.js';
import type { Node } from './types.js';

function node(over: { labels?: Record<string, string>; unschedulable?: boolean; cpu?: string; taints?: { key: string; effect: string }[]; ready?: string; heartbeat?: string } = {}): Node {
  return {
    apiVersion: 'v1', kind: 'Node',
    metadata: { name: 'n1', labels: over.labels ?? { 'kubernetes.io/hostname': 'n1' } },
    spec: { ...(over.unschedulable ? { unschedulable: true } : {}), ...(over.taints ? { taints: over.taints } : {}) },
    status: {
      allocatable: { cpu: over.cpu ?? '4', memory: '32Gi', pods: '110' },
      conditions: [
        { type: 'MemoryPressure', status: 'False', lastHeartbeatTime: over.heartbeat ?? 't0' },
        { type: 'Ready', status: over.ready ?? 'True', lastHeartbeatTime: over.heartbeat ?? 't0' },
      ],
    },
  } as unknown as Node;
}

test('nodeSchedulingPropertiesChanged: heartbeats are not changes; scheduling properties are', () => {
  const base = node();
  const cases: [string, Node, boolean][] = [
    ['heartbeat only', node({ heartbeat: 't1' }), false],
    ['same object', base, false],
    ['label added', node({ labels: { 'kubernetes.io/hostname': 'n1', zone: 'a' } }), true],
    ['cordoned', node({ unschedulable: true }), true],
    ['allocatable', node({ cpu: '8' }), true],
    ['taint', node({ taints: [{ key: 'k', effect: 'NoSchedule' }] }), true],
    ['not ready', node({ ready: 'False', heartbeat: 't1' }), true],
  ];
  for (const [name, next, want] of cases) assert.equal(nodeSchedulingPropertiesChanged(base, next), want, name);
});
