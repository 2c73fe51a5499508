// The CRI test environment of this folder's tests: the harness's (testing/: private containerd,
// loopback registry, CNI bridge, local images) plus its registry as the docker.io mirror, so the
// conformance suite's bare refs (`busybox`, `conformance/img:1`) resolve without the internet.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { run } from './testing/command.js';
import { pushImage, startCriTestEnv, type CriTestEnv } from './testing/index.js';

/**
 * A small image with an id of its own (the pause image plus a label): removing it must not take
 * busybox or the sandbox image along (CRI RemoveImage removes every tag of an image id).
 */
async function pushConformanceImage(env: CriTestEnv, dest: string): Promise<void> {
  const scratch = join(env.dir, 'oci');
  await run(['cp', '-r', env.images.layout, scratch]);
  await run(['umoci', 'config', '--image', `${scratch}:${env.images.pause}`, '--tag', 'conformance', '--config.label', 'skiff.test=conformance']);
  await pushImage(scratch, 'conformance', dest);
}

/** startCriTestEnv() with docker.io/library/busybox:latest and docker.io/conformance/img:1 served locally. */
export async function startCriEnv(): Promise<CriTestEnv> {
  const env = await startCriTestEnv();
  try {
    const reg = env.registry.host;
    await Promise.all([
      pushImage(env.images.layout, env.images.busybox, `${reg}/library/busybox:latest`),
      pushConformanceImage(env, `${reg}/conformance/img:1`),
    ]);
    // containerd reads certs.d/<host>/hosts.toml at every pull; the harness keeps its daemon's in <dir>/ctd.
    const hosts = join(env.dir, 'ctd', 'certs.d', 'docker.io');
    mkdirSync(hosts, { recursive: true });
    writeFileSync(join(hosts, 'hosts.toml'), `server = "https://registry-1.docker.io"\n[host."http://${reg}"]\n  capabilities = ["pull", "resolve"]\n`);
    return env;
  } catch (e) {
    await env.stop();
    throw e;
  }
}
