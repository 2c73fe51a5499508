import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { IncomingMessage } from 'node:http';
import { errors } from '../../util/errors.js';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ensurePki } from '../pki/index.js';
import { BootstrapTokenAuthenticator } from './bootstrap.js';
import { withAuthServer } from './testing.js';
import { TokenFileAuthenticator } from './tokenfile.js';
import type { Authenticator, UserInfo } from './types.js';
import { UnionAuthenticator } from './union.js';
import { X509Authenticator } from './x509.js';

const req = (authorization?: string) => ({ headers: authorization ? { authorization } : {} }) as IncomingMessage;
const fixed = (u: UserInfo | null): Authenticator => ({ authenticate: () => u });
const failing = (err: Error): Authenticator => ({ authenticate: () => { throw err; } });

void test('first non-null wins and system:authenticated is added once', async () => {
  const u = new UnionAuthenticator([fixed(null), fixed({ username: 'a', groups: ['g'] }), fixed({ username: 'b', groups: [] })]);
  assert.deepEqual(await u.authenticate(req()), { username: 'a', groups: ['g', 'system:authenticated'] });
  const already = new UnionAuthenticator([fixed({ username: 'a', groups: ['system:authenticated'] })]);
  assert.deepEqual((await already.authenticate(req()))?.groups, ['system:authenticated']);
  assert.equal(await new UnionAuthenticator([fixed(null)]).authenticate(req()), null);
});

void test('a rejection does not stop later members; with no success the rejection is thrown', async () => {
  const ok = new UnionAuthenticator([failing(errors.unauthorized()), fixed({ username: 'a', groups: [] })]);
  assert.equal((await ok.authenticate(req()))?.username, 'a');
  await assert.rejects(new UnionAuthenticator([failing(errors.unauthorized()), fixed(null)]).authenticate(req()), { code: 401 });
  // A server-side failure is reported as such rather than as bad credentials.
  await assert.rejects(new UnionAuthenticator([failing(errors.unauthorized()), failing(errors.unavailable('down'))]).authenticate(req()),
    { code: 503 });
  await assert.rejects(new UnionAuthenticator([fixed(null)]).authenticate(req('Bearer unknown')), { code: 401 });
  assert.equal(await new UnionAuthenticator([fixed(null)]).authenticate(req('Basic dTpw')), null);
});

void test('the full chain over HTTPS: cert, token file, join token, bad bearer, none', () => withAuthServer(
  (pki) => new UnionAuthenticator([
    new X509Authenticator({ caPem: pki.caCertPem }),
    TokenFileAuthenticator.fromCsv('tok-1,alice,u1,devs'),
    new BootstrapTokenAuthenticator('join'),
  ]),
  async ({ pki, call }) => {
    const cert = { cert: pki.adminCertPem, key: pki.adminKeyPem };
    assert.deepEqual((await call(cert)).body, { username: 'system:admin', groups: ['system:masters', 'system:authenticated'] });
    // The client cert is consulted first, as kube-apiserver orders x509 before tokens.
    assert.equal((await call({ ...cert, headers: { authorization: 'Bearer tok-1' } })).body['username'], 'system:admin');
    assert.equal((await call({ headers: { authorization: 'Bearer tok-1' } })).body['username'], 'alice');
    assert.equal((await call({ headers: { authorization: 'Bearer join' } })).body['username'], 'system:bootstrap:node');
    assert.equal((await call({ headers: { authorization: 'Bearer wrong' } })).code, 401);
    assert.equal((await call()).code, 401);
    assert.deepEqual((await call({ path: '/livez/ping' })).body, { username: 'system:anonymous', groups: ['system:unauthenticated'] });

    // An untrusted cert plus a good token: the token still authenticates (upstream union semantics).
    const dir = await mkdtemp(join(tmpdir(), 'skiff-authn-other-'));
    try {
      const other = await ensurePki(dir, { hosts: [], ips: [] });
      const r = await call({ cert: other.adminCertPem, key: other.adminKeyPem, headers: { authorization: 'Bearer tok-1' } });
      assert.equal(r.body['username'], 'alice');
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  }));
