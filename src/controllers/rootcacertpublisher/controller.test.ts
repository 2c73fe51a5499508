import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { KubeObject } from '../../api/types.js';
import { FakeClient, SharedInformerFactory, refs } from '../../client/index.js';
import { configureLogging } from '../../util/log.js';
import { DESCRIPTION, RootCACertPublisher } from './controller.js';

configureLogging({ quiet: true });

const PEM = '-----BEGIN CERTIFICATE-----\nabc\n-----END CERTIFICATE-----\n';
const ns = (name: string, deleting = false): KubeObject => ({ apiVersion: 'v1', kind: 'Namespace', metadata: { name, ...(deleting ? { deletionTimestamp: '2026-01-01T00:00:00Z', finalizers: ['x'] } : {}) } });
const cm = (namespace: string, data: Record<string, string>, annotations?: Record<string, string>): KubeObject => ({
  apiVersion: 'v1', kind: 'ConfigMap', metadata: { namespace, name: 'kube-root-ca.crt', ...(annotations ? { annotations } : {}) }, data,
});

async function setup(objects: KubeObject[]) {
  const client = new FakeClient({ objects });
  const f = new SharedInformerFactory(client);
  const c = new RootCACertPublisher({ client, namespaces: f.forResource(refs.namespaces), configMaps: f.forResource(refs.configmaps), rootCAPem: PEM });
  f.start();
  await f.waitForCacheSync();
  client.clearActions();
  return { client, c, f };
}

describe('root CA publisher', () => {
  test('creates, repairs edited data and missing annotation, leaves correct ones and terminating namespaces alone', async () => {
    const { client, c, f } = await setup([
      ns('new'), ns('edited'), cm('edited', { 'ca.crt': 'tampered', extra: 'x' }, { [`kubernetes.io/description`]: DESCRIPTION, mine: 'kept' }),
      ns('noanno'), cm('noanno', { 'ca.crt': PEM }), ns('ok'), cm('ok', { 'ca.crt': PEM }, { 'kubernetes.io/description': DESCRIPTION }), ns('t', true),
    ]);
    for (const k of ['new', 'edited', 'noanno', 'ok', 't']) await c.sync(k);
    const acts = client.filterActions({ writesOnly: true });
    assert.deepEqual(acts.map((a) => `${a.verb} ${a.namespace}`), ['create new', 'update edited', 'update noanno']);
    const created = acts[0]!.object as KubeObject & { data: Record<string, string> };
    assert.deepEqual(created.data, { 'ca.crt': PEM });
    assert.equal(created.metadata.annotations!['kubernetes.io/description'], DESCRIPTION);
    const edited = acts[1]!.object as KubeObject & { data: Record<string, string> };
    assert.deepEqual(edited.data, { 'ca.crt': PEM });
    assert.equal(edited.metadata.annotations!.mine, 'kept');
    await f.shutdown();
  });
});
