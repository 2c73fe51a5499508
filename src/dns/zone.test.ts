import { test } from 'node:test';
import assert from 'node:assert/strict';
import { RRClass, RRType, Rcode, type ResourceRecord, type SrvData } from './wire.js';
import { makeService, makeSlice, zoneOf } from './testing.js';
import { ClusterZone } from './zone.js';
import { reverseName } from './addr.js';

const services = [
  makeService('default', 'web', { type: 'ClusterIP', clusterIP: '10.96.0.10', clusterIPs: ['10.96.0.10'], ports: [{ name: 'http', protocol: 'TCP', port: 80 }, { name: 'dns', protocol: 'UDP', port: 53 }, { port: 9000 }] }),
  makeService('default', 'dual', { type: 'ClusterIP', clusterIP: '10.96.0.11', clusterIPs: ['10.96.0.11', 'fd00::11'], ports: [] }),
  makeService('prod', 'db', { clusterIP: 'None', ports: [{ name: 'pg', port: 5432 }] }),
  makeService('prod', 'ext', { type: 'ExternalName', externalName: 'db.example.com.' }),
  makeService('prod', 'empty', { clusterIP: 'None' }),
  makeService('prod', 'notready', { clusterIP: 'None', publishNotReadyAddresses: true }),
];
const slices = [
  makeSlice('prod', 'db', [
    { addresses: ['10.1.0.1'], hostname: 'db-0', conditions: { ready: true } },
    { addresses: ['10.1.0.2'], conditions: { ready: true } },
    { addresses: ['10.1.0.3'], hostname: 'db-2', conditions: { ready: false } },
    { addresses: ['10.1.0.4'], conditions: {} }, // nil ready = ready
  ], [{ name: 'pg', port: 5432 }]),
  makeSlice('prod', 'db', [{ addresses: ['10.1.0.1'], hostname: 'db-0', conditions: { ready: true } }]), // duplicate address in a second slice
  makeSlice('prod', 'db', [{ addresses: ['fd00::1:5'], hostname: 'db-6', conditions: { ready: true } }], [{ name: 'pg', port: 5432 }], 'IPv6'),
  makeSlice('prod', 'notready', [{ addresses: ['10.2.0.1'], conditions: { ready: false } }]),
  makeSlice('prod', 'stray', [{ addresses: ['10.3.0.1'], conditions: { ready: true } }]), // no such Service
];
const zone = zoneOf(services, slices);

type Want = { rcode: number; answers?: string[]; additional?: string[]; soa?: boolean; forward?: boolean };

function show(r: ResourceRecord): string {
  const d = r.data;
  if (r.type === RRType.SRV) {
    const s = d as SrvData;
    return `${r.name} SRV ${s.priority} ${s.weight} ${s.port} ${s.target}`;
  }
  const t = ({ 1: 'A', 28: 'AAAA', 5: 'CNAME', 12: 'PTR', 16: 'TXT', 2: 'NS', 6: 'SOA' } as Record<number, string>)[r.type] ?? String(r.type);
  return `${r.name} ${t} ${Array.isArray(d) ? d.join(',') : typeof d === 'string' ? d : 'soa'}`;
}

