import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { FakeClock } from '../../util/clock.js';
import { RoundRobin, targetKey } from './roundrobin.js';

const eps = (...ports: number[]) => ports.map((port) => ({ ip: '10.42.0.1', port }));

function pickMany(rr: RoundRobin, n: number, client = '1.1.1.1', ignore = false): string[] {
  return Array.from({ length: n }, () => targetKey(rr.next(client, ignore)!));
}

describe('RoundRobin', () => {
  it('rotates through every endpoint evenly', () => {
    const rr = new RoundRobin(new FakeClock());
    rr.update(eps(1, 2, 3), 0);
    const counts = new Map<string, number>();
    for (const k of pickMany(rr, 30)) counts.set(k, (counts.get(k) ?? 0) + 1);
    assert.deepEqual([...counts.values()], [10, 10, 10]);
  });

  it('returns undefined with no endpoints', () => {
    const rr = new RoundRobin(new FakeClock());
    rr.update([], 0);
    assert.equal(rr.next('1.1.1.1'), undefined);
  });

  it('keeps order and position when the same set comes again; resets on a change', () => {
    const rr = new RoundRobin(new FakeClock());
    rr.update(eps(1, 2, 3), 0);
    const first = pickMany(rr, 3);
    rr.update(eps(3, 2, 1), 0); // same set, other order: no reshuffle
    assert.deepEqual(pickMany(rr, 3), first);
    rr.update(eps(1, 2, 3, 4), 0);
    assert.equal(new Set(pickMany(rr, 4)).size, 4, 'a new rotation starts with every endpoint once');
  });

  it('keeps a client on its endpoint until the affinity timeout, refreshing on use', () => {
    const clock = new FakeClock();
    const rr = new RoundRobin(clock);
    rr.update(eps(1, 2), 10);
    const a = pickMany(rr, 1, 'c1')[0];
    const b = pickMany(rr, 1, 'c2')[0];
    assert.notEqual(a, b);
    clock.advance(9_000);
    assert.deepEqual(pickMany(rr, 3, 'c1'), [a, a, a]);
    clock.advance(9_000); // refreshed 9 s ago: still fresh
    assert.equal(pickMany(rr, 1, 'c1')[0], a);
    clock.advance(10_000);
    assert.equal(pickMany(rr, 1, 'c3')[0], a, 'the rotation points at a again');
    assert.equal(pickMany(rr, 1, 'c1')[0], b, 'expired: c1 follows the rotation instead of sticking to a');
  });

  it('ignores affinity when asked and re-records the new choice', () => {
    const rr = new RoundRobin(new FakeClock());
    rr.update(eps(1, 2), 60);
    const a = pickMany(rr, 1, 'c1')[0];
    const b = pickMany(rr, 1, 'c1', true)[0];
    assert.notEqual(a, b);
    assert.equal(pickMany(rr, 1, 'c1')[0], b);
  });

  it('forgets affinity to endpoints that went away, and sweeps expired entries', () => {
    const clock = new FakeClock();
    const rr = new RoundRobin(clock);
    rr.update(eps(1, 2), 60);
    const a = pickMany(rr, 1, 'c1')[0]!;
    rr.update(eps(1, 2).filter((e) => targetKey(e) !== a), 60);
    assert.notEqual(pickMany(rr, 1, 'c1')[0], a);
    pickMany(rr, 1, 'c2');
    clock.advance(61_000);
    assert.equal(rr.sweep(), 2);
  });
});
