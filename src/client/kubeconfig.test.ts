import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, mkdir, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'yaml';
import { loadKubeconfig, renderKubeconfig, writeKubeconfig } from './kubeconfig.js';

const CA = '-----BEGIN CERTIFICATE-----\nQ0E=\n-----END CERTIFICATE-----\n';
const CERT = '-----BEGIN CERTIFICATE-----\nY2VydA==\n-----END CERTIFICATE-----\n';
const KEY = '-----BEGIN PRIVATE KEY-----\na2V5\n-----END PRIVATE KEY-----\n';

async function withDir(fn: (dir: string) => Promise<void>): Promise<void> {
  const dir = await mkdtemp(join(tmpdir(), 'skiff-kubeconfig-'));
  try {
    await fn(dir);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

void test('renderKubeconfig produces the document kubectl expects', () => {
  const text = renderKubeconfig({
    cluster: { server: 'https://127.0.0.1:6443', caPem: CA }, user: { certPem: CERT, keyPem: KEY }, namespace: 'default',
  });
  assert.deepEqual(parse(text), {
    apiVersion: 'v1',
    clusters: [{ name: 'skiff', cluster: { server: 'https://127.0.0.1:6443', 'certificate-authority-data': Buffer.from(CA).toString('base64') } }],
    contexts: [{ name: 'skiff', context: { cluster: 'skiff', user: 'skiff', namespace: 'default' } }],
    'current-context': 'skiff',
    kind: 'Config',
    preferences: {},
    users: [{ name: 'skiff', user: {
      'client-certificate-data': Buffer.from(CERT).toString('base64'), 'client-key-data': Buffer.from(KEY).toString('base64') } }],
  });
  assert.ok(text.split('\n').every((line) => line.length < 4000), 'base64 must stay on one line');
});

void test('write then load round-trips, with mode 0600', () => withDir(async (dir) => {
  const path = join(dir, 'sub', 'kubeconfig.yaml');
  await writeKubeconfig(path, renderKubeconfig({
    cluster: { server: 'https://10.0.0.1:6443', caPem: CA }, user: { certPem: CERT, keyPem: KEY }, name: 'c1',
  }));
  assert.equal((await stat(path)).mode & 0o777, 0o600);
  assert.deepEqual(await loadKubeconfig(path), {
    server: 'https://10.0.0.1:6443', caPem: CA, insecureSkipTlsVerify: false, certPem: CERT, keyPem: KEY, namespace: 'default',
  });

  await writeKubeconfig(path, renderKubeconfig({
    cluster: { server: 'https://h:1', insecureSkipTlsVerify: true }, user: { token: 'abc.def' }, namespace: 'kube-system',
  }));
  assert.deepEqual(await loadKubeconfig(path), {
    server: 'https://h:1', insecureSkipTlsVerify: true, token: 'abc.def', namespace: 'kube-system',
  });
}));

void test('loadKubeconfig picks a named context and resolves file paths relative to the kubeconfig', () => withDir(async (dir) => {
  await mkdir(join(dir, 'pki'));
  await writeFile(join(dir, 'pki', 'ca.crt'), CA);
  await writeFile(join(dir, 'pki', 'admin.crt'), CERT);
  await writeFile(join(dir, 'pki', 'admin.key'), KEY);
  await writeFile(join(dir, 'tok'), 'from-file\n');
  const path = join(dir, 'config');
  await writeFile(path, `apiVersion: v1
kind: Config
current-context: a
clusters:
- name: one
  cluster: { server: "https://one:6443", certificate-authority: pki/ca.crt }
- name: two
  cluster: { server: "https://two:6443", insecure-skip-tls-verify: true }
users:
- name: files
  user: { client-certificate: pki/admin.crt, client-key: ${join(dir, 'pki', 'admin.key')} }
- name: tokenfile
  user: { tokenFile: tok }
contexts:
- name: a
  context: { cluster: one, user: files, namespace: ns-a }
- name: b
  context: { cluster: two, user: tokenfile }
`);
  assert.deepEqual(await loadKubeconfig(path), {
    server: 'https://one:6443', caPem: CA, insecureSkipTlsVerify: false, certPem: CERT, keyPem: KEY, namespace: 'ns-a',
  });
  assert.deepEqual(await loadKubeconfig(path, 'b'), {
    server: 'https://two:6443', insecureSkipTlsVerify: true, token: 'from-file', namespace: 'default',
  });
  await assert.rejects(loadKubeconfig(path, 'nope'), /context "nope" not found/);
}));

void test('loadKubeconfig refuses what it cannot honour', () => withDir(async (dir) => {
  const path = join(dir, 'config');
  await writeFile(path, 'apiVersion: v1\nkind: Config\nclusters: []\ncontexts: []\n');
  await assert.rejects(loadKubeconfig(path), /current-context is not set/);
  await writeFile(path, `apiVersion: v1
kind: Config
current-context: x
clusters: [{ name: c, cluster: { server: "https://s" } }]
users: [{ name: u, user: { exec: { command: aws } } }]
contexts: [{ name: x, context: { cluster: c, user: u } }]
`);
  await assert.rejects(loadKubeconfig(path), /exec, which Skiff does not support/);
}));
