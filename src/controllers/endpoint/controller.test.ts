import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { KubeObject } from '../../api/types.js';
import { FakeClient, SharedInformerFactory, refs } from '../../client/index.js';
import { configureLogging } from '../../util/log.js';
import { EndpointController, type EndpointsObject } from './controller.js';
import type { Pod, Service } from './pods.js';

configureLogging({ quiet: true });

const svc = (name: string, spec: Record<string, unknown>, ns = 'ns'): KubeObject => ({
  apiVersion: 'v1', kind: 'Service', metadata: { namespace: ns, name, uid: `svc-${name}`, creationTimestamp: '2026-01-01T00:00:00Z' }, spec,
});
const pod = (name: string, ip: string | undefined, opts: { ready?: boolean; labels?: Record<string, string>; node?: string; ports?: unknown[]; deleting?: boolean; phase?: string; hostname?: string; subdomain?: string } = {}): KubeObject => ({
  apiVersion: 'v1', kind: 'Pod',
  metadata: { namespace: 'ns', name, uid: `uid-${name}`, labels: opts.labels ?? { app: 'web' }, ...(opts.deleting ? { deletionTimestamp: '2026-01-01T00:00:00Z', finalizers: ['x'] } : {}) },
  spec: { nodeName: opts.node ?? 'n1', containers: [{ ports: opts.ports ?? [{ name: 'http', containerPort: 8080 }] }], ...(opts.hostname ? { hostname: opts.hostname } : {}), ...(opts.subdomain ? { subdomain: opts.subdomain } : {}) },
  status: { phase: opts.phase ?? 'Running', ...(ip ? { podIP: ip } : {}), conditions: [{ type: 'Ready', status: opts.ready === false ? 'False' : 'True', lastTransitionTime: '2026-01-01T00:01:00Z' }] },
});

async function setup(objects: KubeObject[]) {
  const client = new FakeClient({ objects });
  const f = new SharedInformerFactory(client);
  const c = new EndpointController({
    client, services: f.forResource<Service>(refs.services), pods: f.forResource<Pod>(refs.pods), endpoints: f.forResource<EndpointsObject>(refs.endpoints),
  });
  f.start();
  await f.waitForCacheSync();
  client.clearActions();
  return { client, c, stop: () => f.shutdown() };
}

