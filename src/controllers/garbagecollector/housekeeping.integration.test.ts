// The garbage collector, namespace and EndpointSlice controllers against an in-process API server
// through the REST client: deleting a namespace removes its content and then the namespace;
// deleting an owner (background, foreground, orphan) does what its policy says to its dependents;
// a service's EndpointSlice follows its pods' readiness.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { KubeObject } from '../../api/types.js';
import { startTestServer, type TestServer } from '../../apiserver/testing/inprocess.js';
import { RestClient, SharedInformerFactory, configFromLoaded, refs } from '../../client/index.js';
import { isReason } from '../../util/errors.js';
import { configureLogging } from '../../util/log.js';
import { waitFor } from '../../util/wait.js';
import type { Pod, Service } from '../endpoint/index.js';
import { EndpointSliceController, type EndpointSlice } from '../endpointslice/index.js';
import { NamespaceController } from '../namespace/index.js';
import { GarbageCollector } from './controller.js';
import { deletableResources } from './monitors.js';

configureLogging({ quiet: true });

const gone = async (fn: () => Promise<unknown>): Promise<boolean> => {
  try {
    await fn();
    return false;
  } catch (err) {
    if (isReason(err, 'NotFound')) return true;
    throw err;
  }
};

describe('housekeeping controllers against the API server', { timeout: 120_000 }, () => {
  let srv: TestServer;
  let client: RestClient;
  let factory: SharedInformerFactory;
  const ac = new AbortController();
  let running: Promise<unknown>;

  before(async () => {
    srv = await startTestServer();
    client = new RestClient(configFromLoaded(srv.credentials, { qps: -1, userAgent: 'skiff-housekeeping-test' }));
    factory = new SharedInformerFactory(client);
    const gc = new GarbageCollector({ client, monitors: deletableResources().map((resource) => ({ resource, informer: factory.forResource(resource) })) });
    const ns = new NamespaceController({ client, namespaces: factory.forResource(refs.namespaces) });
    const eps = new EndpointSliceController({
      client, services: factory.forResource<Service>(refs.services), pods: factory.forResource<Pod>(refs.pods), slices: factory.forResource<EndpointSlice>(refs.endpointslices),
    });
    factory.start(ac.signal);
    assert.equal(await factory.waitForCacheSync(ac.signal), true);
    running = Promise.all([gc.run(4, ac.signal), ns.run(2, ac.signal), eps.run(2, ac.signal)]);
  });
  after(async () => {
    ac.abort();
    await running;
    await factory.shutdown();
    client?.close();
    await srv?.stop();
  });

  test('deleting a namespace removes its content, then the namespace', async () => {
    const nsApi = client.resource(refs.namespaces);
    await nsApi.create({ metadata: { name: 'doomed' } });
    await client.resource(refs.configmaps).namespace('doomed').create({ metadata: { name: 'cm' }, data: { a: '1' } });
    await client.resource(refs.secrets).namespace('doomed').create({ metadata: { name: 's' }, stringData: { a: '1' } });
    await client.resource(refs.pods).namespace('doomed').create({ metadata: { name: 'p' }, spec: { containers: [{ name: 'c', image: 'busybox' }] } });
    await client.resource(refs.services).namespace('doomed').create({ metadata: { name: 'svc' }, spec: { selector: { app: 'x' }, ports: [{ port: 80 }] } });
    await nsApi.delete('doomed');
    await waitFor(() => gone(() => nsApi.get('doomed')), { timeoutMs: 30_000, what: 'namespace doomed to go' });
    for (const r of [refs.configmaps, refs.secrets, refs.pods, refs.services, refs.endpointslices]) {
      assert.equal((await client.resource(r).namespace('doomed').list()).items.length, 0, `${r.resource} left behind`);
    }
  });

  const owner = async (name: string): Promise<KubeObject> => client.resource(refs.replicasets).namespace('default').create({
    metadata: { name },
    spec: { replicas: 0, selector: { matchLabels: { app: name } }, template: { metadata: { labels: { app: name } }, spec: { containers: [{ name: 'c', image: 'busybox' }] } } },
  });
  const dependent = (o: KubeObject, name: string) => client.resource(refs.configmaps).namespace('default').create({
    metadata: { name, ownerReferences: [{ apiVersion: 'apps/v1', kind: 'ReplicaSet', name: o.metadata.name!, uid: o.metadata.uid!, controller: true, blockOwnerDeletion: true }] },
  });
  const cms = { get: (name: string) => client.resource(refs.configmaps).namespace('default').get(name) };

  test('background deletion of an owner removes its dependents', async () => {
    const o = await owner('bg');
    await dependent(o, 'bg-1');
    await dependent(o, 'bg-2');
    await client.resource(refs.replicasets).namespace('default').delete('bg', { propagationPolicy: 'Background' });
    await waitFor(async () => (await gone(() => cms.get('bg-1'))) && (await gone(() => cms.get('bg-2'))), { timeoutMs: 30_000, what: 'dependents of bg to go' });
  });

  test('foreground deletion removes dependents first, then the owner', async () => {
    const o = await owner('fg');
    await dependent(o, 'fg-1');
    await client.resource(refs.replicasets).namespace('default').delete('fg', { propagationPolicy: 'Foreground' });
    await waitFor(() => gone(() => client.resource(refs.replicasets).namespace('default').get('fg')), { timeoutMs: 30_000, what: 'owner fg to go' });
    assert.equal(await gone(() => cms.get('fg-1')), true);
  });

  test('orphan deletion keeps dependents and drops their owner reference', async () => {
    const o = await owner('or');
    await dependent(o, 'or-1');
    await client.resource(refs.replicasets).namespace('default').delete('or', { propagationPolicy: 'Orphan' });
    await waitFor(() => gone(() => client.resource(refs.replicasets).namespace('default').get('or')), { timeoutMs: 30_000, what: 'owner or to go' });
    const left = await cms.get('or-1');
    assert.deepEqual(left.metadata.ownerReferences ?? [], []);
  });

  test("a service's EndpointSlice tracks its pods' readiness", async () => {
    const ns = 'web';
    await client.resource(refs.namespaces).create({ metadata: { name: ns } });
    await client.resource(refs.services).namespace(ns).create({ metadata: { name: 'web' }, spec: { selector: { app: 'web' }, ports: [{ name: 'http', port: 80, targetPort: 'http' }] } });
    const pods = client.resource<Pod>(refs.pods).namespace(ns);
    for (const [i, name] of ['a', 'b'].entries()) {
      await pods.create({ metadata: { name, labels: { app: 'web' } }, spec: { containers: [{ name: 'c', image: 'busybox', ports: [{ name: 'http', containerPort: 8080 }] }] } });
      const cur = await pods.get(name);
      await pods.updateStatus({ ...cur, status: { ...cur.status, phase: 'Running', podIP: `10.42.0.${10 + i}`, podIPs: [{ ip: `10.42.0.${10 + i}` }], conditions: [{ type: 'Ready', status: i === 0 ? 'True' : 'False' }] } });
    }
    const slices = client.resource<EndpointSlice>(refs.endpointslices).namespace(ns);
    const view = async () => {
      const items = (await slices.list({ labelSelector: 'kubernetes.io/service-name=web' })).items;
      return items.flatMap((s) => (s.endpoints ?? []).map((e) => `${e.addresses[0]} ${e.conditions.ready} ${s.ports?.[0]?.port}`)).sort();
    };
    await waitFor(async () => JSON.stringify(await view()) === JSON.stringify(['10.42.0.10 true 8080', '10.42.0.11 false 8080']), { timeoutMs: 30_000, what: 'slice with a ready and a not-ready endpoint' });
    const b = await pods.get('b');
    await pods.updateStatus({ ...b, status: { ...b.status, conditions: [{ type: 'Ready', status: 'True' }] } });
    await waitFor(async () => JSON.stringify(await view()) === JSON.stringify(['10.42.0.10 true 8080', '10.42.0.11 true 8080']), { timeoutMs: 30_000, what: 'b to turn ready in the slice' });
    await pods.delete('a');
    await waitFor(async () => JSON.stringify(await view()) === JSON.stringify(['10.42.0.11 true 8080']), { timeoutMs: 30_000, what: 'a to leave the slice' });
    const [s] = (await slices.list({ labelSelector: 'kubernetes.io/service-name=web' })).items;
    assert.equal(s!.metadata.labels!['endpointslice.kubernetes.io/managed-by'], 'endpointslice-controller.k8s.io');
    assert.equal(s!.metadata.ownerReferences![0]!.kind, 'Service');
  });
});
