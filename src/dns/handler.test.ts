import { test } from 'node:test';
import assert from 'node:assert/strict';
import { FakeClock } from '../util/clock.js';
import { logger } from '../util/log.js';
import { MetricsRegistry } from '../util/metrics.js';
import { QueryHandler, type Proto } from './handler.js';
import { DNSMetrics } from './metrics.js';
import { makeService, makeSlice, queryBytes, zoneOf } from './testing.js';
import { RRClass, RRType, Rcode, decode, emptyFlags, encode } from './wire.js';
import { serviceRecords } from './records.js';

const log = logger('dns-test');
const many = Array.from({ length: 100 }, (_, i) => ({ addresses: [`10.5.${i >> 8}.${i & 0xff}`], conditions: { ready: true } }));
const services = [
  makeService('default', 'web', { clusterIP: '10.96.0.10', ports: [{ name: 'http', port: 80 }] }),
  makeService('default', 'big', { clusterIP: 'None' }),
];
const slices = [makeSlice('default', 'big', many)];

function setup() {
  const zone = zoneOf(services, slices);
  const registry = new MetricsRegistry();
  const h = new QueryHandler({ zone, clock: new FakeClock(), log, metrics: new DNSMetrics(registry) });
  const ask = async (q: Buffer, proto: Proto = 'udp') => {
    const r = await h.handle(q, proto);
    return r;
  };
  return { zone, h, ask, registry };
}

test('answers carry the id, flags and question as asked, and repeat from the packet cache', async () => {
  const { ask, zone, registry } = setup();
  const r1 = (await ask(queryBytes('Web.Default.svc.cluster.local', RRType.A, { id: 7 })))!;
  const m1 = decode(r1);
  assert.equal(m1.id, 7);
  assert.ok(m1.flags.qr && m1.flags.aa && m1.flags.rd && m1.flags.ra);
  assert.equal(m1.questions[0]!.name, 'Web.Default.svc.cluster.local');
  assert.deepEqual(m1.answers.map((a) => a.data), ['10.96.0.10']);
  const r2 = (await ask(queryBytes('Web.Default.svc.cluster.local', RRType.A, { id: 8 })))!;
  assert.equal(r2.readUInt16BE(0), 8);
  assert.deepEqual(r2.subarray(2), r1.subarray(2));
  assert.match(registry.render(), /skiff_dns_cache_hits_total\{cache="cluster"\} 1/);
  assert.match(registry.render(), /skiff_dns_requests_total\{proto="udp",type="A"\} 2/);
  // A change to the zone drops the finished packets.
  zone.setOwner('default/web', serviceRecords(makeService('default', 'web', { clusterIP: '10.96.0.99' }), [], { zone: 'cluster.local', ttl: 30 }));
  const m3 = decode((await ask(queryBytes('Web.Default.svc.cluster.local', RRType.A, { id: 9 })))!);
  assert.deepEqual(m3.answers.map((a) => a.data), ['10.96.0.99']);
});

test('UDP replies over 512 bytes (or the EDNS size) are truncated with TC; TCP gets everything', async () => {
  const { ask } = setup();
  const cases: { name: string; q: Buffer; proto: Proto; tc: boolean; max: number }[] = [
    { name: 'udp classic', q: queryBytes('big.default.svc.cluster.local', RRType.A), proto: 'udp', tc: true, max: 512 },
    { name: 'udp edns 1232', q: queryBytes('big.default.svc.cluster.local', RRType.A, { edns: { udpSize: 1232 } }), proto: 'udp', tc: true, max: 1232 },
    { name: 'udp edns 4096', q: queryBytes('big.default.svc.cluster.local', RRType.A, { edns: { udpSize: 4096 } }), proto: 'udp', tc: false, max: 4096 },
    { name: 'edns below 512 counts as 512', q: queryBytes('big.default.svc.cluster.local', RRType.A, { edns: { udpSize: 100 } }), proto: 'udp', tc: true, max: 512 },
    { name: 'tcp', q: queryBytes('big.default.svc.cluster.local', RRType.A), proto: 'tcp', tc: false, max: 65535 },
  ];
  for (const c of cases) {
    const buf = (await ask(c.q, c.proto))!;
    const m = decode(buf);
    assert.ok(buf.length <= c.max, `${c.name}: ${buf.length} > ${c.max}`);
    assert.equal(m.flags.tc, c.tc, c.name);
    if (c.tc) assert.ok(m.answers.length > 0 && m.answers.length < 100, `${c.name}: ${m.answers.length} answers`);
    else assert.equal(m.answers.length, 100, c.name);
  }
});

