// How a container or exec process is started: the command line (containerd's entrypoint/cmd rules),
// its environment, and — as root — the wrapper chain that puts it in the sandbox's cgroup and
// namespaces before the workload runs (runtime-spike §5.2):
//   sh (writes its pid into cgroup.procs, so the workload never runs outside its limits)
//    → nsenter --net --uts --ipc (the sandbox's namespaces)
//    → [unshare --mount + sh that bind-mounts the volumes, when there are any]
//    → unshare --pid --fork --kill-child --mount --mount-proc (its own PID namespace; --kill-child
//      so killing unshare cannot leave the workload running) → the workload.
// A tty is a pty made by util-linux `script` around the chain (Node has no pty of its own).
import { accessSync, constants, statSync } from 'node:fs';
import { join } from 'node:path';
import type { ContainerConfig, Mount } from '../types.js';
import { shQuote } from './command.js';
import { DEFAULT_PATH, type ProcessImage } from './images.js';
import type { SandboxNamespaces } from './namespaces.js';

export class StartError extends Error {}

/** The workload: argv resolved against PATH, environment, working directory. */
export interface Workload {
  argv: string[];
  env: Record<string, string>;
  cwd: string;
  rootfs: string | null;
}

/** Root-mode isolation of a process; null members mean "the host's". */
export interface Isolation {
  cgroupProcs: string[];
  ns: SandboxNamespaces | null;
}

/** containerd's rule: command replaces the entrypoint; args replace cmd; neither given → image's. */
export function commandLine(config: ContainerConfig, image: ProcessImage): string[] {
  const command = config.command ?? [];
  const args = config.args ?? [];
  if (command.length) return [...command, ...args];
  return [...(image.entrypoint ?? []), ...(args.length ? args : (image.cmd ?? []))];
}

export function workloadEnv(config: ContainerConfig, image: ProcessImage, hostname: string): Record<string, string> {
  const env: Record<string, string> = { PATH: DEFAULT_PATH };
  for (const kv of image.env ?? []) {
    const i = kv.indexOf('=');
    if (i > 0) env[kv.slice(0, i)] = kv.slice(i + 1);
  }
  env.HOSTNAME = hostname;
  // runc sets HOME when the image and the pod leave it out.
  env.HOME = env.HOME ?? '/root';
  if (config.tty) env.TERM = env.TERM ?? 'xterm';
  for (const { key, value } of config.envs ?? []) env[key] = value;
  return env;
}

function isExecutable(p: string): boolean {
  try {
    accessSync(p, constants.X_OK);
    return statSync(p).isFile();
  } catch {
    return false;
  }
}

/** Resolves argv[0] as execve would inside rootfs; throws StartError with runc's wording. */
export function resolveExecutable(argv: string[], env: Record<string, string>, rootfs: string | null): string[] {
  if (!argv.length) throw new StartError('no command specified');
  const root = rootfs ?? '/';
  const cmd = argv[0]!;
  if (cmd.includes('/')) {
    if (!isExecutable(join(root, cmd))) throw new StartError(`exec: "${cmd}": stat ${cmd}: no such file or directory`);
    return argv;
  }
  for (const dir of (env.PATH ?? DEFAULT_PATH).split(':')) {
    if (dir && isExecutable(join(root, dir, cmd))) return [join(dir, cmd), ...argv.slice(1)];
  }
  throw new StartError(`exec: "${cmd}": executable file not found in $PATH`);
}

const JOIN_CGROUPS = 'n=$1; shift; while [ "$n" -gt 0 ]; do echo $$ > "$1" || exit 125; shift; n=$((n-1)); done; exec "$@"';

function joinCgroups(files: string[]): string[] {
  return ['/bin/sh', '-c', JOIN_CGROUPS, 'sh', String(files.length), ...files];
}

/**
 * Bind mounts made in a private mount namespace *before* the container's PID namespace exists, so
 * that anything that can see the container (exec, probes) already sees its volumes.
 */
function withMounts(mounts: Mount[], argv: string[]): string[] {
  if (!mounts.length) return argv;
  const steps = ['set -e'];
  for (const m of mounts) {
    const src = shQuote(m.hostPath);
    const dst = shQuote(m.containerPath);
    // A file volume (a projected token, a subPath) needs a file to mount over, a directory a directory.
    steps.push(`if [ -d ${src} ]; then mkdir -p ${dst}; else mkdir -p "$(dirname ${dst})"; [ -e ${dst} ] || : > ${dst}; fi`);
    steps.push(`mount --bind ${src} ${dst}`);
    if (m.readonly) steps.push(`mount -o remount,bind,ro ${dst}`);
  }
  steps.push('exec "$@"');
  return ['unshare', '--mount', '--propagation', 'private', '--', '/bin/sh', '-c', steps.join('\n'), 'sh', ...argv];
}

/** Wraps argv so it runs on a fresh pty (stdin, stdout and stderr all on it). */
export function withTty(argv: string[]): string[] {
  return ['script', '-qfec', argv.map(shQuote).join(' '), '/dev/null'];
}

/** argv of a container's main process as root. */
export function containerArgv(w: Workload, iso: Isolation, mounts: Mount[], tty: boolean): string[] {
  const nsArgs = iso.ns ? ['nsenter', `--net=${iso.ns.net}`, `--uts=${iso.ns.uts}`, `--ipc=${iso.ns.ipc}`, '--'] : [];
  const unshare = ['unshare', '--pid', '--fork', '--kill-child', '--mount', '--mount-proc', '--propagation', 'private'];
  if (w.rootfs) unshare.push(`--root=${w.rootfs}`);
  unshare.push(`--wd=${w.cwd}`, '--');
  const inner = [...nsArgs, ...withMounts(mounts, [...unshare, ...w.argv])];
  return joinCgroups(iso.cgroupProcs).concat(tty ? withTty(inner) : inner);
}

/** argv of an exec'd process as root: into all of the container's namespaces and its cgroup. */
export function execArgv(argv: string[], targetPid: number, cwd: string, iso: Isolation, tty: boolean): string[] {
  const inner = ['nsenter', '-t', String(targetPid), '--pid', '--mount', '--net', '--uts', '--ipc', '--root', `--wd=${cwd}`, '--', ...argv];
  return joinCgroups(iso.cgroupProcs).concat(tty ? withTty(inner) : inner);
}
