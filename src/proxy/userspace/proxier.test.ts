import assert from 'node:assert/strict';
import dgram from 'node:dgram';
import net from 'node:net';
import { after, describe, it } from 'node:test';
import { FakeClock } from '../../util/clock.js';
import type { Endpoint, ProxyState, ServicePortInfo } from '../types.js';
import type { Backend } from './testing.js';
import { deadPort, loopbackIP, makeEndpoint, makeService, makeState, recordingLogger, startTcpBackend, startUdpBackend, tcpRequest, udpRequest } from './testing.js';
import { createUserspaceProxier } from './index.js';
import type { UserspaceProxierOptions } from './index.js';

const cleanups: (() => Promise<void>)[] = [];
after(async () => {
  for (const c of cleanups.reverse()) await c();
});

async function backends(kind: 'tcp' | 'udp', ...names: string[]): Promise<Backend[]> {
  const out = await Promise.all(names.map((n) => (kind === 'tcp' ? startTcpBackend(n) : startUdpBackend(n))));
  for (const b of out) cleanups.push(b.close);
  return out;
}

function proxier(extra: Partial<UserspaceProxierOptions> = {}) {
  const log = recordingLogger();
  const p = createUserspaceProxier({ nodeName: 'n1', clusterCIDR: '10.42.0.0/16', serviceCIDR: null, log, ...extra });
  cleanups.push(() => p.close());
  return Object.assign(p, { log });
}

const eps = (bs: Backend[]): Endpoint[] => bs.map((b) => makeEndpoint('127.0.0.1', b.port));
const full = (state: ProxyState) => ({ state, changed: null });

function count(xs: string[]): Record<string, number> {
  const out: Record<string, number> = {};
  for (const x of xs) out[x] = (out[x] ?? 0) + 1;
  return out;
}

const who = (reply: string) => reply.split(':')[0]!;

