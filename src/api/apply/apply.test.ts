// Cases from structured-merge-diff's and kube-apiserver's documented behaviour (merge/*_test.go,
// the server-side apply docs): apply twice is a no-op, dropping a field from the configuration
// removes it, co-ownership of equal values, conflicts and force, Update taking ownership, and the
// three list kinds.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { KubeObject } from '../types.js';
import { StatusError } from '../../util/errors.js';
import { apply, type ApplyOptions } from './apply.js';
import { fieldsOf } from './fields.js';
import { FieldSet } from './fieldset.js';
import { decodeManagedFields } from './managers.js';
import { pathString } from './path.js';
import { typeInfoFor } from './typeinfo.js';
import { resetFieldsFilter, updateManagedFields } from './update.js';

const DEPLOY = typeInfoFor({ group: 'apps', version: 'v1', kind: 'Deployment' });
const POD = typeInfoFor({ group: '', version: 'v1', kind: 'Pod' });
const T0 = '2026-01-01T00:00:00Z';
const T1 = '2026-01-01T00:01:00Z';

function deploy(spec: Record<string, unknown>, extra: Record<string, unknown> = {}): Record<string, unknown> {
  return { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'web', namespace: 'default', ...extra }, spec };
}

function opts(manager: string, more: Partial<ApplyOptions> = {}): ApplyOptions {
  return { manager, force: false, info: DEPLOY, apiVersion: 'apps/v1', kind: 'Deployment', now: T0, ignore: resetFieldsFilter(true, undefined), ...more };
}

/** Pretend the store saved it: a uid, as a stored object has. */
function stored(o: KubeObject): KubeObject {
  return { ...o, metadata: { ...o.metadata, uid: 'u1' } };
}

/** Each manager's owned paths, in the human form. */
function owners(o: KubeObject): Record<string, string[]> {
  const out: Record<string, string[]> = {};
  for (const m of decodeManagedFields(o.metadata.managedFields).values()) {
    out[`${m.id.manager}/${m.id.operation}`] = m.set.paths().map(pathString);
  }
  return out;
}

function conflictOf(fn: () => unknown): StatusError {
  try {
    fn();
  } catch (err) {
    assert.ok(err instanceof StatusError, String(err));
    return err;
  }
  assert.fail('expected a conflict');
}

const containers = (image: string) => [{ name: 'nginx', image, ports: [{ containerPort: 80 }] }];
const template = (image: string) => ({ metadata: { labels: { app: 'web' } }, spec: { containers: containers(image) } });

test('fieldsOf: leaves, keyed and set list elements, atomic selector, metadata stripped by apply', () => {
  const cfg = deploy({ replicas: 2, selector: { matchLabels: { app: 'web' } }, template: template('nginx:1') }, { finalizers: ['a'] });
  const set = fieldsOf(cfg, DEPLOY, false);
  assert.deepEqual(set.paths().map(pathString), [
    '.apiVersion', '.kind', '.metadata.finalizers[="a"]', '.metadata.name', '.metadata.namespace',
    '.spec.replicas', '.spec.selector',
    '.spec.template.metadata.labels.app',
    '.spec.template.spec.containers[name="nginx"]',
    '.spec.template.spec.containers[name="nginx"].image',
    '.spec.template.spec.containers[name="nginx"].name',
    '.spec.template.spec.containers[name="nginx"].ports[containerPort=80,protocol="TCP"]',
    '.spec.template.spec.containers[name="nginx"].ports[containerPort=80,protocol="TCP"].containerPort',
  ]);
  const { object } = apply(undefined, cfg, opts('kubectl'));
  const entries = object.metadata.managedFields!;
  assert.equal(entries.length, 1);
  assert.deepEqual({ ...entries[0], fieldsV1: undefined }, { manager: 'kubectl', operation: 'Apply', apiVersion: 'apps/v1', time: T0, fieldsType: 'FieldsV1', fieldsV1: undefined });
  assert.deepEqual(entries[0]!.fieldsV1, {
    'f:metadata': { 'f:finalizers': { 'v:"a"': {} } },
    'f:spec': {
      'f:replicas': {}, 'f:selector': {},
      'f:template': {
        'f:metadata': { 'f:labels': { 'f:app': {} } },
        'f:spec': { 'f:containers': { 'k:{"name":"nginx"}': {
          '.': {}, 'f:image': {}, 'f:name': {},
          'f:ports': { 'k:{"containerPort":80,"protocol":"TCP"}': { '.': {}, 'f:containerPort': {} } },
        } } },
      },
    },
  });
});

