import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mustRun, runCommand, shQuote } from './command.js';

test('runCommand: stdout, stderr, exit code and stdin through the helper shell', async () => {
  const cases: { argv: string[]; input?: string; want: { code: number; stdout: string; stderr: string } }[] = [
    { argv: ['echo', 'two words', "it's"], want: { code: 0, stdout: "two words it's\n", stderr: '' } },
    { argv: ['cat'], input: 'line 1\nline 2\n', want: { code: 0, stdout: 'line 1\nline 2\n', stderr: '' } },
    { argv: ['sh', '-c', 'echo oops >&2; exit 3'], want: { code: 3, stdout: '', stderr: 'oops\n' } },
    // Without input the command reads an empty stdin, never the helper's own command stream.
    { argv: ['cat'], want: { code: 0, stdout: '', stderr: '' } },
  ];
  for (const c of cases) assert.deepEqual(await runCommand(c.argv, c.input), c.want, c.argv.join(' '));
});

test('runCommand: a missing program exits 127', async () => {
  const r = await runCommand(['skiff-no-such-program']);
  assert.equal(r.code, 127);
  assert.match(r.stderr, /skiff-no-such-program/);
});

test('runCommand: commands run concurrently and each gets its own result', async () => {
  const t0 = performance.now();
  const out = await Promise.all(Array.from({ length: 20 }, (_, i) => mustRun(['sh', '-c', `sleep 0.3; echo ${i}`])));
  assert.deepEqual(out, Array.from({ length: 20 }, (_, i) => `${i}\n`));
  assert.ok(performance.now() - t0 < 3_000, 'twenty 0.3 s commands ran one after another');
});

test('mustRun rejects with the stderr of a failing command', async () => {
  await assert.rejects(mustRun(['sh', '-c', 'echo bad thing >&2; exit 1']), /exit 1: bad thing/);
});

test('shQuote', () => {
  assert.equal(shQuote('plain/path-1.2'), 'plain/path-1.2');
  assert.equal(shQuote("it's x"), `'it'\\''s x'`);
});
