import { test } from 'node:test';
import assert from 'node:assert/strict';
import { chmodSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { importImageDir, importImageTarball, socketPath } from './images.js';

test('socketPath: unix endpoints only', () => {
  assert.equal(socketPath('unix:///run/containerd/containerd.sock'), '/run/containerd/containerd.sock');
  assert.equal(socketPath('/run/k3s/containerd.sock'), '/run/k3s/containerd.sock');
  assert.throws(() => socketPath('tcp://127.0.0.1:1234'), /only unix sockets/);
});

/**
 * A scratch directory with a listening unix socket (containerd's stand-in) and a fake `ctr` on
 * PATH that logs its argv and prints what ctr 1.6 prints per image.
 */
async function scratch(t: { after(fn: () => void | Promise<void>): void }) {
  const dir = mkdtempSync(join(tmpdir(), 'skimg-'));
  const bin = join(dir, 'bin');
  mkdirSync(bin);
  const log = join(dir, 'ctr.log');
  writeFileSync(join(bin, 'ctr'), `#!/bin/sh\necho "$@" >> ${JSON.stringify(log)}\necho "unpacking skiff.test/a:1 (sha256:0123)...done"\necho "unpacking skiff.test/b:2 (sha256:4567)...done"\n`);
  chmodSync(join(bin, 'ctr'), 0o755);
  const sock = join(dir, 'c.sock');
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(sock, resolve));
  const path = process.env.PATH;
  t.after(async () => {
    process.env.PATH = path;
    await new Promise<void>((resolve) => server.close(() => resolve()));
    rmSync(dir, { recursive: true, force: true });
  });
  return { dir, bin, sock, log, endpoint: `unix://${sock}` };
}

test('importImageTarball: runs ctr in namespace k8s.io and returns the references it printed', async (t) => {
  const s = await scratch(t);
  process.env.PATH = `${s.bin}:${process.env.PATH}`;
  const tar = join(s.dir, 'x.tar');
  writeFileSync(tar, '');
  assert.deepEqual(await importImageTarball(s.endpoint, tar), ['skiff.test/a:1', 'skiff.test/b:2']);
  assert.equal(readFileSync(s.log, 'utf8'), `--address ${s.sock} -n k8s.io images import ${tar}\n`);
});

test('importImageTarball: clear errors for a missing file, containerd or ctr', async (t) => {
  const s = await scratch(t);
  const tar = join(s.dir, 'x.tar');
  await assert.rejects(importImageTarball(s.endpoint, tar), /x\.tar: no such file/);
  writeFileSync(tar, '');
  await assert.rejects(importImageTarball(`unix://${s.dir}/none.sock`, tar), /containerd is not running \(no socket at .*none\.sock\)/);
  process.env.PATH = join(s.dir, 'empty');
  await assert.rejects(importImageTarball(s.endpoint, tar), /ctr \(from the containerd package\) is not installed/);
});

test('importImageDir: only tarballs, in name order; a missing folder is nothing to do', async (t) => {
  const s = await scratch(t);
  process.env.PATH = `${s.bin}:${process.env.PATH}`;
  const images = join(s.dir, 'images');
  mkdirSync(images);
  for (const f of ['b.tar.gz', 'a.tar', 'notes.txt', 'c.tar.zst']) writeFileSync(join(images, f), '');
  const logged: string[] = [];
  const refs = await importImageDir(s.endpoint, images, (_m, f) => logged.push(String(f.file)));
  assert.equal(refs.length, 6);
  assert.deepEqual(logged, ['a.tar', 'b.tar.gz', 'c.tar.zst']);
  assert.deepEqual(await importImageDir(s.endpoint, join(s.dir, 'nope')), []);
});
