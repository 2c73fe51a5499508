import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { reconcileSlices } from './reconciler.js';
import type { EndpointSlice, SliceEndpoint, SlicePort } from './types.js';

const P: SlicePort[] = [{ name: 'http', port: 8080, protocol: 'TCP' }];
const ep = (i: number, ready = true): SliceEndpoint => ({ addresses: [`10.42.${Math.floor(i / 250)}.${i % 250}`], conditions: { ready, serving: ready, terminating: false } });
const slice = (name: string, eps: SliceEndpoint[], ports = P): EndpointSlice => ({ metadata: { name }, addressType: 'IPv4', endpoints: eps, ports });
const range = (a: number, b: number) => Array.from({ length: b - a }, (_, i) => ep(a + i));
const run = (desired: SliceEndpoint[], existing: EndpointSlice[], ports = P) =>
  reconcileSlices({ desired: desired.length ? [{ ports, endpoints: desired }] : [], existing, maxEndpoints: 100, addressType: 'IPv4', needsMetaUpdate: () => false });

describe('endpointslice reconciler', () => {
  test('250 endpoints make three slices of at most 100', () => {
    const c = run(range(0, 250), []);
    assert.deepEqual(c.create.map((x) => x.endpoints.length), [100, 100, 50]);
    assert.equal(c.update.length + c.delete.length, 0);
  });

  test('nothing changed, nothing written', () => {
    const c = run(range(0, 150), [slice('a', range(0, 100)), slice('b', range(100, 150))]);
    assert.deepEqual(c, { create: [], update: [], delete: [] });
  });

  test('one endpoint changed: only its slice is updated', () => {
    const want = range(0, 150);
    want[120] = ep(120, false);
    const c = run(want, [slice('a', range(0, 100)), slice('b', range(100, 150))]);
    assert.deepEqual(c.update.map((s) => s.metadata.name), ['b']);
    assert.equal(c.update[0]!.endpoints![20]!.conditions.ready, false);
    assert.equal(c.create.length + c.delete.length, 0);
  });

  test('a new endpoint goes into an existing slice with room instead of a new slice', () => {
    const c = run(range(0, 151), [slice('a', range(0, 100)), slice('b', range(100, 150))]);
    assert.deepEqual(c.update.map((s) => [s.metadata.name, s.endpoints!.length]), [['b', 51]]);
    assert.equal(c.create.length, 0);
  });

  test('a slice whose endpoints all went is deleted; removed endpoints are dropped from the others', () => {
    const c = run(range(0, 90), [slice('a', range(0, 95)), slice('b', range(100, 150))]);
    assert.deepEqual(c.delete.map((s) => s.metadata.name), ['b']);
    assert.deepEqual(c.update.map((s) => [s.metadata.name, s.endpoints!.length]), [['a', 90]]);
  });

  test('a port change moves endpoints to a slice of the new port set', () => {
    const ports2: SlicePort[] = [{ name: 'http', port: 9090, protocol: 'TCP' }];
    const c = run(range(0, 3), [slice('a', range(0, 3))], ports2);
    assert.deepEqual(c.delete.map((s) => s.metadata.name), ['a']);
    assert.deepEqual(c.create.map((x) => [x.ports[0]!.port, x.endpoints.length]), [[9090, 3]]);
  });

  test('no endpoints: one placeholder slice, extra slices deleted', () => {
    assert.deepEqual(run([], []).create, [{ ports: [], endpoints: [] }]);
    const c = run([], [slice('a', range(0, 3)), slice('p', [], [])]);
    assert.deepEqual(c.delete.map((s) => s.metadata.name), ['a']);
    assert.equal(c.create.length, 0);
  });
});
