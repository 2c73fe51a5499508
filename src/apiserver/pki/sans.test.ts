import { test } from 'node:test';
import assert from 'node:assert/strict';
import { hostname } from 'node:os';
import { canonicalIp, covers, mergeNames, servingNames } from './sans.js';

void test('canonicalIp gives one spelling per address', () => {
  assert.equal(canonicalIp('0:0:0:0:0:0:0:1'), '::1');
  assert.equal(canonicalIp('[::1]'), '::1');
  assert.equal(canonicalIp('FE80:0:0::1'), 'fe80::1');
  assert.equal(canonicalIp(' 10.43.0.1 '), '10.43.0.1');
  assert.equal(canonicalIp('fe80::1%eth0'), 'fe80::1');
});

void test('servingNames adds the defaults, sorts IPs from DNS names and drops wildcard binds', () => {
  const n = servingNames(['API.example.com', '192.168.1.5'], ['0.0.0.0', '::', '10.0.0.7', '10.0.0.7']);
  for (const d of ['localhost', 'kubernetes', 'kubernetes.default', 'kubernetes.default.svc',
    'kubernetes.default.svc.cluster.local', hostname().toLowerCase(), 'api.example.com']) {
    assert.ok(n.dnsNames.includes(d), d);
  }
  assert.deepEqual([...n.ips].sort(), ['10.0.0.7', '10.43.0.1', '127.0.0.1', '192.168.1.5', '::1']);
});

void test('covers and mergeNames', () => {
  const a = { dnsNames: ['a'], ips: ['1.1.1.1'] };
  const b = { dnsNames: ['b'], ips: ['1.1.1.1'] };
  assert.equal(covers(a, b), false);
  assert.equal(covers(mergeNames(a, b), b), true);
  assert.equal(covers(mergeNames(a, b), a), true);
});
