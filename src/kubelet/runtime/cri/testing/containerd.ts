// A private containerd 1.6 for tests and benches: its own root, state, sockets and runc root under
// one directory, configured as in runtime-spike §4.1, so several can run side by side (the shim
// socket hash includes the grpc address: P9). stop() also removes what a crashed test leaves:
// running containers, shims, mounts (overlay snapshots, pod netns, shm).
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { closeSync, existsSync, mkdirSync, openSync, readdirSync, readFileSync, readlinkSync, rmSync, unlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { waitForListener } from './ports.js';

export interface ContainerdOptions {
  /** Everything of this daemon lives here (keep it short: the socket path must fit 107 bytes). */
  dir: string;
  /** CRI sandbox_image, e.g. 127.0.0.1:PORT/skiff/pause:3.9 (pulled on first RunPodSandbox). */
  pauseImage: string;
  cniConfDir: string;
  /** Default /usr/lib/cni. */
  cniBinDir?: string;
  /** Plain-HTTP registries (host:port) to write certs.d/<host>/hosts.toml for (loopback ones work without). */
  plainHttpRegistries?: string[];
}

export interface TestContainerd {
  /** `unix:///…/containerd.sock` for the CRI client. */
  endpoint: string;
  /** The socket path (for `ctr --address`). */
  address: string;
  pid: number;
  logFile: string;
  /** Makes containerd pull from `host` over plain HTTP (hosts.toml is read at every pull). */
  addPlainHttpRegistry(host: string): void;
  stop(): Promise<void>;
}

function toml(s: string): string {
  return JSON.stringify(s);
}

function configToml(dir: string, o: ContainerdOptions): string {
  const cri = 'plugins."io.containerd.grpc.v1.cri"';
  return `version = 2
root = ${toml(join(dir, 'root'))}
state = ${toml(join(dir, 'state'))}
disabled_plugins = ["io.containerd.snapshotter.v1.aufs", "io.containerd.snapshotter.v1.btrfs",
  "io.containerd.snapshotter.v1.devmapper", "io.containerd.snapshotter.v1.zfs",
  "io.containerd.tracing.processor.v1.otlp", "io.containerd.internal.v1.tracing"]
[grpc]
  address = ${toml(join(dir, 'containerd.sock'))}
[ttrpc]
  address = ${toml(join(dir, 'containerd.sock.ttrpc'))}
[debug]
  address = ${toml(join(dir, 'debug.sock'))}
[plugins."io.containerd.internal.v1.opt"]
  path = ${toml(join(dir, 'opt'))}
[${cri}]
  sandbox_image = ${toml(o.pauseImage)}
  netns_mounts_under_state_dir = true
  stream_server_address = "127.0.0.1"
  stream_server_port = "0"
  systemd_cgroup = false
  tolerate_missing_hugetlb_controller = true
  # No CAP_SYS_RESOURCE on these VMs: negative oom_score_adj fails every sandbox (runtime-spike P1).
  restrict_oom_score_adj = true
  disable_apparmor = true
  [${cri}.containerd]
    snapshotter = "overlayfs"
    default_runtime_name = "runc"
    [${cri}.containerd.runtimes.runc]
      runtime_type = "io.containerd.runc.v2"
      [${cri}.containerd.runtimes.runc.options]
        BinaryName = "/usr/sbin/runc"
        Root = ${toml(join(dir, 'runc'))}
        SystemdCgroup = false
  [${cri}.cni]
    bin_dir = ${toml(o.cniBinDir ?? '/usr/lib/cni')}
    conf_dir = ${toml(o.cniConfDir)}
    max_conf_num = 1
  [${cri}.registry]
    config_path = ${toml(join(dir, 'certs.d'))}
`;
}

function writeHostsToml(dir: string, host: string): void {
  const d = join(dir, 'certs.d', host);
  mkdirSync(d, { recursive: true });
  writeFileSync(join(d, 'hosts.toml'), `server = "http://${host}"\n[host."http://${host}"]\n  capabilities = ["pull", "resolve"]\n`);
}

function alive(child: ChildProcess): boolean {
  return child.exitCode === null && child.signalCode === null;
}

async function waitExit(child: ChildProcess, ms: number): Promise<boolean> {
  if (!alive(child)) return true;
  return Promise.race([
    new Promise<boolean>((resolve) => child.once('exit', () => resolve(true))),
    sleep(ms).then(() => !alive(child)),
  ]);
}

/** Starts containerd and resolves once its grpc socket accepts connections. */
export async function startContainerd(o: ContainerdOptions): Promise<TestContainerd> {
  const dir = o.dir;
  const address = join(dir, 'containerd.sock');
  if (Buffer.byteLength(address) > 107) throw new Error(`socket path ${address} is too long for a unix socket`);
  mkdirSync(dir, { recursive: true });
  mkdirSync(o.cniConfDir, { recursive: true });
  for (const h of o.plainHttpRegistries ?? []) writeHostsToml(dir, h);
  mkdirSync(join(dir, 'certs.d'), { recursive: true });
  const config = join(dir, 'config.toml');
  writeFileSync(config, configToml(dir, o));
  const logFile = join(dir, 'containerd.log');
  const log = openSync(logFile, 'a');
  const child = spawn('containerd', ['--config', config, '--log-level', 'info'], { stdio: ['ignore', log, log] });
  closeSync(log);
  // If the test process exits without stop() (a test timeout under --test-force-exit), still
  // leave nothing running or mounted behind.
  const onExit = (): void => {
    if (alive(child)) child.kill('SIGKILL');
    removeLeftovers(dir, address);
  };
  process.once('exit', onExit);
  const stop = async (): Promise<void> => {
    process.removeListener('exit', onExit);
    await cleanupContainerd(dir, address, child);
  };
  try {
    await waitForListener({ path: address }, { timeoutMs: 15_000, alive: () => alive(child), what: 'containerd' });
  } catch (e) {
    await stop();
    const tail = existsSync(logFile) ? readFileSync(logFile, 'utf8').split('\n').slice(-8).join('\n') : '';
    throw new Error(`${(e as Error).message}\n${tail}`);
  }
  return { endpoint: `unix://${address}`, address, pid: child.pid!, logFile, addPlainHttpRegistry: (h) => writeHostsToml(dir, h), stop };
}

/** Pids whose argv contains `-address <address>` (the containerd-shim-runc-v2 processes of this daemon). */
function shimPids(address: string): number[] {
  const out: number[] = [];
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    try {
      const argv = readFileSync(`/proc/${name}/cmdline`, 'utf8').split('\0');
      const i = argv.indexOf('-address');
      if (i > 0 && argv[i + 1] === address && argv[0]!.includes('containerd-shim')) out.push(Number(name));
    } catch {
      // the process went away
    }
  }
  return out;
}

