// Run as root inside a throwaway network namespace (anyip.test.ts does that): installs the AnyIP
// route through the proxier, serves TCP and UDP on 10.43.x ClusterIPs, checks an unbound port is
// refused, then cleans up. Prints one JSON line and exits 0 only when every check held.
import assert from 'node:assert/strict';
import dgram from 'node:dgram';
import { readFile } from 'node:fs/promises';
import { createUserspaceProxier } from '../index.js';
import { hasAnyIPRoute } from '../routes.js';
import { makeEndpoint, makeService, makeState, recordingLogger, startTcpBackend, startUdpBackend, tcpRequest, udpRequest } from '../testing.js';

async function main(): Promise<Record<string, unknown>> {
  const tcp = await startTcpBackend('anyip');
  const udp = await startUdpBackend('dns');
  const web = makeService({ name: 'web', clusterIP: '10.43.7.7', port: 80 });
  const dns = makeService({ name: 'dns', protocol: 'UDP', clusterIP: '10.43.0.10', port: 53 });
  const p = createUserspaceProxier({ nodeName: 'n1', clusterCIDR: '10.42.0.0/16', serviceCIDR: '10.43.0.0/16', log: recordingLogger() });
  assert.equal(await hasAnyIPRoute('10.43.0.0/16'), false, 'fresh namespace has no route');
  const res = await p.sync({ state: makeState([[web, [makeEndpoint('127.0.0.1', tcp.port)]], [dns, [makeEndpoint('127.0.0.1', udp.port)]]]), changed: null });
  assert.equal(res.programmed, 2);
  assert.equal(await hasAnyIPRoute('10.43.0.0/16'), true, 'route installed');
  assert.equal((await readFile('/proc/sys/net/ipv4/conf/all/arp_ignore', 'utf8')).trim(), '1');
  assert.equal((await readFile('/proc/sys/net/ipv4/conf/all/arp_announce', 'utf8')).trim(), '2');
  const reply = await tcpRequest('10.43.7.7', 80, 'hello');
  assert.equal(reply, 'anyip:hello');
  const c = dgram.createSocket('udp4');
  const u = await udpRequest(c, '10.43.0.10', 53, 'q');
  c.close();
  assert.deepEqual(u, { text: 'dns:q', from: '10.43.0.10:53' });
  await assert.rejects(tcpRequest('10.43.7.7', 81), { code: 'ECONNREFUSED' });
  assert.equal(await p.healthy!(), true);
  await p.cleanup();
  assert.equal(await hasAnyIPRoute('10.43.0.0/16'), false, 'cleanup removed the route');
  await tcp.close();
  await udp.close();
  return { reply, udp: u };
}

main().then((r) => {
  process.stdout.write(JSON.stringify({ ok: true, ...r }) + '\n');
  process.exit(0);
}, (err: Error) => {
  process.stdout.write(JSON.stringify({ ok: false, error: err.message }) + '\n');
  process.exit(1);
});
