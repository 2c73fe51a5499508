import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { KubeObject } from '../../api/types.js';
import { configureLogging } from '../../util/log.js';
import { refs } from '../../client/index.js';
import { fakeControllerEnv } from '../testing/index.js';
import { ServiceLBController } from './controller.js';

configureLogging({ quiet: true });

const node = (name: string, ip: string, ready = true, extra: Record<string, unknown> = {}): KubeObject => ({
  apiVersion: 'v1', kind: 'Node', metadata: { name }, spec: { ...extra },
  status: { addresses: [{ type: 'InternalIP', address: ip }, { type: 'Hostname', address: name }], conditions: [{ type: 'Ready', status: ready ? 'True' : 'False' }] },
});
const svc = (type: string, status: Record<string, unknown> = {}, spec: Record<string, unknown> = {}): KubeObject => ({
  apiVersion: 'v1', kind: 'Service', metadata: { name: 's', namespace: 'ns', uid: 'u' },
  spec: { type, clusterIP: '10.43.0.5', ports: [{ port: 80 }], ...spec }, status,
});

function setup(objs: KubeObject[]) {
  const env = fakeControllerEnv(objs);
  const c = new ServiceLBController({ client: env.client, informers: env.ctx.informers, clock: env.clock });
  env.fillCaches();
  env.client.clearActions();
  return { env, c };
}

test('a LoadBalancer Service gets the Ready, schedulable nodes\' addresses, sorted', async () => {
  const { env, c } = setup([svc('LoadBalancer'), node('b', '192.0.2.20'), node('a', '192.0.2.3'), node('c', '192.0.2.9', false), node('d', '192.0.2.1', true, { unschedulable: true })]);
  await c.sync('ns/s');
  assert.deepEqual(env.client.actions.map((a) => `${a.verb} ${a.subresource ?? ''}`.trim()), ['update status']);
  const s = await env.client.resource(refs.services).namespace('ns').get('s') as KubeObject & { status: { loadBalancer: { ingress: { ip: string }[] } } };
  assert.deepEqual(s.status.loadBalancer.ingress.map((i) => i.ip), ['192.0.2.3', '192.0.2.20']);
});

test('up to date: no write; a Service that is no longer a LoadBalancer is cleared; other classes are left alone', async () => {
  let { env, c } = setup([svc('LoadBalancer', { loadBalancer: { ingress: [{ ip: '192.0.2.3', ipMode: 'VIP' }] } }), node('a', '192.0.2.3')]);
  await c.sync('ns/s');
  assert.equal(env.client.actions.length, 0);
  ({ env, c } = setup([svc('ClusterIP', { loadBalancer: { ingress: [{ ip: '192.0.2.3', ipMode: 'VIP' }] } }), node('a', '192.0.2.3')]));
  await c.sync('ns/s');
  const s = await env.client.resource(refs.services).namespace('ns').get('s') as KubeObject & { status: { loadBalancer: Record<string, unknown> } };
  assert.deepEqual(s.status.loadBalancer, {});
  ({ env, c } = setup([svc('LoadBalancer', {}, { loadBalancerClass: 'example.com/lb' }), node('a', '192.0.2.3')]));
  await c.sync('ns/s');
  assert.equal(env.client.actions.length, 0);
});