/** Paths of the listening unix sockets a process holds (a killed shim leaves /run/containerd/s/<hash>). */
function socketPaths(pid: number): string[] {
  const inodes = new Set<string>();
  try {
    for (const fd of readdirSync(`/proc/${pid}/fd`)) {
      const m = /^socket:\[(\d+)\]$/.exec(readlinkSync(`/proc/${pid}/fd/${fd}`));
      if (m) inodes.add(m[1]!);
    }
    // Columns: Num RefCount Protocol Flags Type St Inode Path
    return readFileSync(`/proc/${pid}/net/unix`, 'utf8').split('\n').slice(1)
      .map((l) => l.trim().split(/\s+/))
      .filter((f) => f.length >= 8 && inodes.has(f[6]!) && f[7]!.startsWith('/run/containerd/s/'))
      .map((f) => f[7]!);
  } catch {
    return [];
  }
}

/** Mount points at or under dir, deepest first (from /proc/self/mountinfo, octal escapes decoded). */
function mountsUnder(dir: string): string[] {
  const decode = (s: string) => s.replace(/\\([0-7]{3})/g, (_m, o: string) => String.fromCharCode(parseInt(o, 8)));
  return readFileSync('/proc/self/mountinfo', 'utf8').split('\n')
    .map((l) => l.split(' ')[4])
    .filter((p): p is string => !!p)
    .map(decode)
    .filter((p) => p === dir || p.startsWith(dir + '/'))
    .sort((a, b) => b.length - a.length);
}

