import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { KubeObject } from '../../api/types.js';
import { FakeClient, SharedInformerFactory, refs } from '../../client/index.js';
import { FakeClock } from '../../util/clock.js';
import { configureLogging } from '../../util/log.js';
import type { Pod, Service } from '../endpoint/index.js';
import { EndpointSliceController } from './controller.js';
import type { EndpointSlice } from './types.js';

configureLogging({ quiet: true });

const svc = (spec: Record<string, unknown>, labels: Record<string, string> = {}): KubeObject => ({
  apiVersion: 'v1', kind: 'Service', metadata: { namespace: 'ns', name: 'web', uid: 'svc-uid', labels, creationTimestamp: '2026-01-01T00:00:00Z' }, spec,
});
const pod = (name: string, ip: string, opts: { ready?: boolean; deleting?: boolean; port?: number } = {}): KubeObject => ({
  apiVersion: 'v1', kind: 'Pod',
  metadata: { namespace: 'ns', name, uid: `uid-${name}`, labels: { app: 'web' }, ...(opts.deleting ? { deletionTimestamp: '2026-01-01T00:00:00Z', finalizers: ['x'] } : {}) },
  spec: { nodeName: 'n1', containers: [{ ports: [{ name: 'http', containerPort: opts.port ?? 8080 }] }] },
  status: { phase: 'Running', podIP: ip, conditions: [{ type: 'Ready', status: opts.ready === false ? 'False' : 'True' }] },
});
const node: KubeObject = { apiVersion: 'v1', kind: 'Node', metadata: { name: 'n1', labels: { 'topology.kubernetes.io/zone': 'z1' } } };

async function setup(objects: KubeObject[], max?: number) {
  const client = new FakeClient({ objects });
  const f = new SharedInformerFactory(client);
  const c = new EndpointSliceController({
    client, services: f.forResource<Service>(refs.services), pods: f.forResource<Pod>(refs.pods),
    slices: f.forResource<EndpointSlice>(refs.endpointslices), nodes: f.forResource(refs.nodes), ...(max ? { maxEndpointsPerSlice: max } : {}),
  });
  f.start();
  await f.waitForCacheSync();
  client.clearActions();
  return { client, c, f };
}

