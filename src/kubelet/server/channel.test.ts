import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import {
  CLOSE, ERROR, RESIZE, STDERR, STDIN, STDOUT, V4, V5, SPDY_PORTFORWARD_TUNNEL, EXEC_WS_PROTOCOLS, PORTFORWARD_WS_PROTOCOLS,
  decodeFrame, encodeFrame, encodePortPrefix, exitStatus, negotiate, parseResize, splitResizes,
} from './channel.js';

describe('channel framing', () => {
  const cases: { name: string; channel: number; payload: string | Buffer; bytes: number[] }[] = [
    { name: 'stdin text', channel: STDIN, payload: 'ab', bytes: [0, 0x61, 0x62] },
    { name: 'stdout bytes', channel: STDOUT, payload: Buffer.from([0, 255]), bytes: [1, 0, 255] },
    { name: 'stderr empty', channel: STDERR, payload: '', bytes: [2] },
    { name: 'error channel', channel: ERROR, payload: '{}', bytes: [3, 0x7b, 0x7d] },
    { name: 'resize channel', channel: RESIZE, payload: 'x', bytes: [4, 0x78] },
    { name: 'v5 close of stdin', channel: CLOSE, payload: Buffer.from([STDIN]), bytes: [255, 0] },
  ];
  for (const c of cases) {
    it(c.name, () => {
      const enc = encodeFrame(c.channel, c.payload);
      assert.deepEqual([...enc], c.bytes);
      const dec = decodeFrame(enc);
      assert.equal(dec?.channel, c.channel);
      assert.deepEqual(dec?.payload, Buffer.isBuffer(c.payload) ? c.payload : Buffer.from(c.payload));
    });
  }
  it('an empty message has no channel', () => {
    assert.equal(decodeFrame(Buffer.alloc(0)), null);
  });
  it('port prefix is the port as uint16 little-endian after the channel byte', () => {
    assert.deepEqual([...encodePortPrefix(0, 8080)], [0, 0x90, 0x1f]);
    assert.deepEqual([...encodePortPrefix(3, 443)], [3, 0xbb, 0x01]);
  });
});

describe('resize messages', () => {
  const cases: { input: string; want: { width: number; height: number } | null }[] = [
    { input: '{"Width":100,"Height":30}\n', want: { width: 100, height: 30 } },
    { input: '{"Height":1,"Width":2}', want: { width: 2, height: 1 } },
    { input: '{"Width":"100","Height":30}', want: null },
    { input: 'garbage', want: null },
  ];
  for (const c of cases) {
    it(JSON.stringify(c.input), () => assert.deepEqual(parseResize(c.input), c.want));
  }
  it('several resizes in one SPDY payload', () => {
    assert.deepEqual(splitResizes('{"Width":1,"Height":2}\n{"Width":3,"Height":4}\n'), [{ width: 1, height: 2 }, { width: 3, height: 4 }]);
  });
});

describe('protocol negotiation', () => {
  const cases: { offered: string[]; supported: readonly string[]; want: string | undefined }[] = [
    { offered: [V5], supported: EXEC_WS_PROTOCOLS, want: V5 },
    { offered: [V5, V4, 'v3.channel.k8s.io', 'channel.k8s.io'], supported: EXEC_WS_PROTOCOLS, want: V5 },
    { offered: ['v3.channel.k8s.io', V4], supported: EXEC_WS_PROTOCOLS, want: V4 },
    { offered: ['base64.channel.k8s.io'], supported: EXEC_WS_PROTOCOLS, want: undefined },
    { offered: [SPDY_PORTFORWARD_TUNNEL], supported: PORTFORWARD_WS_PROTOCOLS, want: SPDY_PORTFORWARD_TUNNEL },
    { offered: [V5, V4], supported: PORTFORWARD_WS_PROTOCOLS, want: V4 },
  ];
  for (const c of cases) {
    it(`${c.offered.join(',')} → ${c.want}`, () => assert.equal(negotiate(c.offered, c.supported), c.want));
  }
});

describe('exit status on the error channel', () => {
  it('0 is Success', () => assert.deepEqual(exitStatus({ exitCode: 0 }), { metadata: {}, status: 'Success' }));
  it('non-zero carries the code as an ExitCode cause, as client-go reads it', () => {
    assert.deepEqual(exitStatus({ exitCode: 3 }), {
      metadata: {}, status: 'Failure', message: 'command terminated with non-zero exit code: exit status 3',
      reason: 'NonZeroExitCode', details: { causes: [{ reason: 'ExitCode', message: '3' }] },
    });
  });
  it('other failures are a plain Failure with the message', () => {
    const s = exitStatus({ error: 'container not running' });
    assert.equal(s.status, 'Failure');
    assert.equal(s.message, 'container not running');
    assert.notEqual(s.reason, 'NonZeroExitCode');
  });
});
