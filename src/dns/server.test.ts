// The sockets end to end: UDP and TCP on one port, forwarding to stub upstreams (failover, TCP on
// truncation, TTL-aged cache, SERVFAIL), and a fuzz run of random and mutated packets.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import dgram from 'node:dgram';
import net from 'node:net';
import { FakeClock, realClock, type Clock } from '../util/clock.js';
import { logger } from '../util/log.js';
import { Forwarder } from './forward.js';
import { QueryHandler } from './handler.js';
import { closeListener, listen } from './server.js';
import { frame, readFrames } from './tcp-framing.js';
import { makeService, queryBytes, tcpExchange, udpExchange, udpQuery, zoneOf } from './testing.js';
import { RRClass, RRType, Rcode, decode, encode, type Message } from './wire.js';

const log = logger('dns-test');

/** A stub upstream resolver on UDP+TCP: answers *.example.com; big.example.com only fits over TCP. */
async function stubUpstream(): Promise<{ port: number; hits: { udp: number; tcp: number }; close(): Promise<void> }> {
  const hits = { udp: 0, tcp: 0 };
  const answer = (q: Buffer, proto: 'udp' | 'tcp'): Buffer => {
    const m = decode(q);
    const qq = m.questions[0]!;
    const r: Message = { id: m.id, flags: { ...m.flags, qr: true, ra: true }, questions: [qq], answers: [], authority: [], additional: [] };
    const soa = { name: 'example.com', type: RRType.SOA, class: 1, ttl: 300, data: { mname: 'ns.example.com', rname: 'h.example.com', serial: 1, refresh: 1, retry: 1, expire: 1, minimum: 60 } };
    if (qq.name.toLowerCase() === 'big.example.com') {
      if (proto === 'udp') r.flags.tc = true;
      else for (let i = 0; i < 60; i++) r.answers.push({ name: qq.name, type: RRType.A, class: 1, ttl: 60, data: `1.2.3.${i}` });
    } else if (qq.name.toLowerCase().startsWith('nx.')) {
      r.flags.rcode = Rcode.NXDOMAIN;
      r.authority.push(soa);
    } else {
      r.answers.push({ name: qq.name, type: RRType.A, class: 1, ttl: 60, data: '1.2.3.4' });
    }
    return encode(r);
  };
  // UDP and TCP share a port picked for UDP; another process may hold it for TCP, so retry.
  for (let attempt = 0; ; attempt++) {
    try {
      return await bindStub(answer, hits);
    } catch (err) {
      if (attempt >= 10 || (err as NodeJS.ErrnoException).code !== 'EADDRINUSE') throw err;
    }
  }
}

type Hits = { udp: number; tcp: number };
async function bindStub(answer: (q: Buffer, proto: 'udp' | 'tcp') => Buffer, hits: Hits): Promise<{ port: number; hits: Hits; close(): Promise<void> }> {
  const udp = dgram.createSocket('udp4');
  udp.on('message', (msg, rinfo) => {
    hits.udp++;
    try {
      udp.send(answer(msg, 'udp'), rinfo.port, rinfo.address);
    } catch {
      // a fuzzed query the stub cannot parse: stay silent, like a resolver that drops it
    }
  });
  await new Promise<void>((r) => udp.bind(0, '127.0.0.1', () => r()));
  const port = udp.address().port;
  const tcp = net.createServer((c) => c.on('data', readFrames((m) => {
    hits.tcp++;
    c.write(frame(answer(m, 'tcp')));
  })));
  await new Promise<void>((resolve, reject) => {
    tcp.once('error', (err) => {
      udp.close();
      reject(err);
    });
    tcp.listen(port, '127.0.0.1', () => resolve());
  });
  return {
    port, hits,
    close: async () => {
      udp.close();
      await new Promise<void>((r) => tcp.close(() => r()));
    },
  };
}

/** A UDP socket that reads and never answers: an upstream that times out. */
async function silentUpstream(): Promise<{ port: number; close(): void }> {
  const s = dgram.createSocket('udp4');
  s.on('message', () => undefined);
  await new Promise<void>((r) => s.bind(0, '127.0.0.1', () => r()));
  return { port: s.address().port, close: () => s.close() };
}

async function serve(upstreamPorts: number[], clock: Clock = realClock, timeoutMs = 300) {
  const zone = zoneOf([makeService('default', 'web', { clusterIP: '10.96.0.10' })]);
  const forwarder = new Forwarder({ upstreams: upstreamPorts.map((port) => ({ address: '127.0.0.1', port })), clock, log, timeoutMs });
  const handler = new QueryHandler({ zone, forwarder, clock, log });
  const l = await listen({ address: '127.0.0.1', port: 0 }, handler, log);
  return { port: l.port, handler, close: async () => { forwarder.close(); await closeListener(l); } };
}

test('UDP and TCP on one port; several queries per TCP connection', async () => {
  const s = await serve([]);
  try {
    const u = await udpQuery(s.port, 'web.default.svc.cluster.local', RRType.A);
    assert.deepEqual(u.answers.map((a) => a.data), ['10.96.0.10']);
    const replies = await tcpExchange(s.port, [1, 2, 3].map((id) => queryBytes('web.default.svc.cluster.local', RRType.A, { id })));
    assert.deepEqual(replies.map((r) => decode(r).id).sort(), [1, 2, 3]);
    for (const r of replies) assert.equal(decode(r).answers[0]!.data, '10.96.0.10');
  } finally {
    await s.close();
  }
});

