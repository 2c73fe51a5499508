import { test } from 'node:test';
import assert from 'node:assert/strict';
import { startTestServer } from '../testing/inprocess.js';
import { verifyJws, loadSigningKey, DEFAULT_ISSUER } from '../serviceaccount/index.js';

const tokenRequest = (spec: Record<string, unknown> = {}) => JSON.stringify({ apiVersion: 'authentication.k8s.io/v1', kind: 'TokenRequest', spec });

test('serviceaccounts/token issues tokens that authenticate as the service account', async () => {
  const t = await startTestServer();
  try {
    const key = loadSigningKey(t.pki.serviceAccountKeyPem);
    const missing = await t.request('POST', '/api/v1/namespaces/default/serviceaccounts/nobody/token', tokenRequest());
    assert.equal(missing.status, 404);
    assert.equal(JSON.parse(missing.body).message, 'serviceaccounts "nobody" not found');

    const sa = await t.request('POST', '/api/v1/namespaces/default/serviceaccounts', JSON.stringify({ apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name: 'bot' } }));
    assert.equal(sa.status, 201, sa.body);
    const saUid = JSON.parse(sa.body).metadata.uid as string;

    const res = await t.request('POST', '/api/v1/namespaces/default/serviceaccounts/bot/token', tokenRequest());
    assert.equal(res.status, 201, res.body);
    const out = JSON.parse(res.body);
    assert.equal(out.kind, 'TokenRequest');
    assert.deepEqual(out.spec.audiences, [DEFAULT_ISSUER]);
    assert.equal(out.spec.expirationSeconds, 3600);
    assert.match(out.status.expirationTimestamp, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
    const claims = verifyJws(key, out.status.token)!;
    assert.equal(claims.sub, 'system:serviceaccount:default:bot');
    assert.equal(claims['kubernetes.io'].serviceaccount.uid, saUid);
    assert.equal(Date.parse(out.status.expirationTimestamp) / 1000, claims.exp);

    // The token authenticates (TokenReview runs the server's authenticator chain on it).
    const review = await t.request('POST', '/apis/authentication.k8s.io/v1/tokenreviews',
      JSON.stringify({ apiVersion: 'authentication.k8s.io/v1', kind: 'TokenReview', spec: { token: out.status.token } }));
    assert.equal(review.status, 201, review.body);
    const rs = JSON.parse(review.body).status;
    assert.equal(rs.authenticated, true, review.body);
    assert.equal(rs.user.username, 'system:serviceaccount:default:bot');
    assert.ok(rs.user.groups.includes('system:serviceaccounts:default'));

    // Invalid lifetimes and bindings.
    const short = await t.request('POST', '/api/v1/namespaces/default/serviceaccounts/bot/token', tokenRequest({ expirationSeconds: 599 }));
    assert.equal(short.status, 422, short.body);
    const ghostPod = await t.request('POST', '/api/v1/namespaces/default/serviceaccounts/bot/token', tokenRequest({ boundObjectRef: { apiVersion: 'v1', kind: 'Pod', name: 'ghost' } }));
    assert.equal(ghostPod.status, 404, ghostPod.body);

    // After the service account is deleted its tokens no longer authenticate.
    assert.equal((await t.request('DELETE', '/api/v1/namespaces/default/serviceaccounts/bot')).status, 200);
    const after = await t.request('POST', '/apis/authentication.k8s.io/v1/tokenreviews',
      JSON.stringify({ apiVersion: 'authentication.k8s.io/v1', kind: 'TokenReview', spec: { token: out.status.token } }));
    assert.equal(JSON.parse(after.body).status.authenticated ?? false, false, after.body);
  } finally {
    await t.stop();
  }
});

test('a pod-bound token names the pod and its node', async () => {
  const t = await startTestServer();
  try {
    const key = loadSigningKey(t.pki.serviceAccountKeyPem);
    await t.request('POST', '/api/v1/namespaces/default/serviceaccounts', JSON.stringify({ apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name: 'default' } }));
    const pod = await t.request('POST', '/api/v1/namespaces/default/pods', JSON.stringify({
      apiVersion: 'v1', kind: 'Pod', metadata: { name: 'web' }, spec: { nodeName: 'n1', containers: [{ name: 'c', image: 'busybox' }] },
    }));
    assert.equal(pod.status, 201, pod.body);
    const podUid = JSON.parse(pod.body).metadata.uid as string;
    const res = await t.request('POST', '/api/v1/namespaces/default/serviceaccounts/default/token',
      tokenRequest({ audiences: ['api', DEFAULT_ISSUER], expirationSeconds: 3607, boundObjectRef: { apiVersion: 'v1', kind: 'Pod', name: 'web', uid: podUid } }));
    assert.equal(res.status, 201, res.body);
    const claims = verifyJws(key, JSON.parse(res.body).status.token)!;
    assert.deepEqual(claims.aud, ['api', DEFAULT_ISSUER]);
    assert.deepEqual(claims['kubernetes.io'].pod, { name: 'web', uid: podUid });
    assert.equal(claims['kubernetes.io'].node.name, 'n1');
    const wrongUid = await t.request('POST', '/api/v1/namespaces/default/serviceaccounts/default/token',
      tokenRequest({ boundObjectRef: { apiVersion: 'v1', kind: 'Pod', name: 'web', uid: 'stale' } }));
    assert.equal(wrongUid.status, 409, wrongUid.body);
    const otherSa = await t.request('POST', '/api/v1/namespaces/default/serviceaccounts', JSON.stringify({ apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name: 'other' } }));
    assert.equal(otherSa.status, 201);
    const mismatch = await t.request('POST', '/api/v1/namespaces/default/serviceaccounts/other/token', tokenRequest({ boundObjectRef: { apiVersion: 'v1', kind: 'Pod', name: 'web' } }));
    assert.equal(mismatch.status, 400, mismatch.body);
  } finally {
    await t.stop();
  }
});
