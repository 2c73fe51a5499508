import { test } from 'node:test';
import assert from 'node:assert/strict';
import { negotiateDiscovery } from './negotiate.js';

// The exact Accept headers seen on the wire (kubectl-wire §2.1).
const KUBECTL_130_PLUS =
  'application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList,application/json;g=apidiscovery.k8s.io;v=v2beta1;as=APIGroupDiscoveryList,application/json';
const KUBECTL_127_TO_129 = 'application/json;g=apidiscovery.k8s.io;v=v2beta1;as=APIGroupDiscoveryList,application/json';

void test('kubectl 1.30+ gets v2', () => {
  assert.deepEqual(negotiateDiscovery(KUBECTL_130_PLUS), {
    kind: 'aggregated', version: 'v2', contentType: 'application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList',
  });
});

void test('kubectl 1.27–1.29 get v2beta1, never v2', () => {
  assert.deepEqual(negotiateDiscovery(KUBECTL_127_TO_129), {
    kind: 'aggregated', version: 'v2beta1', contentType: 'application/json;g=apidiscovery.k8s.io;v=v2beta1;as=APIGroupDiscoveryList',
  });
});

void test('plain JSON, wildcards and a missing header get the legacy documents', () => {
  assert.deepEqual(negotiateDiscovery(undefined), { kind: 'legacy' });
  assert.deepEqual(negotiateDiscovery(''), { kind: 'legacy' });
  assert.deepEqual(negotiateDiscovery('application/json, */*'), { kind: 'legacy' });
  assert.deepEqual(negotiateDiscovery('application/json, */*;q=0.8'), { kind: 'legacy' });
});

void test('order decides: plain JSON listed first wins over aggregated', () => {
  assert.deepEqual(negotiateDiscovery('application/json,application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList'), { kind: 'legacy' });
});

void test('unservable aggregated entries are skipped, parameter order and spaces do not matter', () => {
  const protobufFirst =
    'application/vnd.kubernetes.protobuf;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList, application/json; as=APIGroupDiscoveryList; v=v2beta1; g=apidiscovery.k8s.io';
  assert.equal((negotiateDiscovery(protobufFirst) as { version: string }).version, 'v2beta1');
  assert.deepEqual(negotiateDiscovery('application/json;g=apidiscovery.k8s.io;v=v3;as=APIGroupDiscoveryList'), { kind: 'legacy' });
});

void test('q=0 excludes an entry; higher q is preferred', () => {
  assert.deepEqual(
    negotiateDiscovery('application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList;q=0,application/json'),
    { kind: 'legacy' },
  );
  const r = negotiateDiscovery('application/json;q=0.5,application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList');
  assert.equal(r.kind, 'aggregated');
});
