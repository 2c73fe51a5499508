// One query in, one reply out (or nothing). Replies to cluster names are kept as finished packets
// keyed by the query bytes after the id, so a repeated question costs a map lookup and a copy with
// the id patched; the map is dropped whenever the zone changes. Malformed queries get FORMERR (or
// are dropped when not even a header can be read), other opcodes NOTIMP, unknown classes NOTIMP;
// handle() never throws.
import type { Clock } from '../util/clock.js';
import type { Logger } from '../util/log.js';
import type { Forwarder } from './forward.js';
import type { DNSMetrics } from './metrics.js';
import type { ClusterZone } from './zone.js';
import {
  Opcode, RRClass, RRType, Rcode, WireFormatError, decode, decodeHeader, emptyFlags, encode, rcodeName, readName, typeName,
  type Edns, type Message,
} from './wire.js';

export type Proto = 'udp' | 'tcp';

/** The payload size we advertise (the DNS flag day 2020 recommendation). */
export const SERVER_UDP_SIZE = 1232;
const CLASSIC_UDP_SIZE = 512;
const MAX_PACKET_CACHE = 20_000;

export interface HandlerOptions {
  zone: ClusterZone;
  forwarder?: Forwarder;
  metrics?: DNSMetrics;
  clock: Clock;
  log: Logger;
}

interface Packet {
  buf: Buffer;
  type: string;
  rcode: string;
}

export class QueryHandler {
  private readonly packets = new Map<string, Packet>();
  private generation = -1;

  constructor(private readonly o: HandlerOptions) {}

  /** The reply to raw query bytes, or null to drop it. Never throws; the promise never rejects. */
  handle(query: Buffer, proto: Proto): Buffer | null | Promise<Buffer | null> {
    const start = this.o.clock.monotonic();
    try {
      if (query.length < 12 || (query[2]! & 0x80) !== 0) return null; // not a query: never answer a reply
      if (this.generation !== this.o.zone.generation) {
        this.packets.clear();
        this.generation = this.o.zone.generation;
      }
      const key = query.toString('latin1', 2);
      const hit = this.packets.get(key);
      if (hit) {
        const out = Buffer.allocUnsafe(hit.buf.length);
        hit.buf.copy(out);
        out[0] = query[0]!;
        out[1] = query[1]!;
        this.o.metrics?.observe(proto, hit.type, hit.rcode, 'cluster', true, this.o.clock.monotonic() - start);
        return out;
      }
      const r = this.slow(query, proto, key);
      if (r instanceof Promise) {
        return r.then((res) => this.done(res, proto, start), (err: unknown) => this.fail(err, query, proto, start));
      }
      return this.done(r, proto, start);
    } catch (err) {
      return this.fail(err, query, proto, start);
    }
  }

  private done(r: Reply, proto: Proto, start: number): Buffer {
    this.o.metrics?.observe(proto, r.type, rcodeName(r.rcode), r.source, r.cached, this.o.clock.monotonic() - start);
    return r.buf;
  }

  private fail(err: unknown, query: Buffer, proto: Proto, start: number): Buffer | null {
    this.o.log.warn('dns query failed', { err: err as Error });
    try {
      const h = decodeHeader(query);
      const out = encode({ id: h.id, flags: { ...emptyFlags(), qr: true, opcode: h.flags.opcode, rd: h.flags.rd, ra: true, rcode: Rcode.SERVFAIL }, questions: [], answers: [], authority: [], additional: [] });
      this.o.metrics?.observe(proto, 'other', 'SERVFAIL', 'error', false, this.o.clock.monotonic() - start);
      return out;
    } catch {
      return null;
    }
  }

