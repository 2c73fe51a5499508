import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import {
  FrameReader, PING, SYN_STREAM, controlFrame, dataFrame, decodeHeaderBlock, encodeHeaderBlock, parseSynStream,
  rstStreamFrame, synReplyFrame,
} from './frames.js';
import { HeaderCompressor, HeaderDecompressor } from './headers.js';
import { SPDY3_DICTIONARY } from './dictionary.js';

describe('SPDY/3.1 frames', () => {
  it('the dictionary is the SPDY/3 one', () => {
    assert.equal(SPDY3_DICTIONARY.length, 1423);
    assert.equal(createHash('sha256').update(SPDY3_DICTIONARY).digest('hex'), '51d27341373f923f3cd88e1eb7162aeaa3723d7585ff2399201dc06498407f02');
  });

  it('data frame layout', () => {
    assert.deepEqual([...dataFrame(3, Buffer.from('hi'), true)], [0, 0, 0, 3, 1, 0, 0, 2, 0x68, 0x69]);
    assert.deepEqual([...dataFrame(5, Buffer.alloc(0), false)], [0, 0, 0, 5, 0, 0, 0, 0]);
  });

  it('control frame layout starts 0x80 0x03', () => {
    assert.deepEqual([...rstStreamFrame(7, 5)], [0x80, 3, 0, 3, 0, 0, 0, 8, 0, 0, 0, 7, 0, 0, 0, 5]);
    assert.deepEqual([...synReplyFrame(1, Buffer.from([9]))].slice(0, 13), [0x80, 3, 0, 2, 0, 0, 0, 5, 0, 0, 0, 1, 9]);
  });

  it('the reader reassembles frames split into single bytes (kubectl writes field by field)', () => {
    const bytes = Buffer.concat([controlFrame(PING, 0, Buffer.from([0, 0, 0, 1])), dataFrame(1, Buffer.from('abc'), true)]);
    const r = new FrameReader();
    const got = [];
    for (const b of bytes) got.push(...r.push(Buffer.from([b])));
    assert.equal(got.length, 2);
    assert.deepEqual(got[0]!.kind === 'control' ? [got[0].type, got[0].payload.readUInt32BE(0)] : null, [PING, 1]);
    assert.deepEqual(got[1]!.kind === 'data' ? [got[1].streamId, got[1].flags, got[1].data.toString()] : null, [1, 1, 'abc']);
  });

  it('SYN_STREAM payload parsing', () => {
    const p = Buffer.concat([Buffer.from([0, 0, 0, 3, 0, 0, 0, 0, 0, 0]), Buffer.from('HB')]);
    const f = new FrameReader().push(controlFrame(SYN_STREAM, 0, p))[0]!;
    assert.equal(f.kind, 'control');
    if (f.kind !== 'control') return;
    const s = parseSynStream(f.payload);
    assert.equal(s.streamId, 3);
    assert.equal(s.headerBlock.toString(), 'HB');
  });

  it('header blocks round-trip and lower-case names', () => {
    const h = decodeHeaderBlock(encodeHeaderBlock({ StreamType: 'data', port: '8080', requestid: '0' }));
    assert.deepEqual(h, { streamtype: 'data', port: '8080', requestid: '0' });
    assert.throws(() => decodeHeaderBlock(Buffer.from([0, 0, 0, 1, 0, 0])), /truncated/);
  });

  it('header compression keeps one zlib stream per direction across blocks', async () => {
    const c = new HeaderCompressor();
    const d = new HeaderDecompressor();
    const blocks: Record<string, string>[] = [{ streamtype: 'error', port: '80', requestid: '0' }, { streamtype: 'data', port: '80', requestid: '0' }, {}, { streamtype: 'data', port: '80', requestid: '1' }];
    const sizes: number[] = [];
    for (const h of blocks) {
      const enc = await c.encode(h);
      sizes.push(enc.length);
      assert.deepEqual(await d.decode(enc), h);
    }
    // The second block repeats the first one's strings: a shared stream compresses it much better.
    assert.ok(sizes[1]! < sizes[0]!, `sizes ${sizes}`);
    c.close();
    d.close();
  });
});
