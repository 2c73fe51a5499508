// Test harness for the containerd (`cri`) runtime: local images, a registry, a private containerd
// and the node's CNI config, composed into one environment a test, bench or e2e can start and tear
// down completely (containers, shims, mounts, bridge, pod cgroups).
import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { writeCniConfig } from '../../../../agent/cni.js';
import { startContainerd, type TestContainerd } from './containerd.js';
import { buildTestImages, pushImage, type TestImages } from './images.js';
import { startRegistry, type TestRegistry } from './registry.js';

export { buildTestImages, pushImage, saveImageTar, BUSYBOX_INDEX_HTML, type TestImages } from './images.js';
export { startRegistry, bcryptHash, type TestRegistry } from './registry.js';
export { startContainerd, type ContainerdOptions, type TestContainerd } from './containerd.js';

const TOOLS = ['containerd', 'runc', 'umoci', 'skopeo', 'docker-registry', '/usr/lib/cni/bridge', '/usr/bin/catatonit', '/bin/busybox'];

function onPath(tool: string): boolean {
  if (tool.startsWith('/')) return existsSync(tool);
  return (process.env.PATH ?? '').split(':').some((d) => d && existsSync(join(d, tool)));
}

/** Why the containerd tests cannot run here (not root, a tool missing), or undefined when they can. */
export function criUnavailableReason(): string | undefined {
  if (process.getuid?.() !== 0) return 'needs root (containerd, runc, CNI)';
  const missing = TOOLS.filter((t) => !onPath(t));
  if (missing.length) return `missing ${missing.join(', ')}`;
  return undefined;
}

/**
 * The `skip` option for node:test: the reason outside CI, false in CI (CI=true) so that a missing
 * capability fails there; call requireCri() first thing in the test.
 */
export function criTestSkip(): string | false {
  const why = criUnavailableReason();
  return why && process.env.CI !== 'true' ? why : false;
}

/** Throws when the containerd tests cannot run (for CI, where they must not be skipped). */
export function requireCri(): void {
  const why = criUnavailableReason();
  if (why) throw new Error(`containerd tests cannot run: ${why}`);
}

export interface CriTestEnv {
  /** Unique short id; also the bridge name, CNI network name and pod cgroup parent. */
  id: string;
  dir: string;
  images: TestImages;
  registry: TestRegistry;
  containerd: TestContainerd;
  /** `<registry>/skiff/busybox:1` and `<registry>/skiff/pause:1`. */
  busyboxRef: string;
  pauseRef: string;
  bridge: string;
  podCIDR: string;
  /** `/<id>`: put pod cgroups under it (cgroup_parent `/<id>/pod<uid>`) so stop() removes them. */
  cgroupParent: string;
  /** Milliseconds each step took (images, registry, push, containerd). */
  timings: Record<string, number>;
  stop(): Promise<void>;
}

/**
 * Everything a CRI test needs, under `dir` (default: a new /tmp/skcri-XXXXXX that stop() removes;
 * keep it short, containerd's socket lives there): images built (cached in imageCacheDir, default
 * the system temp dir) and pushed to a fresh registry, a CNI conflist for bridge `skcri<hex>` on a
 * random 10.2xx.y.0/24, and containerd.
 */
export async function startCriTestEnv(o: { dir?: string; imageCacheDir?: string } = {}): Promise<CriTestEnv> {
  const id = `skcri${randomBytes(3).toString('hex')}`;
  const rnd = randomBytes(2);
  const podCIDR = `10.${200 + (rnd[0]! % 50)}.${rnd[1]}.0/24`;
  const ownDir = !o.dir;
  const dir = o.dir ?? mkdtempSync(join(tmpdir(), 'skcri-'));
  mkdirSync(dir, { recursive: true });
  const timings: Record<string, number> = {};
  const time = async <T>(name: string, f: () => Promise<T>): Promise<T> => {
    const t0 = performance.now();
    try {
      return await f();
    } finally {
      timings[name] = Math.round(performance.now() - t0);
    }
  };
  const stops: Array<() => Promise<void>> = [];
  // The network and cgroups outlive a process that exits without stop() (a test timeout under
  // --test-force-exit). Registered once containerd runs, so it runs after containerd's own exit
  // hook has removed the containers ('exit' listeners run in order).
  const onExit = (): void => {
    cleanupNetwork(id);
    removeCgroups(id);
    if (ownDir) rmSync(dir, { recursive: true, force: true });
  };
  const stop = async (): Promise<void> => {
    for (const s of stops.reverse()) await s().catch(() => undefined);
    stops.length = 0;
    process.removeListener('exit', onExit);
    if (ownDir) rmSync(dir, { recursive: true, force: true });
  };
  try {
    const images = await time('images', () => buildTestImages(o.imageCacheDir ?? tmpdir()));
    const registry = await time('registry', () => startRegistry({ dataDir: join(dir, 'registry') }));
    stops.push(() => registry.stop());
    const busyboxRef = `${registry.host}/skiff/busybox:1`;
    const pauseRef = `${registry.host}/skiff/pause:1`;
    await time('push', () => Promise.all([pushImage(images.layout, images.busybox, busyboxRef), pushImage(images.layout, images.pause, pauseRef)]));
    const cniConfDir = join(dir, 'net.d');
    writeCniConfig({ confDir: cniConfDir, podCIDR, bridge: id, name: id, dataDir: join(dir, 'ipam') });
    stops.push(async () => cleanupNetwork(id));
    stops.push(async () => removeCgroups(id));
    const containerd = await time('containerd', () => startContainerd({ dir: join(dir, 'ctd'), pauseImage: pauseRef, cniConfDir }));
    stops.push(() => containerd.stop());
    process.once('exit', onExit);
    return { id, dir, images, registry, containerd, busyboxRef, pauseRef, bridge: id, podCIDR, cgroupParent: `/${id}`, timings, stop };
  } catch (e) {
    await stop();
    throw e;
  }
}

/** Deletes the bridge and libcni's cached results of network `name` (a DEL that never ran leaves them). */
function cleanupNetwork(name: string): void {
  spawnSync('ip', ['link', 'del', name], { stdio: 'ignore' });
  const cache = '/var/lib/cni/results';
  if (existsSync(cache)) for (const f of readdirSync(cache)) if (f.startsWith(`${name}-`)) rmSync(join(cache, f), { force: true });
}

/** rmdir /sys/fs/cgroup/<ctrl>/<name> and everything below, deepest first, in every hierarchy. */
function removeCgroups(name: string): void {
  const rmTree = (d: string): void => {
    for (const e of readdirSync(d)) {
      const p = join(d, e);
      if (statSync(p).isDirectory()) rmTree(p);
    }
    rmdirSync(d);
  };
  for (const ctrl of existsSync('/sys/fs/cgroup') ? readdirSync('/sys/fs/cgroup') : []) {
    const d = join('/sys/fs/cgroup', ctrl, name);
    try {
      if (existsSync(d)) rmTree(d);
    } catch {
      // a process still in it; containerd.stop() ran first, so this is a leak worth seeing in tests
    }
  }
}
