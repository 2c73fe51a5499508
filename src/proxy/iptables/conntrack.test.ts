import { test } from 'node:test';
import assert from 'node:assert/strict';
import { runConntrack, staleFlowCommands, udpSnapshots } from './conntrack.js';
import type { CommandRunner } from './exec.js';
import { makeEndpoint, makeService, makeState } from './testdata.js';

const dns = makeService('kube-system', 'kube-dns', 'dns', { clusterIP: '10.43.0.10', port: 53, protocol: 'UDP' });
const dnsNP = { ...dns, nodePort: 30053, externalIPs: ['192.0.2.50'] };
const web = makeService('default', 'web', '', { clusterIP: '10.43.0.100' });

test('only UDP services are tracked', () => {
  const snaps = udpSnapshots(makeState([[dns, [makeEndpoint('10.42.0.2', 53)]], [web, [makeEndpoint('10.42.0.3', 80)]]]));
  assert.deepEqual([...snaps.keys()], ['kube-system/kube-dns:dns']);
});

test('stale flow commands', () => {
  const a = makeEndpoint('10.42.0.2', 53);
  const b = makeEndpoint('10.42.0.3', 53);
  const cases: Array<{ name: string; prev: Parameters<typeof makeState>[0]; next: Parameters<typeof makeState>[0]; want: string[] }> = [
    { name: 'unchanged', prev: [[dns, [a]]], next: [[dns, [a]]], want: [] },
    { name: 'endpoint moved', prev: [[dns, [a]]], next: [[dns, [b]]], want: ['-D -p udp --orig-dst 10.43.0.10 --dst-nat 10.42.0.2'] },
    { name: 'endpoint added', prev: [[dns, [a]]], next: [[dns, [a, b]]], want: [] },
    { name: 'zero to some', prev: [[dns, []]], next: [[dns, [a]]], want: ['-D -p udp --orig-dst 10.43.0.10'] },
    { name: 'new service', prev: [], next: [[dnsNP, [a]]], want: ['-D -p udp --orig-dst 10.43.0.10', '-D -p udp --orig-dst 192.0.2.50', '-D -p udp --orig-port-dst 30053'] },
    {
      name: 'service deleted, with node port', prev: [[dnsNP, [a]]], next: [],
      want: ['-D -p udp --orig-dst 10.43.0.10 --dst-nat 10.42.0.2', '-D -p udp --orig-dst 192.0.2.50 --dst-nat 10.42.0.2', '-D -p udp --orig-port-dst 30053 --dst-nat 10.42.0.2'],
    },
    { name: 'not ready any more', prev: [[dns, [a, b]]], next: [[dns, [a, { ...b, ready: false }]]], want: ['-D -p udp --orig-dst 10.43.0.10 --dst-nat 10.42.0.3'] },
  ];
  for (const c of cases) {
    const got = staleFlowCommands(udpSnapshots(makeState(c.prev)), udpSnapshots(makeState(c.next))).map((x) => x.join(' '));
    assert.deepEqual(got, [...c.want].sort(), c.name);
  }
});

test('runConntrack treats "0 flow entries" as success and reports other failures', async () => {
  const seen: string[][] = [];
  const exec: CommandRunner = async (argv) => {
    seen.push(argv);
    if (argv.includes('10.43.0.10')) return { code: 1, stdout: '', stderr: 'conntrack v1.4.7 (conntrack-tools): 0 flow entries have been deleted.\n' };
    return { code: 1, stdout: '', stderr: 'Operation failed: invalid parameters' };
  };
  const failures = await runConntrack(exec, [['-D', '-p', 'udp', '--orig-dst', '10.43.0.10'], ['-D', '-p', 'udp', '--orig-dst', '10.43.0.11']]);
  assert.equal(seen.length, 2);
  assert.deepEqual(seen[0], ['conntrack', '-D', '-p', 'udp', '--orig-dst', '10.43.0.10']);
  assert.equal(failures.length, 1);
  assert.match(failures[0]!, /10\.43\.0\.11.*invalid parameters/);
});
