import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { KubeObject } from '../../api/types.js';
import { FakeClient, SharedInformerFactory, refs } from '../../client/index.js';
import { configureLogging } from '../../util/log.js';
import { CidrSet, parseCidr } from './cidrset.js';
import { NodeIpamController } from './controller.js';

configureLogging({ quiet: true });

const node = (name: string, podCIDR?: string): KubeObject => ({ apiVersion: 'v1', kind: 'Node', metadata: { name }, spec: podCIDR ? { podCIDR, podCIDRs: [podCIDR] } : {} });

async function setup(objects: KubeObject[], cluster = '10.42.0.0/16', mask = 24) {
  const client = new FakeClient({ objects });
  const f = new SharedInformerFactory(client);
  const c = new NodeIpamController({ client, nodes: f.forResource(refs.nodes), clusterCIDR: cluster, nodeCIDRMaskSize: mask });
  f.start();
  await f.waitForCacheSync();
  client.clearActions();
  return { client, c, f };
}
const patches = (c: FakeClient) => c.filterActions({ verb: 'patch' }).map((a) => `${a.name} ${(a.object as { spec: { podCIDR: string } }).spec.podCIDR}`);

describe('cidr set', () => {
  test('allocates round robin, occupies and releases', () => {
    const s = new CidrSet(parseCidr('10.42.0.0/22'), 24);
    assert.deepEqual([s.allocateNext(), s.allocateNext()], ['10.42.0.0/24', '10.42.1.0/24']);
    assert.equal(s.occupy('10.42.3.0/24'), true);
    assert.equal(s.occupy('10.43.0.0/24'), false);
    assert.equal(s.occupy('10.42.2.0/25'), false);
    assert.equal(s.allocateNext(), '10.42.2.0/24');
    assert.equal(s.allocateNext(), undefined);
    s.release('10.42.1.0/24');
    assert.equal(s.allocateNext(), '10.42.1.0/24');
  });
});

describe('node-ipam controller', () => {
  test('rebuilds from existing nodes and gives a new node the next free /24', async () => {
    const { client, c, f } = await setup([node('a', '10.42.0.0/24'), node('b', '10.42.1.0/24'), node('c')]);
    await c.sync('c');
    await c.sync('a');
    assert.deepEqual(patches(client), ['c 10.42.2.0/24']);
    const n = await client.resource(refs.nodes).get('c');
    assert.deepEqual((n.spec as { podCIDRs: string[] }).podCIDRs, ['10.42.2.0/24']);
    await f.shutdown();
  });

  test('a deleted node releases its CIDR; exhaustion is an error', async () => {
    const { client, c, f } = await setup([node('a', '10.42.0.0/24'), node('b')], '10.42.0.0/24', 24);
    await assert.rejects(c.sync('b'), /no CIDR left/);
    await client.resource(refs.nodes).delete('a');
    for (let i = 0; i < 50 && f.forResource(refs.nodes).lister.get('', 'a'); i++) await new Promise((r) => setTimeout(r, 5));
    await c.sync('a');
    await c.sync('b');
    assert.deepEqual(patches(client), ['b 10.42.0.0/24']);
    await f.shutdown();
  });
});
