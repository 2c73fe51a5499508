// Exec'd processes: collecting output (execSync) and live sessions (exec). Each runs in its own
// process group so a timeout or close() kills everything it started, nsenter's forked child included.
import { spawn, type ChildProcess } from 'node:child_process';
import { readlinkSync } from 'node:fs';
import { constants } from 'node:os';
import type { Clock } from '../../../util/clock.js';
import { errors } from '../../../util/errors.js';
import type { StreamSession, TerminalSize } from '../interface.js';
import type { ExecSyncResult } from '../types.js';
import { runCommand } from './command.js';
import { processTree } from './procfs.js';

export interface SpawnSpec {
  argv: string[];
  env: Record<string, string>;
  cwd: string;
}

/** Exit code of a finished child the way a shell reports it (128+n for a signal). */
export function exitCodeOf(code: number | null, signal: NodeJS.Signals | null): number {
  if (code !== null) return code;
  return 128 + (signal ? (constants.signals[signal] ?? 0) : 0);
}

export function killGroup(child: ChildProcess, signal: NodeJS.Signals): void {
  if (!child.pid) return;
  try {
    process.kill(-child.pid, signal);
  } catch {
    // the group is gone
  }
}

/** Spawns and waits for the process to exist; rejects when it cannot be started at all. */
export function spawnStarted(spec: SpawnSpec, stdin: boolean): Promise<ChildProcess> {
  return new Promise((resolve, reject) => {
    const child = spawn(spec.argv[0]!, spec.argv.slice(1), {
      env: spec.env, cwd: spec.cwd, detached: true, stdio: [stdin ? 'pipe' : 'ignore', 'pipe', 'pipe'],
    });
    child.once('spawn', () => resolve(child));
    child.once('error', reject);
    child.stdin?.on('error', () => {});
  });
}

/** Runs to completion, collecting stdout and stderr; a timeout kills it and fails with Timeout. */
export async function runToCompletion(spec: SpawnSpec, clock: Clock, timeoutSeconds: number): Promise<ExecSyncResult> {
  const child = await spawnStarted(spec, false);
  const out: Buffer[] = [];
  const err: Buffer[] = [];
  child.stdout!.on('data', (b: Buffer) => out.push(b));
  child.stderr!.on('data', (b: Buffer) => err.push(b));
  let timedOut = false;
  const timer = timeoutSeconds > 0
    ? clock.setTimer(timeoutSeconds * 1000, () => { timedOut = true; killGroup(child, 'SIGKILL'); })
    : null;
  const exitCode = await new Promise<number>((resolve) => child.on('close', (c, s) => resolve(exitCodeOf(c, s))));
  timer?.cancel();
  if (timedOut) throw errors.timeout(`command '${spec.argv.join(' ')}' timed out after ${timeoutSeconds}s`);
  return { stdout: Buffer.concat(out), stderr: Buffer.concat(err), exitCode };
}

/** The pty `script` made for pid's tree (the first descendant whose stdin is a pts), or ''. */
function findPty(scriptPid: number): string {
  for (const p of processTree(scriptPid).slice(1)) {
    try {
      const tty = readlinkSync(`/proc/${p}/fd/0`);
      if (tty.startsWith('/dev/pts/')) return tty;
    } catch {
      // gone
    }
  }
  return '';
}

/** Sets the size of script's pty, waiting briefly for script to have made it (a resize often comes first). */
export async function resizePty(scriptPid: number, size: TerminalSize, clock: Clock): Promise<void> {
  for (let i = 0; i < 100; i++) {
    const tty = findPty(scriptPid);
    if (tty) {
      await runCommand(['stty', '-F', tty, 'rows', String(size.height), 'cols', String(size.width)]);
      return;
    }
    await clock.sleep(10);
  }
}

/** A live session over an exec'd child. */
export async function startSession(spec: SpawnSpec, opts: { stdin: boolean; stdout: boolean; stderr: boolean; tty: boolean }, clock: Clock): Promise<StreamSession> {
  const child = await spawnStarted(spec, opts.stdin);
  const exitCode = new Promise<number>((resolve) => child.on('close', (c, s) => resolve(exitCodeOf(c, s))));
  const session: StreamSession = {
    exitCode,
    resize: (size) => {
      if (opts.tty && child.pid) void resizePty(child.pid, size, clock).catch(() => {});
    },
    close: () => killGroup(child, 'SIGKILL'),
  };
  if (opts.stdin && child.stdin) session.stdin = child.stdin;
  if (opts.stdout) session.stdout = child.stdout!;
  else child.stdout!.resume();
  // With a tty, script writes everything to stdout; its stderr only carries script's own errors.
  if (opts.stderr && !opts.tty) session.stderr = child.stderr!;
  else child.stderr!.resume();
  return session;
}
