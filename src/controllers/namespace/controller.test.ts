import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { FakeClient, SharedInformerFactory, refs, type Action } from '../../client/index.js';
import { FakeClock } from '../../util/clock.js';
import { configureLogging } from '../../util/log.js';
import { NamespaceController } from './controller.js';
import type { ContentResource } from './content.js';
import type { KubeObject } from '../../api/types.js';

configureLogging({ quiet: true });

const terminating = (name: string, extra: Record<string, unknown> = {}): KubeObject => ({
  apiVersion: 'v1', kind: 'Namespace',
  metadata: { name, deletionTimestamp: '2026-01-01T00:00:00Z', finalizers: [] },
  spec: { finalizers: ['kubernetes'] }, status: { phase: 'Terminating' }, ...extra,
});
const cm = (ns: string, name: string, finalizers?: string[]): KubeObject => ({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { namespace: ns, name, ...(finalizers ? { finalizers } : {}) } });
const RESOURCES: ContentResource[] = [
  { group: '', version: 'v1', resource: 'pods', deleteCollection: true },
  { group: '', version: 'v1', resource: 'configmaps', deleteCollection: true },
];

function setup(objects: KubeObject[]) {
  const clock = new FakeClock();
  const client = new FakeClient({ objects, clock });
  // The fake client does not serve namespaces/finalize: answer it as the API server would.
  client.prependReactor('update', 'namespaces', (a: Action) => (a.subresource === 'finalize' ? a.object : undefined));
  const informers = new SharedInformerFactory(client, { clock });
  const c = new NamespaceController({ client, namespaces: informers.forResource(refs.namespaces), clock, resources: () => RESOURCES });
  return { client, c, clock };
}

const writes = (client: FakeClient) => client.filterActions({ writesOnly: true }).map((a) => `${a.verb} ${a.resource}${a.subresource ? '/' + a.subresource : ''}${a.namespace ? ' ' + a.namespace : ''}`);

describe('namespace controller', () => {
  test('an active namespace is left alone', async () => {
    const { client, c } = setup([{ apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'a' }, spec: { finalizers: ['kubernetes'] }, status: { phase: 'Active' } }, cm('a', 'x')]);
    await c.sync('a');
    assert.deepEqual(writes(client), []);
  });

  test('empties a terminating namespace, sets ok conditions and finalizes', async () => {
    const { client, c } = setup([terminating('a'), cm('a', 'x'), cm('b', 'y')]);
    await c.sync('a');
    assert.deepEqual(writes(client), ['deletecollection pods a', 'deletecollection configmaps a', 'update namespaces/status', 'update namespaces/finalize']);
    const status = client.filterActions({ verb: 'update' })[0]!.object as { status: { conditions: { type: string; status: string; reason: string; message: string }[] } };
    assert.deepEqual(status.status.conditions.map((x) => [x.type, x.status, x.reason]), [
      ['NamespaceDeletionDiscoveryFailure', 'False', 'ResourcesDiscovered'],
      ['NamespaceDeletionGroupVersionParsingFailure', 'False', 'ParsedGroupVersions'],
      ['NamespaceDeletionContentFailure', 'False', 'ContentDeleted'],
      ['NamespaceContentRemaining', 'False', 'ContentRemoved'],
      ['NamespaceFinalizersRemaining', 'False', 'ContentHasNoFinalizers'],
    ]);
    const fin = client.filterActions({ verb: 'update' }).find((a) => a.subresource === 'finalize')!.object as { spec: { finalizers: string[] } };
    assert.deepEqual(fin.spec.finalizers, []);
    assert.equal(client.tracker.list({ group: '', version: 'v1', resource: 'configmaps', kind: 'ConfigMap', namespaced: true }, { namespace: 'b' }).items.length, 1);
  });

  test('content held by finalizers: conditions say so, requeued, not finalized', async () => {
    const { client, c, clock } = setup([terminating('a'), cm('a', 'x', ['example.com/hold']), cm('a', 'z', ['example.com/hold'])]);
    await c.sync('a');
    assert.deepEqual(writes(client), ['deletecollection pods a', 'deletecollection configmaps a', 'update namespaces/status']);
    const conds = (client.filterActions({ verb: 'update' })[0]!.object as { status: { conditions: { type: string; status: string; reason: string; message: string }[] } }).status.conditions;
    const byType = Object.fromEntries(conds.map((x) => [x.type, x]));
    assert.equal(byType.NamespaceContentRemaining!.reason, 'SomeResourcesRemain');
    assert.equal(byType.NamespaceContentRemaining!.message, 'Some resources are remaining: configmaps. has 2 resource instances');
    assert.equal(byType.NamespaceFinalizersRemaining!.message, 'Some content in the namespace has finalizers remaining: example.com/hold in 2 resource instances');
    assert.equal(c.queue.len(), 0);
    clock.advance(15_000);
    assert.equal(c.queue.len(), 1, 'requeued after the finalizer estimate');
  });

  test('a phase that is not Terminating yet is set first', async () => {
    const { client, c } = setup([terminating('a', { status: { phase: 'Active' } })]);
    await c.sync('a');
    assert.equal(writes(client)[0], 'update namespaces/status');
    assert.equal((client.filterActions({ verb: 'update' })[0]!.object as { status: { phase: string } }).status.phase, 'Terminating');
  });

  test('already finalized namespaces and missing ones need nothing', async () => {
    const { client, c } = setup([terminating('a', { spec: { finalizers: [] } })]);
    await c.sync('a');
    await c.sync('gone');
    assert.deepEqual(writes(client), []);
  });

  test('a failing deletecollection sets NamespaceDeletionContentFailure and retries', async () => {
    const { client, c } = setup([terminating('a'), cm('a', 'x')]);
    client.prependReactor('deletecollection', 'configmaps', () => {
      throw new Error('boom');
    });
    await assert.rejects(c.sync('a'), /boom/);
    const conds = (client.filterActions({ verb: 'update' })[0]!.object as { status: { conditions: { type: string; status: string; reason: string; message: string }[] } }).status.conditions;
    const f = conds.find((x) => x.type === 'NamespaceDeletionContentFailure')!;
    assert.equal(f.status, 'True');
    assert.equal(f.reason, 'ContentDeletionFailed');
    assert.match(f.message, /^Failed to delete all resource types, 1 remaining: configmaps\.: boom/);
    assert.ok(!writes(client).includes('update namespaces/finalize'));
  });

  test('a discovery failure is reported and blocks finalization', async () => {
    const clock = new FakeClock();
    const client = new FakeClient({ objects: [terminating('a')], clock });
    const informers = new SharedInformerFactory(client, { clock });
    const c = new NamespaceController({ client, namespaces: informers.forResource(refs.namespaces), clock, resources: () => {
      throw new Error('unable to retrieve the complete list of server APIs: metrics.k8s.io/v1beta1: the server is currently unable to handle the request');
    } });
    await assert.rejects(c.sync('a'), /unable to retrieve/);
    const conds = (client.filterActions({ verb: 'update' })[0]!.object as { status: { conditions: { type: string; status: string; reason: string; message: string }[] } }).status.conditions;
    const d = conds.find((x) => x.type === 'NamespaceDeletionDiscoveryFailure')!;
    assert.deepEqual([d.status, d.reason], ['True', 'DiscoveryFailed']);
    assert.match(d.message, /^Discovery failed for some groups, 1 failing: unable to retrieve/);
    assert.ok(!writes(client).includes('update namespaces/finalize'));
  });
});
