import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { rotateIfNeeded } from './logs.js';

test('log rotation renames a big log, asks the runtime to reopen it, keeps maxFiles-1 rotated files', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'skiff-logs-'));
  try {
    const log = join(dir, '0.log');
    const reopened: string[] = [];
    const rt = { reopenContainerLog: async (id: string) => { reopened.push(id); } };
    await writeFile(log, 'x'.repeat(10));
    assert.equal(await rotateIfNeeded(rt, 'c1', log, { maxBytes: 100, maxFiles: 3 }, Date.UTC(2026, 0, 1)), false);
    for (let i = 0; i < 4; i++) {
      await writeFile(log, 'x'.repeat(200));
      assert.equal(await rotateIfNeeded(rt, 'c1', log, { maxBytes: 100, maxFiles: 3 }, Date.UTC(2026, 0, 1, 0, 0, i)), true);
    }
    assert.equal(reopened.length, 4);
    const files = (await readdir(dir)).sort();
    assert.equal(files.length, 2); // the live log was renamed; two rotated files remain
    assert.ok(files.every((f) => f.startsWith('0.log.')));
    assert.ok(files[1]!.includes('000003'));
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});
