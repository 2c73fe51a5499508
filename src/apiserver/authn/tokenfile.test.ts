import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { TokenFileAuthenticator } from './tokenfile.js';
import { withAuthServer } from './testing.js';
import { UnionAuthenticator } from './union.js';

const CSV = [
  'tok-alice,alice,1001,"dev,ops"',
  'tok-bob,bob,1002',
  ',nobody,0',
  'tok-dup,first,1',
  'tok-dup,second,2,admins',
].join('\n');

void test('fromCsv follows upstream tokenfile rules', () => {
  assert.throws(() => TokenFileAuthenticator.fromCsv('tok,user'), /at least 3 columns/);
  assert.throws(() => TokenFileAuthenticator.fromCsv('"bad', 'tokens.csv'), /tokens\.csv: line 1/);
});

void test('bearer tokens from a token file, through a real HTTPS request', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'skiff-tokens-'));
  try {
    const path = join(dir, 'tokens.csv');
    await writeFile(path, CSV);
    const file = await TokenFileAuthenticator.load(path);
    await withAuthServer(() => new UnionAuthenticator([file]), async ({ call }) => {
      const bearer = (t: string) => ({ headers: { authorization: `Bearer ${t}` } });
      assert.deepEqual((await call(bearer('tok-alice'))).body,
        { username: 'alice', uid: '1001', groups: ['dev', 'ops', 'system:authenticated'] });
      assert.deepEqual((await call(bearer('tok-bob'))).body,
        { username: 'bob', uid: '1002', groups: ['system:authenticated'] });
      assert.deepEqual((await call(bearer('tok-dup'))).body,
        { username: 'second', uid: '2', groups: ['admins', 'system:authenticated'] });
      // The scheme is case-insensitive, as in Go's bearertoken authenticator.
      assert.equal((await call({ headers: { authorization: 'bearer tok-bob' } })).code, 200);

      const bad = await call(bearer('nope'));
      assert.equal(bad.code, 401);
      assert.equal(bad.body['message'], 'Unauthorized');
      // A wrong token is refused even where anonymous users are let in.
      assert.equal((await call({ path: '/healthz', ...bearer('nope') })).code, 401);
      assert.equal((await call()).code, 401);
      assert.equal((await call({ path: '/version' })).code, 200);
    });
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});
