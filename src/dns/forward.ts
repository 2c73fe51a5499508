// Forwarding to upstream resolvers (CoreDNS `forward` + `cache`): the client's query goes out over UDP
// with a fresh id, is retried over TCP when the reply is truncated, and the next upstream is tried on a
// timeout or failure. Good replies are cached as wire bytes and aged in place on each hit, so a cached
// answer never claims more TTL than it has left (RFC 1035 §7.3, negative TTLs per RFC 2308 §5).
import dgram from 'node:dgram';
import net from 'node:net';
import { randomInt } from 'node:crypto';
import type { Clock } from '../util/clock.js';
import type { Logger } from '../util/log.js';
import { canonical } from './names.js';
import { RRType, Rcode, decode, readName, scanRecords, type Question, type SoaData } from './wire.js';
import { readFrames, frame } from './tcp-framing.js';

export interface Upstream {
  address: string;
  port: number;
}

export interface ForwarderOptions {
  upstreams: Upstream[];
  clock: Clock;
  log: Logger;
  /** Per-upstream attempt timeout (default 2000 ms). */
  timeoutMs?: number;
  /** Cache capacity in entries (default 10,000; oldest evicted first). */
  maxEntries?: number;
  /** Upper bound on any cached TTL in seconds (default 3600). */
  maxTtl?: number;
}

interface Entry {
  buf: Buffer;
  questionEnd: number;
  ttlOffsets: number[];
  ttls: number[];
  storedAt: number;
  expiresAt: number;
}

interface Pending {
  resolve(buf: Buffer | undefined): void;
  upstream: Upstream;
}

export interface ForwardResult {
  /** The reply, carrying the client's id and question bytes. */
  buf: Buffer;
  cached: boolean;
}

export class Forwarder {
  private readonly cache = new Map<string, Entry>();
  private readonly inflight = new Map<string, Promise<Entry | undefined>>();
  private readonly sockets = new Map<'udp4' | 'udp6', { socket: dgram.Socket; pending: Map<number, Pending> }>();
  private readonly timeoutMs: number;
  private readonly maxEntries: number;
  private readonly maxTtl: number;
  private closed = false;

  constructor(private readonly o: ForwarderOptions) {
    this.timeoutMs = o.timeoutMs ?? 2000;
    this.maxEntries = o.maxEntries ?? 10_000;
    this.maxTtl = o.maxTtl ?? 3600;
  }

  get upstreams(): readonly Upstream[] {
    return this.o.upstreams;
  }

  /**
   * The upstream reply to query (whose decoded question is q), from the cache when fresh;
   * undefined when every upstream failed (the caller answers SERVFAIL).
   */
  async resolve(query: Buffer, q: Question, questionEnd: number): Promise<ForwardResult | undefined> {
    const key = cacheKey(query, q);
    const now = this.o.clock.monotonic();
    const hit = this.cache.get(key);
    if (hit && hit.expiresAt > now) return { buf: this.reply(hit, query, questionEnd, now), cached: true };
    if (hit) this.cache.delete(key);
    let p = this.inflight.get(key);
    if (!p) {
      p = this.exchange(query, q).finally(() => this.inflight.delete(key));
      this.inflight.set(key, p);
    }
    const entry = await p;
    if (!entry) return undefined;
    return { buf: this.reply(entry, query, questionEnd, this.o.clock.monotonic()), cached: false };
  }

  /** A copy of a cached reply with the client's id and question, and TTLs aged by the time held. */
  private reply(e: Entry, query: Buffer, questionEnd: number, now: number): Buffer {
    const out = Buffer.from(e.buf);
    out[0] = query[0]!;
    out[1] = query[1]!;
    if (questionEnd === e.questionEnd) query.copy(out, 12, 12, questionEnd); // keeps the client's letter case
    const age = Math.floor((now - e.storedAt) / 1000);
    if (age > 0) e.ttlOffsets.forEach((off, i) => out.writeUInt32BE(Math.max(0, e.ttls[i]! - age), off));
    return out;
  }

  private async exchange(query: Buffer, q: Question): Promise<Entry | undefined> {
    for (const up of this.o.upstreams) {
      if (this.closed) return undefined;
      try {
        let buf = await this.udp(up, query, q);
        if (buf && (buf[2]! & 0x2) !== 0) buf = await this.tcp(up, query, q);
        if (!buf) continue;
        const rcode = buf[3]! & 0xf;
        if (rcode === Rcode.SERVFAIL || rcode === Rcode.REFUSED) continue;
        return this.store(buf, query, q);
      } catch (err) {
        this.o.log.v(2).info('upstream failed', { upstream: `${up.address}:${up.port}`, err: err as Error });
      }
    }
    return undefined;
  }

  /** Wraps a good reply as a cache entry, caching it when its rcode and TTLs allow. */
  private store(buf: Buffer, query: Buffer, q: Question): Entry {
    const scan = scanRecords(buf);
    const now = this.o.clock.monotonic();
    const entry: Entry = { buf, questionEnd: scan.questionEnd, ttlOffsets: scan.ttlOffsets, ttls: scan.ttls, storedAt: now, expiresAt: now };
    const ttl = cacheTtl(buf);
    if (ttl !== undefined && ttl > 0) {
      entry.expiresAt = now + Math.min(ttl, this.maxTtl) * 1000;
      const key = cacheKey(query, q);
      this.cache.delete(key);
      this.cache.set(key, entry);
      if (this.cache.size > this.maxEntries) this.cache.delete(this.cache.keys().next().value!);
    }
    return entry;
  }

