import { test } from 'node:test';
import assert from 'node:assert/strict';
import { BootstrapTokenAuthenticator } from './bootstrap.js';
import { withAuthServer } from './testing.js';
import { UnionAuthenticator } from './union.js';

const TOKEN = 'K10-join-secret-0123456789';

void test('the join token authenticates as the bootstrap identity or as the named node', () => withAuthServer(
  () => new UnionAuthenticator([new BootstrapTokenAuthenticator(TOKEN)]),
  async ({ call }) => {
    const auth = { authorization: `Bearer ${TOKEN}` };
    assert.deepEqual((await call({ headers: auth })).body,
      { username: 'system:bootstrap:node', groups: ['system:bootstrappers', 'system:authenticated'] });
    assert.deepEqual((await call({ headers: { ...auth, 'skiff-node-name': 'worker-1.example' } })).body,
      { username: 'system:node:worker-1.example', groups: ['system:nodes', 'system:bootstrappers', 'system:authenticated'] });

    const badName = await call({ headers: { ...auth, 'skiff-node-name': 'Not_A_Name' } });
    assert.equal(badName.code, 401);
    assert.equal((await call({ headers: { authorization: `Bearer ${TOKEN}x` } })).code, 401);
    assert.equal((await call({ headers: { authorization: 'Bearer' } })).code, 401); // no token: anonymous, not allowed here
    assert.equal((await call()).code, 401);
  }));

void test('an empty join token is a configuration error', () => {
  assert.throws(() => new BootstrapTokenAuthenticator(''), /must not be empty/);
});
