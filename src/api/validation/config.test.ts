// ConfigMap and Secret validation tables (upstream ValidateConfigMap / ValidateSecret and updates).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { check } from './fixtures.js';

const KEY_MSG = `a valid config key must consist of alphanumeric characters, '-', '_' or '.' (e.g. 'key.name',  or 'KEY_NAME',  or 'key-name', regex used for validation is '[-._a-zA-Z0-9]+')`;

test('configmap keys, duplicates across data and binaryData, total size', () => {
  assert.deepEqual(check('', 'ConfigMap', { data: { 'a.b-c_D': 'x' }, binaryData: { bin: 'AAE=' } }), []);
  assert.deepEqual(check('', 'ConfigMap', { data: { 'bad key': 'x', '..': 'y' } }), [
    `data[bad key]: Invalid value: "bad key": ${KEY_MSG}`,
    `data[..]: Invalid value: "..": must not be '..'`,
  ]);
  assert.deepEqual(check('', 'ConfigMap', { data: { k: 'x' }, binaryData: { k: 'AA==' } }), [
    'data[k]: Invalid value: "k": duplicate of key present in binaryData',
    'binaryData[k]: Invalid value: "k": duplicate of key present in data',
  ]);
  assert.deepEqual(check('', 'ConfigMap', { data: { big: 'x'.repeat(1024 * 1024 + 1) } }), [': Too long: may not be more than 1048576 bytes']);
});

test('immutable configmaps and secrets', () => {
  const old = { immutable: true, data: { k: 'v' } };
  assert.deepEqual(check('', 'ConfigMap', { immutable: true, data: { k: 'v' }, metadata: { name: 'x', namespace: 'default', labels: { a: 'b' } } }, old), []);
  assert.deepEqual(check('', 'ConfigMap', { data: { k: 'w' } }, old), [
    'immutable: Forbidden: field is immutable when `immutable` is set',
    'data: Forbidden: field is immutable when `immutable` is set',
  ]);
  assert.deepEqual(check('', 'ConfigMap', { data: { k: 'w' } }, { data: { k: 'v' } }), []);
  assert.deepEqual(check('', 'Secret', { immutable: true, data: { k: 'dw==' } }, { immutable: true, data: { k: 'dg==' } }), ['data: Forbidden: field is immutable when `immutable` is set']);
  assert.deepEqual(check('', 'Secret', { type: 'Other' }, {}), ['type: Invalid value: "Other": field is immutable']);
});

test('secret types and their required keys', () => {
  const table: [Record<string, any>, string[]][] = [
    [{ data: { 'ok.key': 'YQ==' } }, []],
    [{ data: { 'no/slash': 'YQ==' } }, [`data[no/slash]: Invalid value: "no/slash": ${KEY_MSG}`]],
    [{ type: 'kubernetes.io/tls', data: { 'tls.crt': 'YQ==' } }, ['data[tls.key]: Required value']],
    [{ type: 'kubernetes.io/dockerconfigjson', data: {} }, ['data[.dockerconfigjson]: Required value']],
    [{ type: 'kubernetes.io/basic-auth', data: {} }, ['data[username]: Required value', 'data[password]: Required value']],
    [{ type: 'kubernetes.io/ssh-auth', data: {} }, ['data[ssh-privatekey]: Required value']],
    [{ type: 'kubernetes.io/service-account-token' }, ['metadata.annotations[kubernetes.io/service-account.name]: Required value']],
    [{ stringData: { 'bad key': 'x' } }, [`data[bad key]: Invalid value: "bad key": ${KEY_MSG}`]],
  ];
  for (const [o, want] of table) assert.deepEqual(check('', 'Secret', o), want, JSON.stringify(o));
});
