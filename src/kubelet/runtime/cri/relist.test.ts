// Container events from relisting plus the runtime's own calls, on a scripted container table and
// a FakeClock (no containerd).
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { FakeClock } from '../../../util/clock.js';
import { EventHub } from '../events.js';
import type { Container, ContainerEvent, ContainerEventType, ContainerState, ContainerStatus } from '../types.js';
import { Relister, statusAt, transitions } from './relist.js';

describe('cri relist: transitions', () => {
  const C = 'CONTAINER_CREATED_EVENT', S = 'CONTAINER_STARTED_EVENT', X = 'CONTAINER_STOPPED_EVENT', D = 'CONTAINER_DELETED_EVENT';
  const cases: [ContainerState | undefined, ContainerState | undefined, boolean, ContainerEventType[]][] = [
    [undefined, 'CONTAINER_CREATED', true, [C]],
    [undefined, 'CONTAINER_RUNNING', true, [C, S]],
    [undefined, 'CONTAINER_EXITED', true, [C, S, X]],
    [undefined, 'CONTAINER_EXITED', false, [C, X]], // StartError: never ran
    ['CONTAINER_CREATED', 'CONTAINER_RUNNING', true, [S]],
    ['CONTAINER_CREATED', 'CONTAINER_EXITED', true, [S, X]],
    ['CONTAINER_CREATED', 'CONTAINER_EXITED', false, [X]],
    ['CONTAINER_RUNNING', 'CONTAINER_EXITED', true, [X]],
    ['CONTAINER_RUNNING', 'CONTAINER_RUNNING', true, []],
    ['CONTAINER_EXITED', 'CONTAINER_RUNNING', true, []], // never backwards
    ['CONTAINER_RUNNING', undefined, true, [X, D]],
    ['CONTAINER_EXITED', undefined, true, [D]],
    ['CONTAINER_CREATED', undefined, true, [D]],
    [undefined, undefined, true, []],
    ['CONTAINER_RUNNING', 'CONTAINER_UNKNOWN', true, []],
  ];
  for (const [from, to, started, want] of cases) {
    test(`${from ?? '∅'} → ${to ?? 'gone'}${started ? '' : ' (never started)'}`, () => assert.deepEqual(transitions(from, to, started), want));
  }

  test('statusAt rewinds an exited status for the events it missed', () => {
    const exited = status('c', 'CONTAINER_EXITED', { startedAt: 5, finishedAt: 9, exitCode: 3, reason: 'Error' });
    assert.deepEqual(pick(statusAt('CONTAINER_CREATED_EVENT', exited)), ['CONTAINER_CREATED', 0, 0, 0, '']);
    assert.deepEqual(pick(statusAt('CONTAINER_STARTED_EVENT', exited)), ['CONTAINER_RUNNING', 5, 0, 0, '']);
    assert.deepEqual(pick(statusAt('CONTAINER_STOPPED_EVENT', exited)), ['CONTAINER_EXITED', 5, 9, 3, 'Error']);
  });
});

function pick(s: ContainerStatus) {
  return [s.state, s.startedAt, s.finishedAt, s.exitCode, s.reason];
}

function status(id: string, state: ContainerState, extra: Partial<ContainerStatus> = {}): ContainerStatus {
  return {
    id, podSandboxId: 's', metadata: { name: id }, state, createdAt: 1, startedAt: state === 'CONTAINER_CREATED' ? 0 : 2,
    finishedAt: state === 'CONTAINER_EXITED' ? 3 : 0, exitCode: 0, image: { image: 'i' }, imageRef: '', reason: '', message: '',
    labels: {}, annotations: {}, mounts: [], logPath: '', ...extra,
  };
}

/** A scripted runtime: a container table, and a list() that can be held in flight. */
function harness() {
  const clock = new FakeClock();
  const table = new Map<string, { state: ContainerState; createdAt: number }>();
  let hold: Promise<void> | null = null;
  const ctl = { failList: false };
  const calls = { list: 0, status: 0 };
  const hub = new EventHub();
  const r = new Relister({
    clock, hub, intervalMs: 1000,
    list: async () => {
      calls.list++;
      if (ctl.failList) throw new Error('connection refused');
      const snapshot: Container[] = [...table].map(([id, c]) => ({
        id, podSandboxId: 's', metadata: { name: id }, image: { image: 'i' }, imageRef: '', state: c.state, createdAt: c.createdAt, labels: {}, annotations: {},
      }));
      if (hold) await hold;
      return snapshot;
    },
    status: async (id) => {
      calls.status++;
      const c = table.get(id);
      if (!c) throw new Error('not found');
      return status(id, c.state, { createdAt: c.createdAt });
    },
  });
  const seen: ContainerEvent[] = [];
  const ac = new AbortController();
  const reading = (async () => { for await (const ev of hub.subscribe(ac.signal)) seen.push(ev); })();
  const settle = async () => { for (let i = 0; i < 20; i++) await new Promise((res) => setImmediate(res)); };
  return {
    clock, table, r, seen, calls, settle, ctl,
    holdList: () => { let release!: () => void; hold = new Promise((res) => { release = res; }); return () => { hold = null; release(); }; },
    types: (id: string) => seen.filter((e) => e.containerId === id).map((e) => e.type.replace(/^CONTAINER_|_EVENT$/g, '')),
    stop: async () => { ac.abort(); hub.close(); await reading; },
  };
}

