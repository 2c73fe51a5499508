// Test images built locally from busybox-static with umoci (runtime-spike §2): no network, no
// Docker. The OCI layout is cached under a directory named by the hash of its inputs, so a second
// call (another test file, a bench) costs a few stat calls.
import { createHash, randomBytes } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readFileSync, renameSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { run } from './command.js';

/** Bump when the recipe below changes, so old caches are not reused. */
const RECIPE = 'skiff-test-images/2';
const BUSYBOX = '/bin/busybox';
const CATATONIT = '/usr/bin/catatonit';

export interface TestImages {
  /** OCI image layout directory (`oci:<layout>:<tag>` for skopeo). */
  layout: string;
  /** Tag of the busybox image inside the layout. */
  busybox: string;
  /** Tag of the pause image inside the layout. */
  pause: string;
}

export const BUSYBOX_INDEX_HTML = '<h1>hello from skiff test busybox</h1>\n';

function fileHash(path: string): string {
  return createHash('sha256').update(readFileSync(path)).digest('hex');
}

/**
 * Builds (or reuses) an OCI layout under `dir` with two images:
 * - `busybox`: every applet linked in /bin, /etc/passwd (root, nobody), /tmp 1777, /www/index.html;
 *   default command `httpd -f -p 8080 -h /www`.
 * - `pause`: `catatonit -P` as 65535:65535 (the sandbox process).
 */
export async function buildTestImages(dir: string): Promise<TestImages> {
  if (!existsSync(BUSYBOX)) throw new Error(`${BUSYBOX} is missing (Debian package busybox-static)`);
  if (!existsSync(CATATONIT)) throw new Error(`${CATATONIT} is missing (Debian package catatonit)`);
  const key = createHash('sha256').update(RECIPE).update(fileHash(BUSYBOX)).update(fileHash(CATATONIT)).digest('hex').slice(0, 16);
  const final = join(dir, `skiff-test-images-${key}`);
  const result: TestImages = { layout: join(final, 'layout'), busybox: 'busybox', pause: 'pause' };
  if (existsSync(join(final, 'ready'))) return result;

  mkdirSync(dir, { recursive: true });
  const work = join(dir, `.skiff-test-images-${key}.${process.pid}.${randomBytes(4).toString('hex')}`);
  try {
    await buildInto(work);
    writeFileSync(join(work, 'ready'), `${RECIPE}\n`);
    try {
      renameSync(work, final);
    } catch (e) {
      // Another process finished the same build first: use theirs.
      if (!existsSync(join(final, 'ready'))) throw e;
    }
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
  return result;
}

async function buildInto(work: string): Promise<void> {
  const layout = join(work, 'layout');
  mkdirSync(work, { recursive: true });
  const rootless = process.getuid?.() === 0 ? [] : ['--rootless'];
  await run(['umoci', 'init', '--layout', layout]);

  // busybox
  const bb = join(work, 'bb');
  await run(['umoci', 'new', '--image', `${layout}:busybox`]);
  await run(['umoci', 'unpack', ...rootless, '--image', `${layout}:busybox`, bb]);
  const r = join(bb, 'rootfs');
  for (const d of ['bin', 'etc', 'www', 'tmp', 'proc', 'sys', 'dev', 'root']) mkdirSync(join(r, d), { recursive: true });
  writeFileSync(join(r, 'bin', 'busybox'), readFileSync(BUSYBOX), { mode: 0o755 });
  const applets = (await run([BUSYBOX, '--list'])).stdout.split('\n').filter((a) => a && a !== 'busybox');
  for (const a of applets) symlinkSync('busybox', join(r, 'bin', a));
  writeFileSync(join(r, 'etc', 'passwd'), 'root:x:0:0:root:/root:/bin/sh\nnobody:x:65534:65534:nobody:/:/bin/false\n');
  writeFileSync(join(r, 'etc', 'group'), 'root:x:0:\nnogroup:x:65534:\n');
  writeFileSync(join(r, 'www', 'index.html'), BUSYBOX_INDEX_HTML);
  chmodSync(join(r, 'tmp'), 0o1777);
  await run(['umoci', 'repack', '--image', `${layout}:busybox`, bb]);
  // --clear, not --config.entrypoint '' (that stores [""] and breaks the runtime: runtime-spike P5).
  await run(['umoci', 'config', '--image', `${layout}:busybox`, '--clear=config.entrypoint',
    ...['/bin/httpd', '-f', '-p', '8080', '-h', '/www'].flatMap((c) => ['--config.cmd', c]),
    '--config.env', 'PATH=/usr/sbin:/usr/bin:/sbin:/bin', '--config.workingdir', '/',
    '--config.exposedports', '8080/tcp', '--architecture', 'amd64', '--os', 'linux']);

  // pause
  const pa = join(work, 'pause');
  await run(['umoci', 'new', '--image', `${layout}:pause`]);
  await run(['umoci', 'unpack', ...rootless, '--image', `${layout}:pause`, pa]);
  const pr = join(pa, 'rootfs');
  for (const d of ['proc', 'sys', 'dev', 'etc']) mkdirSync(join(pr, d), { recursive: true });
  writeFileSync(join(pr, 'catatonit'), readFileSync(CATATONIT), { mode: 0o755 });
  await run(['umoci', 'repack', '--image', `${layout}:pause`, pa]);
  await run(['umoci', 'config', '--image', `${layout}:pause`, '--config.entrypoint', '/catatonit', '--config.entrypoint', '-P',
    '--config.user', '65535:65535', '--architecture', 'amd64', '--os', 'linux']);

  await run(['umoci', 'gc', '--layout', layout]);
  rmSync(bb, { recursive: true, force: true });
  rmSync(pa, { recursive: true, force: true });
}

/** Copies `oci:<layout>:<tag>` to `docker://<dest>` (dest: host:port/repo:tag) over plain HTTP. */
export async function pushImage(layout: string, tag: string, dest: string, creds?: { user: string; password: string }): Promise<void> {
  await run(['skopeo', '--insecure-policy', 'copy', '--quiet', '--dest-tls-verify=false',
    ...(creds ? ['--dest-creds', `${creds.user}:${creds.password}`] : []),
    `oci:${layout}:${tag}`, `docker://${dest}`]);
}

/**
 * Writes `oci:<layout>:<tag>` as a docker-archive tarball (what `ctr images import` and
 * `skiff images import` read) naming the image `ref`; resolves to ref.
 */
export async function saveImageTar(layout: string, tag: string, file: string, ref = `skiff.test/${tag}:latest`): Promise<string> {
  rmSync(file, { force: true });
  await run(['skopeo', '--insecure-policy', 'copy', '--quiet', `oci:${layout}:${tag}`, `docker-archive:${file}:${ref}`]);
  return ref;
}
