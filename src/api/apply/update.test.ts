// Update tracking, after upstream managedfields/internal fieldmanager_test.go and
// managedfieldsupdater_test.go / capmanagers_test.go / skipnonapplied_test.go.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { KubeObject } from '../types.js';
import { decodeManagedFields } from './managers.js';
import { pathString } from './path.js';
import { typeInfoFor } from './typeinfo.js';
import { defaultManager, resetFieldsFilter, updateManagedFields, type UpdateOptions } from './update.js';

const DEPLOY = typeInfoFor({ group: 'apps', version: 'v1', kind: 'Deployment' });
const T0 = '2026-01-01T00:00:00Z';
const T1 = '2026-01-01T00:01:00Z';

function o(manager: string, now = T0, more: Partial<UpdateOptions> = {}): UpdateOptions {
  return { manager, info: DEPLOY, apiVersion: 'apps/v1', now, ignore: resetFieldsFilter(true, more.subresource), ...more };
}

function deploy(spec: Record<string, unknown>, meta: Record<string, unknown> = {}): KubeObject {
  return { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'web', ...meta }, spec };
}

function owners(obj: KubeObject): Record<string, string[]> {
  const out: Record<string, string[]> = {};
  for (const m of decodeManagedFields(obj.metadata.managedFields).values()) {
    out[`${m.id.manager}/${m.id.operation}${m.id.subresource ? '/' + m.id.subresource : ''}`] = m.set.paths().map(pathString);
  }
  return out;
}

function written(obj: KubeObject): KubeObject {
  return { ...structuredClone(obj), metadata: { ...structuredClone(obj.metadata), uid: 'u1' } };
}

test('create records an Update entry for the manager: `.` on added maps and elements, none on structs', () => {
  const obj = updateManagedFields(undefined, deploy({
    replicas: 1, strategy: { rollingUpdate: { maxSurge: 1 } },
    template: { metadata: { labels: { app: 'web' } }, spec: { containers: [{ name: 'c', image: 'i' }] } },
  }, { labels: { a: 'b' } }), o('kubectl-create'));
  const [entry] = obj.metadata.managedFields!;
  assert.deepEqual({ ...entry, fieldsV1: undefined }, { manager: 'kubectl-create', operation: 'Update', apiVersion: 'apps/v1', time: T0, fieldsType: 'FieldsV1', fieldsV1: undefined });
  assert.deepEqual(entry!.fieldsV1, {
    'f:metadata': { 'f:labels': { '.': {}, 'f:a': {} } },
    'f:spec': {
      'f:replicas': {},
      'f:strategy': { 'f:rollingUpdate': { '.': {}, 'f:maxSurge': {} } },
      'f:template': {
        'f:metadata': { 'f:labels': { '.': {}, 'f:app': {} } },
        'f:spec': { 'f:containers': { 'k:{"name":"c"}': { '.': {}, 'f:image': {}, 'f:name': {} } } },
      },
    },
  });
});

test('updates move ownership of changed fields; removed fields leave every set; entries keyed by manager, operation, version, subresource', () => {
  const a = written(updateManagedFields(undefined, deploy({ replicas: 1, paused: true, minReadySeconds: 3 }), o('a')));
  const next = structuredClone(a);
  next.spec = { replicas: 2, minReadySeconds: 3 };
  const b = written(updateManagedFields(a, next, o('b', T1)));
  assert.deepEqual(owners(b), { 'a/Update': ['.spec.minReadySeconds'], 'b/Update': ['.spec.replicas'] });
  assert.deepEqual(b.metadata.managedFields!.map((e) => e.time), [T0, T1]);
  // Through /status: its own entry, owning status only.
  const s = structuredClone(b);
  s.status = { replicas: 2 };
  const st = updateManagedFields(b, s, o('kube-controller-manager', T1, { subresource: 'status' }));
  assert.deepEqual(owners(st)['kube-controller-manager/Update/status'], ['.status.replicas']);
  assert.equal(st.metadata.managedFields!.find((e) => e.subresource)!.subresource, 'status');
});

test('a write that changes nothing keeps the old entries and times', () => {
  const a = written(updateManagedFields(undefined, deploy({ replicas: 1 }), o('a')));
  const again = updateManagedFields(a, structuredClone(a), o('a', T1));
  assert.deepEqual(again.metadata.managedFields, a.metadata.managedFields);
});

test('client-sent managedFields: [] resets, valid entries are kept, invalid ones ignored', () => {
  const a = written(updateManagedFields(undefined, deploy({ replicas: 1 }), o('a')));
  const reset = updateManagedFields(a, { ...structuredClone(a), metadata: { ...a.metadata, managedFields: [] } }, o('b', T1));
  assert.equal(reset.metadata.managedFields, undefined, 'reset and not tracked again until an apply');
  const untracked = updateManagedFields(written(reset), deploy({ replicas: 3 }, { uid: 'u1' }), o('c', T1));
  assert.equal(untracked.metadata.managedFields, undefined);

  const mine = [{ manager: 'x', operation: 'Apply' as const, apiVersion: 'apps/v1', fieldsType: 'FieldsV1', fieldsV1: { 'f:spec': { 'f:replicas': {} } } }];
  const set = updateManagedFields(a, { ...structuredClone(a), metadata: { ...a.metadata, managedFields: mine } }, o('b', T1));
  assert.deepEqual(owners(set), { 'x/Apply': ['.spec.replicas'] });

  const bad = [{ manager: 'x', operation: 'Bogus', apiVersion: 'apps/v1', fieldsType: 'FieldsV1', fieldsV1: {} }];
  const ignored = updateManagedFields(a, { ...structuredClone(a), metadata: { ...a.metadata, managedFields: bad as never } }, o('b', T1));
  assert.deepEqual(owners(ignored), { 'a/Update': ['.spec.replicas'] });
});

test('more than ten Update managers fold the oldest into ancient-changes', () => {
  let obj = written(updateManagedFields(undefined, deploy({ replicas: 0 }), o('m0', '2026-01-01T00:00:00Z')));
  for (let i = 1; i <= 11; i++) {
    const next = structuredClone(obj);
    (next.spec as Record<string, unknown>)[`f${i}`] = i;
    obj = written(updateManagedFields(obj, next, o(`m${i}`, `2026-01-01T00:00:${String(i).padStart(2, '0')}Z`)));
  }
  const names = obj.metadata.managedFields!.map((e) => e.manager);
  assert.equal(names.length, 10);
  assert.ok(names.includes('ancient-changes'));
  assert.ok(!names.includes('m0') && !names.includes('m1') && !names.includes('m2'));
  assert.deepEqual(owners(obj)['ancient-changes/Update'], ['.spec.f1', '.spec.f2', '.spec.replicas']);
});

test('default manager from the User-Agent', () => {
  const cases: [string | null, string | undefined, string][] = [
    ['kubectl-edit', 'kubectl/v1.32.0 (linux/amd64) kubernetes/abc', 'kubectl-edit'],
    [null, 'kubectl/v1.32.0 (linux/amd64) kubernetes/abc', 'kubectl'],
    [null, 'kube-controller-manager/v1.32.0 (linux/amd64) kubernetes/abc/system:serviceaccount:kube-system:deployment-controller', 'kube-controller-manager'],
    ['', 'Go-http-client/1.1', 'Go-http-client'],
    [null, 'a\u0007b/1', 'ab'],
    [null, undefined, ''],
    [null, 'x'.repeat(200), 'x'.repeat(128)],
  ];
  for (const [fm, ua, want] of cases) assert.equal(defaultManager(fm, ua), want);
});
