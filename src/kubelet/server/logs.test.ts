import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { appendFile, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { realClock } from '../../util/clock.js';
import { StatusError } from '../../util/errors.js';
import { formatCriLine } from '../runtime/crilog.js';
import { fixedNano, parseLogOptions, streamLog, tailStart, type LogOptions } from './logs.js';

const T0 = Date.parse('2024-01-01T00:00:00.000Z');
// Five records a second apart; record 4 is a partial line that record 5 completes.
const FILE = Buffer.concat([
  formatCriLine(T0, 'stdout', false, 'one'),
  formatCriLine(T0 + 1000, 'stderr', false, 'two'),
  formatCriLine(T0 + 2000, 'stdout', false, 'three'),
  formatCriLine(T0 + 3000, 'stdout', true, 'four-a'),
  formatCriLine(T0 + 4000, 'stdout', false, '-b'),
]);

async function read(path: string, opts: Partial<LogOptions>): Promise<string> {
  const out = new PassThrough();
  const chunks: Buffer[] = [];
  out.on('data', (c: Buffer) => chunks.push(c));
  await streamLog(path, { follow: false, previous: false, timestamps: false, ...opts }, out);
  return Buffer.concat(chunks).toString();
}

describe('container log reader', () => {
  let dir: string;
  let path: string;
  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'skiff-logs-'));
    path = join(dir, '0.log');
    await writeFile(path, FILE);
  });
  after(() => rm(dir, { recursive: true, force: true }));

  const cases: { name: string; opts: Partial<LogOptions>; want: string }[] = [
    { name: 'everything, stdout and stderr interleaved, partial joined', opts: {}, want: 'one\ntwo\nthree\nfour-a-b\n' },
    { name: 'tailLines counts file lines', opts: { tailLines: 2 }, want: 'four-a-b\n' },
    { name: 'tailLines 3', opts: { tailLines: 3 }, want: 'three\nfour-a-b\n' },
    { name: 'tailLines 0', opts: { tailLines: 0 }, want: '' },
    { name: 'tailLines beyond the file', opts: { tailLines: 100 }, want: 'one\ntwo\nthree\nfour-a-b\n' },
    { name: 'since drops older records', opts: { sinceMs: T0 + 1500 }, want: 'three\nfour-a-b\n' },
    { name: 'since exactly at a record keeps it', opts: { sinceMs: T0 + 1000 }, want: 'two\nthree\nfour-a-b\n' },
    { name: 'limitBytes cuts inside a line', opts: { limitBytes: 6 }, want: 'one\ntw' },
    { name: 'limitBytes larger than the log', opts: { limitBytes: 1000 }, want: 'one\ntwo\nthree\nfour-a-b\n' },
    {
      name: 'timestamps prefix every record, partial ones too',
      opts: { timestamps: true, tailLines: 2 },
      want: '2024-01-01T00:00:03.000000000Z four-a2024-01-01T00:00:04.000000000Z -b\n',
    },
    { name: 'tail + since + limit together', opts: { tailLines: 3, sinceMs: T0 + 2500, limitBytes: 4 }, want: 'four' },
  ];
  for (const c of cases) {
    it(c.name, async () => assert.equal(await read(path, c.opts), c.want));
  }

  it('follow streams appended records until the container stops', async () => {
    const fpath = join(dir, 'follow.log');
    await writeFile(fpath, formatCriLine(T0, 'stdout', false, 'first'));
    const out = new PassThrough();
    let got = '';
    out.on('data', (c: Buffer) => (got += c));
    let running = true;
    const ac = new AbortController();
    const done = streamLog(fpath, { follow: true, previous: false, timestamps: false, tailLines: 1 }, out, {
      clock: realClock, signal: ac.signal, pollMs: 10, isRunning: async () => running,
    });
    await new Promise((r) => setTimeout(r, 50));
    assert.equal(got, 'first\n');
    await appendFile(fpath, formatCriLine(T0 + 1, 'stdout', false, 'second'));
    await appendFile(fpath, formatCriLine(T0 + 2, 'stdout', true, 'par'));
    await new Promise((r) => setTimeout(r, 100));
    assert.equal(got, 'first\nsecond\npar');
    // The container writes its last words and stops: they are still delivered, then the stream ends.
    await appendFile(fpath, formatCriLine(T0 + 3, 'stdout', false, 'tial'));
    running = false;
    await done;
    assert.equal(got, 'first\nsecond\npartial\n');
  });

  it('follow ends when the client goes away', async () => {
    const fpath = join(dir, 'abort.log');
    await writeFile(fpath, formatCriLine(T0, 'stdout', false, 'x'));
    const ac = new AbortController();
    const out = new PassThrough().resume();
    const done = streamLog(fpath, { follow: true, previous: false, timestamps: false }, out, {
      clock: realClock, signal: ac.signal, pollMs: 10, isRunning: async () => true,
    });
    await new Promise((r) => setTimeout(r, 30));
    ac.abort();
    await done;
  });
});

describe('tail start index', () => {
  const buf = Buffer.from('a\nb\nc\n');
  const cases: [number, number][] = [[0, 6], [1, 4], [2, 2], [3, 0], [9, 0]];
  for (const [n, want] of cases) it(`last ${n} lines start at ${want}`, () => assert.equal(tailStart(buf, n), want));
  it('a last line without newline counts', () => assert.equal(tailStart(Buffer.from('a\nb'), 1), 2));
});

describe('log options', () => {
  const now = T0 + 3_600_000;
  it('parses kubectl parameters', () => {
    const o = parseLogOptions(new URLSearchParams('follow=true&tailLines=2&timestamps=true&previous=true&limitBytes=100&sinceSeconds=60'), now);
    assert.deepEqual(o, { follow: true, previous: true, timestamps: true, tailLines: 2, limitBytes: 100, sinceMs: now - 60_000 });
  });
  it('sinceTime is RFC 3339', () => {
    assert.equal(parseLogOptions(new URLSearchParams('sinceTime=2024-01-01T00:00:01Z'), now).sinceMs, T0 + 1000);
  });
  const bad: [string, RegExp][] = [
    ['tailLines=-1', /tailLines: Invalid value: -1: must be greater than or equal to 0/],
    ['limitBytes=0', /limitBytes: Invalid value: 0: must be greater than 0/],
    ['sinceSeconds=0', /sinceSeconds: Invalid value: 0: must be greater than 0/],
    ['sinceSeconds=5&sinceTime=2024-01-01T00:00:00Z', /at most one of `sinceTime` or `sinceSeconds` may be specified/],
    ['tailLines=x', /invalid value for tailLines/],
    ['sinceTime=yesterday', /parsing time/],
  ];
  for (const [q, re] of bad) {
    it(`rejects ${q}`, () => assert.throws(() => parseLogOptions(new URLSearchParams(q), now), (e: unknown) => e instanceof StatusError && re.test(e.message)));
  }
  it('fixed nanosecond timestamps', () => {
    assert.equal(fixedNano('2024-01-01T00:00:00.5Z'), '2024-01-01T00:00:00.500000000Z');
    assert.equal(fixedNano('2024-01-01T00:00:00Z'), '2024-01-01T00:00:00.000000000Z');
    assert.equal(fixedNano('2024-01-01T00:00:00.123456789123Z'), '2024-01-01T00:00:00.123456789Z');
  });
});
