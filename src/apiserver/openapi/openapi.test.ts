import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { resources, groupVersions } from '../../api/registry.js';
import { documentHash, openapiV2Json, openapiV2Protobuf, openapiV3Document, openapiV3Index } from './index.js';
import { gvPath, operationInfix, operationTag, schemaName } from './names.js';
import { encodeV2Document } from './v2-proto.js';

type Json = Record<string, any>;

function doc(group: string, version: string): Json {
  const d = openapiV3Document(gvPath(group, version));
  assert.ok(d, `document for ${group}/${version}`);
  return JSON.parse(d.json) as Json;
}

// kubectl's check (cli-runtime query_param_verifier_v3): some path's PATCH operation carries the GVK
// and lists fieldValidation among the operation's own parameters.
function patchOpFor(d: Json, gvk: { group: string; version: string; kind: string }): Json | undefined {
  for (const item of Object.values(d.paths) as Json[]) {
    const ext = item.patch?.['x-kubernetes-group-version-kind'];
    if (ext && ext.group === gvk.group && ext.version === gvk.version && ext.kind === gvk.kind) return item.patch;
  }
  return undefined;
}

// What kubectl explain does: find the schema whose GVK list has the kind, then walk properties
// through allOf/$ref.
function explain(d: Json, gvk: { group: string; version: string; kind: string }, path: string[] = []): Json {
  const schemas = d.components.schemas as Record<string, Json>;
  let s = Object.values(schemas).find((x) =>
    (x['x-kubernetes-group-version-kind'] ?? []).some((g: Json) => g.group === gvk.group && g.version === gvk.version && g.kind === gvk.kind));
  assert.ok(s, `schema for ${gvk.kind}`);
  for (const field of path) {
    let f = s!.properties?.[field] as Json;
    assert.ok(f, `field ${field}`);
    const r = f.$ref ?? f.allOf?.[0]?.$ref;
    if (r) f = { ...schemas[r.replace('#/components/schemas/', '')], description: f.description };
    s = f;
  }
  return s!;
}

void test('the index lists every served group-version with a hash matching its document', () => {
  const idx = openapiV3Index() as Json;
  const expected = groupVersions().flatMap((g) => g.versions.map((v) => gvPath(g.group, v)));
  assert.deepEqual(Object.keys(idx.paths).sort(), expected.sort());
  for (const [path, entry] of Object.entries(idx.paths) as [string, Json][]) {
    const d = openapiV3Document(path)!;
    const sha = createHash('sha512').update(d.json).digest('hex').toUpperCase();
    assert.equal(d.hash, sha);
    assert.equal(entry.serverRelativeURL, `/openapi/v3/${path}?hash=${sha}`);
  }
  assert.equal(openapiV3Document('apis/nope/v1'), undefined);
  assert.ok(openapiV3Document('/api/v1/'), 'leading and trailing slashes are tolerated');
});

void test('the hash follows the content', () => {
  assert.notEqual(documentHash('{"a":1}'), documentHash('{"a":2}'));
  assert.match(documentHash('{}'), /^[0-9A-F]{128}$/);
});

void test('every resource has a PATCH operation listing fieldValidation, dryRun, fieldManager and force', () => {
  for (const r of resources) {
    if (!r.verbs.includes('patch')) continue;
    const op = patchOpFor(doc(r.group, r.version), r);
    assert.ok(op, `${r.group}/${r.version} ${r.kind} patch`);
    const names = (op.parameters as Json[]).map((p) => p.name);
    for (const n of ['dryRun', 'fieldManager', 'fieldValidation', 'force']) assert.ok(names.includes(n), `${r.kind}: ${n}`);
    const types = Object.keys(op.requestBody.content);
    for (const t of ['application/apply-patch+yaml', 'application/json-patch+json', 'application/merge-patch+json', 'application/strategic-merge-patch+json']) {
      assert.ok(types.includes(t), t);
    }
  }
});

void test('every resource has its upstream path layout and operation IDs', () => {
  for (const r of resources) {
    const d = doc(r.group, r.version);
    const prefix = `/${gvPath(r.group, r.version)}`;
    const ns = r.namespaced ? '/namespaces/{namespace}' : '';
    const nsWord = r.namespaced ? 'Namespaced' : '';
    const collection = d.paths[`${prefix}${ns}/${r.resource}`];
    assert.ok(collection, `${r.kind} collection`);
    if (r.verbs.includes('create')) assert.equal(collection.post.operationId, `create${operationInfix(r.group, r.version)}${nsWord}${r.kind}`);
    if (r.verbs.includes('list')) {
      assert.equal(collection.get['x-kubernetes-action'], 'list');
      if (r.namespaced) assert.ok(d.paths[`${prefix}/${r.resource}`].get.operationId.endsWith(`${r.kind}ForAllNamespaces`));
    }
    if (r.verbs.includes('get')) {
      const item = d.paths[`${prefix}${ns}/${r.resource}/{name}`];
      assert.equal(item.get.operationId, `read${operationInfix(r.group, r.version)}${nsWord}${r.kind}`);
      assert.deepEqual(item.get['x-kubernetes-group-version-kind'], { group: r.group, kind: r.kind, version: r.version });
      assert.deepEqual(item.get.tags, [operationTag(r.group, r.version)]);
    }
    for (const s of r.subresources) assert.ok(d.paths[`${prefix}${ns}/${r.resource}/{name}/${s.name}`], `${r.resource}/${s.name}`);
  }
  const core = doc('', 'v1');
  assert.equal(core.paths['/api/v1/namespaces/{namespace}/pods/{name}'].patch.operationId, 'patchCoreV1NamespacedPod');
  assert.equal(core.paths['/api/v1/namespaces/{namespace}/pods/{name}/exec'].get.operationId, 'connectCoreV1GetNamespacedPodExec');
  assert.equal(core.paths['/api/v1/namespaces/{namespace}/pods/{name}/log'].get.operationId, 'readCoreV1NamespacedPodLog');
  assert.equal(core.paths['/api/v1/namespaces/{namespace}/pods'].delete.operationId, 'deleteCoreV1CollectionNamespacedPod');
  const apps = doc('apps', 'v1');
  const scale = apps.paths['/apis/apps/v1/namespaces/{namespace}/deployments/{name}/scale'];
  assert.equal(scale.put.operationId, 'replaceAppsV1NamespacedDeploymentScale');
  assert.deepEqual(scale.patch['x-kubernetes-group-version-kind'], { group: 'autoscaling', kind: 'Scale', version: 'v1' });
  assert.equal(operationInfix('rbac.authorization.k8s.io', 'v1'), 'RbacAuthorizationV1');
  assert.equal(operationTag('rbac.authorization.k8s.io', 'v1'), 'rbacAuthorization_v1');
});

