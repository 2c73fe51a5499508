// How the iptables mode runs its tools (iptables, iptables-restore, iptables-save, conntrack, sysctl).
// Everything goes through one CommandRunner so tests and benchmarks can run the same code inside a
// throwaway network namespace (`ip netns exec NAME …`) and never touch the root namespace.
import { spawn } from 'node:child_process';
import type { Writable } from 'node:stream';

export interface CommandResult {
  code: number;
  stdout: string;
  stderr: string;
}

/**
 * What a command reads: a string, or chunks produced while the command already runs (a large
 * iptables-restore input is rendered while the tool parses the chunks before it).
 */
export type CommandInput = string | Iterable<string>;

/**
 * Runs argv (no shell), feeding stdin when given; resolves with the exit status, never rejects on
 * one (it rejects only when producing the input throws).
 */
export type CommandRunner = (argv: string[], stdin?: CommandInput) => Promise<CommandResult>;

/** The whole input as one string (for fakes and error messages). */
export function inputText(stdin: CommandInput | undefined): string {
  if (stdin === undefined) return '';
  return typeof stdin === 'string' ? stdin : [...stdin].join('');
}

// Writes chunks as the pipe takes them, so the next chunk is produced while the child parses.
async function feed(w: Writable, chunks: Iterable<string>): Promise<void> {
  for (const c of chunks) {
    if (w.destroyed || w.writableEnded) return;
    if (!w.write(c)) {
      await new Promise<void>((resolve) => {
        const done = () => { w.off('drain', done); w.off('close', done); resolve(); };
        w.on('drain', done);
        w.on('close', done);
      });
    }
  }
  w.end();
}

/** Runs the command directly (the proxy's own network namespace). */
export const runCommand: CommandRunner = (argv, stdin) =>
  new Promise((resolve, reject) => {
    const [file, ...args] = argv;
    if (!file) {
      resolve({ code: 127, stdout: '', stderr: 'empty command' });
      return;
    }
    const child = spawn(file, args, { stdio: ['pipe', 'pipe', 'pipe'] });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    child.stdout.on('data', (b: Buffer) => out.push(b));
    child.stderr.on('data', (b: Buffer) => err.push(b));
    // A tool that exits before reading all of stdin (e.g. a parse error) closes the pipe: not our error.
    child.stdin.on('error', () => {});
    let spawnError: Error | undefined;
    child.on('error', (e) => { spawnError = e; });
    child.on('close', (code, signal) => {
      const stderr = Buffer.concat(err).toString() + (spawnError ? spawnError.message : '');
      resolve({ code: code ?? (signal ? 128 : 127), stdout: Buffer.concat(out).toString(), stderr });
    });
    if (stdin === undefined || typeof stdin === 'string') {
      child.stdin.end(stdin ?? '');
      return;
    }
    feed(child.stdin, stdin).catch((e: unknown) => {
      child.kill('SIGKILL');
      reject(e instanceof Error ? e : new Error(String(e)));
    });
  });

/** A runner that executes every command inside /run/netns/NAME (`ip netns exec NAME …`). */
export function netnsRunner(name: string, inner: CommandRunner = runCommand): CommandRunner {
  return (argv, stdin) => inner(['ip', 'netns', 'exec', name, ...argv], stdin);
}

/** One line describing a failed command, for errors and logs. */
export function describeFailure(argv: readonly string[], r: CommandResult): string {
  const msg = (r.stderr || r.stdout).trim().split('\n').slice(0, 5).join('; ');
  return `${argv.join(' ')} exited ${r.code}: ${msg}`;
}
