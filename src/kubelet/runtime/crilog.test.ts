import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FakeClock } from '../../util/clock.js';
import { CriLogWriter, criTimestamp, parseCriLine, readCriLog } from './crilog.js';

test('criTimestamp has nine fractional digits and Z', () => {
  assert.equal(criTimestamp(Date.UTC(2016, 9, 6, 0, 17, 9, 669)), '2016-10-06T00:17:09.669000000Z');
});

test('parseCriLine reads the upstream example and rejects other text', () => {
  assert.deepEqual(parseCriLine('2016-10-06T00:17:09.669794202Z stdout F message'),
    { time: '2016-10-06T00:17:09.669794202Z', stream: 'stdout', partial: false, content: 'message' });
  assert.deepEqual(parseCriLine('2016-10-06T00:17:09.669794202Z stderr P '),
    { time: '2016-10-06T00:17:09.669794202Z', stream: 'stderr', partial: true, content: '' });
  assert.equal(parseCriLine('plain text'), null);
});

test('CriLogWriter splits lines, marks long lines partial and flushes tails at end', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'crilog-'));
  try {
    const clock = new FakeClock(Date.UTC(2026, 0, 1));
    const w = new CriLogWriter(join(dir, 'c', '0.log'), clock, 8);
    w.write('stdout', Buffer.from('one\ntw'));
    w.write('stdout', Buffer.from('o\n'));
    w.write('stderr', Buffer.from('0123456789abc\n'));
    w.write('stdout', Buffer.from('tail'));
    await w.close();
    const text = readFileSync(join(dir, 'c', '0.log'), 'utf8');
    const lines = text.trimEnd().split('\n');
    assert.deepEqual(lines.map((l) => l.slice(31)), [
      'stdout F one', 'stdout F two', 'stderr P 01234567', 'stderr F 89abc', 'stdout F tail',
    ]);
    assert.ok(lines.every((l) => l.startsWith('2026-01-01T00:00:00.000000000Z ')));
    assert.deepEqual(readCriLog(text), [
      { stream: 'stdout', message: 'one' }, { stream: 'stdout', message: 'two' },
      { stream: 'stderr', message: '0123456789abc' }, { stream: 'stdout', message: 'tail' },
    ]);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