describe('userspace proxier (TCP)', () => {
  it('round robin spreads connections evenly over all endpoints', async () => {
    const bs = await backends('tcp', 'a', 'b', 'c');
    const svc = makeService({ name: 'rr', clusterIP: loopbackIP(), port: 8080 });
    const p = proxier();
    const res = await p.sync(full(makeState([[svc, eps(bs)]])));
    assert.deepEqual(res, { programmed: 1, full: true });
    assert.deepEqual(p.listeners(), [`${svc.clusterIP}:8080/TCP`]);
    const replies: string[] = [];
    for (let i = 0; i < 12; i++) replies.push(await tcpRequest(svc.clusterIP, 8080, `r${i}`));
    assert.deepEqual(count(replies.map(who)), { a: 4, b: 4, c: 4 });
    assert.ok(replies.every((r, i) => r.endsWith(`:r${i}`)), 'each request reaches a backend intact');
  });

  it('ClientIP affinity sticks until the timeout (fake clock)', async () => {
    const bs = await backends('tcp', 'a', 'b');
    const clock = new FakeClock();
    const svc = makeService({ name: 'aff', clusterIP: loopbackIP(), port: 8080, affinityTimeoutSeconds: 30 });
    const p = proxier({ clock });
    await p.sync(full(makeState([[svc, eps(bs)]])));
    const first = who(await tcpRequest(svc.clusterIP, 8080));
    for (let i = 0; i < 5; i++) assert.equal(who(await tcpRequest(svc.clusterIP, 8080)), first);
    clock.advance(31_000);
    // The entry expired; the rotation moved on once after the first pick, so the next one differs.
    assert.notEqual(who(await tcpRequest(svc.clusterIP, 8080)), first);
  });

  it('a dead endpoint is skipped by the dial retry', async () => {
    const [live] = await backends('tcp', 'live');
    const dead = await deadPort();
    const svc = makeService({ name: 'dead', clusterIP: loopbackIP(), port: 8080 });
    const p = proxier();
    await p.sync(full(makeState([[svc, [makeEndpoint('127.0.0.1', dead), makeEndpoint('127.0.0.1', live!.port)]]])));
    const replies: string[] = [];
    for (let i = 0; i < 6; i++) replies.push(who(await tcpRequest(svc.clusterIP, 8080)));
    assert.deepEqual(count(replies), { live: 6 });
  });

  it('all endpoints dead: the client connection is closed, not left hanging', async () => {
    const svc = makeService({ name: 'alldead', clusterIP: loopbackIP(), port: 8080 });
    const p = proxier({ dialTimeoutsMs: [50, 50] });
    await p.sync(full(makeState([[svc, [makeEndpoint('127.0.0.1', await deadPort())]]])));
    const reply = await tcpRequest(svc.clusterIP, 8080).catch((e: NodeJS.ErrnoException) => `error:${e.code}`);
    assert.ok(reply === '' || reply === 'error:ECONNRESET', `got ${reply}`);
  });

  it('half-close: the client ends its side after the request and still gets the reply', async () => {
    const [b] = await backends('tcp', 'hc');
    const svc = makeService({ name: 'hc', clusterIP: loopbackIP(), port: 8080 });
    const p = proxier();
    await p.sync(full(makeState([[svc, eps([b!])]])));
    // The backend answers only after it sees the client's FIN (see startTcpBackend).
    assert.equal(await tcpRequest(svc.clusterIP, 8080, 'request-body'), 'hc:request-body');
  });

  it('no endpoints: no listener, connections are refused at once', async () => {
    const [b] = await backends('tcp', 'x');
    const svc = makeService({ name: 'zero', clusterIP: loopbackIP(), port: 8080 });
    const p = proxier();
    await p.sync(full(makeState([[svc, eps([b!])]])));
    assert.equal(who(await tcpRequest(svc.clusterIP, 8080)), 'x');
    const res = await p.sync({ state: makeState([[svc, []]]), changed: new Set([svc.key]) });
    assert.deepEqual(res, { programmed: 0, full: false });
    const t0 = performance.now();
    await assert.rejects(tcpRequest(svc.clusterIP, 8080), { code: 'ECONNREFUSED' });
    assert.ok(performance.now() - t0 < 500, 'refused quickly');
  });

  it('an endpoint change keeps an open connection working', async () => {
    const [a, b] = await backends('tcp', 'a', 'b');
    const svc = makeService({ name: 'keep', clusterIP: loopbackIP(), port: 8080 });
    const p = proxier();
    await p.sync(full(makeState([[svc, eps([a!])]])));
    const s = net.connect({ host: svc.clusterIP, port: 8080 });
    cleanups.push(async () => void s.destroy());
    s.setEncoding('utf8');
    const lines: string[] = [];
    let wake: () => void = () => {};
    s.on('data', (d: string) => { lines.push(...d.split('\n').filter(Boolean)); wake(); });
    const ping = () => new Promise<void>((r) => { wake = r; s.write('ping\n'); });
    await ping();
    // a is replaced by b: the listener stays, so the open connection to a keeps working.
    await p.sync({ state: makeState([[svc, eps([b!])]]), changed: new Set([svc.key]) });
    await ping();
    assert.deepEqual(lines, ['a:pong', 'a:pong']);
    assert.equal(who(await tcpRequest(svc.clusterIP, 8080)), 'b', 'new connections go to the new endpoint');
  });

  it('moving the ClusterIP/port moves the listener; deleting the service closes it', async () => {
    const [a] = await backends('tcp', 'a');
    const ip1 = loopbackIP();
    const ip2 = loopbackIP();
    const p = proxier();
    const svc1 = makeService({ name: 'mv', clusterIP: ip1, port: 8080 });
    await p.sync(full(makeState([[svc1, eps([a!])]])));
    const svc2 = { ...svc1, clusterIP: ip2, port: 9090 };
    await p.sync({ state: makeState([[svc2, eps([a!])]]), changed: new Set([svc1.key]) });
    assert.deepEqual(p.listeners(), [`${ip2}:9090/TCP`]);
    assert.equal(who(await tcpRequest(ip2, 9090)), 'a');
    await assert.rejects(tcpRequest(ip1, 8080), { code: 'ECONNREFUSED' });
    await p.sync({ state: makeState([]), changed: new Set([svc1.key]) });
    assert.deepEqual(p.listeners(), []);
  });

  it('NodePort and a local external IP listen too, with the external policy', async () => {
    const [a] = await backends('tcp', 'a');
    const nodeAddr = loopbackIP();
    const svc: ServicePortInfo = makeService({ name: 'np', type: 'NodePort', clusterIP: loopbackIP(), port: 8080, nodePort: 30000 + Math.floor(Math.random() * 2000), externalIPs: ['127.0.0.1', '198.51.100.7'] });
    const p = proxier({ nodePortAddresses: [nodeAddr] });
    await p.sync(full(makeState([[svc, eps([a!])]])));
    assert.deepEqual(p.listeners(), [`127.0.0.1:8080/TCP`, `${nodeAddr}:${svc.nodePort}/TCP`, `${svc.clusterIP}:8080/TCP`].sort());
    assert.equal(who(await tcpRequest(nodeAddr, svc.nodePort)), 'a');
    // externalTrafficPolicy Local with only a remote endpoint: the NodePort closes, the ClusterIP stays.
    const remote = { ...makeEndpoint('127.0.0.1', a!.port), isLocal: false };
    await p.sync({ state: makeState([[{ ...svc, externalPolicyLocal: true }, [remote]]]), changed: new Set([svc.key]) });
    assert.deepEqual(p.listeners(), [`${svc.clusterIP}:8080/TCP`]);
  });

  it('a bind error is logged and retried at the next sync, not thrown', async () => {
    const [a] = await backends('tcp', 'a');
    const ip = loopbackIP();
    const squatter = net.createServer();
    await new Promise<void>((r) => squatter.listen(8080, ip, r));
    const ok = makeService({ name: 'ok', clusterIP: loopbackIP(), port: 8080 });
    const busy = makeService({ name: 'busy', clusterIP: ip, port: 8080 });
    const p = proxier();
    const state = makeState([[ok, eps([a!])], [busy, eps([a!])]]);
    assert.deepEqual(await p.sync(full(state)), { programmed: 1, full: true });
    assert.ok(p.log.lines.some((l) => l.msg.startsWith('cannot listen')));
    assert.equal(await p.healthy!(), false, 'an unbound port asks for a resync');
    await new Promise<void>((r) => squatter.close(() => r()));
    // Nothing changed in the model; the failed address is retried anyway.
    assert.deepEqual(await p.sync({ state, changed: new Set() }), { programmed: 2, full: false });
    assert.equal(who(await tcpRequest(ip, 8080)), 'a');
    assert.equal(await p.healthy!(), true);
  });

  it('a reset on either side tears both down and the proxy keeps serving', async () => {
    const [a] = await backends('tcp', 'a');
    const resetter = net.createServer((c) => c.on('data', () => c.resetAndDestroy()));
    await new Promise<void>((r) => resetter.listen(0, '127.0.0.1', r));
    cleanups.push(() => new Promise<void>((r) => resetter.close(() => r())));
    const rport = (resetter.address() as net.AddressInfo).port;
    const svcR = makeService({ name: 'rst', clusterIP: loopbackIP(), port: 8080 });
    const svcA = makeService({ name: 'ok2', clusterIP: loopbackIP(), port: 8080 });
    const p = proxier();
    await p.sync(full(makeState([[svcR, [makeEndpoint('127.0.0.1', rport)]], [svcA, eps([a!])]])));
    // Backend resets: the client's side is torn down too.
    const s = net.connect({ host: svcR.clusterIP, port: 8080 });
    s.on('connect', () => s.write('x\n'));
    await new Promise<void>((r) => { s.on('error', () => {}); s.on('close', () => r()); });
    // Client resets mid-request while the backend waits for more.
    const c = net.connect({ host: svcA.clusterIP, port: 8080 });
    await new Promise<void>((r) => c.on('connect', r));
    c.write('partial');
    await new Promise((r) => setTimeout(r, 20));
    c.resetAndDestroy();
    assert.equal(await tcpRequest(svcA.clusterIP, 8080, 'after'), 'a:after');
  });

  it('close() stops serving', async () => {
    const [a] = await backends('tcp', 'a');
    const svc = makeService({ name: 'cl', clusterIP: loopbackIP(), port: 8080 });
    const p = proxier();
    await p.sync(full(makeState([[svc, eps([a!])]])));
    await p.close();
    assert.deepEqual(p.listeners(), []);
    await assert.rejects(tcpRequest(svc.clusterIP, 8080), { code: 'ECONNREFUSED' });
  });
});

