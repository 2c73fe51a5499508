// A throw-away CRI environment for tests and benches of the cri runtime (root only): a private
// containerd 1.6 (testing/containerd.ts), a loopback registry that is also the docker.io mirror (so
// `busybox` and `conformance/img:1` resolve without the internet), and a CNI bridge of its own.
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { run } from './testing/command.js';
import { startContainerd } from './testing/containerd.js';
import { buildTestImages, pushImage } from './testing/images.js';
import { startRegistry } from './testing/registry.js';

/**
 * A small image with an id of its own (the pause image plus a label): removing it must not take
 * busybox or the sandbox image along (CRI RemoveImage removes every tag of an image id).
 */
async function pushConformanceImage(layout: string, tag: string, scratch: string, dest: string): Promise<void> {
  await run(['cp', '-r', layout, scratch]);
  await run(['umoci', 'config', '--image', `${scratch}:${tag}`, '--tag', 'conformance', '--config.label', 'skiff.test=conformance']);
  await pushImage(scratch, 'conformance', dest);
}

/** Everything a CriRuntime test needs: containerd, registry, images; `stop` removes it all. */
export async function startCriEnv(): Promise<{ endpoint: string; stop(): Promise<void> }> {
  const tag = `skcri${process.pid % 10000}`;
  const dir = mkdtempSync(join(tmpdir(), 'skcri-'));
  const stops: (() => Promise<void>)[] = [];
  const forward = readFileSync('/proc/sys/net/ipv4/ip_forward', 'utf8');
  const stop = async () => {
    for (const s of stops.reverse()) await s().catch(() => undefined);
    await run(['ip', 'link', 'del', tag]).catch(() => undefined);
    writeFileSync('/proc/sys/net/ipv4/ip_forward', forward);
    rmSync(dir, { recursive: true, force: true });
  };
  try {
    const images = await buildTestImages(join(tmpdir(), 'skiff-test-cache'));
    const reg = await startRegistry({ dataDir: join(dir, 'reg') });
    stops.push(() => reg.stop());
    await Promise.all([
      pushImage(images.layout, images.busybox, `${reg.host}/library/busybox:latest`),
      pushConformanceImage(images.layout, images.pause, join(dir, 'oci'), `${reg.host}/conformance/img:1`),
      pushImage(images.layout, images.pause, `${reg.host}/skiff/pause:3.9`),
    ]);
    const cniConfDir = join(dir, 'net.d');
    mkdirSync(cniConfDir, { recursive: true });
    // No gateway, masquerade or portmap: nothing of this network reaches the host's routing or
    // iptables (port-forward runs inside the pod's netns).
    writeFileSync(join(cniConfDir, '10-skcri.conflist'), JSON.stringify({
      cniVersion: '1.0.0', name: tag,
      plugins: [{
        type: 'bridge', bridge: tag, isGateway: false, ipMasq: false,
        ipam: { type: 'host-local', dataDir: join(dir, 'ipam'), ranges: [[{ subnet: `10.197.${process.pid % 200}.0/24` }]] },
      }],
    }));
    const ctd = await startContainerd({ dir: join(dir, 'ctd'), pauseImage: `${reg.host}/skiff/pause:3.9`, cniConfDir, plainHttpRegistries: [reg.host] });
    stops.push(() => ctd.stop());
    // The loopback registry mirrors docker.io (containerd reads hosts.toml at every pull).
    mkdirSync(join(dir, 'ctd', 'certs.d', 'docker.io'), { recursive: true });
    writeFileSync(join(dir, 'ctd', 'certs.d', 'docker.io', 'hosts.toml'),
      `server = "https://registry-1.docker.io"\n[host."http://${reg.host}"]\n  capabilities = ["pull", "resolve"]\n`);
    return { endpoint: ctd.endpoint, stop };
  } catch (e) {
    await stop();
    throw e;
  }
}
