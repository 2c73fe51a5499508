// Leader election over the fake client on fake time.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { FakeClock } from '../../util/clock.js';
import { errors } from '../../util/errors.js';
import { configureLogging } from '../../util/log.js';
import type { KubeObject } from '../../api/types.js';
import { FakeClient } from '../fake/index.js';
import { refs } from '../refs.js';
import { LeaderElector, type LeaderElectionConfig } from './elector.js';
import { formatMicroTime } from './record.js';

configureLogging({ quiet: true });
const flush = async (n = 6) => {
  for (let i = 0; i < n; i++) await new Promise<void>((r) => setImmediate(r));
};
async function advance(clock: FakeClock, ms: number, step = 250): Promise<void> {
  for (let t = 0; t < ms; t += step) {
    clock.advance(step);
    await flush();
  }
}

function candidate(client: FakeClient, clock: FakeClock, identity: string, extra: Partial<LeaderElectionConfig> = {}) {
  const events: string[] = [];
  const ac = new AbortController();
  const el = new LeaderElector({
    client, clock, identity, namespace: 'kube-system', name: 'ctrl',
    callbacks: {
      onStartedLeading: () => void events.push('started'),
      onStoppedLeading: () => void events.push('stopped'),
      onNewLeader: (id) => void events.push(`leader ${id}`),
    },
    ...extra,
  });
  const done = el.run(ac.signal);
  return { el, events, ac, done };
}

type Lease = KubeObject & { spec: Record<string, unknown> };
const lease = (c: FakeClient) => c.resource<Lease>(refs.leases).namespace('kube-system').get('ctrl');

test('MicroTime has six fractional digits', () => {
  assert.equal(formatMicroTime(Date.UTC(2026, 0, 2, 3, 4, 5, 67)), '2026-01-02T03:04:05.067000Z');
});

test('a lone candidate creates the lease, leads and renews it', async () => {
  const clock = new FakeClock();
  const c = new FakeClient();
  const a = candidate(c, clock, 'a');
  await flush();
  assert.deepEqual(a.events, ['leader a', 'started']);
  assert.equal(a.el.isLeader(), true);
  const l = await lease(c);
  assert.equal(l.spec.holderIdentity, 'a');
  assert.equal(l.spec.leaseDurationSeconds, 15);
  assert.equal(l.spec.leaseTransitions, 0);
  assert.equal(l.spec.acquireTime, '2026-01-01T00:00:00.000000Z');
  assert.match(String(l.spec.renewTime), /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}Z$/);
  await advance(clock, 2000);
  const renewed = await lease(c);
  assert.equal(renewed.spec.renewTime, '2026-01-01T00:00:02.000000Z');
  assert.equal(renewed.spec.acquireTime, l.spec.acquireTime, 'renewal keeps acquireTime');
  a.ac.abort();
  await a.done;
  assert.deepEqual(a.events, ['leader a', 'started', 'stopped']);
  const released = await lease(c);
  assert.equal(released.spec.holderIdentity, undefined, 'released on graceful stop');
  assert.equal(released.spec.leaseDurationSeconds, 1);
});

test('two candidates: only one leads; the other takes over after the first stops', async () => {
  const clock = new FakeClock();
  const c = new FakeClient();
  const a = candidate(c, clock, 'a');
  await flush();
  const b = candidate(c, clock, 'b');
  await advance(clock, 20_000);
  assert.equal(a.el.isLeader(), true);
  assert.equal(b.el.isLeader(), false);
  assert.deepEqual(b.events, ['leader a']);
  a.ac.abort();
  await a.done;
  await advance(clock, 5000);
  assert.equal(b.el.isLeader(), true);
  assert.deepEqual(b.events, ['leader a', 'leader b', 'started']);
  const l = await lease(c);
  assert.equal(l.spec.holderIdentity, 'b');
  assert.equal(l.spec.leaseTransitions, 1);
  b.ac.abort();
  await b.done;
});

test('a leader that cannot renew steps down after renewDeadline; a candidate takes over after leaseDuration', async () => {
  const clock = new FakeClock();
  const c = new FakeClient();
  let partitioned = '';
  c.prependReactor('*', 'leases', (action) => {
    if (partitioned && action.verb === 'update' && (action.object as Lease).spec.holderIdentity === partitioned) throw errors.unavailable('partitioned');
    return undefined;
  });
  const a = candidate(c, clock, 'a', { releaseOnCancel: false });
  await flush();
  const b = candidate(c, clock, 'b');
  await advance(clock, 4000);
  partitioned = 'a';
  const t0 = clock.now();
  // a.done settles only once a gives up, which needs time to pass: drive the clock until it does.
  let settled = false;
  void a.done.then(() => (settled = true));
  while (!settled && clock.now() - t0 < 30_000) await advance(clock, 250, 250);
  assert.equal(settled, true);
  const lostAfter = clock.now() - t0;
  assert.ok(lostAfter >= 10_000 && lostAfter <= 14_000, `stepped down after ${lostAfter} ms`);
  assert.deepEqual(a.events, ['leader a', 'started', 'stopped']);
  await advance(clock, 20_000);
  assert.equal(b.el.isLeader(), true);
  assert.equal((await lease(c)).spec.holderIdentity, 'b');
  b.ac.abort();
  await b.done;
});

test('rejects inconsistent timings', () => {
  const base = { client: new FakeClient(), namespace: 'n', name: 'x', identity: 'i', callbacks: { onStartedLeading: () => undefined } };
  assert.throws(() => new LeaderElector({ ...base, leaseDurationMs: 10_000, renewDeadlineMs: 10_000 }), /leaseDuration/);
  assert.throws(() => new LeaderElector({ ...base, renewDeadlineMs: 2000, retryPeriodMs: 2000 }), /renewDeadline/);
  assert.throws(() => new LeaderElector({ ...base, identity: '' }), /identity/);
});