describe('userspace proxier (UDP)', () => {
  function client(): dgram.Socket {
    const s = dgram.createSocket('udp4');
    cleanups.push(() => new Promise<void>((r) => s.close(() => r())));
    return s;
  }

  it('round trip: replies come from the service address; a session sticks to one backend until idle', async () => {
    const bs = await backends('udp', 'a', 'b');
    const clock = new FakeClock();
    const svc = makeService({ name: 'dns', protocol: 'UDP', clusterIP: loopbackIP(), port: 5353 });
    const p = proxier({ clock, udpIdleTimeoutMs: 5_000 });
    await p.sync(full(makeState([[svc, eps(bs)]])));
    assert.deepEqual(p.listeners(), [`${svc.clusterIP}:5353/UDP`]);
    const c = client();
    const r1 = await udpRequest(c, svc.clusterIP, 5353, 'q1');
    assert.equal(r1.from, `${svc.clusterIP}:5353`);
    const first = who(r1.text);
    assert.equal(r1.text, `${first}:q1`);
    for (let i = 0; i < 3; i++) {
      clock.advance(4_000); // activity keeps the session alive
      assert.equal(who((await udpRequest(c, svc.clusterIP, 5353, 'q')).text), first);
    }
    clock.advance(5_000); // idle: the session is dropped, the next datagram picks the next backend
    assert.notEqual(who((await udpRequest(c, svc.clusterIP, 5353, 'q')).text), first);
  });

  it('different clients are spread over the backends', async () => {
    const bs = await backends('udp', 'a', 'b');
    const svc = makeService({ name: 'spread', protocol: 'UDP', clusterIP: loopbackIP(), port: 5353 });
    const p = proxier();
    await p.sync(full(makeState([[svc, eps(bs)]])));
    const seen: string[] = [];
    for (let i = 0; i < 4; i++) seen.push(who((await udpRequest(client(), svc.clusterIP, 5353, 'q')).text));
    assert.deepEqual(count(seen), { a: 2, b: 2 });
  });

  it('a removed endpoint ends its sessions: the next datagram goes to a live one', async () => {
    const [a, b] = await backends('udp', 'a', 'b');
    const svc = makeService({ name: 'moved', protocol: 'UDP', clusterIP: loopbackIP(), port: 5353 });
    const p = proxier();
    await p.sync(full(makeState([[svc, eps([a!])]])));
    const c = client();
    assert.equal(who((await udpRequest(c, svc.clusterIP, 5353, 'q')).text), 'a');
    await p.sync({ state: makeState([[svc, eps([b!])]]), changed: new Set([svc.key]) });
    assert.equal(who((await udpRequest(c, svc.clusterIP, 5353, 'q')).text), 'b');
  });
});
