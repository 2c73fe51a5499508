import { test } from 'node:test';
import assert from 'node:assert/strict';
import { FakeClock } from '../../util/clock.js';
import { configureLogging } from '../../util/log.js';
import type { KubeObject } from '../../api/types.js';
import { FakeClient } from '../fake/index.js';
import { EventBroadcaster } from './recorder.js';
import type { EventObject } from './event.js';

configureLogging({ quiet: true });
const pod: KubeObject = { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'web-1', namespace: 'prod', uid: 'u1', resourceVersion: '7' } };

function setup(extra: Partial<ConstructorParameters<typeof EventBroadcaster>[0]> = {}) {
  const clock = new FakeClock();
  const client = new FakeClient({ clock });
  const rec = new EventBroadcaster({ client, clock, reportingController: 'skiff.io/test-controller', reportingInstance: 'test-1', ...extra });
  return { clock, client, rec };
}

test('writes an events.k8s.io/v1 Event about the object', async () => {
  const { client, rec } = setup();
  rec.record(pod, 'Normal', 'Scheduled', 'Binding', 'assigned prod/web-1 to n1');
  await rec.flush();
  const created = client.filterActions({ verb: 'create' });
  assert.equal(created.length, 1);
  assert.equal(created[0]!.group, 'events.k8s.io');
  assert.equal(created[0]!.namespace, 'prod');
  const ev = created[0]!.object as EventObject;
  assert.match(ev.metadata.name!, /^web-1\.[0-9a-f]+$/);
  assert.equal(ev.eventTime, '2026-01-01T00:00:00.000000Z');
  assert.deepEqual(ev.regarding, { apiVersion: 'v1', kind: 'Pod', namespace: 'prod', name: 'web-1', uid: 'u1', resourceVersion: '7' });
  assert.deepEqual([ev.type, ev.reason, ev.action, ev.note, ev.reportingController, ev.reportingInstance],
    ['Normal', 'Scheduled', 'Binding', 'assigned prod/web-1 to n1', 'skiff.io/test-controller', 'test-1']);
  await rec.shutdown();
});

test('repeats become a series: count 2 written at once, later counts on the heartbeat', async () => {
  const { client, clock, rec } = setup({ heartbeatMs: 60_000, finishMs: 600_000 });
  rec.record(pod, 'Warning', 'BackOff', 'Restart', 'back-off 10s');
  await rec.flush();
  clock.advance(1000);
  rec.record(pod, 'Warning', 'BackOff', 'Restart', 'back-off 10s');
  await rec.flush();
  clock.advance(1000);
  rec.record(pod, 'Warning', 'BackOff', 'Restart', 'back-off 10s');
  rec.record(pod, 'Warning', 'BackOff', 'Restart', 'back-off 10s');
  await rec.flush();
  const writes = client.filterActions({ writesOnly: true });
  assert.deepEqual(writes.map((a) => a.verb), ['create', 'patch']);
  assert.deepEqual(writes[1]!.object, { series: { count: 2, lastObservedTime: '2026-01-01T00:00:01.000000Z' } });
  clock.advance(58_000);
  await new Promise((r) => setImmediate(r));
  await rec.flush();
  const stored = (await client.resource<EventObject>({ group: 'events.k8s.io', version: 'v1', resource: 'events' }).list()).items;
  assert.equal(stored.length, 1);
  assert.deepEqual(stored[0]!.series, { count: 4, lastObservedTime: '2026-01-01T00:00:02.000000Z' });
  await rec.shutdown();
});

test('a different reason is a different event; a finished series starts over', async () => {
  const { client, clock, rec } = setup({ finishMs: 360_000 });
  rec.record(pod, 'Normal', 'Pulled', 'Pull', 'pulled');
  rec.record(pod, 'Normal', 'Started', 'Start', 'started');
  await rec.flush();
  clock.advance(720_000);
  rec.record(pod, 'Normal', 'Pulled', 'Pull', 'pulled');
  await rec.flush();
  assert.deepEqual(client.filterActions({ writesOnly: true }).map((a) => a.verb), ['create', 'create', 'create']);
  await rec.shutdown();
});

test('spam filter: 25 events per object at once, then one per 5 minutes', async () => {
  const { client, clock, rec } = setup();
  for (let i = 0; i < 30; i++) rec.record(pod, 'Normal', `R${i}`, 'A', 'n');
  await rec.flush();
  assert.equal(client.filterActions({ verb: 'create' }).length, 25);
  assert.equal(rec.dropped, 5);
  rec.record({ ...pod, metadata: { ...pod.metadata, name: 'other', uid: 'u2' } }, 'Normal', 'R', 'A', 'n');
  await rec.flush();
  assert.equal(client.filterActions({ verb: 'create' }).length, 26, 'other objects have their own bucket');
  clock.advance(300_000);
  rec.record(pod, 'Normal', 'Late', 'A', 'n');
  await rec.flush();
  assert.equal(client.filterActions({ verb: 'create' }).length, 27);
  await rec.shutdown();
});

test('never blocks: a full queue drops, a failing server does not throw to the caller', async () => {
  const { client, rec } = setup({ queueSize: 3, spamBurst: 100 });
  let release!: () => void;
  const gate = new Promise<void>((r) => (release = r));
  client.prependReactor('create', 'events', () => gate.then(() => {
    throw new Error('connection refused');
  }));
  for (let i = 0; i < 10; i++) rec.record(pod, 'Normal', `R${i}`, 'A', 'n');
  // The first is being written, three wait, the rest were dropped.
  assert.equal(rec.dropped, 6);
  release();
  await rec.flush();
  assert.equal(client.filterActions({ verb: 'create' }).length, 4);
  await rec.shutdown();
});

test('FakeRecorder keeps "Type Reason note" lines', async () => {
  const { FakeRecorder } = await import('./fake.js');
  const r = new FakeRecorder();
  r.record(pod, 'Warning', 'FailedCreate', 'Create', 'quota exceeded');
  assert.deepEqual(r.events, ['Warning FailedCreate quota exceeded']);
});