test('apply twice is a no-op', () => {
  const cfg = deploy({ replicas: 2, template: template('nginx:1') });
  const first = stored(apply(undefined, cfg, opts('kubectl')).object);
  const second = apply(first, cfg, opts('kubectl', { now: T1 }));
  assert.equal(second.changed, false);
  assert.deepEqual(second.object, first);
});

test('a field dropped from the configuration is removed; one another manager owns stays', () => {
  const first = stored(apply(undefined, deploy({ replicas: 2, paused: true, minReadySeconds: 5 }), opts('a')).object);
  // b applies minReadySeconds with the same value: co-owned.
  const shared = stored(apply(first, deploy({ minReadySeconds: 5 }), opts('b')).object);
  assert.deepEqual(owners(shared), { 'a/Apply': ['.spec.minReadySeconds', '.spec.paused', '.spec.replicas'], 'b/Apply': ['.spec.minReadySeconds'] });
  const { object } = apply(shared, deploy({ replicas: 2 }), opts('a', { now: T1 }));
  assert.deepEqual(object.spec, { replicas: 2, minReadySeconds: 5 });
  assert.deepEqual(owners(object), { 'a/Apply': ['.spec.replicas'], 'b/Apply': ['.spec.minReadySeconds'] });
});

test('conflict on a different value, as upstream words it; force takes the field', () => {
  const first = stored(apply(undefined, deploy({ replicas: 2 }), opts('kubectl')).object);
  const err = conflictOf(() => apply(first, deploy({ replicas: 3 }), opts('other')));
  assert.equal(err.code, 409);
  assert.equal(err.reason, 'Conflict');
  assert.equal(err.message, 'Apply failed with 1 conflict: conflict with "kubectl": .spec.replicas');
  assert.deepEqual(err.details, { causes: [{ reason: 'FieldManagerConflict', message: 'conflict with "kubectl"', field: '.spec.replicas' }] });

  const forced = apply(first, deploy({ replicas: 3 }), opts('other', { force: true })).object;
  assert.equal((forced.spec as { replicas: number }).replicas, 3);
  assert.deepEqual(owners(forced), { 'other/Apply': ['.spec.replicas'] });
});

test('conflicts with several managers list each, Update managers with their apiVersion', () => {
  const created = updateManagedFields(undefined, deploy({ replicas: 1, paused: false }) as KubeObject, { manager: 'kubectl-client-side-apply', info: DEPLOY, apiVersion: 'apps/v1', now: T0 });
  const applied = stored(apply(stored(created), deploy({ minReadySeconds: 1 }), opts('a')).object);
  const err = conflictOf(() => apply(applied, deploy({ replicas: 3, paused: true, minReadySeconds: 2 }), opts('b')));
  assert.equal(err.message, 'Apply failed with 3 conflicts: conflicts with "a":\n- .spec.minReadySeconds\n' +
    'conflicts with "kubectl-client-side-apply" using apps/v1:\n- .spec.paused\n- .spec.replicas');
  assert.deepEqual(err.details?.causes?.map((c) => c.field), ['.spec.minReadySeconds', '.spec.paused', '.spec.replicas']);
});

