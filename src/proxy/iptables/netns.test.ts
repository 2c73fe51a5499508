// Root-only integration test: real rules in a throwaway network namespace (networking brief §10
// step 2). A "node" namespace holds a bridge cni0 with three pod namespaces on it: two echo
// servers behind a ClusterIP service and one client. Nothing touches the root namespace.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { createIptablesProxier } from './proxier.js';
import { runCommand } from './exec.js';
import { makeEndpoint, makeService, makeState } from './testdata.js';

const quietLog = { debug() {}, info() {}, warn() {}, error() {}, v() { return quietLog; }, with() { return quietLog; } };

async function sh(argv: string[]): Promise<string> {
  const r = await runCommand(argv);
  if (r.code !== 0) throw new Error(`${argv.join(' ')}: exit ${r.code}: ${r.stderr.trim()}`);
  return r.stdout;
}

test('iptables mode in a network namespace: load balancing, REJECT, partial sync, UDP conntrack, cleanup', { timeout: 120_000 }, async (t) => {
  if (process.getuid?.() !== 0) {
    assert.notEqual(process.env.CI, 'true', 'CI must run this test as root');
    t.skip('needs root');
    return;
  }
  const id = randomBytes(3).toString('hex');
  const node = `skiff-ipt-test-${id}`;
  const pods = { a: { ns: `skiff-ipt-${id}-a`, ip: '10.42.0.2' }, b: { ns: `skiff-ipt-${id}-b`, ip: '10.42.0.3' }, c: { ns: `skiff-ipt-${id}-c`, ip: '10.42.0.4' } };
  const servers: ChildProcess[] = [];
  const made: string[] = [];
  t.after(async () => {
    for (const s of servers) s.kill();
    for (const ns of made.reverse()) await runCommand(['ip', 'netns', 'del', ns]);
  });

  await sh(['ip', 'netns', 'add', node]);
  made.push(node);
  const inNode = (...a: string[]) => sh(['ip', '-n', node, ...a]);
  await inNode('link', 'set', 'lo', 'up');
  await inNode('link', 'add', 'cni0', 'type', 'bridge');
  await inNode('addr', 'add', '10.42.0.1/24', 'dev', 'cni0');
  await inNode('link', 'set', 'cni0', 'up');
  // A node has a default route (brief §8.1); without one, traffic to a ClusterIP that is not DNATed
  // fails routing (ENETUNREACH) before filter FORWARD can REJECT it. The gateway need not exist.
  await inNode('route', 'add', 'default', 'via', '10.42.0.254');
  // That route leaves through the interface the pod's packet came in on, so the node would send an
  // ICMP redirect first, and the per-host ICMP rate limit would then swallow REJECT's unreachable.
  for (const dev of ['all', 'cni0']) await sh(['ip', 'netns', 'exec', node, 'sysctl', '-qw', `net.ipv4.conf.${dev}.send_redirects=0`]);
  for (const [name, p] of Object.entries(pods)) {
    await sh(['ip', 'netns', 'add', p.ns]);
    made.push(p.ns);
    await inNode('link', 'add', `v${name}`, 'type', 'veth', 'peer', 'name', 'eth0', 'netns', p.ns);
    await inNode('link', 'set', `v${name}`, 'master', 'cni0', 'up');
    const inPod = (...a: string[]) => sh(['ip', '-n', p.ns, ...a]);
    await inPod('link', 'set', 'lo', 'up');
    await inPod('addr', 'add', `${p.ip}/24`, 'dev', 'eth0');
    await inPod('link', 'set', 'eth0', 'up');
    await inPod('route', 'add', 'default', 'via', '10.42.0.1');
  }
  for (const name of ['a', 'b'] as const) {
    servers.push(spawn('ip', ['netns', 'exec', pods[name].ns, 'socat', 'TCP-LISTEN:8080,fork,reuseaddr', `SYSTEM:echo ${name}`], { stdio: 'ignore' }));
  }
  const connect = (addr: string, n: number) => runCommand(['ip', 'netns', 'exec', pods.c.ns, 'sh', '-c',
    `for i in $(seq ${n}); do socat -T2 - TCP:${addr},connect-timeout=2 </dev/null; done`]);
  // Wait until both servers answer directly.
  for (const ip of [pods.a.ip, pods.b.ip]) {
    let ok = false;
    for (let i = 0; i < 50 && !ok; i++) {
      ok = (await connect(`${ip}:8080`, 1)).stdout.trim().length > 0;
      if (!ok) await new Promise((r) => setTimeout(r, 100));
    }
    assert.ok(ok, `echo server on ${ip} did not come up`);
  }

  const proxier = createIptablesProxier({ nodeName: 'n1', clusterCIDR: '10.42.0.0/16', netns: node, log: quietLog });
  const web = makeService('default', 'web', 'http', { clusterIP: '10.43.0.100', port: 80 });
  const empty = makeService('default', 'empty', '', { clusterIP: '10.43.0.101', port: 80 });
  const both = [makeEndpoint(pods.a.ip, 8080), makeEndpoint(pods.b.ip, 8080)];
  const res = await proxier.sync({ state: makeState([[web, both], [empty, []]]), changed: null });
  assert.equal(res.full, true);
  assert.equal((await sh(['ip', 'netns', 'exec', node, 'sysctl', '-n', 'net.ipv4.ip_forward'])).trim(), '1');
  assert.equal(await proxier.healthy!(), true);

  const answers = (await connect('10.43.0.100:80', 20)).stdout.trim().split('\n');
  assert.equal(answers.length, 20, `answers: ${answers.join(',')}`);
  assert.ok(answers.includes('a') && answers.includes('b'), `both endpoints reached: ${answers.join(',')}`);

  const refused = await connect('10.43.0.101:80', 1);
  assert.match(refused.stderr, /Connection refused/);

  // Partial sync: b leaves; only web's chains are rewritten and all traffic goes to a.
  const partial = await proxier.sync({ state: makeState([[web, [both[0]!]], [empty, []]]), changed: new Set([web.key]) });
  assert.equal(partial.full, false);
  const after = (await connect('10.43.0.100:80', 8)).stdout.trim().split('\n');
  assert.deepEqual(after, Array(8).fill('a'));

  // UDP: a client reusing its source port keeps its conntrack entry (DNAT to the old endpoint)
  // unless the sync clears it (brief §2.8).
  for (const name of ['a', 'b'] as const) {
    servers.push(spawn('ip', ['netns', 'exec', pods[name].ns, 'socat', 'UDP4-RECVFROM:5353,fork', `SYSTEM:echo ${name}`], { stdio: 'ignore' }));
  }
  const dns = makeService('kube-system', 'kube-dns', 'dns', { clusterIP: '10.43.0.10', port: 53, protocol: 'UDP' });
  const ask = async () => (await runCommand(['ip', 'netns', 'exec', pods.c.ns, 'sh', '-c',
    'echo q | socat -T2 - UDP4:10.43.0.10:53,sourceport=40053'])).stdout.trim();
  await proxier.sync({ state: makeState([[web, [both[0]!]], [empty, []], [dns, [makeEndpoint(pods.a.ip, 5353)]]]), changed: new Set([dns.key]) });
  let answer = '';
  for (let i = 0; i < 20 && answer !== 'a'; i++) answer = await ask();
  assert.equal(answer, 'a');
  await proxier.sync({ state: makeState([[web, [both[0]!]], [empty, []], [dns, [makeEndpoint(pods.b.ip, 5353)]]]), changed: new Set([dns.key]) });
  // The first answer from b may be slow (socat forks a shell); what matters is that a is gone.
  answer = '';
  for (let i = 0; i < 10 && !answer; i++) answer = await ask();
  assert.equal(answer, 'b');

  // Large cluster mode (forced): comments dropped, nat split into several commits; a restarted
  // proxier's first (full) sync takes over the rules in place.
  const big = createIptablesProxier({ nodeName: 'n1', clusterCIDR: '10.42.0.0/16', netns: node, log: quietLog, largeClusterThreshold: 0 });
  await big.sync({ state: makeState([[web, both], [empty, []]]), changed: null });
  assert.ok((big.lastRestoreText().match(/^\*nat$/gm) ?? []).length > 1);
  const again = (await connect('10.43.0.100:80', 20)).stdout.trim().split('\n');
  assert.ok(again.includes('a') && again.includes('b'), `both endpoints reached: ${again.join(',')}`);

  await proxier.cleanup();
  for (const table of ['filter', 'nat', 'mangle']) {
    const save = await sh(['ip', 'netns', 'exec', node, 'iptables-save', '-t', table]);
    assert.ok(!save.includes('KUBE-'), `${table} still has KUBE- chains or rules:\n${save}`);
  }
  assert.equal(await proxier.healthy!(), false);

  // The legacy client (forced large cluster mode: one streamed commit per table); a proxier on
  // `auto` then follows the hint chain it left in legacy's mangle table.
  const legacy = createIptablesProxier({ nodeName: 'n1', clusterCIDR: '10.42.0.0/16', netns: node, log: quietLog, backend: 'legacy', largeClusterThreshold: 0 });
  await legacy.sync({ state: makeState([[web, both], [empty, []]]), changed: null });
  assert.deepEqual(legacy.lastRestoreText().match(/^\*\w+$/gm), ['*nat', '*filter']);
  assert.match(await sh(['ip', 'netns', 'exec', node, 'iptables-legacy-save', '-t', 'nat']), /-A KUBE-SERVICES -d 10\.43\.0\.100\/32 .*-j KUBE-SVC-/);
  const viaLegacy = (await connect('10.43.0.100:80', 20)).stdout.trim().split('\n');
  assert.ok(viaLegacy.includes('a') && viaLegacy.includes('b'), `both endpoints reached: ${viaLegacy.join(',')}`);
  assert.match((await connect('10.43.0.101:80', 1)).stderr, /Connection refused/);
  const follower = createIptablesProxier({ nodeName: 'n1', clusterCIDR: '10.42.0.0/16', netns: node, log: quietLog });
  assert.equal(await follower.healthy!(), true);
  assert.equal(follower.backend(), 'legacy');
  await follower.cleanup();
  for (const table of ['filter', 'nat', 'mangle']) {
    const save = await sh(['ip', 'netns', 'exec', node, 'iptables-legacy-save', '-t', table]);
    assert.ok(!save.includes('KUBE-'), `legacy ${table} still has KUBE- chains or rules:\n${save}`);
  }
});
