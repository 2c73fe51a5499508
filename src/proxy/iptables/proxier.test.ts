import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createIptablesProxier } from './proxier.js';
import type { CommandRunner } from './exec.js';
import { inputText } from './exec.js';
import { FakeClock } from '../../util/clock.js';
import { JUMP_RULES } from './chains.js';
import { makeEndpoint, makeService, makeState, webExample } from './testdata.js';

interface Fake {
  exec: CommandRunner;
  calls: string[][];
  restores: string[];
  failRestore: boolean;
  canaryMissing: boolean;
}

function fakeNode(): Fake {
  const f: Fake = {
    calls: [], restores: [], failRestore: false, canaryMissing: false,
    exec: async (argv, stdin) => {
      // The backend's binaries (iptables-nft-restore, …) stand for the plain tools here.
      const tool = argv[0]!.replace(/-(nft|legacy)\b/, '');
      f.calls.push([tool, ...argv.slice(1)]);
      if (tool === 'iptables-restore') {
        f.restores.push(inputText(stdin));
        return f.failRestore ? { code: 2, stdout: '', stderr: 'iptables-restore: line 3 failed\n' } : { code: 0, stdout: '', stderr: '' };
      }
      if (tool === 'iptables-save') return { code: 0, stdout: '*nat\n:PREROUTING ACCEPT [0:0]\n:KUBE-SEP-STALESTALESTALE1 - [0:0]\nCOMMIT\n', stderr: '' };
      if (tool === 'iptables' && argv.includes('-C')) return { code: 1, stdout: '', stderr: 'iptables: Bad rule (does a matching rule exist in that chain?).' };
      if (tool === 'iptables' && argv.includes('-S')) return { code: f.canaryMissing ? 1 : 0, stdout: '', stderr: '' };
      if (tool === 'conntrack') return { code: 1, stdout: '', stderr: '0 flow entries have been deleted.' };
      return { code: 0, stdout: '', stderr: '' };
    },
  };
  return f;
}

const opts = (f: Fake) => ({ nodeName: 'n1', clusterCIDR: '10.42.0.0/16', exec: f.exec, log: quietLog, backend: 'nft' as const });
const quietLog = { debug() {}, info() {}, warn() {}, error() {}, v() { return quietLog; }, with() { return quietLog; } };

test('first sync: forwarding, chains, jumps, canaries, stale scan, then one restore', async () => {
  const f = fakeNode();
  const p = createIptablesProxier(opts(f));
  // A partial request before any sync is upgraded to a full one.
  const res = await p.sync({ state: webExample(), changed: new Set() });
  assert.equal(res.full, true);
  assert.equal(res.programmed, 3 + 16);
  assert.deepEqual(f.calls[0], ['sysctl', '-w', 'net.ipv4.ip_forward=1']);
  const inserts = f.calls.filter((c) => c[0] === 'iptables' && c.includes('-I'));
  assert.equal(inserts.length, JUMP_RULES.length);
  assert.deepEqual(inserts.find((c) => c.includes('PREROUTING')),
    ['iptables', '-w', '-t', 'nat', '-I', 'PREROUTING', '1', '-m', 'comment', '--comment', 'kubernetes service portals', '-j', 'KUBE-SERVICES']);
  for (const t of ['mangle', 'nat', 'filter']) {
    assert.ok(f.calls.some((c) => c.join(' ') === `iptables -w -t ${t} -N KUBE-PROXY-CANARY`), t);
  }
  assert.equal(f.restores.length, 1);
  assert.deepEqual(f.calls.find((c) => c[0] === 'iptables-restore'), ['iptables-restore', '--noflush', '--counters', '-w']);
  assert.ok(f.restores[0]!.includes(':KUBE-SEP-STALESTALESTALE1 - [0:0]\n') && f.restores[0]!.includes('\n-X KUBE-SEP-STALESTALESTALE1\n'));
  assert.equal(p.lastRestoreText(), f.restores[0]);
});