describe('cri relist: events', () => {
  test('containers from before the first reader are not news; later changes are', async () => {
    const h = harness();
    h.table.set('old', { state: 'CONTAINER_RUNNING', createdAt: h.clock.now() - 10 });
    h.r.retain();
    h.clock.advance(0);
    await h.settle();
    assert.equal(h.seen.length, 0);
    h.table.set('old', { state: 'CONTAINER_EXITED', createdAt: h.clock.now() - 10 });
    h.table.set('new', { state: 'CONTAINER_RUNNING', createdAt: h.clock.now() });
    h.clock.advance(1000);
    await h.settle();
    assert.deepEqual(h.types('old'), ['STOPPED']);
    assert.deepEqual(h.types('new'), ['CREATED', 'STARTED']);
    assert.equal(h.seen.find((e) => e.containerId === 'new' && e.type === 'CONTAINER_CREATED_EVENT')?.status?.state, 'CONTAINER_CREATED');
    h.table.delete('new');
    h.clock.advance(1000);
    await h.settle();
    assert.deepEqual(h.types('new'), ['CREATED', 'STARTED', 'STOPPED', 'DELETED']);
    await h.stop();
  });

  test('polls only while someone reads', async () => {
    const h = harness();
    h.clock.advance(5000);
    await h.settle();
    assert.equal(h.calls.list, 0);
    h.r.retain();
    h.clock.advance(0);
    await h.settle();
    h.clock.advance(1000);
    await h.settle();
    assert.equal(h.calls.list, 2);
    h.r.release();
    h.clock.advance(5000);
    await h.settle();
    assert.equal(h.calls.list, 2);
    assert.equal(h.clock.pendingTimers(), 0);
    await h.stop();
  });

  test('a container that lives between two polls is still reported through the runtime calls', async () => {
    const h = harness();
    h.r.retain();
    h.clock.advance(0);
    await h.settle();
    h.table.set('c', { state: 'CONTAINER_CREATED', createdAt: h.clock.now() });
    await h.r.observe('c', 's');
    h.table.set('c', { state: 'CONTAINER_EXITED', createdAt: h.clock.now() });
    await h.r.observe('c', 's');
    await h.r.observe('c', 's', true);
    h.table.delete('c');
    h.clock.advance(1000);
    await h.settle();
    assert.deepEqual(h.types('c'), ['CREATED', 'STARTED', 'STOPPED', 'DELETED']);
    await h.stop();
  });

  test('a list that began before a removal does not bring the container back', async () => {
    const h = harness();
    h.table.set('c', { state: 'CONTAINER_RUNNING', createdAt: h.clock.now() });
    h.r.retain();
    h.clock.advance(0);
    await h.settle();
    assert.deepEqual(h.types('c'), ['CREATED', 'STARTED']);
    const release = h.holdList();
    h.clock.advance(1000); // this list sees c running…
    await h.settle();
    h.table.delete('c');
    await h.r.observe('c', 's', true); // …but c is removed before it returns
    release();
    await h.settle();
    h.clock.advance(1000);
    await h.settle();
    assert.deepEqual(h.types('c'), ['CREATED', 'STARTED', 'STOPPED', 'DELETED']);
    await h.stop();
  });

  test('a status read by the runtime reports an exit at once, and only once', async () => {
    const h = harness();
    h.table.set('c', { state: 'CONTAINER_RUNNING', createdAt: h.clock.now() });
    h.r.retain();
    h.clock.advance(0);
    await h.settle();
    h.table.set('c', { state: 'CONTAINER_EXITED', createdAt: h.clock.now() });
    await h.r.noteStatus(status('c', 'CONTAINER_EXITED'));
    h.clock.advance(1000);
    await h.settle();
    assert.deepEqual(h.types('c'), ['CREATED', 'STARTED', 'STOPPED']);
    await h.stop();
  });

  test('a failed list keeps the picture (containerd restarting)', async () => {
    const h = harness();
    h.table.set('c', { state: 'CONTAINER_RUNNING', createdAt: h.clock.now() });
    h.r.retain();
    h.clock.advance(0);
    await h.settle();
    h.ctl.failList = true;
    h.clock.advance(1000);
    await h.settle();
    assert.equal(h.calls.list, 2);
    h.ctl.failList = false;
    h.clock.advance(1000);
    await h.settle();
    assert.deepEqual(h.types('c'), ['CREATED', 'STARTED']);
    await h.stop();
  });
});
