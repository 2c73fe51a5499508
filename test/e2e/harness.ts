// End-to-end harness: starts real `skiff` processes from the current source on free ports with temp
// data dirs, and drives them with the real kubectl binaries on this machine.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import http from 'node:http';
import net from 'node:net';
import { mkdtempSync, rmSync, readFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

const ROOT = resolve(import.meta.dirname, '../..');
const ENTRY = join(ROOT, 'src/cli/entry.ts');

/** Runs a `skiff` command from the current source to completion. */
export function skiffSync(args: string[], timeoutMs = 60_000): { code: number; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, ['--import', 'tsx', ENTRY, ...args], { cwd: ROOT, encoding: 'utf8', timeout: timeoutMs, env: { ...process.env, SKIFF_LOG: 'normal' } });
  return { code: r.status ?? -1, stdout: r.stdout ?? '', stderr: r.stderr ?? '' };
}

export const KUBECTL = process.env.KUBECTL ?? '/usr/bin/kubectl';
export const KUBECTL_SDK_DIR = '/usr/lib/google-cloud-sdk/bin';

/** Path of a pinned kubectl minor version (1.27 … 1.33), or undefined when not installed. */
export function kubectlVersion(minor: number): string | undefined {
  const p = join(KUBECTL_SDK_DIR, `kubectl.1.${minor}`);
  return existsSync(p) ? p : undefined;
}

/** Why an e2e suite cannot run here (undefined = it can). In CI a missing tool is a failure. */
export function missingKubectl(): string | undefined {
  if (existsSync(KUBECTL)) return undefined;
  const why = `kubectl not found at ${KUBECTL}`;
  if (process.env.CI === 'true') throw new Error(why);
  return why;
}

export interface RunningServer {
  dataDir: string;
  kubeconfig: string;
  server: string;
  proc: ChildProcess;
  output(): string;
  stop(): Promise<number | null>;
}

