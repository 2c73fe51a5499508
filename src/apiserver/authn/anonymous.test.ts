import { test } from 'node:test';
import assert from 'node:assert/strict';
import { anonymousUser, isAnonymousAllowed } from './anonymous.js';

void test('isAnonymousAllowed admits health checks and /version only', () => {
  for (const p of ['/healthz', '/healthz/ping', '/livez', '/livez/etcd', '/readyz', '/readyz?verbose', '/version', '/version/', '/version?timeout=5s']) {
    assert.equal(isAnonymousAllowed(p), true, p);
  }
  for (const p of ['/', '/api', '/apis', '/healthzx', '/versions', '/version/x', '/metrics', '/api/v1/namespaces', '/openapi/v2']) {
    assert.equal(isAnonymousAllowed(p), false, p);
  }
});

void test('anonymousUser is system:anonymous in system:unauthenticated', () => {
  assert.deepEqual(anonymousUser(), { username: 'system:anonymous', groups: ['system:unauthenticated'] });
});