describe('endpoint controller', () => {
  test('ready and not-ready pods, named target port, hostname, nodeName, targetRef, trigger time', async () => {
    const { client, c, stop } = await setup([
      svc('web', { selector: { app: 'web' }, ports: [{ name: 'http', port: 80, targetPort: 'http', protocol: 'TCP' }] }),
      pod('b', '10.42.0.11', { ready: false }),
      pod('a', '10.42.0.10', { hostname: 'a', subdomain: 'web' }),
      pod('noip', undefined),
      pod('done', '10.42.0.12', { phase: 'Succeeded' }),
      pod('term', '10.42.0.13', { deleting: true }),
      pod('other', '10.42.0.14', { labels: { app: 'db' } }),
    ]);
    await c.sync('ns/web');
    const acts = client.filterActions({ writesOnly: true });
    assert.deepEqual(acts.map((a) => `${a.verb} ${a.resource} ${a.name}`), ['create endpoints web']);
    const ep = acts[0]!.object as EndpointsObject;
    assert.equal(ep.metadata.annotations!['endpoints.kubernetes.io/last-change-trigger-time'], '2026-01-01T00:01:00Z');
    assert.deepEqual(ep.subsets, [{
      addresses: [{ ip: '10.42.0.10', hostname: 'a', nodeName: 'n1', targetRef: { kind: 'Pod', namespace: 'ns', name: 'a', uid: 'uid-a' } }],
      notReadyAddresses: [{ ip: '10.42.0.11', nodeName: 'n1', targetRef: { kind: 'Pod', namespace: 'ns', name: 'b', uid: 'uid-b' } }],
      ports: [{ port: 8080, protocol: 'TCP', name: 'http' }],
    }]);
    await stop();
  });

  test('pods resolving a named port differently land in different subsets; publishNotReadyAddresses', async () => {
    const { client, c, stop } = await setup([
      svc('web', { selector: { app: 'web' }, publishNotReadyAddresses: true, ports: [{ port: 80, targetPort: 'http' }] }),
      pod('a', '10.42.0.10', { ports: [{ name: 'http', containerPort: 8080 }], ready: false }),
      pod('b', '10.42.0.11', { ports: [{ name: 'http', containerPort: 9090 }] }),
      pod('c', '10.42.0.12', { ports: [{ name: 'metrics', containerPort: 9100 }] }),
      pod('t', '10.42.0.13', { deleting: true, ports: [{ name: 'http', containerPort: 8080 }] }),
    ]);
    await c.sync('ns/web');
    const ep = client.filterActions({ verb: 'create' })[0]!.object as EndpointsObject;
    assert.deepEqual(ep.subsets!.map((s) => [s.ports![0]!.port, s.addresses!.map((a) => a.ip), s.notReadyAddresses]), [
      [8080, ['10.42.0.10', '10.42.0.13'], undefined],
      [9090, ['10.42.0.11'], undefined],
    ]);
    await stop();
  });

  test('unchanged content is not written; changed content is updated', async () => {
    const objs = [svc('web', { selector: { app: 'web' }, ports: [{ port: 80, targetPort: 8080 }] }), pod('a', '10.42.0.10')];
    const { client, c, stop } = await setup(objs);
    await c.sync('ns/web');
    const created = client.filterActions({ verb: 'create' })[0]!.object as EndpointsObject;
    await stop();
    const again = await setup([...objs, { ...created, metadata: { ...created.metadata } }]);
    await again.c.sync('ns/web');
    assert.deepEqual(again.client.filterActions({ writesOnly: true }), []);
    await again.stop();
    const changed = await setup([objs[0]!, pod('a', '10.42.0.99'), created]);
    await changed.c.sync('ns/web');
    assert.deepEqual(changed.client.filterActions({ writesOnly: true }).map((a) => a.verb), ['update']);
    await changed.stop();
  });

  test('selector-less services are left alone; a deleted service takes its endpoints', async () => {
    const custom: KubeObject = { apiVersion: 'v1', kind: 'Endpoints', metadata: { namespace: 'ns', name: 'ext' }, subsets: [{ addresses: [{ ip: '1.2.3.4' }] }] };
    const orphan: KubeObject = { apiVersion: 'v1', kind: 'Endpoints', metadata: { namespace: 'ns', name: 'gone' } };
    const { client, c, stop } = await setup([svc('ext', { ports: [{ port: 80 }] }), custom, orphan]);
    await c.sync('ns/ext');
    await c.sync('ns/gone');
    assert.deepEqual(client.filterActions({ writesOnly: true }).map((a) => `${a.verb} ${a.name}`), ['delete gone']);
    await stop();
  });

  test('more than 1000 addresses are truncated and annotated over-capacity', async () => {
    const pods = Array.from({ length: 1005 }, (_, i) => pod(`p${i}`, `10.42.${Math.floor(i / 250)}.${i % 250}`, { ready: i % 2 === 0 }));
    const { client, c, stop } = await setup([svc('web', { selector: { app: 'web' }, ports: [{ port: 80, targetPort: 8080 }] }), ...pods]);
    await c.sync('ns/web');
    const ep = client.filterActions({ verb: 'create' })[0]!.object as EndpointsObject;
    const n = ep.subsets!.reduce((k, s) => k + (s.addresses?.length ?? 0) + (s.notReadyAddresses?.length ?? 0), 0);
    assert.equal(n, 1000);
    assert.equal(ep.subsets![0]!.addresses!.length, 503, 'ready addresses are kept first');
    assert.equal(ep.metadata.annotations!['endpoints.kubernetes.io/over-capacity'], 'truncated');
    await stop();
  });
});
