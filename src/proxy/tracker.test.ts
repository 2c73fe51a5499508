import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ChangeTracker } from './tracker.js';
import type { EndpointSliceObject, ServiceObject } from './objects.js';
import { categorizeEndpoints } from './categorize.js';
import { FakeClock } from '../util/clock.js';
import { BoundedFrequencyRunner } from './runner.js';

function svc(name: string, spec: ServiceObject['spec'], status?: ServiceObject['status']): ServiceObject {
  return { apiVersion: 'v1', kind: 'Service', metadata: { namespace: 'default', name }, spec, ...(status ? { status } : {}) };
}
function slice(name: string, service: string, eps: [string, boolean | null, string?][], ports: { name?: string; port: number; protocol?: string }[]): EndpointSliceObject {
  return {
    apiVersion: 'discovery.k8s.io/v1', kind: 'EndpointSlice', addressType: 'IPv4',
    metadata: { namespace: 'default', name, labels: { 'kubernetes.io/service-name': service }, annotations: { 'endpoints.kubernetes.io/last-change-trigger-time': '2026-01-01T00:00:00Z' } },
    endpoints: eps.map(([ip, ready, node]) => ({ addresses: [ip], conditions: { ready }, ...(node ? { nodeName: node } : {}) })),
    ports,
  };
}

function tracker(objs: { svcs: ServiceObject[]; slices: EndpointSliceObject[] }) {
  return new ChangeTracker('n1', {
    service: (k) => objs.svcs.find((s) => `default/${s.metadata.name}` === k),
    slices: (k) => objs.slices.filter((s) => `default/${s.metadata.labels!['kubernetes.io/service-name']}` === k),
  });
}

test('tracker: service ports, merged and de-duplicated endpoints, changed keys', () => {
  const objs = {
    svcs: [svc('web', { type: 'NodePort', clusterIP: '10.43.0.100', ports: [{ name: 'http', port: 80, nodePort: 30080 }, { name: 'dns', port: 53, protocol: 'UDP' }], sessionAffinity: 'ClientIP' })],
    slices: [
      slice('web-a', 'web', [['10.42.0.3', true, 'n1'], ['10.42.0.2', null, 'n2']], [{ name: 'http', port: 8080 }, { name: 'dns', port: 5353, protocol: 'UDP' }]),
      slice('web-b', 'web', [['10.42.0.3', true, 'n1'], ['10.42.0.4', false]], [{ name: 'http', port: 8080 }]),
    ],
  };
  const t = tracker(objs);
  assert.equal(t.update('default/web'), true);
  const first = t.take();
  assert.equal(first.changed, null, 'the first sync is full');
  const web = first.state.services.get('default/web:http')!;
  assert.equal(web.nodePort, 30080);
  assert.equal(web.affinityTimeoutSeconds, 10800);
  assert.deepEqual(first.state.endpoints.get('default/web:http')!.map((e) => `${e.ip}:${e.port}:${e.ready}:${e.isLocal}`),
    ['10.42.0.2:8080:true:false', '10.42.0.3:8080:true:true', '10.42.0.4:8080:false:false']);
  assert.deepEqual(first.state.endpoints.get('default/web:dns')!.map((e) => e.port), [5353, 5353]);
  assert.equal(first.triggerTimes.length, 1);

  assert.equal(t.update('default/web'), false, 'nothing changed');
  objs.slices[1]!.endpoints![1]!.conditions = { ready: true };
  assert.equal(t.update('default/web'), true);
  const second = t.take();
  assert.deepEqual([...second.changed!], ['default/web:http']);
  assert.equal(categorizeEndpoints(second.state.services.get('default/web:http')!, second.state.endpoints.get('default/web:http')!).clusterEndpoints.length, 3);

  objs.svcs[0]!.spec!.ports = [{ name: 'http', port: 80, nodePort: 30080 }];
  t.update('default/web');
  assert.deepEqual([...t.take().changed!], ['default/web:dns'], 'a removed port is a change');
  objs.svcs = [];
  t.update('default/web');
  const gone = t.take();
  assert.deepEqual([...gone.changed!], ['default/web:http']);
  assert.equal(gone.state.services.size, 0);
});

