// Child processes for the component benchmarks: `skiff <command>` under tsx, ready when a line on
// stdout matches, with its resident set size read from /proc and a SIGTERM stop.
// BENCH_CPU_PROF=<dir> writes a V8 CPU profile of every child into <dir> when it stops (named
// CPU.<date>.<pid>.…cpuprofile; the bench prints each child's pid).
import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { progress, round } from './lib.js';

const REPO = resolve(dirname(fileURLToPath(import.meta.url)), '..');

export interface Proc {
  name: string;
  child: ChildProcess;
  /** The first match of the ready pattern. */
  ready: RegExpExecArray;
  /** VmRSS in MiB (0 once exited). */
  rssMB(): number;
  /** Total user+system CPU seconds so far (from /proc/<pid>/stat). */
  cpuSeconds(): number;
  stop(): Promise<void>;
}

/**
 * Node flags that write a V8 CPU profile into $BENCH_CPU_PROF when the process stops (none when
 * it is unset); intervalUs samples more often than V8's default of 1 ms.
 */
export function cpuProfArgs(intervalUs?: number): string[] {
  const dir = process.env.BENCH_CPU_PROF;
  if (!dir) return [];
  return ['--cpu-prof', ...(intervalUs ? [`--cpu-prof-interval=${intervalUs}`] : []), `--cpu-prof-dir=${resolve(dir)}`];
}

/** Starts `skiff <args…>`; resolves once stdout matches `ready` (rejects on exit or after timeoutMs). */
export async function startSkiff(name: string, args: string[], ready: RegExp, timeoutMs = 120_000): Promise<Proc> {
  const prof = cpuProfArgs();
  const child = spawn(process.execPath, ['--import', 'tsx', ...prof, 'src/cli/entry.ts', ...args], { cwd: REPO, stdio: ['ignore', 'pipe', 'pipe'] });
  let tail = '';
  child.stderr!.on('data', (c: Buffer) => {
    tail = (tail + c.toString()).slice(-4000);
    if (process.env.BENCH_CHILD_STDERR) process.stderr.write(c);
  });
  const exited = new Promise<void>((res) => child.once('exit', () => res()));
  const stop = async (): Promise<void> => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    child.kill('SIGTERM');
    const killer = setTimeout(() => {
      progress(`${name}: still running 20 s after SIGTERM; killing it`);
      child.kill('SIGKILL');
    }, 20_000);
    await exited;
    clearTimeout(killer);
  };
  try {
    const match = await new Promise<RegExpExecArray>((res, rej) => {
      let out = '';
      const timer = setTimeout(() => rej(new Error(`${name} not ready after ${timeoutMs / 1000} s:\n${tail}`)), timeoutMs);
      child.stdout!.on('data', (c: Buffer) => {
        out = (out + c.toString()).slice(-8000);
        const m = ready.exec(out);
        if (m) {
          clearTimeout(timer);
          res(m);
        }
      });
      child.once('exit', (code, sig) => {
        clearTimeout(timer);
        rej(new Error(`${name} exited (${code ?? sig}) before it was ready:\n${tail}`));
      });
    });
    progress(`${name}: pid ${child.pid} ready`);
    return { name, child, ready: match, rssMB: () => rss(child.pid!), cpuSeconds: () => cpu(child.pid!), stop };
  } catch (err) {
    await stop();
    throw err;
  }
}

function rss(pid: number): number {
  try {
    const m = /^VmRSS:\s+(\d+) kB/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return m ? round(Number(m[1]) / 1024, 1) : 0;
  } catch {
    return 0;
  }
}

/** A process's user+system CPU seconds so far, from /proc/<pid>/stat (0 once it is gone). */
export function cpu(pid: number): number {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // Fields after the parenthesised command name; utime and stime are fields 14 and 15.
    const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return round((Number(f[11]) + Number(f[12])) / 100, 2);
  } catch {
    return 0;
  }
}
