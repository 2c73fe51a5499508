import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createCriRuntime } from '../kubelet/runtime/cri/index.js';
import { criTestSkip, requireCri, saveImageTar, startCriTestEnv } from '../kubelet/runtime/cri/testing/index.js';

const ENTRY = fileURLToPath(new URL('./entry.ts', import.meta.url));

/** Runs `skiff ARGS` from source (tsx), as a user would. */
function skiff(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(process.execPath, ['--import', 'tsx', ENTRY, ...args], { timeout: 120_000 }, (err, stdout, stderr) => {
      resolve({ code: err ? Number((err as NodeJS.ErrnoException & { code?: unknown }).code ?? 1) : 0, stdout, stderr });
    });
  });
}

test('skiff images: usage errors', async () => {
  const none = await skiff(['images', 'import']);
  assert.equal(none.code, 2);
  assert.match(none.stdout + none.stderr, /Usage: skiff images import FILE\.tar/);
  const bad = await skiff(['images', 'list']);
  assert.equal(bad.code, 2);
  assert.match(bad.stderr, /unknown subcommand "list"/);
  const noSock = await skiff(['images', 'import', ENTRY, '--cri-endpoint', 'unix:///nonexistent/containerd.sock']);
  assert.equal(noSock.code, 1);
  assert.match(noSock.stderr, /containerd is not running \(no socket at \/nonexistent\/containerd\.sock\)/);
});

test('skiff images import: a saved tarball shows up in CRI ImageStatus', { skip: criTestSkip(), timeout: 180_000 }, async (t) => {
  requireCri();
  const env = await startCriTestEnv();
  t.after(() => env.stop());
  const tar = join(env.dir, 'busybox.tar');
  const ref = await saveImageTar(env.images.layout, env.images.busybox, tar, 'skiff.test/imported-busybox:7');
  const rt = await createCriRuntime({ endpoint: env.containerd.endpoint });
  t.after(() => rt.close());
  assert.equal(await rt.imageStatus({ image: ref }), null);
  const r = await skiff(['images', 'import', tar, '--cri-endpoint', env.containerd.endpoint]);
  assert.equal(r.code, 0, r.stderr);
  assert.deepEqual(r.stdout.trim().split('\n'), [ref]);
  const img = await rt.imageStatus({ image: ref });
  assert.ok(img, 'the imported image is visible to CRI');
  assert.ok(img.repoTags.includes(ref), JSON.stringify(img.repoTags));
  assert.ok(img.size > 0);
});
