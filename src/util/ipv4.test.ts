import { test } from 'node:test';
import assert from 'node:assert/strict';
import { cidrContainsIPv4, compareIPv4, formatIPv4, mustParseIPv4, parseIPv4 } from './ipv4.js';

test('IPv4 parse, format, order and CIDR membership', () => {
  assert.equal(parseIPv4('10.43.0.10'), (10 * 2 ** 24) + (43 << 16) + 10);
  assert.equal(formatIPv4(mustParseIPv4('255.255.255.255')), '255.255.255.255');
  for (const bad of ['10.43.0', '10.43.0.256', '10.43.0.x', '', '1.2.3.4.5', '01234.1.1.1']) assert.equal(parseIPv4(bad), undefined, bad);
  assert.throws(() => mustParseIPv4('nope'), /invalid IPv4 address nope/);
  assert.deepEqual(['192.0.2.20', '192.0.2.3', '10.0.0.1'].sort(compareIPv4), ['10.0.0.1', '192.0.2.3', '192.0.2.20']);
  assert.equal(cidrContainsIPv4('10.43.0.0/16', '10.43.255.1'), true);
  assert.equal(cidrContainsIPv4('10.43.0.0/16', '10.44.0.1'), false);
  assert.equal(cidrContainsIPv4('192.0.2.2', '192.0.2.2'), true);
  assert.equal(cidrContainsIPv4('0.0.0.0/0', '203.0.113.9'), true);
  assert.equal(cidrContainsIPv4('10.0.0.0/33', '10.0.0.1'), false);
  assert.equal(cidrContainsIPv4('10.0.0.0/8', 'fd00::1'), false);
});
