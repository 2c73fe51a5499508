import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Endpoint, ServicePortInfo } from '../types.js';
import { planPort } from './plan.js';
import { makeEndpoint, makeService } from './testing.js';

const local = makeEndpoint('10.42.1.5', 8080, { isLocal: true });
const remote = makeEndpoint('10.42.2.5', 8080, { isLocal: false });
const base = { name: 'web', clusterIP: '10.43.0.20', port: 80 };
const ctx = { nodePortAddresses: ['0.0.0.0'], isLocalAddress: (ip: string) => ip === '192.0.2.11' };

interface Case {
  name: string;
  svc: Omit<Partial<ServicePortInfo>, 'name'>;
  eps: Endpoint[];
  addresses: string[];
  internal?: string[];
  external?: string[];
}

const cases: Case[] = [
  { name: 'clusterIP only', svc: {}, eps: [local, remote], addresses: ['10.43.0.20:80/TCP'], internal: ['10.42.1.5', '10.42.2.5'] },
  { name: 'no endpoints: nothing bound', svc: { nodePort: 30080 }, eps: [], addresses: [] },
  { name: 'only unready endpoints: nothing bound', svc: {}, eps: [makeEndpoint('10.42.1.6', 80, { ready: false, serving: false })], addresses: [] },
  { name: 'terminating-but-serving fallback', svc: {}, eps: [makeEndpoint('10.42.1.6', 80, { ready: false, serving: true, terminating: true })], addresses: ['10.43.0.20:80/TCP'] },
  { name: 'UDP', svc: { protocol: 'UDP', port: 53 }, eps: [local], addresses: ['10.43.0.20:53/UDP'] },
  { name: 'SCTP is not proxied', svc: { protocol: 'SCTP' }, eps: [local], addresses: [] },
  {
    name: 'NodePort and external IPs (only local ones)',
    svc: { type: 'NodePort', nodePort: 30080, externalIPs: ['192.0.2.11', '198.51.100.1'], loadBalancerIPs: ['192.0.2.11'] },
    eps: [local], addresses: ['10.43.0.20:80/TCP', '0.0.0.0:30080/TCP', '192.0.2.11:80/TCP'],
  },
  {
    name: 'internalTrafficPolicy Local without local endpoints: no ClusterIP, NodePort still',
    svc: { internalPolicyLocal: true, nodePort: 30080 }, eps: [remote],
    addresses: ['0.0.0.0:30080/TCP'], internal: [], external: ['10.42.2.5'],
  },
  {
    name: 'externalTrafficPolicy Local: external traffic only to local endpoints',
    svc: { externalPolicyLocal: true, nodePort: 30080 }, eps: [local, remote],
    addresses: ['10.43.0.20:80/TCP', '0.0.0.0:30080/TCP'], internal: ['10.42.1.5', '10.42.2.5'], external: ['10.42.1.5'],
  },
  {
    name: 'externalTrafficPolicy Local without local endpoints: NodePort closed',
    svc: { externalPolicyLocal: true, nodePort: 30080 }, eps: [remote],
    addresses: ['10.43.0.20:80/TCP'], external: [],
  },
];

describe('planPort', () => {
  for (const c of cases) {
    it(c.name, () => {
      const p = planPort(makeService({ ...base, ...c.svc }), c.eps, ctx);
      assert.deepEqual(p.addresses.map((a) => a.id), c.addresses);
      if (c.internal) assert.deepEqual(p.internal.map((t) => t.ip), c.internal);
      if (c.external) assert.deepEqual(p.external.map((t) => t.ip), c.external);
      for (const a of p.addresses) assert.equal(a.cls, a.ip === base.clusterIP ? 'internal' : 'external');
    });
  }
});