/** Starts `skiff server` (or another command) and waits for the ready line. */
export async function startServer(args: string[] = [], opts: { command?: string; timeoutMs?: number; dataDir?: string } = {}): Promise<RunningServer> {
  // A given data dir belongs to the caller (a restart reuses it) and is not removed on stop.
  const ownDir = !opts.dataDir;
  const dataDir = opts.dataDir ?? mkdtempSync(join(tmpdir(), 'skiff-e2e-'));
  const command = opts.command ?? 'server';
  const proc = spawn(process.execPath, ['--import', 'tsx', ENTRY, command, '--data-dir', dataDir, '--port', '0', ...args], {
    cwd: ROOT,
    env: { ...process.env, SKIFF_LOG: 'normal' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  proc.stdout!.on('data', (d) => (out += d));
  proc.stderr!.on('data', (d) => (out += d));
  await new Promise<void>((resolveReady, reject) => {
    const timer = setTimeout(() => reject(new Error(`skiff ${command} not ready in time:\n${out}`)), opts.timeoutMs ?? 30_000);
    const check = () => {
      if (out.includes('Skiff is ready.')) {
        clearTimeout(timer);
        resolveReady();
      }
    };
    proc.stdout!.on('data', check);
    proc.on('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`skiff ${command} exited with ${code}:\n${out}`));
    });
  });
  const kubeconfig = join(dataDir, 'kubeconfig.yaml');
  const server = /server: (\S+)/.exec(readFileSync(kubeconfig, 'utf8'))![1]!;
  return {
    dataDir, kubeconfig, server, proc,
    output: () => out,
    async stop() {
      if (proc.exitCode !== null || proc.signalCode !== null) return proc.exitCode;
      const exited = new Promise<number | null>((r) => proc.once('exit', (code) => r(code)));
      proc.kill('SIGTERM');
      const code = await exited;
      if (ownDir) rmSync(dataDir, { recursive: true, force: true });
      // A node agent's service proxy leaves its rules and routes for a restart, as upstream's does;
      // the next test's cluster must not inherit them.
      if (command === 'server' && !args.includes('--no-agent') && process.getuid?.() === 0) {
        for (const mode of ['iptables', 'userspace']) skiffSync(['proxy', '--cleanup', '--proxy-mode', mode]);
      }
      return code;
    },
  };
}

export interface KubectlResult {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs kubectl against a server with its own discovery cache dir. */
export function kubectl(srv: Pick<RunningServer, 'kubeconfig' | 'dataDir'>, args: string[], opts: { input?: string; bin?: string; env?: Record<string, string>; timeoutMs?: number } = {}): KubectlResult {
  const r = spawnSync(opts.bin ?? KUBECTL, [`--cache-dir=${join(srv.dataDir, 'kubectl-cache')}`, ...args], {
    env: { ...process.env, KUBECONFIG: srv.kubeconfig, ...opts.env },
    input: opts.input,
    encoding: 'utf8',
    timeout: opts.timeoutMs ?? 60_000,
  });
  return { code: r.status ?? -1, stdout: r.stdout ?? '', stderr: r.stderr ?? '' };
}

/** kubectl that must succeed; returns stdout. */
export function kubectlOk(srv: Pick<RunningServer, 'kubeconfig' | 'dataDir'>, args: string[], opts: Parameters<typeof kubectl>[2] = {}): string {
  const r = kubectl(srv, args, opts);
  if (r.code !== 0) throw new Error(`kubectl ${args.join(' ')} failed (${r.code}):\n${r.stderr}${r.stdout}`);
  return r.stdout;
}

export interface RunningProcess {
  proc: ChildProcess;
  output(): string;
  stop(): Promise<number | null>;
}

/** Starts another `skiff` command (hollow-nodes, scheduler, …) and waits for its ready text. */
export async function startSkiff(args: string[], readyText: string, timeoutMs = 30_000): Promise<RunningProcess> {
  const proc = spawn(process.execPath, ['--import', 'tsx', ENTRY, ...args], { cwd: ROOT, env: { ...process.env, SKIFF_LOG: 'normal' }, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  proc.stdout!.on('data', (d) => (out += d));
  proc.stderr!.on('data', (d) => (out += d));
  await new Promise<void>((resolveReady, reject) => {
    const timer = setTimeout(() => reject(new Error(`skiff ${args[0]} not ready in time:\n${out}`)), timeoutMs);
    proc.stdout!.on('data', () => {
      if (out.includes(readyText)) {
        clearTimeout(timer);
        resolveReady();
      }
    });
    proc.on('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`skiff ${args[0]} exited with ${code}:\n${out}`));
    });
  });
  return {
    proc,
    output: () => out,
    async stop() {
      if (proc.exitCode !== null || proc.signalCode !== null) return proc.exitCode;
      const exited = new Promise<number | null>((r) => proc.once('exit', (code) => r(code)));
      proc.kill('SIGTERM');
      return exited;
    },
  };
}

/** Polls fn (sync or async) until it returns a truthy value (or throws after timeoutMs with the last value seen). */
export async function eventually<T>(fn: () => T | Promise<T>, what: string, timeoutMs = 20_000): Promise<NonNullable<T>> {
  const deadline = Date.now() + timeoutMs;
  let last: T | undefined;
  for (;;) {
    last = await fn();
    if (last) return last as NonNullable<T>;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what} (last: ${JSON.stringify(last)})`);
    await new Promise((r) => setTimeout(r, 250));
  }
}

/** GET http://host:port/path (5 s timeout, no keep-alive). */
export function httpGet(host: string, port: number, path = '/'): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = http.get({ host, port, path, agent: false, timeout: 5000 }, (res) => {
      let body = '';
      res.on('data', (d) => (body += d));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
    });
    req.on('timeout', () => req.destroy(new Error('timeout')));
    req.on('error', reject);
  });
}

/** A TCP port free on 127.0.0.1 right now. */
export function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const s = net.createServer().listen(0, '127.0.0.1', () => {
      const port = (s.address() as net.AddressInfo).port;
      s.close(() => resolve(port));
    });
  });
}
