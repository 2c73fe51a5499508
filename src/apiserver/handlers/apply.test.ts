// Server-side apply and managedFields through the real HTTP handlers (in-process server).
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { startTestServer, type TestServer } from '../testing/inprocess.js';

let s: TestServer;
before(async () => {
  s = await startTestServer();
});
after(async () => {
  await s.stop();
});

const BASE = '/apis/apps/v1/namespaces/default/deployments';
const APPLY = { 'content-type': 'application/apply-patch+yaml' };

function deployment(name: string, replicas: number): string {
  return JSON.stringify({
    apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name },
    spec: { replicas, selector: { matchLabels: { app: name } }, template: { metadata: { labels: { app: name } }, spec: { containers: [{ name: 'nginx', image: 'nginx:1' }] } } },
  });
}

interface Entry { manager: string; operation: string; apiVersion: string; time?: string; fieldsType: string; fieldsV1: Record<string, unknown>; subresource?: string }
interface Obj { metadata: { name: string; resourceVersion: string; managedFields?: Entry[] }; spec: Record<string, unknown> }

function parse(body: string): Obj {
  return JSON.parse(body) as Obj;
}

test('apply needs a fieldManager; force only for apply; bad managers are 422 as upstream', async () => {
  const cases: [string, string, string, Record<string, string>, string][] = [
    ['PATCH', `${BASE}/x`, deployment('x', 1), APPLY, 'PatchOptions.meta.k8s.io "" is invalid: fieldManager: Required value: is required for apply patch'],
    ['PATCH', `${BASE}/x?force=true&fieldManager=m`, '{}', { 'content-type': 'application/merge-patch+json' }, 'PatchOptions.meta.k8s.io "" is invalid: force: Forbidden: may not be specified for non-apply patch'],
    ['POST', `${BASE}?fieldManager=${'m'.repeat(129)}`, deployment('x', 1), {}, 'CreateOptions.meta.k8s.io "" is invalid: fieldManager: Too long: may not be more than 128 bytes'],
  ];
  for (const [method, path, body, headers, message] of cases) {
    const r = await s.request(method, path, body, headers);
    assert.equal(r.status, 422, r.body);
    const st = JSON.parse(r.body) as { reason: string; message: string; details: { kind: string; group: string } };
    assert.equal(st.reason, 'Invalid');
    assert.equal(st.message, message);
    assert.equal(st.details.group, 'meta.k8s.io');
  }
});

test('apply creates, is a no-op the second time, conflicts with another manager, and force takes over', async () => {
  const created = await s.request('PATCH', `${BASE}/web?fieldManager=kubectl&fieldValidation=Strict&force=false`, deployment('web', 2), APPLY);
  assert.equal(created.status, 201, created.body);
  const obj = parse(created.body);
  assert.equal(obj.spec.replicas, 2);
  assert.equal(obj.spec.revisionHistoryLimit, 10, 'defaulted after apply');
  assert.deepEqual(obj.metadata.managedFields!.map((e) => [e.manager, e.operation, e.apiVersion, e.fieldsType]), [['kubectl', 'Apply', 'apps/v1', 'FieldsV1']]);
  assert.deepEqual(Object.keys(obj.metadata.managedFields![0]!.fieldsV1['f:spec'] as object), ['f:replicas', 'f:selector', 'f:template']);

  const again = await s.request('PATCH', `${BASE}/web?fieldManager=kubectl`, deployment('web', 2), APPLY);
  assert.equal(again.status, 200);
  assert.equal(parse(again.body).metadata.resourceVersion, obj.metadata.resourceVersion, 'nothing written');

  const conflict = await s.request('PATCH', `${BASE}/web?fieldManager=other`, JSON.stringify({ apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'web' }, spec: { replicas: 3 } }), APPLY);
  assert.equal(conflict.status, 409);
  assert.deepEqual(JSON.parse(conflict.body), {
    kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', reason: 'Conflict', code: 409,
    message: 'Apply failed with 1 conflict: conflict with "kubectl": .spec.replicas',
    details: { causes: [{ reason: 'FieldManagerConflict', message: 'conflict with "kubectl"', field: '.spec.replicas' }] },
  });

  // YAML body, forced.
  const yaml = 'apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\nspec:\n  replicas: 3\n';
  const forced = await s.request('PATCH', `${BASE}/web?fieldManager=other&force=true`, yaml, APPLY);
  assert.equal(forced.status, 200, forced.body);
  const f = parse(forced.body);
  assert.equal(f.spec.replicas, 3);
  const byManager = Object.fromEntries(f.metadata.managedFields!.map((e) => [e.manager, e.fieldsV1]));
  assert.deepEqual(byManager.other, { 'f:spec': { 'f:replicas': {} } });
  assert.equal((byManager.kubectl as { 'f:spec': Record<string, unknown> })['f:spec']['f:replicas'], undefined);
});

