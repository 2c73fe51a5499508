// Root only: the AnyIP route and ClusterIP listeners for real, inside a throwaway network namespace
// so the root namespace's routes and sysctls are never touched.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import path from 'node:path';
import { it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';

const run = promisify(execFile);
const here = path.dirname(fileURLToPath(import.meta.url));
const repoRoot = path.resolve(here, '../../..');

it('AnyIP route makes 10.43.x ClusterIPs bindable and answering (netns)', async (t) => {
  if (process.getuid?.() !== 0) {
    assert.notEqual(process.env.CI, 'true', 'CI must run this test as root');
    t.skip('needs root');
    return;
  }
  const ns = `skus${process.pid}`;
  await run('ip', ['netns', 'add', ns]);
  try {
    await run('ip', ['-n', ns, 'link', 'set', 'lo', 'up']);
    const { stdout } = await run('ip', ['netns', 'exec', ns, process.execPath, '--import', 'tsx', path.join(here, 'testdata/anyip-check.ts')], { cwd: repoRoot, timeout: 60_000 })
      .catch((e: { stdout?: string; message: string }) => ({ stdout: e.stdout || e.message }));
    const result = JSON.parse(stdout.trim().split('\n').pop()!) as { ok: boolean; error?: string; reply?: string };
    assert.equal(result.error, undefined);
    assert.equal(result.ok, true);
    assert.equal(result.reply, 'anyip:hello');
  } finally {
    await run('ip', ['netns', 'del', ns]);
  }
});
