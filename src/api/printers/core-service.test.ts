import { test } from 'node:test';
import assert from 'node:assert/strict';
import { printerFor } from './index.js';
import { NOW, ago, D, H } from './testing/time.js';

const svc = printerFor('', 'Service');

function makeService(spec: any, status: any = {}) {
  return {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: { name: 'web', namespace: 'shop', creationTimestamp: ago(4 * D + 2 * H) },
    spec: { selector: { app: 'web', tier: 'frontend' }, ...spec },
    status,
  };
}

void test('service columns', () => {
  assert.deepEqual(
    svc.columns.map((c) => `${c.name}/${c.type}/${c.format}/${c.priority}`),
    ['Name/string/name/0', 'Type/string//0', 'Cluster-IP/string//0', 'External-IP/string//0', 'Port(s)/string//0', 'Age/string//0', 'Selector/string//1'],
  );
});

void test('ClusterIP service', () => {
  const s = makeService({
    type: 'ClusterIP',
    clusterIP: '10.43.12.7',
    clusterIPs: ['10.43.12.7'],
    ports: [
      { name: 'http', port: 80, targetPort: 8080, protocol: 'TCP' },
      { name: 'dns', port: 53, targetPort: 53, protocol: 'UDP' },
    ],
  });
  assert.deepEqual(svc.cells(s, NOW), ['web', 'ClusterIP', '10.43.12.7', '<none>', '80/TCP,53/UDP', '4d2h', 'app=web,tier=frontend']);
});

void test('ClusterIP with externalIPs, headless, and portless services', () => {
  const ext = makeService({ type: 'ClusterIP', clusterIPs: ['10.43.0.9'], externalIPs: ['203.0.113.5', '203.0.113.6'], ports: [{ port: 443, protocol: 'TCP' }] });
  assert.equal(svc.cells(ext, NOW)[3], '203.0.113.5,203.0.113.6');

  const headless = makeService({ type: 'ClusterIP', clusterIP: 'None', clusterIPs: ['None'], ports: [] , selector: {} });
  assert.deepEqual(svc.cells(headless, NOW), ['web', 'ClusterIP', 'None', '<none>', '<none>', '4d2h', '<none>']);
});

void test('NodePort service', () => {
  const s = makeService({
    type: 'NodePort',
    clusterIPs: ['10.43.200.1'],
    ports: [{ name: 'http', port: 80, targetPort: 8080, nodePort: 30080, protocol: 'TCP' }],
  });
  assert.deepEqual(svc.cells(s, NOW).slice(1, 5), ['NodePort', '10.43.200.1', '<none>', '80:30080/TCP']);
});

void test('LoadBalancer service: pending, provisioned, with externalIPs', () => {
  const spec = { type: 'LoadBalancer', clusterIPs: ['10.43.5.5'], ports: [{ port: 443, nodePort: 31443, protocol: 'TCP' }] };
  assert.equal(svc.cells(makeService(spec), NOW)[3], '<pending>');

  const ready = makeService(spec, {
    loadBalancer: { ingress: [{ ip: '198.51.100.20' }, { hostname: 'a1b2c3.elb.example.com' }, { ip: '198.51.100.10' }] },
  });
  // De-duplicated and sorted; never clipped server-side (the server renders wide).
  assert.equal(svc.cells(ready, NOW)[3], '198.51.100.10,198.51.100.20,a1b2c3.elb.example.com');

  const both = makeService({ ...spec, externalIPs: ['203.0.113.1'] }, { loadBalancer: { ingress: [{ ip: '198.51.100.20' }] } });
  assert.equal(svc.cells(both, NOW)[3], '198.51.100.20,203.0.113.1');

  const extOnly = makeService({ ...spec, externalIPs: ['203.0.113.1'] });
  assert.equal(svc.cells(extOnly, NOW)[3], '203.0.113.1');
  assert.equal(svc.cells(extOnly, NOW)[4], '443:31443/TCP');
});

void test('ExternalName service', () => {
  const s = makeService({ type: 'ExternalName', externalName: 'db.example.com', selector: undefined });
  assert.deepEqual(svc.cells(s, NOW), ['web', 'ExternalName', '<none>', 'db.example.com', '<none>', '4d2h', '<none>']);
});

void test('Endpoints', () => {
  const ep = printerFor('', 'Endpoints');
  const obj = {
    metadata: { name: 'web', creationTimestamp: ago(H) },
    subsets: [
      {
        addresses: [{ ip: '10.42.0.5' }, { ip: '10.42.1.7' }],
        ports: [
          { name: 'http', port: 8080, protocol: 'TCP' },
          { name: 'metrics', port: 9090, protocol: 'TCP' },
        ],
      },
    ],
  };
  assert.deepEqual(ep.cells(obj, NOW), ['web', '10.42.0.5:8080,10.42.1.7:8080,10.42.0.5:9090 + 1 more...', '60m']);
  assert.equal(ep.cells({ metadata: { name: 'x' }, subsets: [{ addresses: [{ ip: 'fd00::1' }], ports: [{ port: 53 }] }] }, NOW)[1], '[fd00::1]:53');
  assert.equal(ep.cells({ metadata: { name: 'x' } }, NOW)[1], '<none>');
  assert.equal(ep.cells({ metadata: { name: 'x' }, subsets: [{ addresses: [{ ip: '10.42.0.9' }] }] }, NOW)[1], '10.42.0.9');
});