test('forwarding: failover past a silent upstream, TCP after truncation, SERVFAIL when all fail', async () => {
  const up = await stubUpstream();
  const dead = await silentUpstream();
  const s = await serve([dead.port, up.port]);
  try {
    const a = await udpQuery(s.port, 'www.Example.com', RRType.A, { id: 11 });
    assert.equal(a.id, 11);
    assert.equal(a.questions[0]!.name, 'www.Example.com');
    assert.deepEqual(a.answers.map((x) => x.data), ['1.2.3.4']);
    // The upstream's big answer came over TCP; a classic UDP client gets TC and retries over TCP.
    const big = await udpQuery(s.port, 'big.example.com', RRType.A);
    assert.ok(big.flags.tc);
    assert.equal(up.hits.tcp, 1);
    const [full] = await tcpExchange(s.port, [queryBytes('big.example.com', RRType.A)]);
    assert.equal(decode(full!).answers.length, 60);
    assert.equal(up.hits.tcp, 1, 'served from cache');
    const nx = await udpQuery(s.port, 'nx.example.com', RRType.A);
    assert.equal(nx.flags.rcode, Rcode.NXDOMAIN);
  } finally {
    await s.close();
    await up.close();
  }
  const s2 = await serve([dead.port]);
  try {
    const r = await udpQuery(s2.port, 'www.example.com', RRType.A);
    assert.equal(r.flags.rcode, Rcode.SERVFAIL);
  } finally {
    await s2.close();
    dead.close();
  }
});

test('forward cache respects TTLs: ages them, expires entries, caches NXDOMAIN for the SOA minimum', async () => {
  const up = await stubUpstream();
  const clock = new FakeClock();
  const f = new Forwarder({ upstreams: [{ address: '127.0.0.1', port: up.port }], clock, log });
  try {
    const ask = async (name: string) => {
      const q = queryBytes(name, RRType.A);
      const r = await f.resolve(q, { name, type: RRType.A, class: RRClass.IN }, q.length);
      return { m: decode(r!.buf), cached: r!.cached };
    };
    assert.equal((await ask('a.example.com')).cached, false);
    clock.advance(10_500);
    const hit = await ask('A.example.com');
    assert.ok(hit.cached);
    assert.equal(hit.m.answers[0]!.ttl, 50);
    assert.equal(hit.m.questions[0]!.name, 'A.example.com');
    clock.advance(50_000);
    assert.equal((await ask('a.example.com')).cached, false, 'expired after 60 s');
    assert.equal((await ask('nx.example.com')).cached, false);
    clock.advance(59_000);
    const nx = await ask('nx.example.com');
    assert.ok(nx.cached);
    assert.equal(nx.m.authority[0]!.ttl, 241);
    clock.advance(1_000);
    assert.equal((await ask('nx.example.com')).cached, false, 'negative entry lives for min(SOA ttl, minimum)');
    assert.equal(up.hits.udp, 4);
  } finally {
    f.close();
    await up.close();
  }
});

/** Deterministic PRNG so a failing fuzz run can be replayed. */
function prng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s * 1664525 + 1013904223) >>> 0;
    return s / 0x100000000;
  };
}

test('fuzz: random and mutated packets never break the server', async () => {
  const up = await stubUpstream();
  const s = await serve([up.port], realClock, 200);
  const rand = prng(12345);
  const seeds = [
    queryBytes('web.default.svc.cluster.local', RRType.A),
    queryBytes('web.default.svc.cluster.local', RRType.SRV, { edns: { udpSize: 4096 } }),
    queryBytes('x.example.com', RRType.AAAA),
    queryBytes('10.0.96.10.in-addr.arpa', RRType.PTR),
  ];
  const mutate = (b: Buffer): Buffer => {
    const c = Buffer.from(b);
    const n = 1 + Math.floor(rand() * 4);
    for (let i = 0; i < n; i++) {
      const kind = rand();
      const at = Math.floor(rand() * c.length);
      if (kind < 0.6) c[at] = Math.floor(rand() * 256);
      else if (kind < 0.8) return c.subarray(0, at);
      else c[at] = 0xc0 | Math.floor(rand() * 4);
    }
    return c;
  };
  try {
    // Straight into the handler: it must never throw, and whatever it answers must decode.
    for (let i = 0; i < 20_000; i++) {
      const q = i % 4 === 0 ? Buffer.from(Array.from({ length: Math.floor(rand() * 64) }, () => Math.floor(rand() * 256))) : mutate(seeds[i % seeds.length]!);
      if (q.length >= 3) q[2]! &= 0x7f; // keep QR clear so most inputs reach the parser
      const r = await s.handler.handle(q, i % 2 ? 'udp' : 'tcp');
      if (r) assert.doesNotThrow(() => decode(r), `reply to ${q.toString('hex')}`);
    }
    // Through the socket, fire-and-forget, then the server must still answer.
    const sock = dgram.createSocket('udp4');
    for (let i = 0; i < 2000; i++) sock.send(mutate(seeds[i % seeds.length]!), s.port, '127.0.0.1');
    await new Promise((r) => setTimeout(r, 300));
    sock.close();
    const garbage = net.connect(s.port, '127.0.0.1');
    garbage.on('error', () => undefined);
    garbage.write(Buffer.from([0, 5, 1, 2, 3, 4, 5, 0, 2, 9]));
    await new Promise((r) => setTimeout(r, 50));
    garbage.destroy();
    const ok = await udpExchange(s.port, queryBytes('web.default.svc.cluster.local', RRType.A, { id: 777 }));
    assert.ok(ok, 'server still answers');
    assert.equal(decode(ok).id, 777);
    assert.deepEqual(decode(ok).answers.map((a) => a.data), ['10.96.0.10']);
  } finally {
    await s.close();
    await up.close();
  }
});
