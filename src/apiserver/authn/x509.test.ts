import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ensurePki, issueClientCert } from '../pki/index.js';
import { withAuthServer } from './testing.js';
import { X509Authenticator } from './x509.js';

const x509 = () => new X509Authenticator();

void test('a client cert signed by the cluster CA yields CN as user and O as groups', () => withAuthServer(x509, async ({ pki, call }) => {
  const admin = await call({ cert: pki.adminCertPem, key: pki.adminKeyPem });
  assert.equal(admin.code, 200);
  assert.deepEqual(admin.body, { username: 'system:admin', groups: ['system:masters'] });

  const node = await issueClientCert(pki, 'system:node:n1', ['system:nodes', 'team-a']);
  assert.deepEqual((await call({ cert: node.certPem, key: node.keyPem })).body, { username: 'system:node:n1', groups: ['system:nodes', 'team-a'] });
  const plain = await issueClientCert(pki, 'system:kube-scheduler', []);
  assert.deepEqual((await call({ cert: plain.certPem, key: plain.keyPem })).body, { username: 'system:kube-scheduler', groups: [] });
}));

void test('no client cert: no opinion (anonymous only on allowed paths)', () => withAuthServer(x509, async ({ call }) => {
  const denied = await call();
  assert.equal(denied.code, 401);
  assert.equal(denied.body['reason'], 'Unauthorized');
  assert.equal(denied.body['message'], 'Unauthorized');
  assert.deepEqual((await call({ path: '/readyz?verbose' })).body, { username: 'system:anonymous', groups: ['system:unauthenticated'] });
}));

void test('a client cert from another CA is rejected with 401, even on anonymous paths', () => withAuthServer(x509, async ({ call }) => {
  const dir = await mkdtemp(join(tmpdir(), 'skiff-authn-other-'));
  try {
    const other = await ensurePki(dir, { hosts: [], ips: [] });
    for (const path of ['/api', '/healthz']) {
      const r = await call({ path, cert: other.adminCertPem, key: other.adminKeyPem });
      assert.equal(r.code, 401, path);
    }
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}));

void test('the serving cert is not accepted as a client identity', () => withAuthServer(x509, async ({ pki, call }) => {
  const r = await call({ cert: pki.serverCertPem, key: pki.serverKeyPem });
  assert.equal(r.code, 401);
}));

void test('with caPem, the leaf must be signed by that CA', () => withAuthServer(
  (pki) => new X509Authenticator({ caPem: pki.caCertPem }),
  async ({ pki, call }) => {
    assert.equal((await call({ cert: pki.adminCertPem, key: pki.adminKeyPem })).code, 200);
  }));