test('partial sync: no jump commands, only the changed service chains', async () => {
  const f = fakeNode();
  const p = createIptablesProxier(opts(f));
  const web = makeService('default', 'web', 'http', { clusterIP: '10.43.0.100' });
  const db = makeService('default', 'db', '', { clusterIP: '10.43.0.101' });
  await p.sync({ state: makeState([[web, [makeEndpoint('10.42.0.2', 80)]], [db, [makeEndpoint('10.42.0.5', 80)]]]), changed: null });
  f.calls.length = 0;
  const res = await p.sync({ state: makeState([[web, [makeEndpoint('10.42.0.3', 80)]], [db, [makeEndpoint('10.42.0.5', 80)]]]), changed: new Set(['default/web:http']) });
  assert.equal(res.full, false);
  assert.deepEqual(f.calls.map((c) => c[0]), ['iptables-restore']);
  const text = f.restores[1]!;
  assert.ok(text.includes('DNAT --to-destination 10.42.0.3:80'));
  assert.ok(!text.includes('DNAT --to-destination 10.42.0.5:80'));
  // The old endpoint's chain is flushed and deleted from our own record.
  assert.equal(text.split('\n').filter((l) => l.startsWith('-X KUBE-SEP-')).length, 1);
});

test('a failed restore rejects and makes the next sync full', async () => {
  const f = fakeNode();
  const p = createIptablesProxier(opts(f));
  await p.sync({ state: webExample(), changed: null });
  f.failRestore = true;
  await assert.rejects(p.sync({ state: webExample(), changed: new Set(['default/web:http']) }), /iptables-restore failed.*line 3/);
  f.failRestore = false;
  f.calls.length = 0;
  const res = await p.sync({ state: webExample(), changed: new Set() });
  assert.equal(res.full, true);
  assert.ok(f.calls.some((c) => c.includes('-C')));
});

test('UDP endpoint removal runs conntrack after the restore; conntrack: false skips it', async () => {
  const dns = makeService('kube-system', 'kube-dns', 'dns', { clusterIP: '10.43.0.10', port: 53, protocol: 'UDP' });
  for (const enabled of [true, false]) {
    const f = fakeNode();
    const p = createIptablesProxier({ ...opts(f), conntrack: enabled });
    await p.sync({ state: makeState([[dns, [makeEndpoint('10.42.0.2', 53)]]]), changed: null });
    f.calls.length = 0;
    await p.sync({ state: makeState([[dns, [makeEndpoint('10.42.0.3', 53)]]]), changed: new Set([dns.key]) });
    const ct = f.calls.filter((c) => c[0] === 'conntrack').map((c) => c.join(' '));
    assert.deepEqual(ct, enabled ? ['conntrack -D -p udp --orig-dst 10.43.0.10 --dst-nat 10.42.0.2'] : []);
  }
});

test('healthy() checks the canary chains; cleanup removes jumps and forces a full sync', async () => {
  const f = fakeNode();
  const p = createIptablesProxier(opts(f));
  assert.equal(await p.healthy!(), true);
  f.canaryMissing = true;
  assert.equal(await p.healthy!(), false);
  await p.sync({ state: webExample(), changed: null });
  f.calls.length = 0;
  await p.cleanup();
  assert.ok(f.calls.filter((c) => c.includes('-D')).length >= JUMP_RULES.length);
  // iptables-save lists a stale SEP chain in every table here; cleanup deletes it through a restore.
  assert.ok(f.restores.at(-1)!.includes('-X KUBE-SEP-STALESTALESTALE1'));
  f.calls.length = 0;
  const res = await p.sync({ state: webExample(), changed: new Set() });
  assert.equal(res.full, true);
});

