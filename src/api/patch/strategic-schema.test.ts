import { test } from 'node:test';
import assert from 'node:assert/strict';
import { buildSchema, fieldStrategy, parseField } from './strategic-schema.js';

void test('fieldStrategy reports upstream struct tags along every path', () => {
  // [group, kind, path, expected] — from kubernetes/api types.go patchStrategy/patchMergeKey/+listType.
  const cases: [string, string, string[], ReturnType<typeof fieldStrategy>][] = [
    ['', 'Pod', ['spec', 'containers'], { strategy: 'merge', mergeKey: 'name', listType: 'map' }],
    ['', 'Pod', ['spec', 'initContainers'], { strategy: 'merge', mergeKey: 'name', listType: 'map' }],
    ['', 'Pod', ['spec', 'ephemeralContainers'], { strategy: 'merge', mergeKey: 'name', listType: 'map' }],
    ['', 'Pod', ['spec', 'volumes'], { strategy: 'merge,retainKeys', mergeKey: 'name', listType: 'map' }],
    ['', 'Pod', ['spec', 'containers', 'ports'], { strategy: 'merge', mergeKey: 'containerPort', listType: 'map' }],
    ['', 'Pod', ['spec', 'containers', 'env'], { strategy: 'merge', mergeKey: 'name', listType: 'map' }],
    ['', 'Pod', ['spec', 'containers', 'envFrom'], { listType: 'atomic' }],
    ['', 'Pod', ['spec', 'containers', 'volumeMounts'], { strategy: 'merge', mergeKey: 'mountPath', listType: 'map' }],
    ['', 'Pod', ['spec', 'containers', 'volumeDevices'], { strategy: 'merge', mergeKey: 'devicePath', listType: 'map' }],
    ['', 'Pod', ['spec', 'imagePullSecrets'], { strategy: 'merge', mergeKey: 'name', listType: 'map' }],
    ['', 'Pod', ['spec', 'hostAliases'], { strategy: 'merge', mergeKey: 'ip', listType: 'map' }],
    ['', 'Pod', ['spec', 'tolerations'], { listType: 'atomic' }],
    ['', 'Pod', ['spec', 'topologySpreadConstraints'], { strategy: 'merge', mergeKey: 'topologyKey', listType: 'map' }],
    ['', 'Pod', ['status', 'conditions'], { strategy: 'merge', mergeKey: 'type', listType: 'map' }],
    ['', 'Pod', ['status', 'podIPs'], { strategy: 'merge', mergeKey: 'ip', listType: 'map' }],
    ['', 'Pod', ['metadata', 'finalizers'], { strategy: 'merge', listType: 'set' }],
    ['', 'Pod', ['metadata', 'ownerReferences'], { strategy: 'merge', mergeKey: 'uid', listType: 'map' }],
    ['', 'ConfigMap', ['metadata', 'finalizers'], { strategy: 'merge', listType: 'set' }],
    ['', 'Service', ['spec', 'ports'], { strategy: 'merge', mergeKey: 'port', listType: 'map' }],
    ['', 'Node', ['spec', 'taints'], { listType: 'atomic' }],
    ['', 'Node', ['spec', 'podCIDRs'], { strategy: 'merge', listType: 'set' }],
    ['', 'Node', ['status', 'addresses'], { strategy: 'merge', mergeKey: 'type', listType: 'map' }],
    ['', 'ServiceAccount', ['secrets'], { strategy: 'merge', mergeKey: 'name', listType: 'map' }],
    ['', 'Endpoints', ['subsets'], { listType: 'atomic' }],
    ['apps', 'Deployment', ['spec', 'strategy'], { strategy: 'retainKeys' }],
    ['apps', 'Deployment', ['spec', 'template', 'spec', 'containers', 'env'], { strategy: 'merge', mergeKey: 'name', listType: 'map' }],
    ['apps', 'Deployment', ['spec', 'template', 'metadata', 'finalizers'], { strategy: 'merge', listType: 'set' }],
    ['apps', 'DaemonSet', ['spec', 'template', 'spec', 'volumes'], { strategy: 'merge,retainKeys', mergeKey: 'name', listType: 'map' }],
    ['apps', 'StatefulSet', ['status', 'conditions'], { strategy: 'merge', mergeKey: 'type', listType: 'map' }],
    ['batch', 'CronJob', ['spec', 'jobTemplate', 'spec', 'template', 'spec', 'containers'], { strategy: 'merge', mergeKey: 'name', listType: 'map' }],
    ['batch', 'Job', ['status', 'conditions'], { strategy: 'merge', mergeKey: 'type', listType: 'atomic' }],
    ['policy', 'PodDisruptionBudget', ['spec', 'selector'], { strategy: 'replace' }],
    ['autoscaling', 'HorizontalPodAutoscaler', ['status', 'conditions'], { strategy: 'merge', mergeKey: 'type', listType: 'map' }],
    // Default behaviour: no metadata.
    ['', 'Pod', ['spec', 'nodeSelector'], undefined],
    ['', 'Pod', ['spec', 'containers', 'image'], undefined],
    ['', 'ConfigMap', ['data'], undefined],
    ['example.com', 'Widget', ['metadata', 'finalizers'], undefined],
    ['', 'Pod', [], undefined],
  ];
  for (const [group, kind, path, want] of cases) {
    assert.deepEqual(fieldStrategy(group, kind, path), want, `${group}/${kind} ${path.join('.')}`);
  }
});

void test('the notation parser and schema builder reject typos', () => {
  assert.deepEqual(parseField('containers:Container merge:name map'), ['containers', { type: 'Container', strategy: 'merge', mergeKey: 'name', listType: 'map' }]);
  assert.deepEqual(parseField('volumes merge,retainKeys:name'), ['volumes', { strategy: 'merge,retainKeys', mergeKey: 'name' }]);
  for (const bad of ['', 'x mrege', 'x map:name', '1x merge']) assert.throws(() => parseField(bad), /strategic schema/, bad);
  assert.throws(() => buildSchema({ A: ['b:B'] }), /unknown type B/);
  assert.throws(() => buildSchema({ A: [] }, { A: [] }), /defined twice/);
});
