import { test } from 'node:test';
import assert from 'node:assert/strict';
import { StatusError } from '../../util/errors.js';
import { Reader, int32Of, int64Of } from './wire.js';
import { varintBytes } from './testing.js';

function badRequest(fn: () => unknown): void {
  assert.throws(fn, (e: unknown) => e instanceof StatusError && e.code === 400);
}

void test('varints decode across the small and bigint paths', () => {
  for (const v of [0n, 1n, 127n, 128n, 300n, 2n ** 28n - 1n, 2n ** 28n, 2n ** 35n + 7n, 2n ** 63n, 2n ** 64n - 1n]) {
    assert.equal(new Reader(varintBytes(v)).varint(), v);
  }
});

void test('negative int32/int64 arrive as 10-byte two\'s complement', () => {
  const r = new Reader(Buffer.concat([varintBytes(-1), varintBytes(-5), varintBytes(-(2 ** 40))]));
  assert.equal(int32Of(r.varint()), -1);
  assert.equal(int32Of(r.varint()), -5);
  assert.equal(int64Of(r.varint()), -(2 ** 40));
  assert.ok(r.done());
});

void test('an 11-byte varint and a truncated varint are malformed', () => {
  badRequest(() => new Reader(Buffer.from([0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x01])).varint());
  badRequest(() => new Reader(Buffer.from([0x80, 0x80])).varint());
});

void test('tags reject field 0 and wire types 6 and 7', () => {
  badRequest(() => new Reader(Buffer.from([0x02, 0x00])).tag()); // field 0
  badRequest(() => new Reader(Buffer.from([0x0e])).tag()); // field 1, wire type 6
  badRequest(() => new Reader(Buffer.from([0x0f])).tag()); // wire type 7
  assert.deepEqual(new Reader(Buffer.from([0x0a])).tag(), { field: 1, wireType: 2 });
});

void test('a length past the window is malformed, and sub-readers stay inside their slice', () => {
  badRequest(() => new Reader(Buffer.from([0x05, 0x61])).sub());
  const r = new Reader(Buffer.from([0x02, 0x61, 0x62, 0x63]), 0, 3);
  assert.equal(r.string(), 'ab');
  assert.ok(r.done());
  badRequest(() => new Reader(Buffer.from([0x61]), 0, 0).varint());
});

void test('skip handles every wire type, including nested groups', () => {
  const body = Buffer.concat([
    Buffer.from([0x08, 0x96, 0x01]), // 1: varint
    Buffer.from([0x11, 1, 2, 3, 4, 5, 6, 7, 8]), // 2: fixed64
    Buffer.from([0x1a, 0x01, 0x00]), // 3: bytes
    Buffer.from([0x25, 1, 2, 3, 4]), // 4: fixed32
    Buffer.from([0x2b, 0x33, 0x08, 0x01, 0x34, 0x2c]), // 5: group { 6: group { 1: 1 } }
  ]);
  const r = new Reader(body);
  while (!r.done()) r.skip(r.tag());
  badRequest(() => { const g = new Reader(Buffer.from([0x2b, 0x08, 0x01])); g.skip(g.tag()); }); // unterminated
  badRequest(() => { const g = new Reader(Buffer.from([0x2b, 0x34])); g.skip(g.tag()); }); // mismatched end
  badRequest(() => { const g = new Reader(Buffer.from([0x2c])); g.skip(g.tag()); }); // stray end-group
});

void test('deeply nested groups are refused, not recursed into', () => {
  const open = Buffer.alloc(100_000, 0x0b); // 100k "start group 1"
  const r = new Reader(open);
  badRequest(() => r.skip(r.tag()));
});