async function cleanupContainerd(dir: string, address: string, child: ChildProcess): Promise<void> {
  // Containers first, so containerd does not see them die one by one while it shuts down.
  deleteContainers(dir);
  // containerd itself. It leaves the shims running by design (they outlive daemon restarts).
  if (alive(child)) {
    child.kill('SIGTERM');
    if (!(await waitExit(child, 5000))) {
      child.kill('SIGKILL');
      await waitExit(child, 5000);
    }
  }
  removeLeftovers(dir, address);
}

/** Containers still running (a test that failed before RemovePodSandbox): runc kills and deletes them, cgroups included. */
function deleteContainers(dir: string): void {
  const runcNs = join(dir, 'runc', 'k8s.io');
  if (!existsSync(runcNs)) return;
  const list = spawnSync('runc', ['--root', runcNs, 'list', '-q'], { encoding: 'utf8' });
  for (const id of (list.stdout ?? '').split('\n').filter(Boolean)) {
    spawnSync('runc', ['--root', runcNs, 'delete', '--force', id], { stdio: 'ignore' });
  }
}

/** Ids of the sandboxes this daemon knows (its CRI plugin keeps a directory per sandbox). */
function sandboxIds(dir: string): string[] {
  const ids = new Set<string>();
  for (const base of ['root', 'state']) {
    const d = join(dir, base, 'io.containerd.grpc.v1.cri', 'sandboxes');
    if (existsSync(d)) for (const id of readdirSync(d)) ids.add(id);
  }
  return [...ids];
}

/** libcni caches each ADD's result outside containerd's dirs (runtime-spike P9); a DEL that never ran leaves it. */
function removeCniResults(ids: string[]): void {
  const cache = '/var/lib/cni/results';
  if (ids.length === 0 || !existsSync(cache)) return;
  const wanted = new Set(ids);
  for (const f of readdirSync(cache)) {
    // <network name>-<sandbox id>-<ifname>
    const id = /-([0-9a-f]{64})-[^-]+$/.exec(f)?.[1];
    if (id && wanted.has(id)) rmSync(join(cache, f), { force: true });
  }
}

/** Synchronous (it also runs from a process 'exit' hook): containers, shims, mounts, files. */
function removeLeftovers(dir: string, address: string): void {
  deleteContainers(dir);
  removeCniResults(sandboxIds(dir));
  // The shims of this daemon, and the sockets they would have removed on a clean shutdown.
  for (const pid of shimPids(address)) {
    const sockets = socketPaths(pid);
    try {
      process.kill(pid, 'SIGKILL');
    } catch {
      continue;
    }
    for (const s of sockets) {
      try { unlinkSync(s); } catch { /* already gone */ }
    }
  }
  // Mounts: overlay rootfs, netns (nsfs bind mounts under state), sandbox shm.
  for (let i = 0; i < 3; i++) {
    const mounts = mountsUnder(dir);
    if (mounts.length === 0) break;
    spawnSync('umount', ['-l', ...mounts], { stdio: 'ignore' });
  }
  for (const d of ['root', 'state', 'runc', 'opt', 'certs.d']) rmSync(join(dir, d), { recursive: true, force: true });
  for (const f of ['containerd.sock', 'containerd.sock.ttrpc', 'debug.sock']) rmSync(join(dir, f), { force: true });
}
