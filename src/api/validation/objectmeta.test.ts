// ObjectMeta rules per resource and the Invalid Status message (upstream ValidateObjectMetaAccessor, NewInvalid).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { validateObjectMeta } from './objectmeta.js';
import { invalidError } from './status.js';
import { lines } from './fixtures.js';

const pods = { resource: 'pods', namespaced: true };

test('names: subdomain for most, DNS-1035 for services, DNS label for namespaces, path segment for RBAC, 52 bytes for cronjobs', () => {
  const SUBDOMAIN = `a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')`;
  const table: [string, boolean, string, string[]][] = [
    ['pods', true, 'web.v1', []],
    ['pods', true, 'Web', [`metadata.name: Invalid value: "Web": ${SUBDOMAIN}`]],
    ['services', true, '1web', [`metadata.name: Invalid value: "1web": a DNS-1035 label must consist of lower case alphanumeric characters or '-', start with an alphabetic character, and end with an alphanumeric character (e.g. 'my-name',  or 'abc-123', regex used for validation is '[a-z]([-a-z0-9]*[a-z0-9])?')`]],
    ['namespaces', false, 'a.b', ['metadata.name: Invalid value: "a.b": must not contain dots']],
    ['clusterroles', false, 'system:controller:x', []],
    ['roles', true, 'a/b', [`metadata.name: Invalid value: "a/b": may not contain '/'`]],
    ['cronjobs', true, 'a'.repeat(53), [`metadata.name: Invalid value: "${'a'.repeat(53)}": must be no more than 52 characters`]],
  ];
  for (const [resource, namespaced, name, want] of table) {
    assert.deepEqual(lines(validateObjectMeta({ name, namespace: namespaced ? 'default' : undefined }, { resource, namespaced })), want, `${resource}/${name}`);
  }
});

test('generateName, namespace, labels, owner references, finalizers', () => {
  assert.deepEqual(lines(validateObjectMeta({ generateName: 'web-', name: 'web-abcde', namespace: 'default' }, pods)), []);
  assert.deepEqual(lines(validateObjectMeta({}, pods)), ['metadata.name: Required value: name or generateName is required', 'metadata.namespace: Required value']);
  assert.deepEqual(lines(validateObjectMeta({ name: 'n', namespace: 'x' }, { resource: 'nodes', namespaced: false })), ['metadata.namespace: Forbidden: not allowed on this type']);
  assert.deepEqual(lines(validateObjectMeta({ name: 'p', namespace: 'default', labels: { app: 'a b' } }, pods)), [
    `metadata.labels: Invalid value: "a b": a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyValue',  or 'my_value',  or '12345', regex used for validation is '(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?')`,
  ]);
  const refs = [{ apiVersion: 'apps/v1', kind: 'ReplicaSet', name: 'a', uid: '1', controller: true }, { apiVersion: 'apps/v1', kind: 'ReplicaSet', name: 'b', uid: '2', controller: true }, { apiVersion: 'apps', kind: '', name: '', uid: '' }];
  assert.deepEqual(lines(validateObjectMeta({ name: 'p', namespace: 'default', ownerReferences: refs as never }, pods)), [
    'metadata.ownerReferences[2].kind: Invalid value: "": must not be empty',
    'metadata.ownerReferences[2].name: Invalid value: "": must not be empty',
    'metadata.ownerReferences[2].uid: Invalid value: "": must not be empty',
    'metadata.ownerReferences: Invalid value: ["ReplicaSet/a","ReplicaSet/b"]: Only one reference can have Controller set to true. Found "true" in references for ReplicaSet/a and ReplicaSet/b',
  ]);
  assert.deepEqual(lines(validateObjectMeta({ name: 'p', namespace: 'default', finalizers: ['orphan', 'foregroundDeletion'] }, pods)), [
    'metadata.finalizers: Invalid value: ["orphan","foregroundDeletion"]: finalizer orphan and foregroundDeletion cannot be both set',
  ]);
});

test('invalidError: qualified kind, one cause bare, several in brackets, repeats dropped', () => {
  const one = invalidError('Pod', '', 'x', [{ field: 'spec.containers', reason: 'FieldValueRequired', message: 'Required value' }]);
  assert.equal(one.code, 422);
  assert.equal(one.reason, 'Invalid');
  assert.equal(one.message, 'Pod "x" is invalid: spec.containers: Required value');
  assert.deepEqual(one.details, { name: 'x', group: '', kind: 'Pod', causes: [{ field: 'spec.containers', reason: 'FieldValueRequired', message: 'Required value' }] });
  const two = invalidError('Deployment', 'apps', 'web', [
    { field: 'spec.replicas', reason: 'FieldValueInvalid', message: 'Invalid value: -1: must be greater than or equal to 0' },
    { field: 'spec.selector', reason: 'FieldValueRequired', message: 'Required value' },
    { field: 'spec.selector', reason: 'FieldValueRequired', message: 'Required value' },
  ]);
  assert.equal(two.message, 'Deployment.apps "web" is invalid: [spec.replicas: Invalid value: -1: must be greater than or equal to 0, spec.selector: Required value]');
  assert.equal(two.details?.causes?.length, 3);
});
