import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { Duplex } from 'node:stream';
import {
  FLAG_FIN, FrameReader, PING, RST_STREAM, SYN_REPLY, SYN_STREAM, controlFrame, dataFrame, rstStreamFrame, type Frame,
} from './frames.js';
import { HeaderCompressor } from './headers.js';
import { SpdySession, type SpdyStream } from './connection.js';
import { SpdyPortForwarder } from '../portforward.js';

/** A client side: compresses headers as kubectl would and parses what the server sends. */
class Client {
  readonly frames: Frame[] = [];
  private readonly reader = new FrameReader();
  private readonly comp = new HeaderCompressor();
  session!: SpdySession;

  receive(b: Buffer): void {
    this.frames.push(...this.reader.push(b));
  }

  async syn(id: number, headers: Record<string, string>, fin = false): Promise<void> {
    const block = await this.comp.encode(headers);
    const p = Buffer.concat([Buffer.from([0, 0, 0, id, 0, 0, 0, 0, 0, 0]), block]);
    // Split into single bytes, as kubectl's many small writes arrive.
    for (const b of controlFrame(SYN_STREAM, fin ? FLAG_FIN : 0, p)) this.session.feed(Buffer.from([b]));
  }

  dataOn(id: number): string {
    return this.frames.filter((f) => f.kind === 'data' && f.streamId === id).map((f) => (f.kind === 'data' ? f.data.toString() : '')).join('');
  }

  finned(id: number): boolean {
    return this.frames.some((f) => f.kind === 'data' && f.streamId === id && f.flags & FLAG_FIN);
  }
}

const tick = () => new Promise((r) => setTimeout(r, 20));

function setup(onStream: (s: SpdyStream) => void): Client {
  const c = new Client();
  c.session = new SpdySession({ write: (b, flushed) => { c.receive(b); flushed(); }, end: () => {} }, { onStream });
  return c;
}

describe('SPDY session', () => {
  it('answers SYN_STREAM with SYN_REPLY, moves data, echoes PING', async () => {
    const streams: SpdyStream[] = [];
    const c = setup((s) => streams.push(s));
    await c.syn(1, { streamtype: 'error', port: '80', requestid: '0' }, true);
    await c.syn(3, { streamtype: 'data', port: '80', requestid: '0' });
    c.session.feed(dataFrame(3, Buffer.from('hello'), false));
    const ping = controlFrame(PING, 0, Buffer.from([0, 0, 0, 7]));
    c.session.feed(ping);
    await tick();
    assert.deepEqual(streams.map((s) => [s.id, s.headers.streamtype]), [[1, 'error'], [3, 'data']]);
    const replies = c.frames.filter((f) => f.kind === 'control' && f.type === SYN_REPLY);
    assert.equal(replies.length, 2);
    const echoed = c.frames.find((f) => f.kind === 'control' && f.type === PING);
    assert.deepEqual(echoed?.kind === 'control' ? echoed.raw : null, ping);
    assert.equal(streams[1]!.data.read()?.toString(), 'hello');
    assert.ok(streams[0]!.remoteEnded, 'SYN_STREAM with FIN ends the client side at once');
    streams[1]!.write(Buffer.from('back'));
    streams[1]!.end();
    await tick();
    assert.equal(c.dataOn(3), 'back');
    assert.ok(c.finned(3));
  });

  it('RST_STREAM resets a stream', async () => {
    const streams: SpdyStream[] = [];
    const c = setup((s) => streams.push(s));
    await c.syn(1, { streamtype: 'data' });
    let reset = false;
    await tick();
    streams[0]!.onReset(() => (reset = true));
    c.session.feed(rstStreamFrame(1, 5));
    await tick();
    assert.ok(reset);
    assert.ok(c.frames.every((f) => !(f.kind === 'control' && f.type === RST_STREAM)));
  });
});

describe('SPDY port-forward', () => {
  it('pairs error and data streams by requestid and forwards bytes both ways', async () => {
    const toPod: Buffer[] = [];
    const conn = new Duplex({
      read() {},
      write(chunk: Buffer, _e, cb) {
        toPod.push(chunk);
        cb();
      },
      final(cb) {
        this.push(null);
        cb();
      },
    });
    const dialed: number[] = [];
    const fwd = new SpdyPortForwarder(async (port) => {
      dialed.push(port);
      return conn;
    }, 'sandbox');
    const c = setup((s) => fwd.onStream(s));
    await c.syn(1, { streamtype: 'error', port: '8080', requestid: '0' }, true);
    await c.syn(3, { streamtype: 'data', port: '8080', requestid: '0' });
    await tick();
    assert.deepEqual(dialed, [8080]);
    c.session.feed(dataFrame(3, Buffer.from('GET /'), false));
    await tick();
    assert.equal(Buffer.concat(toPod).toString(), 'GET /');
    conn.push(Buffer.from('200 OK'));
    await tick();
    assert.equal(c.dataOn(3), '200 OK');
    // Client half-closes: the pod connection ends, which ends the data and error streams.
    c.session.feed(dataFrame(3, Buffer.alloc(0), true));
    await tick();
    assert.ok(c.finned(3));
    assert.ok(c.finned(1));
    assert.equal(c.session.streamCount, 0, 'finished streams are forgotten');
  });

  it('a failed dial is reported on the error stream', async () => {
    const fwd = new SpdyPortForwarder(async () => {
      throw new Error('connect ECONNREFUSED 127.0.0.1:9');
    }, 'sandbox, uid u');
    const c = setup((s) => fwd.onStream(s));
    await c.syn(1, { streamtype: 'error', port: '9', requestid: '4' }, true);
    await c.syn(3, { streamtype: 'data', port: '9', requestid: '4' });
    await tick();
    assert.equal(c.dataOn(1), 'error forwarding port 9 to pod sandbox, uid u: connect ECONNREFUSED 127.0.0.1:9');
    assert.ok(c.finned(1));
    assert.ok(c.finned(3));
  });
});
