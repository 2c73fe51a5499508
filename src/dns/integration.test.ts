// Cluster DNS against an in-process API server: Services and EndpointSlices created through the REST
// client show up in DNS (queried with `dig` when installed, else the test's own client) over UDP and
// TCP, and go away when deleted.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { startTestServer, type TestServer } from '../apiserver/testing/inprocess.js';
import { RestClient, configFromLoaded, refs } from '../client/index.js';
import { configureLogging } from '../util/log.js';
import { MetricsRegistry } from '../util/metrics.js';
import { waitFor } from '../util/wait.js';
import { startDNS, type DNSServer } from './start.js';
import { queryBytes, tcpExchange, udpExchange } from './testing.js';
import { SERVICE_NAME_LABEL, type Service } from './types.js';
import { RRType, decode, typeName, type SrvData } from './wire.js';

configureLogging({ quiet: true });
const run = promisify(execFile);

async function hasDig(): Promise<boolean> {
  try {
    await run('dig', ['-v']);
    return true;
  } catch {
    return false;
  }
}

describe('cluster DNS against the API server', { timeout: 120_000 }, () => {
  let srv: TestServer;
  let client: RestClient;
  let dns: DNSServer;
  let port = 0;
  let dig = false;
  const metrics = new MetricsRegistry();

  /** Answers as "data" strings (SRV as "prio weight port target"), plus the rcode, via dig or our client. */
  async function ask(name: string, type: number, tcp = false): Promise<{ rcode: string; answers: string[] }> {
    if (dig) {
      const { stdout } = await run('dig', ['@127.0.0.1', '-p', String(port), tcp ? '+tcp' : '+notcp', '+noall', '+answer', '+comments', '+tries=1', '+time=2', name, typeName(type)]);
      const rcode = /status: (\w+)/.exec(stdout)?.[1] ?? '?';
      const answers = stdout.split('\n').filter((l) => l && !l.startsWith(';')).map((l) => l.split(/\s+/).slice(4).join(' ').replace(/\.$/, '').replace(/"/g, ''));
      return { rcode, answers };
    }
    const q = queryBytes(name, type);
    const raw = tcp ? (await tcpExchange(port, [q]))[0] : await udpExchange(port, q);
    const m = decode(raw!);
    const rcode = ['NOERROR', 'FORMERR', 'SERVFAIL', 'NXDOMAIN'][m.flags.rcode] ?? String(m.flags.rcode);
    return {
      rcode,
      answers: m.answers.map((a) => {
        if (a.type === RRType.SRV) {
          const s = a.data as SrvData;
          return `${s.priority} ${s.weight} ${s.port} ${s.target}`;
        }
        return Array.isArray(a.data) ? a.data.join(' ') : String(a.data);
      }),
    };
  }

  before(async () => {
    dig = await hasDig();
    srv = await startTestServer();
    client = new RestClient(configFromLoaded(srv.credentials, { qps: -1, userAgent: 'skiff-dns-test' }));
    dns = await startDNS({ client, listen: [{ address: '127.0.0.1', port: 0 }], upstreams: [], metrics });
    port = dns.ports[0]!.port;
  });
  after(async () => {
    await dns?.stop();
    client?.close();
    await srv?.stop();
  });

  test('ClusterIP, headless and ExternalName Services resolve over UDP and TCP', async () => {
    const svcs = client.resource<Service>(refs.services).namespace('default');
    const web = await svcs.create({ metadata: { name: 'web' }, spec: { selector: { app: 'web' }, ports: [{ name: 'http', port: 80, protocol: 'TCP' }] } });
    const ip = web.spec!.clusterIP!;
    assert.match(ip, /^10\.43\./);
    await svcs.create({ metadata: { name: 'db' }, spec: { clusterIP: 'None', selector: { app: 'db' }, ports: [{ name: 'pg', port: 5432 }] } });
    await svcs.create({ metadata: { name: 'ext' }, spec: { type: 'ExternalName', externalName: 'example.org' } });
    await client.resource(refs.endpointslices).namespace('default').create({
      metadata: { name: 'db-abc', labels: { [SERVICE_NAME_LABEL]: 'db' } },
      addressType: 'IPv4',
      endpoints: [{ addresses: ['10.244.0.5'], hostname: 'db-0', conditions: { ready: true } }, { addresses: ['10.244.0.6'], conditions: { ready: false } }],
      ports: [{ name: 'pg', port: 5432, protocol: 'TCP' }],
    });

    await waitFor(async () => (await ask('web.default.svc.cluster.local', RRType.A)).answers.includes(ip), { what: 'web A record' });
    await waitFor(async () => (await ask('db.default.svc.cluster.local', RRType.A)).answers.length === 1, { what: 'db A record' });
    for (const tcp of [false, true]) {
      assert.deepEqual((await ask('web.default.svc.cluster.local', RRType.A, tcp)).answers, [ip]);
      assert.deepEqual((await ask('_http._tcp.web.default.svc.cluster.local', RRType.SRV, tcp)).answers, ['0 100 80 web.default.svc.cluster.local']);
      assert.deepEqual((await ask('db.default.svc.cluster.local', RRType.A, tcp)).answers, ['10.244.0.5']);
      assert.deepEqual((await ask('db-0.db.default.svc.cluster.local', RRType.A, tcp)).answers, ['10.244.0.5']);
      assert.deepEqual((await ask('_pg._tcp.db.default.svc.cluster.local', RRType.SRV, tcp)).answers, ['0 100 5432 db-0.db.default.svc.cluster.local']);
      assert.deepEqual((await ask(ip.split('.').reverse().join('.') + '.in-addr.arpa', RRType.PTR, tcp)).answers, ['web.default.svc.cluster.local']);
      assert.deepEqual((await ask('5.0.244.10.in-addr.arpa', RRType.PTR, tcp)).answers, ['db-0.db.default.svc.cluster.local']);
      assert.deepEqual((await ask('ext.default.svc.cluster.local', RRType.CNAME, tcp)).answers, ['example.org']);
      assert.deepEqual((await ask('dns-version.cluster.local', RRType.TXT, tcp)).answers, ['1.1.0']);
      const nx = await ask('missing.default.svc.cluster.local', RRType.A, tcp);
      assert.equal(nx.rcode, 'NXDOMAIN');
      const nodata = await ask('web.default.svc.cluster.local', RRType.AAAA, tcp);
      assert.deepEqual([nodata.rcode, nodata.answers], ['NOERROR', []]);
    }
    // Names outside the cluster with no upstream configured: SERVFAIL.
    assert.equal((await ask('example.com', RRType.A)).rcode, 'SERVFAIL');

    await svcs.delete('web');
    await waitFor(async () => (await ask('web.default.svc.cluster.local', RRType.A)).rcode === 'NXDOMAIN', { what: 'web to disappear' });
    assert.match(metrics.render(), /skiff_dns_requests_total\{proto="tcp",type="SRV"\} 2/);
  });
});
