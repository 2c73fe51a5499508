import { test } from 'node:test';
import assert from 'node:assert/strict';
import { resources, groupVersions } from '../../api/registry.js';
import { apiGroup, apiGroupList, apiResourceList, apiVersions, aggregatedDiscovery, versionInfo } from './index.js';

type Json = Record<string, any>;

void test('/version reports minor 32 so the kubectl dispatcher picks 1.32', () => {
  const v = versionInfo() as Json;
  assert.equal(v.major, '1');
  assert.equal(v.minor, '32');
  assert.match(v.gitVersion, /^v1\.32\./);
});

void test('/api lists v1 and the server address', () => {
  assert.deepEqual(apiVersions('127.0.0.1:6443'), {
    kind: 'APIVersions',
    versions: ['v1'],
    serverAddressByClientCIDRs: [{ clientCIDR: '0.0.0.0/0', serverAddress: '127.0.0.1:6443' }],
  });
});

void test('/apis lists groups in registry order with the preferred version first', () => {
  const list = apiGroupList() as Json;
  assert.equal(list.kind, 'APIGroupList');
  const names = list.groups.map((g: Json) => g.name);
  assert.deepEqual(names, groupVersions().filter((g) => g.group).map((g) => g.group));
  const autoscaling = list.groups.find((g: Json) => g.name === 'autoscaling');
  assert.deepEqual(autoscaling.preferredVersion, { groupVersion: 'autoscaling/v2', version: 'v2' });
  assert.deepEqual(autoscaling.versions.map((v: Json) => v.version), ['v2', 'v1']);
  assert.equal((apiGroup('apps') as Json).kind, 'APIGroup');
  assert.equal(apiGroup('nope.example.com'), undefined);
  assert.equal(apiGroup(''), undefined);
});

void test('every registry resource and subresource is in its APIResourceList', () => {
  for (const r of resources) {
    const list = apiResourceList(r.group, r.version) as Json;
    assert.ok(list, `${r.group}/${r.version}`);
    const e = list.resources.find((x: Json) => x.name === r.resource);
    assert.ok(e, r.resource);
    assert.equal(e.kind, r.kind);
    assert.equal(e.singularName, r.singular);
    assert.equal(e.namespaced, r.namespaced);
    assert.deepEqual(e.verbs, r.verbs);
    if (r.shortNames.length) assert.deepEqual(e.shortNames, r.shortNames);
    if (r.stored) assert.match(e.storageVersionHash, /^[A-Za-z0-9+/]{11}=$/);
    for (const s of r.subresources) {
      const se = list.resources.find((x: Json) => x.name === `${r.resource}/${s.name}`);
      assert.ok(se, `${r.resource}/${s.name}`);
      assert.equal(se.kind, s.kind.kind);
      assert.deepEqual(se.verbs, s.verbs);
    }
  }
  assert.equal(apiResourceList('apps', 'v9'), undefined);
});

void test('pods and deployments/scale look like the wire capture', () => {
  const core = apiResourceList('', 'v1') as Json;
  assert.equal(core.groupVersion, 'v1');
  const pods = core.resources.find((x: Json) => x.name === 'pods');
  assert.deepEqual(pods.categories, ['all']);
  assert.deepEqual(pods.shortNames, ['po']);
  const log = core.resources.find((x: Json) => x.name === 'pods/log');
  assert.deepEqual(log, { name: 'pods/log', singularName: '', namespaced: true, kind: 'Pod', verbs: ['get'] });
  const apps = apiResourceList('apps', 'v1') as Json;
  const scale = apps.resources.find((x: Json) => x.name === 'deployments/scale');
  assert.deepEqual(scale, {
    name: 'deployments/scale', singularName: '', namespaced: true, group: 'autoscaling', version: 'v1', kind: 'Scale',
    verbs: ['get', 'patch', 'update'],
  });
  const bindings = core.resources.find((x: Json) => x.name === 'bindings');
  assert.equal(bindings.storageVersionHash, undefined, 'virtual resources have no storage version');
});

void test('aggregated discovery: v2 and v2beta1 differ only in apiVersion', () => {
  const v2 = aggregatedDiscovery('apis', 'v2') as Json;
  const beta = aggregatedDiscovery('apis', 'v2beta1') as Json;
  assert.equal(v2.apiVersion, 'apidiscovery.k8s.io/v2');
  assert.equal(beta.apiVersion, 'apidiscovery.k8s.io/v2beta1');
  assert.deepEqual({ ...v2, apiVersion: '' }, { ...beta, apiVersion: '' });
  const core = aggregatedDiscovery('api', 'v2') as Json;
  assert.equal(core.items.length, 1);
  assert.equal(core.items[0].metadata.name, '');
});

void test('aggregated discovery carries responseKind for every resource and subresource', () => {
  const items = [...(aggregatedDiscovery('api', 'v2') as Json).items, ...(aggregatedDiscovery('apis', 'v2') as Json).items];
  for (const r of resources) {
    const g = items.find((i: Json) => i.metadata.name === r.group);
    const v = g.versions.find((x: Json) => x.version === r.version);
    assert.equal(v.freshness, 'Current');
    const e = v.resources.find((x: Json) => x.resource === r.resource);
    assert.deepEqual(e.responseKind, { group: r.group, version: r.version, kind: r.kind });
    assert.equal(e.scope, r.namespaced ? 'Namespaced' : 'Cluster');
    assert.equal(e.singularResource, r.singular);
    for (const s of r.subresources) {
      const se = e.subresources.find((x: Json) => x.subresource === s.name);
      assert.deepEqual(se.responseKind, s.kind);
    }
  }
  const autoscaling = items.find((i: Json) => i.metadata.name === 'autoscaling');
  assert.deepEqual(autoscaling.versions.map((v: Json) => v.version), ['v2', 'v1'], 'preferred version first');
  const apps = items.find((i: Json) => i.metadata.name === 'apps');
  const deploy = apps.versions[0].resources.find((x: Json) => x.resource === 'deployments');
  assert.deepEqual(deploy.subresources.find((x: Json) => x.subresource === 'scale').responseKind, { group: 'autoscaling', version: 'v1', kind: 'Scale' });
});