test('create, update and patches record Update entries for their manager', async () => {
  const created = await s.request('POST', `${BASE}?fieldManager=kubectl-create`, deployment('upd', 1));
  assert.equal(created.status, 201, created.body);
  const c = parse(created.body);
  assert.deepEqual(c.metadata.managedFields!.map((e) => [e.manager, e.operation]), [['kubectl-create', 'Update']]);
  assert.match(c.metadata.managedFields![0]!.time!, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);

  // No fieldManager: the User-Agent's first word.
  const patched = await s.request('PATCH', `${BASE}/upd`, JSON.stringify({ spec: { replicas: 4 } }), { 'content-type': 'application/merge-patch+json', 'user-agent': 'kubectl/v1.32.0 (linux/amd64) kubernetes/abc' });
  assert.equal(patched.status, 200, patched.body);
  const p = parse(patched.body);
  const owners = Object.fromEntries(p.metadata.managedFields!.map((e) => [e.manager, e.fieldsV1]));
  assert.deepEqual(owners.kubectl, { 'f:spec': { 'f:replicas': {} } });
  assert.equal(((owners['kubectl-create'] as { 'f:spec': Record<string, unknown> })['f:spec'])['f:replicas'], undefined);

  // A PUT that sends managedFields: [] clears them, and the object is not tracked again until applied.
  const put = await s.request('PUT', `${BASE}/upd?fieldManager=kubectl-replace`, JSON.stringify({ ...JSON.parse(deployment('upd', 5)), metadata: { name: 'upd', managedFields: [] } }));
  assert.equal(put.status, 200, put.body);
  assert.equal(parse(put.body).metadata.managedFields, undefined);

  // Applying to it now: the fields it had belong to before-first-apply.
  const applied = await s.request('PATCH', `${BASE}/upd?fieldManager=kubectl`, JSON.stringify({ apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'upd' }, spec: { paused: true } }), APPLY);
  assert.equal(applied.status, 200, applied.body);
  assert.deepEqual(parse(applied.body).metadata.managedFields!.map((e) => [e.manager, e.operation]), [['kubectl', 'Apply'], ['before-first-apply', 'Update']]);
});

test('apply rejects a configuration of another kind, with managedFields, or with another name', async () => {
  const cases: [string, number, string][] = [
    [JSON.stringify({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'k' } }), 400, 'invalid object type: /v1, Kind=ConfigMap'],
    [JSON.stringify({ apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'k', managedFields: [] } }), 400, 'metadata.managedFields must be nil'],
    [JSON.stringify({ apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'other' } }), 400, 'the name of the object (other) does not match the name on the URL (k)'],
    ['a: [', 400, 'error decoding patch: '],
  ];
  for (const [body, code, message] of cases) {
    const r = await s.request('PATCH', `${BASE}/k?fieldManager=m`, body, APPLY);
    assert.equal(r.status, code, r.body);
    assert.ok((JSON.parse(r.body) as { message: string }).message.startsWith(message), r.body);
  }
  const missing = await s.request('GET', `${BASE}/k`);
  assert.equal(missing.status, 404);
});

test('apply through /status owns status only, in its own entry; dryRun writes nothing', async () => {
  const created = await s.request('PATCH', `${BASE}/st?fieldManager=kubectl`, deployment('st', 1), APPLY);
  assert.equal(created.status, 201, created.body);
  const status = JSON.stringify({ apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'st' }, status: { observedGeneration: 1, replicas: 1 } });
  const r = await s.request('PATCH', `${BASE}/st/status?fieldManager=ctrl`, status, APPLY);
  assert.equal(r.status, 200, r.body);
  const obj = JSON.parse(r.body) as Obj & { status: Record<string, unknown> };
  assert.deepEqual(obj.status, { observedGeneration: 1, replicas: 1 });
  const entry = obj.metadata.managedFields!.find((e) => e.manager === 'ctrl')!;
  assert.equal(entry.subresource, 'status');
  assert.deepEqual(entry.fieldsV1, { 'f:status': { 'f:observedGeneration': {}, 'f:replicas': {} } });
  // Applying to the status of an object that does not exist is a 404, not a create.
  const missing = await s.request('PATCH', `${BASE}/nope/status?fieldManager=ctrl`, status.replace('"st"', '"nope"'), APPLY);
  assert.equal(missing.status, 404);

  const dry = await s.request('PATCH', `${BASE}/st?fieldManager=kubectl&dryRun=All`, deployment('st', 7), APPLY);
  assert.equal(dry.status, 200, dry.body);
  assert.equal(parse(dry.body).spec.replicas, 7);
  assert.equal(parse((await s.request('GET', `${BASE}/st`)).body).spec.replicas, 1);
});

test('defaulted fields belong to the writer that created the object, as upstream (defaulting happens at decode)', async () => {
  const body = JSON.parse(deployment('dflt', 1)) as { spec: Record<string, unknown> };
  delete body.spec.replicas;
  const created = await s.request('POST', `${BASE}?fieldManager=kubectl-create`, JSON.stringify(body));
  assert.equal(created.status, 201, created.body);
  const spec = (parse(created.body).metadata.managedFields![0]!.fieldsV1['f:spec']) as Record<string, unknown>;
  assert.deepEqual(spec['f:replicas'], {});
  assert.deepEqual(spec['f:revisionHistoryLimit'], {});
  const r = await s.request('PATCH', `${BASE}/dflt?fieldManager=kubectl`, JSON.stringify({ apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'dflt' }, spec: { replicas: 3 } }), APPLY);
  assert.equal(r.status, 409, r.body);
  assert.equal((JSON.parse(r.body) as { message: string }).message, 'Apply failed with 1 conflict: conflict with "kubectl-create" using apps/v1: .spec.replicas');
});
