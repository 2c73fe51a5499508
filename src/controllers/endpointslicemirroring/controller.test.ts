import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { KubeObject } from '../../api/types.js';
import { FakeClient, SharedInformerFactory, refs } from '../../client/index.js';
import { configureLogging } from '../../util/log.js';
import type { EndpointsObject, Service } from '../endpoint/index.js';
import type { EndpointSlice } from '../endpointslice/index.js';
import { EndpointSliceMirroringController } from './controller.js';

configureLogging({ quiet: true });

const svc = (name: string, selector?: Record<string, string>): KubeObject => ({ apiVersion: 'v1', kind: 'Service', metadata: { namespace: 'ns', name, uid: `svc-${name}` }, spec: { ...(selector ? { selector } : {}), ports: [{ port: 80 }] } });
const eps = (name: string, labels: Record<string, string> = {}): KubeObject => ({
  apiVersion: 'v1', kind: 'Endpoints',
  metadata: { namespace: 'ns', name, uid: `ep-${name}`, labels, annotations: { keep: 'me', 'endpoints.kubernetes.io/last-change-trigger-time': 'x' } },
  subsets: [{ addresses: [{ ip: '1.2.3.4', hostname: 'h' }], notReadyAddresses: [{ ip: '1.2.3.5' }, { ip: 'fd00::1' }], ports: [{ name: 'http', port: 8080, protocol: 'TCP' }] }],
});
const mirrored = (name: string): KubeObject => ({
  apiVersion: 'discovery.k8s.io/v1', kind: 'EndpointSlice',
  metadata: { namespace: 'ns', name: `${name}-abc`, uid: 'slice-uid', labels: { 'kubernetes.io/service-name': name, 'endpointslice.kubernetes.io/managed-by': 'endpointslicemirroring-controller.k8s.io' } },
  addressType: 'IPv4', endpoints: [{ addresses: ['9.9.9.9'], conditions: { ready: true } }], ports: [],
});

async function setup(objects: KubeObject[]) {
  const client = new FakeClient({ objects });
  const f = new SharedInformerFactory(client);
  const c = new EndpointSliceMirroringController({
    client, endpoints: f.forResource<EndpointsObject>(refs.endpoints), services: f.forResource<Service>(refs.services), slices: f.forResource<EndpointSlice>(refs.endpointslices),
  });
  f.start();
  await f.waitForCacheSync();
  client.clearActions();
  return { client, c, f };
}

describe('endpointslice mirroring', () => {
  test('custom Endpoints of a selector-less service become IPv4 and IPv6 slices', async () => {
    const { client, c, f } = await setup([svc('ext'), eps('ext', { team: 'a' })]);
    await c.sync('ns/ext');
    const created = client.filterActions({ verb: 'create' }).map((a) => a.object as EndpointSlice);
    assert.deepEqual(created.map((s) => s.addressType), ['IPv4', 'IPv6']);
    const v4 = created[0]!;
    assert.deepEqual(v4.metadata.labels, { team: 'a', 'kubernetes.io/service-name': 'ext', 'endpointslice.kubernetes.io/managed-by': 'endpointslicemirroring-controller.k8s.io' });
    assert.deepEqual(v4.metadata.annotations, { keep: 'me' });
    assert.equal(v4.metadata.ownerReferences![0]!.kind, 'Endpoints');
    assert.deepEqual(v4.endpoints, [{ addresses: ['1.2.3.4'], conditions: { ready: true }, hostname: 'h' }, { addresses: ['1.2.3.5'], conditions: { ready: false } }]);
    assert.deepEqual(v4.ports, [{ name: 'http', port: 8080, protocol: 'TCP' }]);
    await f.shutdown();
  });

  test('skip-mirror, selector services and missing services are not mirrored; stale mirrors are deleted', async () => {
    const { client, c, f } = await setup([
      svc('kubernetes'), eps('kubernetes', { 'endpointslice.kubernetes.io/skip-mirror': 'true' }),
      svc('web', { app: 'web' }), eps('web'), mirrored('web'),
      eps('nosvc'),
    ]);
    await c.sync('ns/kubernetes');
    await c.sync('ns/web');
    await c.sync('ns/nosvc');
    assert.deepEqual(client.filterActions({ writesOnly: true }).map((a) => `${a.verb} ${a.name}`), ['delete web-abc']);
    await f.shutdown();
  });
});
