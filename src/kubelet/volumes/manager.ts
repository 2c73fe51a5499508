// Pod volumes on the node (upstream volumemanager + the in-tree plugins Skiff supports): each
// volume is materialised under <dataDir>/pods/<uid>/volumes/<plugin>/<name> — emptyDir (tmpfs for
// medium Memory when root), configMap/secret/downwardAPI/projected through the atomic writer (so
// updates reach running pods), hostPath with its type checks — and turned into CRI mounts.
import { execFile } from 'node:child_process';
import { mkdir, open, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import type { Mount } from '../runtime/index.js';
import type { Obj } from '../types.js';
import { writeAtomic } from './atomic-writer.js';
import { MountError, payloadFor, type VolumeSources } from './sources.js';

const run = promisify(execFile);

const PLUGIN: Record<string, string> = {
  emptyDir: 'kubernetes.io~empty-dir',
  configMap: 'kubernetes.io~configmap',
  secret: 'kubernetes.io~secret',
  downwardAPI: 'kubernetes.io~downward-api',
  projected: 'kubernetes.io~projected',
};

export function podDir(dataDir: string, uid: string): string {
  return join(dataDir, 'pods', uid);
}

function pluginOf(vol: Obj): string | undefined {
  return Object.keys(PLUGIN).find((k) => vol[k] !== undefined && vol[k] !== null);
}

async function kindOf(p: string): Promise<string | undefined> {
  try {
    const s = await stat(p);
    if (s.isDirectory()) return 'Directory';
    if (s.isFile()) return 'File';
    if (s.isSocket()) return 'Socket';
    if (s.isCharacterDevice()) return 'CharDevice';
    if (s.isBlockDevice()) return 'BlockDevice';
    return 'Other';
  } catch {
    return undefined;
  }
}

/** upstream hostPath type checker. */
export async function checkHostPath(path: string, type: string | undefined): Promise<void> {
  const have = await kindOf(path);
  const t = type ?? '';
  switch (t) {
    case '': return;
    case 'DirectoryOrCreate':
      if (!have) await mkdir(path, { recursive: true, mode: 0o755 });
      else if (have !== 'Directory') throw new MountError(`hostPath type check failed: ${path} is not a directory`);
      return;
    case 'FileOrCreate':
      if (!have) await (await open(path, 'a', 0o644)).close();
      else if (have !== 'File') throw new MountError(`hostPath type check failed: ${path} is not a file`);
      return;
    case 'Directory': case 'File': case 'Socket': case 'CharDevice': case 'BlockDevice':
      if (!have) throw new MountError(`hostPath type check failed: ${path} does not exist`);
      if (have !== t) throw new MountError(`hostPath type check failed: ${path} is not a ${t === 'CharDevice' ? 'character device' : t === 'BlockDevice' ? 'block device' : t.toLowerCase()}`);
      return;
    default: throw new MountError(`hostPath type check failed: unknown type ${t}`);
  }
}

export class VolumeManager {
  private readonly tmpfs = new Set<string>();

  constructor(private readonly dataDir: string, private readonly root: boolean) {}

  /** Sets up (or refreshes) every volume of the pod; resolves to volume name → host path. */
  async setUp(pod: Obj, src: VolumeSources): Promise<Map<string, string>> {
    const uid = pod.metadata.uid as string;
    const paths = new Map<string, string>();
    for (const vol of pod.spec?.volumes ?? []) {
      try {
        paths.set(vol.name, await this.setUpOne(uid, vol, pod, src));
      } catch (err) {
        throw new MountError(`MountVolume.SetUp failed for volume "${vol.name}" : ${(err as Error).message}`);
      }
    }
    return paths;
  }

  private async setUpOne(uid: string, vol: Obj, pod: Obj, src: VolumeSources): Promise<string> {
    if (vol.hostPath) {
      await checkHostPath(vol.hostPath.path, vol.hostPath.type);
      return vol.hostPath.path;
    }
    const plugin = pluginOf(vol);
    if (!plugin) throw new MountError(`volume type not supported by this kubelet: ${Object.keys(vol).filter((k) => k !== 'name').join(',')}`);
    const dir = join(podDir(this.dataDir, uid), 'volumes', PLUGIN[plugin]!, vol.name);
    if (plugin === 'emptyDir') {
      await mkdir(dir, { recursive: true, mode: 0o777 });
      if (vol.emptyDir.medium === 'Memory' && this.root && !this.tmpfs.has(dir)) {
        const size = vol.emptyDir.sizeLimit ? [`-o`, `size=${String(vol.emptyDir.sizeLimit).replace(/i$/, '')}`] : [];
        const mounted = await run('mountpoint', ['-q', dir]).then(() => true, () => false);
        if (!mounted) await run('mount', ['-t', 'tmpfs', ...size, 'tmpfs', dir]);
        this.tmpfs.add(dir);
      }
      return dir;
    }
    const files = await payloadFor(vol, pod, src);
    await writeAtomic(dir, files ?? new Map());
    return dir;
  }

  /** Removes the pod's volume directories (tmpfs unmounted first); hostPaths are left alone. */
  async tearDown(uid: string): Promise<void> {
    const dir = podDir(this.dataDir, uid);
    for (const t of [...this.tmpfs]) {
      if (!t.startsWith(`${dir}/`)) continue;
      await run('umount', [t]).catch(() => undefined);
      this.tmpfs.delete(t);
    }
    if (this.root) {
      // Mount points are the second field of /proc/mounts (octal escapes such as \040 for a space);
      // read here rather than through a child process, which forks the whole kubelet.
      const table = await readFile('/proc/mounts', 'utf8').catch(() => '');
      const mounted = table.split('\n').map((l) => (l.split(' ')[1] ?? '').replace(/\\([0-7]{3})/g, (_m, o: string) => String.fromCharCode(parseInt(o, 8))))
        .filter((m) => m.startsWith(`${dir}/`));
      for (const m of mounted.reverse()) await run('umount', ['-l', m]).catch(() => undefined);
    }
    await rm(dir, { recursive: true, force: true });
  }

  /** The per-container termination message file (created empty), mounted at terminationMessagePath. */
  async terminationLogFile(uid: string, container: string, restart: number): Promise<string> {
    const dir = join(podDir(this.dataDir, uid), 'containers', container);
    await mkdir(dir, { recursive: true });
    const f = join(dir, `termination-log-${restart}`);
    await writeFile(f, '', { mode: 0o666 });
    return f;
  }

  /** resolv.conf for a pod from its CRI DNS config (what containerd writes for a sandbox). */
  async resolvConf(uid: string, dns: { servers?: string[]; searches?: string[]; options?: string[] }): Promise<string> {
    const f = join(podDir(this.dataDir, uid), 'resolv.conf');
    await mkdir(podDir(this.dataDir, uid), { recursive: true });
    const lines: string[] = [];
    if (dns.searches?.length) lines.push(`search ${dns.searches.join(' ')}`);
    for (const s of dns.servers ?? []) lines.push(`nameserver ${s}`);
    if (dns.options?.length) lines.push(`options ${dns.options.join(' ')}`);
    const text = `${lines.join('\n')}\n`;
    if (await readFile(f, 'utf8').catch(() => '') !== text) await writeFile(f, text, { mode: 0o644 });
    return f;
  }

  /** /etc/hosts for a pod (upstream managed hosts file). */
  async hostsFile(uid: string, podIP: string, hostname: string, hostAliases: Obj[] = []): Promise<string> {
    const f = join(podDir(this.dataDir, uid), 'etc-hosts');
    await mkdir(podDir(this.dataDir, uid), { recursive: true });
    const lines = [
      '# Kubernetes-managed hosts file.', '127.0.0.1\tlocalhost', '::1\tlocalhost ip6-localhost ip6-loopback',
      'fe00::0\tip6-localnet', 'fe00::0\tip6-mcastprefix', 'fe00::1\tip6-allnodes', 'fe00::2\tip6-allrouters',
      `${podIP}\t${hostname}`,
    ];
    for (const a of hostAliases) lines.push(`${a.ip}\t${(a.hostnames ?? []).join('\t')}`);
    const text = `${lines.join('\n')}\n`;
    // Rewritten only on change: a running container may be reading it.
    if (await readFile(f, 'utf8').catch(() => '') !== text) await writeFile(f, text, { mode: 0o644 });
    return f;
  }
}

/** CRI mounts for a container's volumeMounts (subPath joined and created, readOnly, propagation). */
export async function containerMounts(container: Obj, volumes: Map<string, string>): Promise<Mount[]> {
  const out: Mount[] = [];
  for (const vm of container.volumeMounts ?? []) {
    const base = volumes.get(vm.name);
    if (!base) throw new MountError(`volume "${vm.name}" not found`);
    let hostPath = base;
    const sub = vm.subPath ?? '';
    if (sub) {
      if (sub.startsWith('/') || sub.split('/').includes('..')) throw new MountError(`invalid subpath "${sub}"`);
      hostPath = join(base, sub);
      if (!await kindOf(hostPath)) await mkdir(hostPath, { recursive: true });
    }
    const m: Mount = { containerPath: vm.mountPath, hostPath, readonly: !!vm.readOnly };
    if (vm.mountPropagation === 'HostToContainer') m.propagation = 'PROPAGATION_HOST_TO_CONTAINER';
    else if (vm.mountPropagation === 'Bidirectional') m.propagation = 'PROPAGATION_BIDIRECTIONAL';
    out.push(m);
  }
  return out;
}
