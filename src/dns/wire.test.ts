import { test } from 'node:test';
import assert from 'node:assert/strict';
import { RRClass, RRType, Rcode, WireFormatError, decode, emptyFlags, encode, formatIPv6, parseIPv6, readName, scanRecords, type Message, type ResourceRecord } from './wire.js';
import { canonical, inZone, nameToLabels } from './names.js';

const rr = (name: string, type: number, data: ResourceRecord['data'], ttl = 30): ResourceRecord => ({ name, type, class: RRClass.IN, ttl, data });

function msg(over: Partial<Message>): Message {
  return { id: 0x1234, flags: { ...emptyFlags(), qr: true, aa: true, rd: true, ra: true }, questions: [{ name: 'a.example', type: RRType.A, class: RRClass.IN }], answers: [], authority: [], additional: [], ...over };
}

test('encode/decode round trips every record type', () => {
  const cases: { name: string; m: Message }[] = [
    { name: 'A', m: msg({ answers: [rr('a.example', RRType.A, '10.0.0.1'), rr('a.example', RRType.A, '192.168.255.254', 0)] }) },
    { name: 'AAAA', m: msg({ answers: [rr('a.example', RRType.AAAA, '2001:db8::1'), rr('a.example', RRType.AAAA, 'fe80::1:2:3:4')] }) },
    { name: 'CNAME/NS/PTR', m: msg({ answers: [rr('a.example', RRType.CNAME, 'b.example'), rr('example', RRType.NS, 'ns.example'), rr('1.0.0.10.in-addr.arpa', RRType.PTR, 'svc.ns.svc.cluster.local')] }) },
    { name: 'SRV', m: msg({ answers: [rr('_http._tcp.svc.example', RRType.SRV, { priority: 0, weight: 100, port: 8080, target: 'svc.example' })] }) },
    { name: 'SOA', m: msg({ flags: { ...emptyFlags(), qr: true, rcode: Rcode.NXDOMAIN }, authority: [rr('example', RRType.SOA, { mname: 'ns.example', rname: 'hostmaster.example', serial: 4294967295, refresh: 7200, retry: 1800, expire: 86400, minimum: 30 })] }) },
    { name: 'TXT', m: msg({ answers: [rr('dns-version.cluster.local', RRType.TXT, ['1.1.0', '', 'x y'])] }) },
    { name: 'MX', m: msg({ answers: [rr('example', RRType.MX, { preference: 10, exchange: 'mail.example' })] }) },
    { name: 'unknown type raw', m: msg({ answers: [rr('example', 999, Uint8Array.from([1, 2, 3]))] }) },
    { name: 'EDNS with option and extended rcode', m: msg({ flags: { ...emptyFlags(), qr: true, rcode: Rcode.BADVERS }, edns: { udpSize: 1232, extRcode: 1, version: 0, dnssecOk: true, options: [{ code: 10, data: Uint8Array.from([1, 2, 3, 4, 5, 6, 7, 8]) }] } }) },
    { name: 'escaped label', m: msg({ questions: [{ name: 'a\\.b.c\\\\d.\\000x', type: RRType.TXT, class: RRClass.IN }] }) },
    { name: 'root name', m: msg({ questions: [{ name: '', type: RRType.NS, class: RRClass.IN }] }) },
  ];
  for (const c of cases) {
    const buf = encode(c.m);
    const back = decode(buf);
    assert.equal(back.id, c.m.id, c.name);
    assert.deepEqual(back.flags, c.m.flags, c.name);
    assert.deepEqual(back.questions, c.m.questions, c.name);
    const norm = (rs: ResourceRecord[]) => rs.map((r) => ({ ...r, data: r.data instanceof Uint8Array ? Array.from(r.data) : r.data }));
    assert.deepEqual(norm(back.answers), norm(c.m.answers), c.name);
    assert.deepEqual(norm(back.authority), norm(c.m.authority), c.name);
    if (c.m.edns) {
      assert.equal(back.edns?.udpSize, c.m.edns.udpSize);
      assert.equal(back.edns?.dnssecOk, true);
      assert.deepEqual(back.edns?.options.map((o) => [o.code, Array.from(o.data)]), c.m.edns.options.map((o) => [o.code, Array.from(o.data)]));
    }
    assert.deepEqual(encode(back), buf, `${c.name}: re-encode is identical`);
  }
});

