import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { FakeClient, refs } from '../client/index.js';
import type { KubeObject, KubeObject as K } from '../api/types.js';
import { FakeClock } from '../util/clock.js';
import { errors } from '../util/errors.js';
import { configureLogging } from '../util/log.js';
import { waitFor } from '../util/wait.js';
import { defaultControllerManagerConfig, enabledDescriptors, isControllerEnabled, runControllerManager, validateControllers } from './manager.js';
import type { ControllerDescriptor } from './types.js';

configureLogging({ quiet: true });

describe('--controllers', () => {
  const cases: [string, boolean, string[], boolean][] = [
    ['deployment', true, ['*'], true],
    ['bootstrap-signer', false, ['*'], false],
    ['bootstrap-signer', false, ['*', 'bootstrap-signer'], true],
    ['deployment', true, ['*', '-deployment'], false],
    ['deployment', true, ['-deployment', '*', 'deployment'], false],
    ['deployment', true, ['replicaset'], false],
    ['deployment', true, ['deployment'], true],
    ['deployment', true, [], false],
  ];
  for (const [name, def, list, want] of cases) test(`${name} (default ${def}) with ${JSON.stringify(list)}`, () => assert.equal(isControllerEnabled(name, def, list), want));
  test('unknown names are refused', () => {
    assert.throws(() => validateControllers(['*', '-nope'], [fakeDescriptor('a').d]), /"-nope" is not in the list of known controllers/);
  });
});

/** A controller that watches config maps and reports what it saw when it was started. */
function fakeDescriptor(name: string, enabledByDefault = true) {
  const seen: { cachedAtStart?: number; workers?: number; stopped: boolean; recorder?: string } = { stopped: false };
  const d: ControllerDescriptor = {
    name, enabledByDefault, workers: 3,
    create(ctx) {
      const inf = ctx.informers.forResource(refs.configmaps);
      ctx.recorder(name).record({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'x', namespace: 'default', uid: 'u' } }, 'Normal', 'Started', 'Run', `${name} started`);
      return {
        async run(workers, signal) {
          seen.workers = workers;
          seen.cachedAtStart = inf.lister.list().length;
          await new Promise<void>((resolve) => signal.addEventListener('abort', () => resolve(), { once: true }));
          seen.stopped = true;
        },
      };
    },
  };
  return { d, seen };
}

const cm = (name: string): KubeObject => ({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name, namespace: 'default' } });

test('runs the enabled controllers after the caches synced, and stops them', async () => {
  const client = new FakeClient({ objects: [cm('a'), cm('b')] });
  const a = fakeDescriptor('alpha');
  const b = fakeDescriptor('beta');
  const off = fakeDescriptor('gamma', false);
  assert.deepEqual(enabledDescriptors([a.d, b.d, off.d], ['*', '-beta']).map((d) => d.name), ['alpha']);
  const ac = new AbortController();
  let started: string[] = [];
  const done = runControllerManager({ client, descriptors: [a.d, b.d, off.d], controllers: ['*', '-beta'], config: defaultControllerManagerConfig, signal: ac.signal, onStarted: (n) => (started = n) });
  await waitFor(() => a.seen.workers !== undefined, { timeoutMs: 5000, what: 'alpha running' });
  assert.deepEqual(started, ['alpha']);
  assert.equal(a.seen.cachedAtStart, 2);
  assert.equal(a.seen.workers, 3);
  assert.equal(b.seen.workers, undefined);
  ac.abort();
  await done;
  assert.equal(a.seen.stopped, true);
  const ev = client.filterActions({ verb: 'create', resource: 'events' });
  assert.equal(ev.length, 1);
  assert.equal((ev[0]!.object as K & { reportingController: string }).reportingController, 'alpha-controller');
});

test('with --leader-elect, controllers run only while the Lease is held; losing it stops them and calls back', async () => {
  const clock = new FakeClock();
  const client = new FakeClient({ objects: [cm('a')], clock });
  const a = fakeDescriptor('alpha');
  const ac = new AbortController();
  let lost = 0;
  const done = runControllerManager({
    client, descriptors: [a.d], controllers: ['*'], config: defaultControllerManagerConfig, signal: ac.signal,
    leaderElect: true, identity: 'me_1', clock, onLostLeadership: () => lost++,
  });
  await waitFor(() => a.seen.workers !== undefined, { timeoutMs: 5000, what: 'alpha running' });
  const lease = await client.resource(refs.leases).namespace('kube-system').get('kube-controller-manager');
  assert.equal((lease.spec as { holderIdentity: string; leaseDurationSeconds: number }).holderIdentity, 'me_1');
  assert.equal((lease.spec as { leaseDurationSeconds: number }).leaseDurationSeconds, 15);
  // The API server stops accepting our renewals: after the 10 s renew deadline we step down.
  client.prependReactor('update', 'leases', () => {
    throw errors.unavailable('etcd is down');
  });
  for (let i = 0; i < 30 && !a.seen.stopped; i++) {
    clock.advance(1000);
    await new Promise((r) => setTimeout(r, 5));
  }
  await done;
  assert.equal(a.seen.stopped, true);
  assert.equal(lost, 1);
});
