import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FakeClient, refs } from '../client/index.js';
import { configureLogging } from '../util/log.js';
import { waitFor } from '../util/wait.js';
import { parseResolvConf, parseUpstream, upstreamsFromResolvConf } from './resolvconf.js';
import { startDNS } from './start.js';
import { makeService, makeSlice, udpQuery } from './testing.js';
import { SERVICE_NAME_LABEL, type EndpointSlice } from './types.js';
import { RRType, Rcode } from './wire.js';

configureLogging({ quiet: true });

test('resolv.conf nameservers become upstreams, minus the cluster DNS itself', () => {
  const text = '# comment\nsearch default.svc.cluster.local\nnameserver 10.0.0.53\nnameserver 127.0.0.1 ; local\nnameserver fe80::1%eth0\noptions ndots:5\nnameserver bogus\n';
  assert.deepEqual(parseResolvConf(text), ['10.0.0.53', '127.0.0.1', 'fe80::1']);
  const dir = mkdtempSync(join(tmpdir(), 'skiff-dns-'));
  writeFileSync(join(dir, 'resolv.conf'), text);
  assert.deepEqual(upstreamsFromResolvConf(join(dir, 'resolv.conf'), [{ address: '0.0.0.0', port: 53 }]).map((u) => u.address), ['10.0.0.53', 'fe80::1']);
  assert.deepEqual(upstreamsFromResolvConf(join(dir, 'resolv.conf'), [{ address: '10.0.0.53', port: 53 }]).map((u) => u.address), ['127.0.0.1', 'fe80::1']);
  assert.deepEqual(upstreamsFromResolvConf(join(dir, 'missing'), []), []);
  const cases: [string, { address: string; port: number } | null][] = [
    ['8.8.8.8', { address: '8.8.8.8', port: 53 }],
    ['8.8.8.8:5353', { address: '8.8.8.8', port: 5353 }],
    ['2001:db8::1', { address: '2001:db8::1', port: 53 }],
    ['[2001:db8::1]:54', { address: '2001:db8::1', port: 54 }],
    ['dns.google', null],
    ['1.2.3.4:99999', null],
  ];
  for (const [s, want] of cases) {
    if (want) assert.deepEqual(parseUpstream(s), want, s);
    else assert.throws(() => parseUpstream(s), RangeError, s);
  }
});

test('startDNS follows Service and EndpointSlice changes from the informers', async () => {
  const client = new FakeClient({
    objects: [
      makeService('default', 'db', { clusterIP: 'None' }),
      makeSlice('default', 'db', [{ addresses: ['10.1.0.1'], conditions: { ready: true } }], [], 'IPv4', 'db-1'),
    ],
  });
  const dns = await startDNS({ client, listen: [{ address: '127.0.0.1', port: 0 }], upstreams: [] });
  const port = dns.ports[0]!.port;
  const addrs = async () => (await udpQuery(port, 'db.default.svc.cluster.local', RRType.A)).answers.map((a) => a.data).sort();
  try {
    assert.ok(port > 0);
    assert.deepEqual(await addrs(), ['10.1.0.1']);
    const slices = client.resource<EndpointSlice>(refs.endpointslices).namespace('default');
    await slices.create(makeSlice('default', 'db', [{ addresses: ['10.1.0.2'], conditions: { ready: true } }], [], 'IPv4', 'db-2'));
    await waitFor(async () => (await addrs()).length === 2, { what: 'second slice' });
    const s2 = await slices.get('db-2');
    await slices.update({ ...s2, metadata: { ...s2.metadata, labels: { [SERVICE_NAME_LABEL]: 'other' } } });
    await waitFor(async () => (await addrs()).join() === '10.1.0.1', { what: 'relabelled slice to leave' });
    await client.resource(refs.services).namespace('default').delete('db');
    await waitFor(async () => (await udpQuery(port, 'db.default.svc.cluster.local', RRType.A)).flags.rcode === Rcode.NXDOMAIN, { what: 'service deletion' });
  } finally {
    await dns.stop();
  }
});