void test('every kind and its list have a schema carrying their GVK, and every $ref resolves', () => {
  for (const r of resources) {
    const d = doc(r.group, r.version);
    const s = d.components.schemas[schemaName(r.group, r.version, r.kind)];
    assert.ok(s, schemaName(r.group, r.version, r.kind));
    assert.deepEqual(s['x-kubernetes-group-version-kind'], [{ group: r.group, kind: r.kind, version: r.version }]);
    assert.ok(s.description);
    assert.ok(s.properties.metadata && s.properties.apiVersion && s.properties.kind);
    if (r.verbs.includes('list')) {
      const list = d.components.schemas[`${schemaName(r.group, r.version, r.kind)}List`];
      assert.deepEqual(list['x-kubernetes-group-version-kind'], [{ group: r.group, kind: `${r.kind}List`, version: r.version }]);
    }
    const refs = [...JSON.stringify(d).matchAll(/"\$ref":"#\/components\/schemas\/([^"]+)"/g)].map((m) => m[1]!);
    for (const name of refs) assert.ok(d.components.schemas[name], `dangling ${name}`);
  }
  const meta = doc('', 'v1').components.schemas;
  for (const n of ['ObjectMeta', 'ListMeta', 'Status', 'DeleteOptions', 'Patch', 'Time']) {
    assert.ok(meta[`io.k8s.apimachinery.pkg.apis.meta.v1.${n}`]?.description, n);
  }
});

void test('explain-style walks reach meaningful descriptions', () => {
  const pod = explain(doc('', 'v1'), { group: '', version: 'v1', kind: 'Pod' });
  assert.match(pod.description, /containers/);
  const containers = explain(doc('', 'v1'), { group: '', version: 'v1', kind: 'Pod' }, ['spec', 'containers']);
  assert.equal(containers.type, 'array');
  assert.equal(containers['x-kubernetes-patch-merge-key'], 'name');
  const spec = explain(doc('apps', 'v1'), { group: 'apps', version: 'v1', kind: 'Deployment' }, ['spec']);
  assert.ok(spec.properties.replicas.description);
  assert.ok(spec.properties.template);
  const labels = explain(doc('apps', 'v1'), { group: 'apps', version: 'v1', kind: 'Deployment' }, ['metadata', 'labels']);
  assert.equal(labels.additionalProperties.type, 'string');
});

void test('OpenAPI v2: protobuf and JSON carry the served definitions in v2 shape', () => {
  // Without definitions the encoder still yields the 16-byte document first verified against kubectl 1.27.
  assert.equal(encodeV2Document('k', 'v1').toString('hex'), '0a03322e3012070a016b120276314200');
  const pb = openapiV2Protobuf();
  assert.equal(pb.subarray(0, 5).toString('hex'), '0a03322e30', 'starts with swagger "2.0"');
  assert.ok(pb.includes(Buffer.from('io.k8s.api.apps.v1.Deployment')));
  assert.ok(pb.includes(Buffer.from('x-kubernetes-patch-merge-key')));
  const v2 = openapiV2Json() as Json;
  assert.equal(v2.swagger, '2.0');
  assert.deepEqual(v2.paths, {});
  assert.ok(v2.definitions['io.k8s.api.core.v1.Pod']);
  assert.ok(!JSON.stringify(v2).includes('#/components/'));
  const containers = v2.definitions['io.k8s.api.core.v1.PodSpec'].properties.containers;
  assert.equal(containers.items.$ref, '#/definitions/io.k8s.api.core.v1.Container');
  assert.equal(containers['x-kubernetes-patch-merge-key'], 'name');
  const strategy = v2.definitions['io.k8s.api.apps.v1.DeploymentSpec'].properties.strategy;
  assert.equal(strategy.$ref, '#/definitions/io.k8s.api.apps.v1.DeploymentStrategy');
  assert.equal(strategy['x-kubernetes-patch-strategy'], 'retainKeys');
  assert.deepEqual(v2.definitions['io.k8s.apimachinery.pkg.util.intstr.IntOrString'].type, 'string');
  assert.equal(v2.definitions['io.k8s.apimachinery.pkg.api.resource.Quantity'].type, 'string');
});
