import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { run } from './command.js';
import { bcryptHash, buildTestImages, criTestSkip, pushImage, requireCri, saveImageTar, startCriTestEnv, startRegistry } from './index.js';
import { miniCri } from './minicri.js';

/** The image config of `tag` in an OCI layout (index → manifest → config). */
function imageConfig(layout: string, tag: string): { config?: { Cmd?: string[]; Entrypoint?: string[]; User?: string; Env?: string[] } } {
  const blob = (digest: string) => JSON.parse(readFileSync(join(layout, 'blobs', ...digest.split(':')), 'utf8'));
  const index = JSON.parse(readFileSync(join(layout, 'index.json'), 'utf8')) as { manifests: Array<{ digest: string; annotations?: Record<string, string> }> };
  const m = index.manifests.find((d) => d.annotations?.['org.opencontainers.image.ref.name'] === tag);
  assert.ok(m, `tag ${tag} in ${layout}`);
  return blob(blob(m.digest).config.digest);
}

test('buildTestImages builds busybox (httpd) and pause (catatonit) once, then reuses the cache', { skip: criTestSkip() }, async (t) => {
  requireCri();
  const dir = mkdtempSync(join(tmpdir(), 'skimg-'));
  try {
    let t0 = performance.now();
    const a = await buildTestImages(dir);
    const cold = performance.now() - t0;
    t0 = performance.now();
    const b = await buildTestImages(dir);
    const warm = performance.now() - t0;
    t.diagnostic(`image build cold ${cold.toFixed(0)} ms, cached ${warm.toFixed(1)} ms`);
    assert.deepEqual(b, a);
    assert.ok(warm < 100, `cached call took ${warm} ms`);
    assert.deepEqual(imageConfig(a.layout, a.busybox).config?.Cmd, ['/bin/httpd', '-f', '-p', '8080', '-h', '/www']);
    assert.equal(imageConfig(a.layout, a.busybox).config?.Entrypoint, undefined);
    const pause = imageConfig(a.layout, a.pause).config;
    assert.deepEqual(pause?.Entrypoint, ['/catatonit', '-P']);
    assert.equal(pause?.User, '65535:65535');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('bcryptHash makes $2b$ hashes with a fresh salt', { skip: criTestSkip() }, async () => {
  requireCri();
  const [a, b] = await Promise.all([bcryptHash('pw'), bcryptHash('pw')]);
  assert.match(a, /^\$2b\$05\$[./A-Za-z0-9]{53}$/);
  assert.notEqual(a, b);
});

test('an htpasswd registry refuses anonymous pushes and pulls; containerd pulls with CRI auth; saveImageTar imports', { skip: criTestSkip(), timeout: 120_000 }, async (t) => {
  requireCri();
  const env = await startCriTestEnv();
  t.diagnostic(`harness timings ms: ${JSON.stringify(env.timings)}`);
  const creds = { user: 'skiff', password: 'p@ss word:1' };
  const reg = await startRegistry({ dataDir: join(env.dir, 'authreg'), htpasswd: creds });
  const cri = miniCri(env.containerd.endpoint);
  try {
    assert.equal((await fetch(`http://${reg.host}/v2/`)).status, 401);
    const basic = 'Basic ' + Buffer.from(`${creds.user}:${creds.password}`).toString('base64');
    assert.equal((await fetch(`http://${reg.host}/v2/`, { headers: { authorization: basic } })).status, 200);
    const ref = `${reg.host}/private/busybox:1`;
    await assert.rejects(pushImage(env.images.layout, env.images.busybox, ref), /unauthorized|authentication required|401/i);
    await pushImage(env.images.layout, env.images.busybox, ref, creds);

    await assert.rejects(cri.call('PullImage', { image: { image: ref } }), /401|unauthorized|authorization/i);
    const pulled = await cri.call('PullImage', { image: { image: ref }, auth: { username: creds.user, password: creds.password } });
    assert.match(pulled.image_ref, /^sha256:/);

    // docker-archive → `ctr images import` (what `skiff images import` will call) → visible to CRI.
    const tar = join(env.dir, 'busybox.tar');
    const name = await saveImageTar(env.images.layout, env.images.busybox, tar, 'skiff.test/imported:v1');
    await run(['ctr', '--address', env.containerd.address, '-n', 'k8s.io', 'images', 'import', tar]);
    const st = await cri.call('ImageStatus', { image: { image: name } });
    assert.ok(st.image?.repo_tags.includes(name), JSON.stringify(st));

    // The images as a pod sees them: applets, users, /tmp, and the pause process (shared pid ns).
    const uid = 'u' + env.id;
    const sc = { metadata: { name: 'check', uid, namespace: 'default' }, hostname: 'check', log_directory: join(env.dir, 'pods', uid), linux: { cgroup_parent: `${env.cgroupParent}/pod${uid}` } };
    const { pod_sandbox_id: sid } = await cri.call('RunPodSandbox', { config: sc });
    const { container_id: cid } = await cri.call('CreateContainer', {
      pod_sandbox_id: sid, sandbox_config: sc,
      config: { metadata: { name: 'c' }, image: { image: name }, command: ['sleep', '3600'], log_path: 'c.log' },
    });
    await cri.call('StartContainer', { container_id: cid });
    const r = await cri.call('ExecSync', {
      container_id: cid, timeout: '10',
      cmd: ['sh', '-c', 'cut -d: -f1,3 /etc/passwd | tr "\\n" " "; stat -c %a /tmp; which tar cat hostname sleep; ps -o user,args | grep -v grep | grep catatonit'],
    });
    assert.equal(r.exit_code, 0, String(r.stderr));
    const out = String(r.stdout);
    assert.match(out, /^root:0 nobody:65534 1777\n\/bin\/tar\n\/bin\/cat\n\/bin\/hostname\n\/bin\/sleep\n/);
    assert.match(out, /65535\s+\/catatonit -P/);
    await cri.call('StopPodSandbox', { pod_sandbox_id: sid });
    await cri.call('RemovePodSandbox', { pod_sandbox_id: sid });
  } finally {
    cri.close();
    await reg.stop();
    await env.stop();
  }
  assert.equal(readFileSync('/proc/self/mountinfo', 'utf8').includes(env.dir), false, 'no mounts left under the env dir');
});
