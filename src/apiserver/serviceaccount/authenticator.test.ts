import { test } from 'node:test';
import assert from 'node:assert/strict';
import { generateKeyPairSync } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import type { KubeObject } from '../../api/types.js';
import { FakeClock } from '../../util/clock.js';
import { StatusError } from '../../util/errors.js';
import {
  DEFAULT_ISSUER, EXTRA_POD_NAME, ServiceAccountTokenAuthenticator, issueToken, loadSigningKey, signJws, verifyJws,
  type IssueTokenOptions,
} from './index.js';

function newKey() {
  const { privateKey } = generateKeyPairSync('ec', { namedCurve: 'prime256v1' });
  return loadSigningKey(privateKey.export({ type: 'pkcs8', format: 'pem' }) as string);
}

function setup() {
  const key = newKey();
  const clock = new FakeClock();
  const live = new Map<string, KubeObject>([
    ['serviceaccounts/ns1/builder', { metadata: { name: 'builder', namespace: 'ns1', uid: 'sa-uid' } }],
    ['pods/ns1/web', { metadata: { name: 'web', namespace: 'ns1', uid: 'pod-uid' } }],
  ]);
  const authn = new ServiceAccountTokenAuthenticator({
    key, clock, getObject: async (r, ns, name) => live.get(`${r}/${ns}/${name}`) ?? null,
  });
  const base: IssueTokenOptions = { namespace: 'ns1', serviceAccount: { name: 'builder', uid: 'sa-uid' }, audiences: [DEFAULT_ISSUER], expirationSeconds: 3600 };
  return { key, clock, live, authn, base };
}

async function rejects401(p: Promise<unknown>): Promise<void> {
  await assert.rejects(p, (err: unknown) => err instanceof StatusError && err.code === 401);
}

test('a token issued for a service account authenticates as it, with upstream claims', async () => {
  const { key, clock, authn, base } = setup();
  const { token, expiresAt } = issueToken(key, base, clock);
  const claims = verifyJws(key, token)!;
  const now = clock.now() / 1000;
  assert.equal(claims.iss, DEFAULT_ISSUER);
  assert.equal(claims.sub, 'system:serviceaccount:ns1:builder');
  assert.deepEqual(claims.aud, [DEFAULT_ISSUER]);
  assert.deepEqual([claims.iat, claims.nbf, claims.exp, expiresAt], [now, now, now + 3600, now + 3600]);
  assert.deepEqual(claims['kubernetes.io'], { namespace: 'ns1', serviceaccount: { name: 'builder', uid: 'sa-uid' } });
  const req = { headers: { authorization: `Bearer ${token}` } } as unknown as IncomingMessage;
  const user = await authn.authenticate(req);
  assert.equal(user?.username, 'system:serviceaccount:ns1:builder');
  assert.equal(user?.uid, 'sa-uid');
  assert.deepEqual(user?.groups, ['system:serviceaccounts', 'system:serviceaccounts:ns1', 'system:authenticated']);
});

test('a pod-bound token carries the pod and is valid while the pod lives', async () => {
  const { key, clock, live, authn, base } = setup();
  const { token } = issueToken(key, { ...base, pod: { name: 'web', uid: 'pod-uid' }, node: { name: 'n1', uid: 'node-uid' } }, clock);
  assert.deepEqual(verifyJws(key, token)!['kubernetes.io'].pod, { name: 'web', uid: 'pod-uid' });
  const user = await authn.authenticateToken(token);
  assert.deepEqual(user?.extra?.[EXTRA_POD_NAME], ['web']);
  live.set('pods/ns1/web', { metadata: { name: 'web', namespace: 'ns1', uid: 'recreated' } });
  await rejects401(authn.authenticateToken(token));
  live.delete('pods/ns1/web');
  await rejects401(authn.authenticateToken(token));
});

test('rejections: expiry, audience, deleted or recreated service account, tampering, other keys', async () => {
  const { key, clock, live, authn, base } = setup();
  const cases: Array<{ name: string; token: () => string; before?: () => void }> = [
    { name: 'expired (past the one-minute leeway)', token: () => issueToken(key, base, clock).token, before: () => clock.advance(3600_000 + 61_000) },
    { name: 'wrong audience', token: () => issueToken(key, { ...base, audiences: ['vault'] }, clock).token },
    { name: 'service account deleted', token: () => issueToken(key, base, clock).token, before: () => live.delete('serviceaccounts/ns1/builder') },
    { name: 'service account recreated', token: () => issueToken(key, base, clock).token, before: () => live.set('serviceaccounts/ns1/builder', { metadata: { name: 'builder', uid: 'other' } }) },
    { name: 'signed by another key', token: () => issueToken(newKey(), base, clock).token },
    {
      name: 'tampered payload', token: () => {
        const [h, , s] = issueToken(key, base, clock).token.split('.');
        const forged = Buffer.from(JSON.stringify({ iss: DEFAULT_ISSUER, sub: 'system:serviceaccount:kube-system:admin', aud: [DEFAULT_ISSUER], exp: 9e9 })).toString('base64url');
        return `${h}.${forged}.${s}`;
      },
    },
    { name: 'alg none', token: () => `${Buffer.from('{"alg":"none"}').toString('base64url')}.${issueToken(key, base, clock).token.split('.')[1]}.` },
  ];
  for (const c of cases) {
    const token = c.token();
    c.before?.();
    await rejects401(authn.authenticateToken(token)).catch((err: unknown) => assert.fail(`${c.name}: ${String(err)}`));
    // restore for the next case
    live.set('serviceaccounts/ns1/builder', { metadata: { name: 'builder', namespace: 'ns1', uid: 'sa-uid' } });
  }
  // still valid inside the leeway
  const { token } = issueToken(key, base, clock);
  clock.advance(3600_000 + 30_000);
  assert.ok(await authn.authenticateToken(token));
});

test('tokens that are not ours fall through to other authenticators', async () => {
  const { key, clock, authn, base } = setup();
  assert.equal(await authn.authenticateToken('abcdef.0123456789abcdef'), null);
  assert.equal(await authn.authenticateToken(signJws(key, { iss: 'https://other.example', sub: 'x' })), null);
  assert.equal(await authn.authenticateToken(issueToken(key, { ...base, issuer: 'https://elsewhere' }, clock).token), null);
  assert.equal(await authn.authenticate({ headers: {} } as unknown as IncomingMessage), null);
});
