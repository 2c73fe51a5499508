// Child processes for the test harness: run a tool to completion and fail with its stderr.
import { spawn } from 'node:child_process';

export interface RunResult {
  stdout: string;
  stderr: string;
}

/** Runs argv[0] with the rest as arguments; rejects with the tool's stderr when it exits non-zero. */
export function run(argv: string[], o: { input?: string; env?: NodeJS.ProcessEnv; cwd?: string } = {}): Promise<RunResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(argv[0]!, argv.slice(1), { stdio: [o.input === undefined ? 'ignore' : 'pipe', 'pipe', 'pipe'], env: o.env ?? process.env, cwd: o.cwd });
    let stdout = '';
    let stderr = '';
    child.stdout!.setEncoding('utf8').on('data', (d: string) => { stdout += d; });
    child.stderr!.setEncoding('utf8').on('data', (d: string) => { stderr += d; });
    child.on('error', reject);
    child.on('close', (code, signal) => {
      if (code === 0) resolve({ stdout, stderr });
      else reject(new Error(`${argv.slice(0, 3).join(' ')}… exited ${code ?? signal}: ${stderr.trim() || stdout.trim()}`));
    });
    if (child.stdin) {
      // A tool that exits without reading its input must not crash us with EPIPE.
      child.stdin.on('error', () => undefined);
      child.stdin.end(o.input);
    }
  });
}