test('names are compressed with pointers and decompressed', () => {
  const m = msg({
    questions: [{ name: 'web.default.svc.cluster.local', type: RRType.A, class: RRClass.IN }],
    answers: [rr('web.default.svc.cluster.local', RRType.A, '10.0.0.1'), rr('web.default.svc.cluster.local', RRType.A, '10.0.0.2'), rr('x.default.svc.cluster.local', RRType.CNAME, 'WEB.default.svc.cluster.local')],
  });
  const buf = encode(m);
  // question name 31 bytes written once; the answers' owners are 2-byte pointers to offset 12.
  assert.equal(buf.readUInt16BE(12 + 31 + 4), 0xc000 | 12);
  const uncompressedSize = 12 + 35 + 3 * (31 + 10) + 8 + 33;
  assert.ok(buf.length < uncompressedSize - 60, `compressed ${buf.length} vs ${uncompressedSize}`);
  assert.deepEqual(decode(buf).answers.map((a) => a.name), ['web.default.svc.cluster.local', 'web.default.svc.cluster.local', 'x.default.svc.cluster.local']);
  // Compression matches case-insensitively (names compare that way), so the CNAME target points back.
  assert.equal(decode(buf).answers[2]!.data, 'web.default.svc.cluster.local');
  // SRV targets are never compressed (RFC 2782).
  const srv = encode(msg({ answers: [rr('a.example', RRType.SRV, { priority: 1, weight: 2, port: 3, target: 'a.example' })] }));
  assert.ok(srv.includes(Buffer.from('\x01a\x07example\x00', 'latin1'), 30));
});

test('malformed names and messages are rejected', () => {
  const header = (qd = 1) => Buffer.from([0, 1, 1, 0, 0, qd, 0, 0, 0, 0, 0, 0]);
  const cases: { name: string; buf: Buffer }[] = [
    { name: 'short header', buf: Buffer.from([0, 1, 2]) },
    { name: 'pointer to itself', buf: Buffer.concat([header(), Buffer.from([0xc0, 12, 0, 1, 0, 1])]) },
    { name: 'pointer forward', buf: Buffer.concat([header(), Buffer.from([0xc0, 14, 1, 97, 0, 0, 1, 0, 1])]) },
    { name: 'two-pointer loop', buf: Buffer.concat([header(), Buffer.from([1, 97, 0xc0, 16, 0xc0, 12, 0, 1, 0, 1])]) },
    { name: 'label past end', buf: Buffer.concat([header(), Buffer.from([10, 97, 98])]) },
    { name: 'missing type', buf: Buffer.concat([header(), Buffer.from([1, 97, 0, 0])]) },
    { name: 'extended label type', buf: Buffer.concat([header(), Buffer.from([0x41, 0, 0, 1, 0, 1])]) },
    { name: 'name over 255 bytes', buf: Buffer.concat([header(), Buffer.from(Array.from({ length: 5 }, () => [63, ...new Array<number>(63).fill(97)]).flat()), Buffer.from([0, 0, 1, 0, 1])]) },
    { name: 'trailing garbage', buf: Buffer.concat([header(), Buffer.from([1, 97, 0, 0, 1, 0, 1, 9])]) },
    { name: 'answer count without answers', buf: Buffer.concat([Buffer.from([0, 1, 1, 0, 0, 1, 0, 1, 0, 0, 0, 0]), Buffer.from([1, 97, 0, 0, 1, 0, 1])]) },
    { name: 'A rdata of 3 bytes', buf: Buffer.concat([Buffer.from([0, 1, 0x81, 0, 0, 0, 0, 1, 0, 0, 0, 0]), Buffer.from([0, 0, 1, 0, 1, 0, 0, 0, 30, 0, 3, 1, 2, 3])]) },
  ];
  for (const c of cases) assert.throws(() => decode(c.buf), WireFormatError, c.name);
});

test('a backward pointer chain is followed', () => {
  const buf = Buffer.concat([Buffer.alloc(12), Buffer.from([3, 99, 111, 109, 0, 3, 102, 111, 111, 0xc0, 12, 3, 98, 97, 114, 0xc0, 17])]);
  assert.deepEqual(readName(buf, 23), { name: 'bar.foo.com', end: 29 });
});

test('scanRecords finds TTL offsets, skipping OPT', () => {
  const buf = encode(msg({ answers: [rr('a.example', RRType.A, '1.2.3.4', 77)], authority: [rr('example', RRType.NS, 'ns.example', 88)], edns: { udpSize: 4096, extRcode: 0, version: 0, dnssecOk: false, options: [] } }));
  const s = scanRecords(buf);
  assert.deepEqual(s.ttls, [77, 88]);
  assert.equal(buf.readUInt32BE(s.ttlOffsets[0]!), 77);
  assert.equal(s.questionEnd, 12 + 11 + 4);
});

test('IPv6 text and name helpers', () => {
  for (const [a, b] of [['2001:db8::1', '2001:db8::1'], ['0:0:0:0:0:0:0:1', '::1'], ['::', '::'], ['1:0:0:2:0:0:0:3', '1:0:0:2::3'], ['::ffff:1.2.3.4', '::ffff:102:304']] as const) {
    assert.equal(formatIPv6(parseIPv6(a)), b);
  }
  assert.throws(() => parseIPv6('1::2::3'));
  assert.throws(() => nameToLabels('a..b'));
  assert.throws(() => nameToLabels('x'.repeat(64)));
  assert.equal(canonical('Web.Default.SVC.cluster.local.'), 'web.default.svc.cluster.local');
  assert.ok(inZone('a.cluster.local', 'cluster.local'));
  assert.ok(!inZone('acluster.local', 'cluster.local'));
  assert.ok(inZone('cluster.local', 'cluster.local'));
});
