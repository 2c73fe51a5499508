import { test } from 'node:test';
import assert from 'node:assert/strict';
import { FakeClient, RestClient } from '../client/index.js';
import { controllerClientBuilder } from './client-builder.js';

test('each name gets its own REST client (own rate limiter, user agent suffixed), made once', () => {
  const base = new RestClient({ server: 'https://127.0.0.1:1', qps: 20, burst: 30, userAgent: 'skiff-controller-manager' });
  const b = controllerClientBuilder(base);
  const rs = b.client('replicaset-controller');
  assert.ok(rs instanceof RestClient);
  assert.notEqual(rs, base);
  assert.equal(b.client('replicaset-controller'), rs);
  assert.notEqual(b.client('leader-election'), rs);
  assert.equal(rs.config.userAgent, 'skiff-controller-manager/replicaset-controller');
  assert.equal(rs.config.qps, 20);
  assert.equal(rs.config.burst, 30);
  assert.notEqual(rs.transport, base.transport);
  b.close();
  base.close();
});

test('a client that is not a REST client (fakes) is shared as it is', () => {
  const base = new FakeClient();
  const b = controllerClientBuilder(base);
  assert.equal(b.client('replicaset-controller'), base);
  b.close();
});