test('an Update after apply takes the field; the applier then conflicts with it', () => {
  const applied = stored(apply(undefined, deploy({ replicas: 2, paused: true }), opts('kubectl')).object);
  const next = structuredClone(applied) as KubeObject;
  (next.spec as { replicas: number }).replicas = 5;
  const scaled = updateManagedFields(applied, next, { manager: 'kube-scaler', info: DEPLOY, apiVersion: 'apps/v1', now: T1, ignore: resetFieldsFilter(true, undefined) });
  assert.deepEqual(owners(scaled), { 'kubectl/Apply': ['.spec.paused'], 'kube-scaler/Update': ['.spec.replicas'] });
  assert.equal(scaled.metadata.managedFields![1]!.time, T1);
  const err = conflictOf(() => apply(scaled, deploy({ replicas: 2, paused: true }), opts('kubectl')));
  assert.equal(err.message, 'Apply failed with 1 conflict: conflict with "kube-scaler" using apps/v1: .spec.replicas');
  // Re-applying without the field leaves the updater's value alone.
  const kept = apply(scaled, deploy({ paused: true }), opts('kubectl')).object;
  assert.equal((kept.spec as { replicas: number }).replicas, 5);
});

test('map lists merge by key, keep others\' elements in place; set lists merge by value; atomic lists are replaced', () => {
  const podOpts = (m: string): ApplyOptions => ({ ...opts(m), info: POD, apiVersion: 'v1', kind: 'Pod' });
  const pod = (spec: Record<string, unknown>, meta: Record<string, unknown> = {}) => ({ apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p', ...meta }, spec });
  const a = stored(apply(undefined, pod({ containers: [{ name: 'app', image: 'app:1', args: ['x', 'y'] }] }, { finalizers: ['a'] }), podOpts('a')).object);
  const b = stored(apply(a, pod({ containers: [{ name: 'sidecar', image: 'side:1' }] }, { finalizers: ['b'] }), podOpts('b')).object);
  assert.deepEqual((b.spec as { containers: unknown[] }).containers, [{ name: 'app', image: 'app:1', args: ['x', 'y'] }, { name: 'sidecar', image: 'side:1' }]);
  assert.deepEqual(b.metadata.finalizers, ['a', 'b']);
  // a changes its container's atomic args list: replaced whole; the sidecar stays.
  const c = apply(b, pod({ containers: [{ name: 'app', image: 'app:2', args: ['z'] }] }, { finalizers: ['a'] }), podOpts('a')).object;
  assert.deepEqual((c.spec as { containers: unknown[] }).containers, [{ name: 'app', image: 'app:2', args: ['z'] }, { name: 'sidecar', image: 'side:1' }]);
  assert.deepEqual(owners(c)['a/Apply'], ['.metadata.finalizers[="a"]', '.spec.containers[name="app"]', '.spec.containers[name="app"].args',
    '.spec.containers[name="app"].image', '.spec.containers[name="app"].name']);
  // a drops its container: only a's element goes.
  const d = apply(stored(c), pod({ containers: [] }), podOpts('a')).object;
  assert.deepEqual((d.spec as { containers: unknown[] }).containers, [{ name: 'sidecar', image: 'side:1' }]);
  assert.deepEqual(d.metadata.finalizers, ['b']);
});

test('list element order: shared elements in the configuration\'s order, others where they were', () => {
  const podOpts: ApplyOptions = { ...opts('a'), info: POD, apiVersion: 'v1', kind: 'Pod' };
  const live = { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p', uid: 'u', managedFields: [{ manager: 'x', operation: 'Update' as const, apiVersion: 'v1', fieldsType: 'FieldsV1', fieldsV1: { 'f:spec': { 'f:containers': {} } } }] },
    spec: { containers: [{ name: 'a' }, { name: 'x' }, { name: 'b' }, { name: 'c' }] } };
  const cfg = { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p' }, spec: { containers: [{ name: 'c' }, { name: 'n' }, { name: 'a' }] } };
  const out = apply(live, cfg, podOpts).object;
  assert.deepEqual((out.spec as { containers: { name: string }[] }).containers.map((c) => c.name), ['x', 'b', 'c', 'n', 'a']);
});

test('the first apply to an object without managedFields records before-first-apply', () => {
  const live = stored({ ...deploy({ replicas: 1, paused: true }) } as KubeObject);
  const out = apply(live, deploy({ replicas: 1 }), opts('kubectl')).object;
  assert.deepEqual(owners(out), { 'kubectl/Apply': ['.spec.replicas'], 'before-first-apply/Update': ['.spec.paused', '.spec.replicas'] });
});

test('status is not owned through the main resource; configuration errors', () => {
  const out = apply(undefined, { ...deploy({ replicas: 1 }), status: { replicas: 1 } }, opts('kubectl')).object;
  assert.deepEqual(owners(out), { 'kubectl/Apply': ['.spec.replicas'] });
  const cases: [Record<string, unknown>, number, RegExp][] = [
    [{ ...deploy({}), apiVersion: 'apps/v2' }, 400, /^invalid object type: apps\/v2, Kind=Deployment$/],
    [{ ...deploy({}), kind: undefined }, 400, /^invalid object type: apps\/v1, Kind=$/],
    [deploy({}, { managedFields: [] }), 400, /^metadata\.managedFields must be nil$/],
    [deploy({ template: { spec: { containers: [{ image: 'x' }] } } }), 500, /omits all key fields \["name"\]/],
    [deploy({ template: { spec: { containers: [{ name: 'a' }, { name: 'a' }] } } }), 500, /duplicate entries for key \[name="a"\]/],
  ];
  for (const [cfg, code, msg] of cases) {
    const err = conflictOf(() => apply(undefined, cfg, opts('kubectl')));
    assert.equal(err.code, code, err.message);
    assert.match(err.message, msg);
  }
});

test('kubectl keeps last-applied-configuration in step when it applies over one', () => {
  const ann = 'kubectl.kubernetes.io/last-applied-configuration';
  const live = stored(apply(undefined, deploy({ replicas: 1 }, { annotations: { [ann]: '{"old":true}' } }), opts('kubectl')).object);
  const out = apply(live, deploy({ replicas: 2 }), opts('kubectl')).object;
  assert.equal(out.metadata.annotations?.[ann], '{"apiVersion":"apps/v1","kind":"Deployment","metadata":{"name":"web","namespace":"default"},"spec":{"replicas":2}}');
  const other = apply(live, deploy({ paused: true }), opts('someone')).object;
  assert.equal(other.metadata.annotations?.[ann], '{"old":true}');
  assert.ok(new FieldSet().empty());
});

test('kubectl upgrading from client-side apply: fields its last-applied still describes do not conflict', () => {
  const ann = 'kubectl.kubernetes.io/last-applied-configuration';
  const cmOpts = (m: string): ApplyOptions => ({ ...opts(m), info: typeInfoFor({ group: '', version: 'v1', kind: 'ConfigMap' }), apiVersion: 'v1', kind: 'ConfigMap', ignore: undefined });
  const cm = (data: Record<string, string>, annotations?: Record<string, string>) =>
    ({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'c', ...(annotations ? { annotations } : {}) }, data }) as KubeObject;
  const last = JSON.stringify({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'c' }, data: { k: 'v', k2: 'v2' } });
  const csa = stored(updateManagedFields(undefined, cm({ k: 'v', k2: 'v2' }, { [ann]: last }), { manager: 'kubectl-client-side-apply', info: cmOpts('x').info, apiVersion: 'v1', now: T0 }));

  const upgraded = apply(csa, cm({ k: 'v3' }), cmOpts('kubectl')).object;
  assert.deepEqual(upgraded.data, { k: 'v3', k2: 'v2' });
  assert.deepEqual(owners(upgraded)['kubectl/Apply'], ['.data.k']);
  assert.equal(conflictOf(() => apply(csa, cm({ k: 'v3' }), cmOpts('other'))).message,
    'Apply failed with 1 conflict: conflict with "kubectl-client-side-apply" using v1: .data.k');

  // Someone else changed k2 since: that conflict stands.
  const edited = stored(updateManagedFields(csa, cm({ k: 'v', k2: 'edited' }, { [ann]: last }), { manager: 'kubectl-edit', info: cmOpts('x').info, apiVersion: 'v1', now: T1 }));
  assert.equal(conflictOf(() => apply(edited, cm({ k: 'v3', k2: 'mine' }), cmOpts('kubectl'))).message,
    'Apply failed with 1 conflict: conflict with "kubectl-edit" using v1: .data.k2');
});