test('large clusters read chain names back only on the first full sync and after a failure', async () => {
  const f = fakeNode();
  const p = createIptablesProxier({ ...opts(f), largeClusterThreshold: 0 });
  const saves = () => f.calls.filter((c) => c[0] === 'iptables-save').length;
  await p.sync({ state: webExample(), changed: null });
  assert.equal(saves(), 1);
  await p.sync({ state: webExample(), changed: null });
  assert.equal(saves(), 1);
  f.failRestore = true;
  await assert.rejects(p.sync({ state: webExample(), changed: null }));
  f.failRestore = false;
  await p.sync({ state: webExample(), changed: null });
  assert.equal(saves(), 2);
});

test('periodic full syncs skip the jump commands until healthy() finds a canary missing', async () => {
  const f = fakeNode();
  const p = createIptablesProxier(opts(f));
  await p.sync({ state: webExample(), changed: null });
  f.calls.length = 0;
  await p.sync({ state: webExample(), changed: null });
  assert.equal(f.calls.filter((c) => c[0] === 'iptables').length, 0);
  assert.equal(f.restores.length, 2);
  f.canaryMissing = true;
  assert.equal(await p.healthy!(), false);
  f.canaryMissing = false;
  f.calls.length = 0;
  await p.sync({ state: webExample(), changed: null });
  assert.equal(f.calls.filter((c) => c[0] === 'iptables' && c.includes('-C')).length, JUMP_RULES.length);
  assert.ok(f.calls.some((c) => c.join(' ') === 'iptables -w -t mangle -N KUBE-IPTABLES-HINT'));
});

test('legacy backend in a large cluster streams one commit per table: nat first, chains before their rules', async () => {
  const f = fakeNode();
  const p = createIptablesProxier({ ...opts(f), backend: 'legacy', largeClusterThreshold: 0 });
  const a = makeService('default', 'a', 'http', { clusterIP: '10.43.0.10' });
  const b = makeService('default', 'b', 'http', { clusterIP: '10.43.0.11', nodePort: 30001, type: 'NodePort' });
  const none = makeService('default', 'c', 'http', { clusterIP: '10.43.0.12' });
  const eps = [makeEndpoint('10.42.0.2', 8080), makeEndpoint('10.42.0.3', 8080)];
  await p.sync({ state: makeState([[a, eps], [b, eps], [none, []]]), changed: null });
  assert.equal(p.backend(), 'legacy');
  const text = f.restores.at(-1)!;
  assert.equal(text, p.lastRestoreText());
  const lines = text.split('\n');
  assert.deepEqual(lines.filter((l) => l.startsWith('*') || l === 'COMMIT'), ['*nat', 'COMMIT', '*filter', 'COMMIT']);
  // The order itself is checked in render.test.ts (streamed order).
});

test('cleanup on a node without our chains succeeds with either client\'s "not there" messages', async () => {
  for (const stderr of [
    'iptables v1.8.9 (legacy): Couldn\'t load target `KUBE-SERVICES\':No such file or directory',
    'iptables v1.8.9 (nf_tables): Chain \'KUBE-SERVICES\' does not exist',
  ]) {
    const f = fakeNode();
    const exec: CommandRunner = async (argv, stdin) => (argv.includes('-D') ? { code: 2, stdout: '', stderr } : f.exec(argv, stdin));
    const p = createIptablesProxier({ ...opts(f), exec });
    await p.cleanup();
  }
});

test('the jump rules are checked again after an hour even while the canaries are there', async () => {
  const f = fakeNode();
  const clock = new FakeClock();
  const p = createIptablesProxier({ ...opts(f), clock });
  await p.sync({ state: webExample(), changed: null });
  clock.advance(30 * 60 * 1000);
  f.calls.length = 0;
  await p.sync({ state: webExample(), changed: null });
  assert.equal(f.calls.filter((c) => c.includes('-C')).length, 0);
  clock.advance(31 * 60 * 1000);
  await p.sync({ state: webExample(), changed: null });
  assert.equal(f.calls.filter((c) => c.includes('-C')).length, JUMP_RULES.length);
});