test('cluster zone answers every record kind of the DNS spec', () => {
  const cases: { q: string; type: number; want: Want }[] = [
    { q: 'web.default.svc.cluster.local', type: RRType.A, want: { rcode: 0, answers: ['web.default.svc.cluster.local A 10.96.0.10'] } },
    { q: 'WEB.Default.svc.cluster.local.', type: RRType.A, want: { rcode: 0, answers: ['web.default.svc.cluster.local A 10.96.0.10'] } },
    { q: 'web.default.svc.cluster.local', type: RRType.AAAA, want: { rcode: 0, answers: [], soa: true } },
    { q: 'web.default.svc.cluster.local', type: RRType.TXT, want: { rcode: 0, answers: [], soa: true } },
    { q: 'web.default.svc.cluster.local', type: 999, want: { rcode: 0, answers: [], soa: true } },
    { q: 'dual.default.svc.cluster.local', type: RRType.AAAA, want: { rcode: 0, answers: ['dual.default.svc.cluster.local AAAA fd00::11'] } },
    { q: 'dual.default.svc.cluster.local', type: RRType.ANY, want: { rcode: 0, answers: ['dual.default.svc.cluster.local A 10.96.0.11', 'dual.default.svc.cluster.local AAAA fd00::11'] } },
    { q: '_http._tcp.web.default.svc.cluster.local', type: RRType.SRV, want: { rcode: 0, answers: ['_http._tcp.web.default.svc.cluster.local SRV 0 100 80 web.default.svc.cluster.local'], additional: ['web.default.svc.cluster.local A 10.96.0.10'] } },
    { q: '_dns._udp.web.default.svc.cluster.local', type: RRType.SRV, want: { rcode: 0, answers: ['_dns._udp.web.default.svc.cluster.local SRV 0 100 53 web.default.svc.cluster.local'], additional: ['web.default.svc.cluster.local A 10.96.0.10'] } },
    { q: '_dns._tcp.web.default.svc.cluster.local', type: RRType.SRV, want: { rcode: Rcode.NXDOMAIN, soa: true } },
    { q: '_tcp.web.default.svc.cluster.local', type: RRType.SRV, want: { rcode: 0, answers: [], soa: true } }, // empty non-terminal
    { q: 'db.prod.svc.cluster.local', type: RRType.A, want: { rcode: 0, answers: ['db.prod.svc.cluster.local A 10.1.0.1', 'db.prod.svc.cluster.local A 10.1.0.2', 'db.prod.svc.cluster.local A 10.1.0.4'] } },
    { q: 'db.prod.svc.cluster.local', type: RRType.AAAA, want: { rcode: 0, answers: ['db.prod.svc.cluster.local AAAA fd00::1:5'] } },
    { q: 'db-0.db.prod.svc.cluster.local', type: RRType.A, want: { rcode: 0, answers: ['db-0.db.prod.svc.cluster.local A 10.1.0.1'] } },
    { q: '10-1-0-2.db.prod.svc.cluster.local', type: RRType.A, want: { rcode: 0, answers: ['10-1-0-2.db.prod.svc.cluster.local A 10.1.0.2'] } },
    { q: 'db-2.db.prod.svc.cluster.local', type: RRType.A, want: { rcode: Rcode.NXDOMAIN, soa: true } }, // not ready
    {
      q: '_pg._tcp.db.prod.svc.cluster.local', type: RRType.SRV, want: {
        rcode: 0,
        answers: ['_pg._tcp.db.prod.svc.cluster.local SRV 0 25 5432 db-0.db.prod.svc.cluster.local', '_pg._tcp.db.prod.svc.cluster.local SRV 0 25 5432 10-1-0-2.db.prod.svc.cluster.local', '_pg._tcp.db.prod.svc.cluster.local SRV 0 25 5432 10-1-0-4.db.prod.svc.cluster.local', '_pg._tcp.db.prod.svc.cluster.local SRV 0 25 5432 db-6.db.prod.svc.cluster.local'],
        additional: ['db-0.db.prod.svc.cluster.local A 10.1.0.1', '10-1-0-2.db.prod.svc.cluster.local A 10.1.0.2', '10-1-0-4.db.prod.svc.cluster.local A 10.1.0.4', 'db-6.db.prod.svc.cluster.local AAAA fd00::1:5'],
      },
    },
    { q: 'ext.prod.svc.cluster.local', type: RRType.A, want: { rcode: 0, answers: ['ext.prod.svc.cluster.local CNAME db.example.com'] } },
    { q: 'ext.prod.svc.cluster.local', type: RRType.CNAME, want: { rcode: 0, answers: ['ext.prod.svc.cluster.local CNAME db.example.com'] } },
    { q: 'empty.prod.svc.cluster.local', type: RRType.A, want: { rcode: Rcode.NXDOMAIN, soa: true } }, // headless, no endpoints
    { q: 'notready.prod.svc.cluster.local', type: RRType.A, want: { rcode: 0, answers: ['notready.prod.svc.cluster.local A 10.2.0.1'] } }, // publishNotReadyAddresses
    { q: 'stray.prod.svc.cluster.local', type: RRType.A, want: { rcode: Rcode.NXDOMAIN, soa: true } },
    { q: 'nope.default.svc.cluster.local', type: RRType.A, want: { rcode: Rcode.NXDOMAIN, soa: true } },
    { q: 'default.svc.cluster.local', type: RRType.A, want: { rcode: 0, answers: [], soa: true } },
    { q: 'svc.cluster.local', type: RRType.A, want: { rcode: 0, answers: [], soa: true } },
    { q: 'cluster.local', type: RRType.SOA, want: { rcode: 0, answers: ['cluster.local SOA soa'] } },
    { q: 'cluster.local', type: RRType.NS, want: { rcode: 0, answers: ['cluster.local NS ns.dns.cluster.local'] } },
    { q: 'dns-version.cluster.local', type: RRType.TXT, want: { rcode: 0, answers: ['dns-version.cluster.local TXT 1.1.0'] } },
    { q: 'dns-version.cluster.local', type: RRType.A, want: { rcode: 0, answers: [], soa: true } },
    { q: '10-244-1-7.default.pod.cluster.local', type: RRType.A, want: { rcode: 0, answers: ['10-244-1-7.default.pod.cluster.local A 10.244.1.7'] } },
    { q: 'fd00--7.default.pod.cluster.local', type: RRType.AAAA, want: { rcode: 0, answers: ['fd00--7.default.pod.cluster.local AAAA fd00::7'] } },
    { q: '10-244-1-7.default.pod.cluster.local', type: RRType.AAAA, want: { rcode: 0, answers: [], soa: true } },
    { q: '10-244-1-999.default.pod.cluster.local', type: RRType.A, want: { rcode: Rcode.NXDOMAIN, soa: true } },
    { q: '10.96.0.10.in-addr.arpa', type: RRType.PTR, want: { rcode: 0, forward: true } }, // not a reverse name of ours (wrong order)
    { q: reverseName('10.96.0.10'), type: RRType.PTR, want: { rcode: 0, answers: ['10.0.96.10.in-addr.arpa PTR web.default.svc.cluster.local'] } },
    { q: reverseName('fd00::11'), type: RRType.PTR, want: { rcode: 0, answers: [`${reverseName('fd00::11')} PTR dual.default.svc.cluster.local`] } },
    { q: reverseName('10.1.0.1'), type: RRType.PTR, want: { rcode: 0, answers: ['1.0.1.10.in-addr.arpa PTR db-0.db.prod.svc.cluster.local'] } },
    { q: reverseName('10.1.0.2'), type: RRType.PTR, want: { rcode: 0, answers: ['2.0.1.10.in-addr.arpa PTR 10-1-0-2.db.prod.svc.cluster.local'] } },
    { q: reverseName('8.8.8.8'), type: RRType.PTR, want: { rcode: 0, forward: true } },
    { q: 'example.com', type: RRType.A, want: { rcode: 0, forward: true } },
    { q: 'cluster.local.example.com', type: RRType.A, want: { rcode: 0, forward: true } },
  ];
  for (const c of cases) {
    const r = zone.lookup({ name: c.q, type: c.type, class: RRClass.IN });
    const label = `${c.q} ${c.type}`;
    if (c.want.forward) {
      assert.equal(r.kind, 'forward', label);
      continue;
    }
    assert.equal(r.kind, 'answer', label);
    if (r.kind !== 'answer') continue;
    assert.equal(r.rcode, c.want.rcode, label);
    assert.ok(r.authoritative, label);
    if (c.want.answers) assert.deepEqual(r.answers.map(show).sort(), c.want.answers.slice().sort(), label);
    else assert.deepEqual(r.answers, [], label);
    assert.deepEqual(r.additional.map(show).sort(), (c.want.additional ?? []).slice().sort(), label);
    assert.equal(r.authority.length === 1 && r.authority[0]!.type === RRType.SOA, !!c.want.soa, label);
    for (const rr of [...r.answers, ...r.authority]) assert.equal(rr.ttl, 30, label);
  }
});