describe('endpointslice controller', () => {
  test('creates a labelled, owned IPv4 slice with ready/serving/terminating conditions', async () => {
    const { client, c, f } = await setup([
      svc({ selector: { app: 'web' }, ports: [{ name: 'http', port: 80, targetPort: 'http', protocol: 'TCP' }] }, { tier: 'front' }),
      pod('a', '10.42.0.10'), pod('b', '10.42.0.11', { ready: false }), pod('t', '10.42.0.12', { deleting: true }), node,
    ]);
    await c.sync('ns/web');
    const acts = client.filterActions({ writesOnly: true });
    assert.deepEqual(acts.map((a) => `${a.verb} ${a.resource}`), ['create endpointslices']);
    const s = acts[0]!.object as EndpointSlice;
    assert.equal(s.metadata.generateName, 'web-');
    assert.equal(s.addressType, 'IPv4');
    assert.deepEqual(s.metadata.labels, { tier: 'front', 'kubernetes.io/service-name': 'web', 'endpointslice.kubernetes.io/managed-by': 'endpointslice-controller.k8s.io' });
    assert.deepEqual(s.metadata.ownerReferences, [{ apiVersion: 'v1', kind: 'Service', name: 'web', uid: 'svc-uid', controller: true, blockOwnerDeletion: true }]);
    assert.deepEqual(s.ports, [{ name: 'http', port: 8080, protocol: 'TCP' }]);
    assert.deepEqual(s.endpoints!.map((e) => [e.addresses[0], e.conditions]), [
      ['10.42.0.10', { ready: true, serving: true, terminating: false }],
      ['10.42.0.11', { ready: false, serving: false, terminating: false }],
      ['10.42.0.12', { ready: false, serving: true, terminating: true }],
    ]);
    assert.deepEqual(s.endpoints![0]!.targetRef, { kind: 'Pod', namespace: 'ns', name: 'a', uid: 'uid-a' });
    assert.equal(s.endpoints![0]!.nodeName, 'n1');
    assert.equal(s.endpoints![0]!.zone, 'z1');
    assert.ok(s.metadata.annotations?.['endpoints.kubernetes.io/last-change-trigger-time']);
    await f.shutdown();
  });

  test('publishNotReadyAddresses makes every endpoint ready; headless label', async () => {
    const { client, c, f } = await setup([
      svc({ selector: { app: 'web' }, clusterIP: 'None', publishNotReadyAddresses: true, ports: [{ port: 80, targetPort: 8080 }] }),
      pod('b', '10.42.0.11', { ready: false }),
    ]);
    await c.sync('ns/web');
    const s = client.filterActions({ verb: 'create' })[0]!.object as EndpointSlice;
    assert.deepEqual(s.endpoints![0]!.conditions, { ready: true, serving: false, terminating: false });
    assert.equal(s.metadata.labels!['service.kubernetes.io/headless'], '');
    assert.deepEqual(s.ports, [{ name: '', port: 8080, protocol: 'TCP' }]);
    await f.shutdown();
  });

  test('pods resolving a named port differently get separate slices; max endpoints per slice', async () => {
    const pods = [1, 2, 3].map((i) => pod(`a${i}`, `10.42.0.${i}`)).concat(pod('b', '10.42.1.1', { port: 9090 }));
    const { client, c, f } = await setup([svc({ selector: { app: 'web' }, ports: [{ name: 'http', port: 80, targetPort: 'http' }] }), ...pods], 2);
    await c.sync('ns/web');
    const created = client.filterActions({ verb: 'create' }).map((a) => a.object as EndpointSlice);
    assert.deepEqual(created.map((s) => [s.ports![0]!.port, s.endpoints!.length]).sort(), [[8080, 1], [8080, 2], [9090, 1]]);
    await f.shutdown();
  });

  test('a converged service needs no writes; a stale cache after our write retries instead of duplicating', async () => {
    const { client, c, f } = await setup([svc({ selector: { app: 'web' }, ports: [{ port: 80 }] }), pod('a', '10.42.0.10')]);
    await c.sync('ns/web');
    assert.equal(client.filterActions({ verb: 'create' }).length, 1);
    // Let the informer see our slice, then sync again: no writes.
    for (let i = 0; i < 50 && !f.forResource(refs.endpointslices).lister.list().length; i++) await new Promise((r) => setTimeout(r, 5));
    client.clearActions();
    await c.sync('ns/web');
    assert.deepEqual(client.filterActions({ writesOnly: true }), []);
    await f.shutdown();
  });

  test('selector-less services and missing services are left alone', async () => {
    const { client, c, f } = await setup([svc({ ports: [{ port: 80 }] })]);
    await c.sync('ns/web');
    await c.sync('ns/missing');
    assert.deepEqual(client.filterActions({ writesOnly: true }), []);
    await f.shutdown();
  });

  test('no pods: one placeholder slice', async () => {
    const { client, c, f } = await setup([svc({ selector: { app: 'web' }, ports: [{ port: 80 }] })]);
    await c.sync('ns/web');
    const s = client.filterActions({ verb: 'create' })[0]!.object as EndpointSlice;
    assert.deepEqual([s.endpoints, s.ports], [[], []]);
    await f.shutdown();
  });

  test('a cache that has not seen our own write yet makes the next sync retry, for a while', async () => {
    const clock = new FakeClock();
    const client = new FakeClient({ objects: [svc({ selector: { app: 'web' }, ports: [{ port: 80 }] }), pod('a', '10.42.0.10')] });
    const f = new SharedInformerFactory(client);
    const lagging = new SharedInformerFactory(client); // never started: the slice cache stays empty
    const c = new EndpointSliceController({
      client, services: f.forResource<Service>(refs.services), pods: f.forResource<Pod>(refs.pods), slices: lagging.forResource<EndpointSlice>(refs.endpointslices), clock,
    });
    f.start();
    await f.waitForCacheSync();
    await c.sync('ns/web');
    await assert.rejects(c.sync('ns/web'), /older than our last write/);
    assert.equal(client.filterActions({ verb: 'create' }).length, 1, 'no duplicate slice');
    clock.advance(31_000);
    await c.sync('ns/web');
    await f.shutdown();
  });
});