  private socketFor(address: string): { socket: dgram.Socket; pending: Map<number, Pending> } {
    const family = net.isIPv6(address) ? 'udp6' : 'udp4';
    let s = this.sockets.get(family);
    if (!s) {
      const socket = dgram.createSocket(family);
      const pending = new Map<number, Pending>();
      socket.on('message', (msg, rinfo) => {
        if (msg.length < 12) return;
        const id = (msg[0]! << 8) | msg[1]!;
        const p = pending.get(id);
        // Only the upstream asked may answer (a spoofed reply from elsewhere is ignored).
        if (!p || p.upstream.port !== rinfo.port || !sameHost(p.upstream.address, rinfo.address)) return;
        pending.delete(id);
        p.resolve(msg);
      });
      socket.on('error', (err) => this.o.log.warn('upstream socket error', { err }));
      socket.unref();
      s = { socket, pending };
      this.sockets.set(family, s);
    }
    return s;
  }

  private udp(up: Upstream, query: Buffer, q: Question): Promise<Buffer | undefined> {
    const { socket, pending } = this.socketFor(up.address);
    let id = randomInt(0, 0x10000);
    for (let i = 0; pending.has(id) && i < 100; i++) id = randomInt(0, 0x10000);
    const out = Buffer.from(query);
    out.writeUInt16BE(id, 0);
    out[2] |= 0x1; // recursion desired: upstream resolves for us
    return new Promise((resolve) => {
      const timer = this.o.clock.setTimer(this.timeoutMs, () => {
        pending.delete(id);
        resolve(undefined);
      });
      pending.set(id, {
        upstream: up,
        resolve: (buf) => {
          timer.cancel();
          resolve(buf && matchesQuestion(buf, q) ? buf : undefined);
        },
      });
      socket.send(out, up.port, up.address, (err) => {
        if (!err) return;
        timer.cancel();
        pending.delete(id);
        resolve(undefined);
      });
    });
  }

  private tcp(up: Upstream, query: Buffer, q: Question): Promise<Buffer | undefined> {
    return new Promise((resolve) => {
      const out = Buffer.from(query);
      out[2] |= 0x1;
      const sock = net.connect({ host: up.address, port: up.port });
      let done = false;
      const finish = (buf: Buffer | undefined) => {
        if (done) return;
        done = true;
        timer.cancel();
        sock.destroy();
        resolve(buf && matchesQuestion(buf, q) && buf.readUInt16BE(0) === out.readUInt16BE(0) ? buf : undefined);
      };
      const timer = this.o.clock.setTimer(this.timeoutMs, () => finish(undefined));
      const reader = readFrames((msg) => finish(msg));
      sock.on('connect', () => sock.write(frame(out)));
      sock.on('data', reader);
      sock.on('error', () => finish(undefined));
      sock.on('close', () => finish(undefined));
    });
  }

  close(): void {
    this.closed = true;
    for (const { socket, pending } of this.sockets.values()) {
      for (const p of pending.values()) p.resolve(undefined);
      pending.clear();
      socket.close();
    }
    this.sockets.clear();
  }
}

function sameHost(a: string, b: string): boolean {
  return a === b || a.replace(/^::ffff:/, '') === b.replace(/^::ffff:/, '');
}

/** Queries that differ only in letter case or id share an entry; EDNS presence, DO and CD do not. */
function cacheKey(query: Buffer, q: Question): string {
  const cd = (query[3]! & 0x10) !== 0;
  return `${canonical(q.name)}|${q.type}|${q.class}|${cd ? 1 : 0}|${ednsBits(query)}`;
}

/** "-" without EDNS, else the DO bit; the OPT record is the last thing in a query. */
function ednsBits(query: Buffer): string {
  const arcount = query.readUInt16BE(10);
  if (arcount === 0 || query.length < 11) return '-';
  const opt = query.length - 11;
  if (query[opt] !== 0 || query.readUInt16BE(opt + 1) !== RRType.OPT) return '-';
  return (query[opt + 7]! & 0x80) !== 0 ? 'do' : 'e';
}

function matchesQuestion(buf: Buffer, q: Question): boolean {
  try {
    if ((buf[2]! & 0x80) === 0 || buf.readUInt16BE(4) !== 1) return false;
    const { name, end } = readName(buf, 12);
    return canonical(name) === canonical(q.name) && buf.readUInt16BE(end) === q.type && buf.readUInt16BE(end + 2) === q.class;
  } catch {
    return false;
  }
}

/** How long a reply may be cached: the least TTL of its answers, or the SOA's negative TTL. */
function cacheTtl(buf: Buffer): number | undefined {
  const rcode = buf[3]! & 0xf;
  if ((rcode !== Rcode.NOERROR && rcode !== Rcode.NXDOMAIN) || (buf[2]! & 0x2) !== 0) return undefined;
  const msg = decode(buf);
  if (msg.answers.length && rcode === Rcode.NOERROR) {
    return Math.min(...msg.answers.map((r) => r.ttl), ...msg.authority.map((r) => r.ttl));
  }
  const soa = msg.authority.find((r) => r.type === RRType.SOA);
  if (!soa) return undefined;
  return Math.min(soa.ttl, (soa.data as SoaData).minimum);
}