  private slow(query: Buffer, proto: Proto, key: string): Reply | Promise<Reply> {
    let msg: Message;
    try {
      msg = decode(query);
    } catch (err) {
      if (!(err instanceof WireFormatError)) throw err;
      const h = decodeHeader(query);
      return this.plain(h.id, h.flags.opcode, h.flags.rd, Rcode.FORMERR, 'other');
    }
    const q = msg.questions[0];
    const tname = q ? typeName(q.type) : 'other';
    if (msg.flags.opcode !== Opcode.QUERY) return this.plain(msg.id, msg.flags.opcode, msg.flags.rd, Rcode.NOTIMP, tname, msg);
    if (!q || msg.questions.length !== 1) return this.plain(msg.id, msg.flags.opcode, msg.flags.rd, Rcode.FORMERR, tname);
    if (msg.edns && msg.edns.version > 0) return this.plain(msg.id, msg.flags.opcode, msg.flags.rd, Rcode.BADVERS, tname, msg);
    if (q.class !== RRClass.IN && q.class !== RRClass.ANY) return this.plain(msg.id, msg.flags.opcode, msg.flags.rd, Rcode.NOTIMP, tname, msg);
    if (q.type === RRType.AXFR || q.type === RRType.IXFR) return this.plain(msg.id, msg.flags.opcode, msg.flags.rd, Rcode.NOTIMP, tname, msg);

    const limit = proto === 'tcp' ? 0xffff : udpLimit(msg.edns);
    const res = this.o.zone.lookup(q);
    if (res.kind === 'answer') {
      const reply: Message = {
        id: msg.id,
        flags: { ...emptyFlags(), qr: true, aa: res.authoritative, rd: msg.flags.rd, ra: true, cd: msg.flags.cd, rcode: res.rcode },
        questions: [q], answers: res.answers, authority: res.authority, additional: res.additional,
      };
      if (msg.edns) reply.edns = replyEdns(msg.edns);
      const { buf, truncated } = encodeWithin(reply, limit);
      // Keep the packet when it would be the same over UDP and TCP: not truncated, within UDP's limit.
      if (!truncated && buf.length <= udpLimit(msg.edns)) {
        if (this.packets.size >= MAX_PACKET_CACHE) this.packets.clear();
        this.packets.set(key, { buf, type: tname, rcode: rcodeName(res.rcode) });
      }
      return { buf, type: tname, rcode: res.rcode, source: 'cluster', cached: false };
    }
    const fwd = this.o.forwarder;
    if (!fwd || fwd.upstreams.length === 0) return this.plain(msg.id, 0, msg.flags.rd, Rcode.SERVFAIL, tname, msg, 'forward');
    const questionEnd = questionEndOf(query);
    return fwd.resolve(query, q, questionEnd).then((r): Reply => {
      if (!r) return this.plain(msg.id, 0, msg.flags.rd, Rcode.SERVFAIL, tname, msg, 'forward');
      const buf = r.buf.length > limit ? truncatedCopy(r.buf, questionEnd) : r.buf;
      return { buf, type: tname, rcode: r.buf[3]! & 0xf, source: 'forward', cached: r.cached };
    });
  }

  /** A reply with no records: the question is echoed when one was read, OPT when the query had it. */
  private plain(id: number, opcode: number, rd: boolean, rcode: number, type: string, msg?: Message, source: Source = 'cluster'): Reply {
    const reply: Message = {
      id, flags: { ...emptyFlags(), qr: true, opcode, rd, ra: true, rcode },
      questions: msg ? msg.questions.slice(0, 1) : [], answers: [], authority: [], additional: [],
    };
    if (msg?.edns || rcode > 15) reply.edns = replyEdns(msg?.edns);
    return { buf: encode(reply), type, rcode, source, cached: false };
  }
}

type Source = 'cluster' | 'forward' | 'error';
interface Reply {
  buf: Buffer;
  type: string;
  rcode: number;
  source: Source;
  cached: boolean;
}

/** The largest UDP reply the client accepts: 512 without EDNS, else its advertised size (≥ 512). */
export function udpLimit(edns: Edns | undefined): number {
  if (!edns) return CLASSIC_UDP_SIZE;
  return Math.max(CLASSIC_UDP_SIZE, Math.min(edns.udpSize, SERVER_UDP_SIZE * 4));
}

function replyEdns(q: Edns | undefined): Edns {
  return { udpSize: SERVER_UDP_SIZE, extRcode: 0, version: 0, dnssecOk: q?.dnssecOk ?? false, options: [] };
}

/**
 * Encodes msg in at most limit bytes. Additional records go first (no TC needed, RFC 2181 §9);
 * when answers still do not fit, as many whole records as fit are kept and TC is set so the client
 * retries over TCP.
 */
export function encodeWithin(msg: Message, limit: number): { buf: Buffer; truncated: boolean } {
  let buf = encode(msg);
  if (buf.length <= limit) return { buf, truncated: false };
  const trimmed: Message = { ...msg, additional: [] };
  buf = encode(trimmed);
  if (buf.length <= limit) return { buf, truncated: false };
  const tc: Message = { ...trimmed, flags: { ...msg.flags, tc: true }, authority: [] };
  let lo = 0;
  let hi = msg.answers.length;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (encode({ ...tc, answers: msg.answers.slice(0, mid) }).length <= limit) lo = mid;
    else hi = mid - 1;
  }
  return { buf: encode({ ...tc, answers: msg.answers.slice(0, lo) }), truncated: true };
}

/** Header and question of an upstream reply with TC set and every section emptied. */
function truncatedCopy(reply: Buffer, questionEnd: number): Buffer {
  const out = Buffer.from(reply.subarray(0, questionEnd));
  out[2] |= 0x2;
  out.fill(0, 6, 12);
  return out;
}

/** Where the (already validated) single question ends: its name, type and class. */
function questionEndOf(query: Buffer): number {
  return readName(query, 12).end + 4;
}