test('tracker: headless and ExternalName services are skipped; a failed sync makes the next full', () => {
  const objs = { svcs: [svc('h', { clusterIP: 'None', ports: [{ port: 80 }] }), svc('x', { type: 'ExternalName', ports: [] })], slices: [] };
  const t = tracker(objs);
  assert.equal(t.update('default/h'), false);
  assert.equal(t.update('default/x'), false);
  t.take();
  t.restore();
  assert.equal(t.take().changed, null);
});

test('categorize: traffic policies', () => {
  const base = { key: 'k', name: { namespace: 'n', name: 's', port: '', protocol: 'TCP' as const }, type: 'NodePort' as const, clusterIP: '10.43.0.1', port: 80, protocol: 'TCP' as const, nodePort: 30000, externalIPs: [], loadBalancerIPs: [], loadBalancerSourceRanges: [], affinityTimeoutSeconds: 0, externalPolicyLocal: false, internalPolicyLocal: false, healthCheckNodePort: 0 };
  const eps = [
    { ip: '10.42.0.2', port: 80, ready: true, serving: true, terminating: false, isLocal: true },
    { ip: '10.42.1.2', port: 80, ready: true, serving: true, terminating: false, isLocal: false },
    { ip: '10.42.0.3', port: 80, ready: false, serving: true, terminating: true, isLocal: true },
  ];
  let c = categorizeEndpoints(base, eps);
  assert.equal(c.clusterEndpoints.length, 2);
  assert.equal(c.localEndpoints.length, 0);
  c = categorizeEndpoints({ ...base, externalPolicyLocal: true }, eps);
  assert.deepEqual(c.localEndpoints.map((e) => e.ip), ['10.42.0.2']);
  assert.equal(c.allReachable.length, 2);
  c = categorizeEndpoints({ ...base, internalPolicyLocal: true, externalPolicyLocal: true }, [eps[1]!, eps[2]!]);
  assert.deepEqual(c.clusterEndpoints.map((e) => e.ip), ['10.42.1.2'], 'externally reachable: pods and the node short-circuit to cluster endpoints');
  assert.deepEqual(c.localEndpoints.map((e) => e.ip), ['10.42.0.3'], 'serving-terminating local endpoints are the fallback');
  c = categorizeEndpoints({ ...base, type: 'ClusterIP', nodePort: 0, internalPolicyLocal: true }, [eps[1]!]);
  assert.deepEqual([c.clusterEndpoints.length, c.localEndpoints.length, c.hasAnyEndpoints], [0, 0, true], 'internal Local with endpoints only elsewhere: DROP, not REJECT');
});

test('runner: coalesces requests, honours the minimum interval after the burst, retries failures', async () => {
  const clock = new FakeClock(0);
  let runs = 0;
  let fail = false;
  const r = new BoundedFrequencyRunner(async () => { runs++; if (fail) throw new Error('x'); }, { minIntervalMs: 1000, maxIntervalMs: 30_000, burst: 2, clock });
  r.start();
  const settle = () => new Promise((res) => setImmediate(res));
  r.run(); await settle();
  r.run(); await settle();
  assert.equal(runs, 2, 'burst of two');
  r.run(); r.run(); r.run(); await settle();
  assert.equal(runs, 2);
  clock.advance(1000); await settle();
  assert.equal(runs, 3, 'one run for the three requests');
  fail = true;
  clock.advance(1000); r.run(); await settle(); await settle();
  assert.equal(runs, 4);
  fail = false;
  clock.advance(1000); await settle(); await settle();
  assert.equal(runs, 5, 'the failed run was retried');
  clock.advance(30_000); await settle();
  assert.equal(runs, 6, 'periodic run');
  await r.stop();
});
