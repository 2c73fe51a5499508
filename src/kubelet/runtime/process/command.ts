// Running the host tools the process runtime is built from (ip, nsenter, unshare, mount): Node
// cannot call setns/unshare/mount itself (runtime-spike P12), so every such step is a child process.
//
// Why a helper shell: child_process.spawn forks the whole kubelet and blocks its main thread until
// the child has exec'd, which on a busy node costs tens of milliseconds a call and capped the pod
// start rate (bench/kubelet.ts). So commands go to one long-lived bash that starts each as a
// background job (a fork of a small process, off our thread) and reports "<id> <exit code>" when it
// ends; output and input pass through files in a private directory. Without bash, or once the
// helper failed, commands are spawned directly.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface CommandResult {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs argv to completion; input is written to its stdin. Never rejects for a non-zero exit. */
export function runCommand(argv: string[], input?: string): Promise<CommandResult> {
  if (helper === undefined) helper = CommandHelper.start();
  return helper ? helper.run(argv, input) : spawnCommand(argv, input);
}

/** Runs argv and rejects with its stderr when it exits non-zero. */
export async function mustRun(argv: string[], input?: string): Promise<string> {
  const r = await runCommand(argv, input);
  if (r.code !== 0) throw new Error(`${argv.join(' ')}: exit ${r.code}: ${r.stderr.trim() || r.stdout.trim()}`);
  return r.stdout;
}

/** Quotes one word for sh. */
export function shQuote(s: string): string {
  return /^[A-Za-z0-9_\-+=.,/:@%]+$/.test(s) ? s : `'${s.replace(/'/g, `'\\''`)}'`;
}

/** The plain way: a child process of our own. */
function spawnCommand(argv: string[], input?: string): Promise<CommandResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(argv[0]!, argv.slice(1), { stdio: ['pipe', 'pipe', 'pipe'] });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    child.stdout.on('data', (b: Buffer) => out.push(b));
    child.stderr.on('data', (b: Buffer) => err.push(b));
    child.on('error', reject);
    child.on('close', (code, signal) => resolve({
      code: code ?? (signal ? 128 : 1),
      stdout: Buffer.concat(out).toString(),
      stderr: Buffer.concat(err).toString(),
    }));
    child.stdin.on('error', () => {});
    child.stdin.end(input ?? '');
  });
}

/** undefined: not tried yet; null: unavailable (spawn directly). */
let helper: CommandHelper | null | undefined;

class CommandHelper {
  private readonly pending = new Map<number, (code: number) => void>();
  private seq = 0;
  private buf = '';

  private constructor(private readonly child: ChildProcess, private readonly dir: string) {
    child.stdout!.setEncoding('utf8');
    child.stdout!.on('data', (d: string) => {
      this.buf += d;
      let nl: number;
      while ((nl = this.buf.indexOf('\n')) >= 0) {
        const [id, code] = this.buf.slice(0, nl).split(' ').map(Number);
        this.buf = this.buf.slice(nl + 1);
        const done = this.pending.get(id!);
        this.pending.delete(id!);
        done?.(code!);
      }
      this.reference();
    });
    child.on('exit', () => this.fail());
    child.on('error', () => this.fail());
    child.stdin!.on('error', () => this.fail());
    this.reference();
  }

  static start(): CommandHelper | null {
    try {
      const dir = mkdtempSync(join(tmpdir(), 'skiff-cmd-'));
      // bash reaps its finished background jobs itself (dash would keep them as zombies).
      const child = spawn('bash', ['--noprofile', '--norc', '-c', 'while IFS= read -r line; do eval "$line"; done'], { stdio: ['pipe', 'pipe', 'ignore'] });
      process.once('exit', () => rmSync(dir, { recursive: true, force: true }));
      return new CommandHelper(child, dir);
    } catch {
      return null;
    }
  }

  async run(argv: string[], input?: string): Promise<CommandResult> {
    if (helper !== this) return spawnCommand(argv, input);
    const id = ++this.seq;
    const f = (ext: string) => join(this.dir, `${id}.${ext}`);
    await writeFile(f('in'), input ?? '');
    const code = await new Promise<number>((resolve) => {
      this.pending.set(id, resolve);
      this.reference();
      const cmd = argv.map(shQuote).join(' ');
      // exec: the job is the command itself; 127 when it cannot be run, as a shell reports.
      this.child.stdin!.write(`{ (exec ${cmd}) <${shQuote(f('in'))} >${shQuote(f('out'))} 2>${shQuote(f('err'))}; echo "${id} $?"; } &\n`);
    });
    // The helper died with the command under way: whether it ran is unknown, so it is not repeated.
    if (code === -1) return { code: 1, stdout: '', stderr: `${argv[0]}: the command helper exited` };
    const [stdout, stderr] = await Promise.all([readFile(f('out'), 'utf8').catch(() => ''), readFile(f('err'), 'utf8').catch(() => '')]);
    await Promise.all(['in', 'out', 'err'].map((e) => rm(f(e), { force: true })));
    return { code, stdout, stderr };
  }

  /** The helper keeps the process alive only while it runs something for us. */
  private reference(): void {
    const busy = this.pending.size > 0;
    for (const s of [this.child, this.child.stdout, this.child.stdin] as { ref?(): void; unref?(): void }[]) {
      if (busy) s.ref?.();
      else s.unref?.();
    }
  }

  private fail(): void {
    if (helper === this) helper = null;
    for (const done of this.pending.values()) done(-1);
    this.pending.clear();
  }
}
