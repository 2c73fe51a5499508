// How the iptables mode runs its tools (iptables, iptables-restore, iptables-save, conntrack, sysctl).
// Everything goes through one CommandRunner so tests and benchmarks can run the same code inside a
// throwaway network namespace (`ip netns exec NAME …`) and never touch the root namespace.
import { spawn } from 'node:child_process';

export interface CommandResult {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs argv (no shell), feeding stdin when given; resolves with the exit status, never rejects on one. */
export type CommandRunner = (argv: string[], stdin?: string) => Promise<CommandResult>;

/** Runs the command directly (the proxy's own network namespace). */
export const runCommand: CommandRunner = (argv, stdin) =>
  new Promise((resolve) => {
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
    child.stdin.end(stdin ?? '');
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
