// Scripted container behaviour for the fake runtime. A test or a hollow node either passes a
// `behaviour` function to the runtime or sets annotations on the container (so that pod
// annotations can steer hollow pods end to end):
//   fake.skiff.io/exit-after-ms   exit that long after start (absent: run until stopped)
//   fake.skiff.io/exit-code       exit code for that exit (default 0)
//   fake.skiff.io/oom             "true": the exit is an OOM kill (137, OOMKilled)
//   fake.skiff.io/fail-start      startContainer fails with this message
//   fake.skiff.io/ignore-sigterm  "true": stop waits the whole grace period, then SIGKILL (137)
//   fake.skiff.io/sigterm-exit-code  exit code when SIGTERM ends it (default 143)
//   fake.skiff.io/stdout, /stderr text written to the log at start (one record per line)
//   fake.skiff.io/exec-stdout, /exec-stderr, /exec-exit-code   what every exec returns
//   fake.skiff.io/cpu-nanos, /memory-bytes                      what containerStats reports
import type { ContainerConfig, PodSandboxConfig } from '../types.js';

export interface ExecOutput {
  stdout?: string;
  stderr?: string;
  exitCode?: number;
}

export interface FakeBehaviour {
  exitAfterMs?: number;
  exitCode?: number;
  oom?: boolean;
  failStart?: string;
  ignoreSigterm?: boolean;
  /** Exit code when SIGTERM ends it (default 143, a process without a handler). */
  sigtermExitCode?: number;
  stdout?: string;
  stderr?: string;
  exec?: ExecOutput | ((cmd: string[]) => ExecOutput);
  cpuNanos?: number;
  memoryBytes?: number;
}

export type BehaviourFn = (config: ContainerConfig, sandbox: PodSandboxConfig) => FakeBehaviour | undefined;

export const ANNOTATION_PREFIX = 'fake.skiff.io/';

function num(v: string | undefined): number | undefined {
  if (v === undefined || v === '') return undefined;
  const n = Number(v);
  return Number.isFinite(n) ? n : undefined;
}

/** Reads a behaviour from fake.skiff.io/* annotations; `{}` (run until stopped) when none. */
export function behaviourFromAnnotations(a: Record<string, string> | undefined): FakeBehaviour {
  if (!a) return {};
  const g = (k: string) => a[ANNOTATION_PREFIX + k];
  const b: FakeBehaviour = {};
  const exitAfter = num(g('exit-after-ms'));
  if (exitAfter !== undefined) b.exitAfterMs = exitAfter;
  const code = num(g('exit-code'));
  if (code !== undefined) b.exitCode = code;
  if (g('oom') === 'true') b.oom = true;
  if (g('fail-start')) b.failStart = g('fail-start');
  if (g('ignore-sigterm') === 'true') b.ignoreSigterm = true;
  const termCode = num(g('sigterm-exit-code'));
  if (termCode !== undefined) b.sigtermExitCode = termCode;
  if (g('stdout') !== undefined) b.stdout = g('stdout');
  if (g('stderr') !== undefined) b.stderr = g('stderr');
  const execOut: ExecOutput = {};
  if (g('exec-stdout') !== undefined) execOut.stdout = g('exec-stdout');
  if (g('exec-stderr') !== undefined) execOut.stderr = g('exec-stderr');
  const execCode = num(g('exec-exit-code'));
  if (execCode !== undefined) execOut.exitCode = execCode;
  if (Object.keys(execOut).length) b.exec = execOut;
  const cpu = num(g('cpu-nanos'));
  if (cpu !== undefined) b.cpuNanos = cpu;
  const mem = num(g('memory-bytes'));
  if (mem !== undefined) b.memoryBytes = mem;
  return b;
}
