import { test } from 'node:test';
import assert from 'node:assert/strict';
import { StatusError } from '../../util/errors.js';
import { decodeSpecial, goDuration } from './special.js';
import { Reader } from './wire.js';
import type { SpecialType } from './schema.js';
import { str, vint } from './testing.js';

const dec = (type: SpecialType, ...parts: Buffer[]): unknown => decodeSpecial(type, new Reader(Buffer.concat(parts)));

void test('Time: RFC3339 in whole seconds; empty is unset; explicit zero is the epoch', () => {
  assert.equal(dec('Time'), undefined);
  assert.equal(dec('Time', vint(1, 1_700_000_000), vint(2, 999_999_999)), '2023-11-14T22:13:20Z');
  assert.equal(dec('Time', vint(1, 0)), '1970-01-01T00:00:00Z');
  assert.equal(dec('Time', vint(1, -1)), '1969-12-31T23:59:59Z');
  assert.throws(() => dec('Time', vint(1, 253402300800)), StatusError); // year 10000
});

void test('MicroTime keeps microseconds, truncating nanoseconds', () => {
  assert.equal(dec('MicroTime', vint(1, 1_700_000_000), vint(2, 123_456_789)), '2023-11-14T22:13:20.123456Z');
  assert.equal(dec('MicroTime', vint(1, 10), vint(2, -1_000)), '1970-01-01T00:00:09.999999Z');
});

void test('Duration prints like Go', () => {
  assert.equal(goDuration(0n), '0s');
  assert.equal(goDuration(1n), '1ns');
  assert.equal(goDuration(1500n), '1.5µs');
  assert.equal(goDuration(300_000_000n), '300ms');
  assert.equal(goDuration(1_500_000_000n), '1.5s');
  assert.equal(goDuration(90n * 10n ** 9n), '1m30s');
  assert.equal(goDuration(3600n * 10n ** 9n), '1h0m0s');
  assert.equal(goDuration(-(3723n * 10n ** 9n + 5n)), '-1h2m3.000000005s');
  assert.equal(dec('Duration', vint(1, 5n * 10n ** 9n)), '5s');
});

void test('Quantity is its string; the zero Quantity prints as "0"', () => {
  assert.equal(dec('Quantity', str(1, '500m')), '500m');
  assert.equal(dec('Quantity'), '0');
});

void test('IntOrString becomes a number or a string', () => {
  assert.equal(dec('IntOrString', vint(1, 0), vint(2, 8080), str(3, '')), 8080);
  assert.equal(dec('IntOrString', vint(1, 1), vint(2, 0), str(3, '25%')), '25%');
  assert.equal(dec('IntOrString'), 0);
  assert.throws(() => dec('IntOrString', vint(1, 2)), StatusError);
});

void test('RawExtension holds JSON; empty is unset; non-JSON is refused', () => {
  assert.deepEqual(dec('RawExtension', str(1, '{"a":[1,2]}')), { a: [1, 2] });
  assert.equal(dec('RawExtension'), undefined);
  assert.throws(() => dec('RawExtension', str(1, '\u0000k8s')), StatusError);
});

void test('ExtraValue is a string list', () => {
  assert.deepEqual(dec('StringList', str(1, 'a'), str(1, '')), ['a', '']);
});

void test('wrong wire types inside special types are malformed', () => {
  assert.throws(() => dec('Time', str(1, 'x')), (e: unknown) => e instanceof StatusError && e.code === 400);
  assert.throws(() => dec('Quantity', vint(1, 3)), (e: unknown) => e instanceof StatusError && e.code === 400);
});