test('EDNS: OPT is echoed with our size and the DO bit; a higher version gets BADVERS', async () => {
  const { ask } = setup();
  const m = decode((await ask(queryBytes('web.default.svc.cluster.local', RRType.A, { edns: { udpSize: 4096, dnssecOk: true } })))!);
  assert.equal(m.edns?.udpSize, 1232);
  assert.equal(m.edns?.dnssecOk, true);
  assert.equal(decode((await ask(queryBytes('web.default.svc.cluster.local', RRType.A)))!).edns, undefined);
  const bad = decode((await ask(queryBytes('web.default.svc.cluster.local', RRType.A, { edns: { version: 1 } })))!);
  assert.equal(bad.flags.rcode, Rcode.BADVERS);
  assert.equal(bad.edns?.version, 0);
});

test('bad input gets FORMERR, NOTIMP or nothing, never an exception', async () => {
  const { ask, registry } = setup();
  const q = queryBytes('web.default.svc.cluster.local', RRType.A, { id: 99 });
  const withFlags = (b2: number) => {
    const c = Buffer.from(q);
    c[2] = b2;
    return c;
  };
  const noQuestion = encode({ id: 5, flags: emptyFlags(), questions: [], answers: [], authority: [], additional: [] });
  const twoQuestions = encode({ id: 5, flags: emptyFlags(), questions: [{ name: 'a', type: 1, class: 1 }, { name: 'b', type: 1, class: 1 }], answers: [], authority: [], additional: [] });
  const cases: { name: string; q: Buffer; want: number | null }[] = [
    { name: 'shorter than a header', q: Buffer.from([1, 2, 3]), want: null },
    { name: 'a response (QR set)', q: withFlags(0x81), want: null },
    { name: 'truncated question', q: q.subarray(0, q.length - 3), want: Rcode.FORMERR },
    { name: 'no question', q: noQuestion, want: Rcode.FORMERR },
    { name: 'two questions', q: twoQuestions, want: Rcode.FORMERR },
    { name: 'opcode STATUS', q: withFlags(2 << 3), want: Rcode.NOTIMP },
    { name: 'class CHAOS', q: queryBytes('version.bind', RRType.TXT, { klass: RRClass.CH }), want: Rcode.NOTIMP },
    { name: 'AXFR', q: queryBytes('cluster.local', RRType.AXFR), want: Rcode.NOTIMP },
    { name: 'unknown type in zone is NODATA', q: queryBytes('web.default.svc.cluster.local', 4321), want: Rcode.NOERROR },
    { name: 'class ANY is answered', q: queryBytes('web.default.svc.cluster.local', RRType.A, { klass: RRClass.ANY }), want: Rcode.NOERROR },
    { name: 'outside the zone without upstreams', q: queryBytes('example.com', RRType.A), want: Rcode.SERVFAIL },
  ];
  for (const c of cases) {
    const r = await ask(c.q);
    if (c.want === null) {
      assert.equal(r, null, c.name);
      continue;
    }
    assert.ok(r, c.name);
    const m = decode(r);
    assert.equal(m.flags.rcode, c.want, c.name);
    assert.ok(m.flags.qr, c.name);
    assert.equal(m.id, c.q.readUInt16BE(0), c.name);
  }
  assert.match(registry.render(), /skiff_dns_responses_total\{rcode="FORMERR"\} 3/);
});