test('records follow their Service: replace and delete leave nothing behind', () => {
  const z = zoneOf([]);
  const g0 = z.generation;
  const a = zoneOf([services[0]!]).lookup({ name: 'web.default.svc.cluster.local', type: RRType.A, class: 1 });
  assert.equal(a.kind === 'answer' && a.answers.length, 1);
  z.setOwner('default/web', [{ name: 'web.default.svc.cluster.local', type: RRType.A, class: 1, ttl: 30, data: '10.0.0.1' }]);
  assert.ok(z.generation > g0);
  z.setOwner('default/web', [{ name: 'web.default.svc.cluster.local', type: RRType.A, class: 1, ttl: 30, data: '10.0.0.2' }]);
  const r = z.lookup({ name: 'web.default.svc.cluster.local', type: RRType.A, class: 1 });
  assert.deepEqual(r.kind === 'answer' && r.answers.map((x) => x.data), ['10.0.0.2']);
  z.setOwner('default/web', []);
  for (const name of ['web.default.svc.cluster.local', 'default.svc.cluster.local']) {
    const n = z.lookup({ name, type: RRType.A, class: 1 });
    assert.equal(n.kind === 'answer' && n.rcode, Rcode.NXDOMAIN, name);
  }
  assert.equal(z.owners, 0);
});

test('reverse lookups inside the service CIDR are answered NXDOMAIN, outside forwarded', () => {
  const z = new ClusterZone({ domain: 'cluster.local', ttl: 30, serviceCIDRs: ['10.96.0.0/12', 'fd00::/108'] });
  const inside = z.lookup({ name: reverseName('10.100.0.1'), type: RRType.PTR, class: 1 });
  assert.equal(inside.kind === 'answer' && inside.rcode, Rcode.NXDOMAIN);
  const v6 = z.lookup({ name: reverseName('fd00::5'), type: RRType.PTR, class: 1 });
  assert.equal(v6.kind === 'answer' && v6.rcode, Rcode.NXDOMAIN);
  assert.equal(z.lookup({ name: reverseName('10.200.0.1'), type: RRType.PTR, class: 1 }).kind, 'forward');
});

test('an update that rebuilds the same records leaves the zone generation alone', () => {
  const z = zoneOf([]);
  const recs = () => [{ name: 'web.default.svc.cluster.local', type: RRType.A, class: 1, ttl: 30, data: '10.0.0.1' }];
  z.setOwner('default/web', recs());
  const g = z.generation;
  z.setOwner('default/web', recs());
  assert.equal(z.generation, g);
  z.setOwner('default/web', [{ ...recs()[0]!, data: '10.0.0.2' }]);
  assert.equal(z.generation, g + 1);
});
