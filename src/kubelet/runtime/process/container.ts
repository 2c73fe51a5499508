// One container of the process runtime: its main process, logs, attach fan-out and exit
// bookkeeping. The runtime (runtime.ts) decides how it is launched; this file supervises it.
import type { ChildProcess } from 'node:child_process';
import { PassThrough } from 'node:stream';
import type { Clock } from '../../../util/clock.js';
import { CriLogWriter, type LogStream } from '../crilog.js';
import { exitReason } from '../ids.js';
import type { AttachRequest, StreamSession } from '../interface.js';
import type { ContainerConfig, ContainerState } from '../types.js';
import type { CgroupV1 } from './cgroups.js';
import { findNamespaceInit, processTree } from './procfs.js';
import { exitCodeOf, killGroup, spawnStarted, type SpawnSpec } from './session.js';

/**
 * util-linux 2.38 `unshare --fork` passes a child's death by signal on by killing itself with the
 * same signal — except SIGKILL, whose disposition cannot be reset: it then prints this and exits 1.
 * So this message (which is not the workload's output) means "the container's init got SIGKILL"
 * (an OOM kill, or a kill from outside), i.e. exit code 137.
 */
const UNSHARE_SIGKILL_MESSAGE = 'unshare: sigprocmask unblock failed';

function stripUnshareMessage(b: Buffer): Buffer {
  const lines = b.toString('latin1').split('\n');
  return Buffer.from(lines.filter((l) => !l.startsWith(UNSHARE_SIGKILL_MESSAGE)).join('\n'), 'latin1');
}

interface AttachSink {
  stdout?: PassThrough;
  stderr?: PassThrough;
}

export class ProcessContainer {
  state: ContainerState = 'CONTAINER_CREATED';
  startedAt = 0;
  finishedAt = 0;
  exitCode = 0;
  reason = '';
  message = '';
  /** Host pid of the workload (the PID-namespace init as root); 0 when not running. */
  mainPid = 0;
  /** The workload's environment and directory, for exec. */
  env: Record<string, string> = {};
  cwd = '/';
  private child: ChildProcess | null = null;
  private log: CriLogWriter | null = null;
  private readonly sinks = new Set<AttachSink>();
  private readonly exitWaiters: (() => void)[] = [];
  private stdinClaimed = false;
  /** The PID-namespace init died of SIGKILL (see UNSHARE_SIGKILL_MESSAGE). */
  private initKilled = false;

  constructor(
    readonly id: string,
    readonly sandboxId: string,
    public config: ContainerConfig,
    readonly imageRef: string,
    readonly createdAt: number,
    readonly logPath: string,
    /** Cgroup path relative to each controller root; null without root. */
    readonly cgroupPath: string | null,
    private readonly clock: Clock,
    private readonly cgroups: CgroupV1 | null,
  ) {}

  /** Resolves when the container has exited and its log is closed. */
  waitExit(): Promise<void> {
    if (this.state === 'CONTAINER_EXITED') return Promise.resolve();
    return new Promise((resolve) => this.exitWaiters.push(resolve));
  }

  /**
   * Starts the main process. onStarted runs as soon as it exists (before anything can report its
   * exit); onExit once it has exited and everything is flushed.
   */
  async start(spec: SpawnSpec, inNamespace: boolean, onStarted: () => void, onExit: () => void): Promise<void> {
    if (this.logPath) this.log = new CriLogWriter(this.logPath, this.clock);
    let child: ChildProcess;
    try {
      child = await spawnStarted(spec, !!this.config.stdin);
    } catch (e) {
      await this.log?.close();
      this.log = null;
      throw e;
    }
    this.child = child;
    this.state = 'CONTAINER_RUNNING';
    this.startedAt = this.clock.now();
    onStarted();
    let streamsOpen = 2;
    let forced = false;
    let done = false;
    let exitInfo: { code: number | null; signal: NodeJS.Signals | null } | null = null;
    const maybeFinish = () => {
      if (done || !exitInfo || (streamsOpen > 0 && !forced)) return;
      done = true;
      void this.finish(exitInfo.code, exitInfo.signal).then(onExit);
    };
    const pump = (stream: LogStream, r: NodeJS.ReadableStream) => {
      r.on('data', (b: Buffer) => {
        if (inNamespace && stream === 'stderr' && b.includes(UNSHARE_SIGKILL_MESSAGE)) {
          b = stripUnshareMessage(b);
          this.initKilled = true;
          if (!b.length) return;
        }
        this.log?.write(stream, b);
        for (const s of this.sinks) s[stream]?.write(b);
      });
      r.on('close', () => {
        this.log?.end(stream);
        streamsOpen--;
        maybeFinish();
      });
    };
    pump('stdout', child.stdout!);
    pump('stderr', child.stderr!);
    child.on('exit', (code, signal) => {
      exitInfo = { code, signal };
      // Everything else the container started dies with it, as with a PID namespace.
      if (!inNamespace) killGroup(child, 'SIGKILL');
      else if (this.cgroupPath) this.cgroups?.killAll(this.cgroupPath);
      // A grandchild that escaped the kill could hold the pipes open; do not wait for it forever.
      this.clock.setTimer(1000, () => { forced = true; maybeFinish(); });
      maybeFinish();
    });
    const pid = inNamespace ? await this.findInit(child) : child.pid!;
    if (this.state === 'CONTAINER_RUNNING') this.mainPid = pid;
  }

  /** The PID-namespace init below the wrapper chain; 0 if the workload ended first. */
  private async findInit(child: ChildProcess): Promise<number> {
    // Polls quickly at first, then every 25 ms: each poll reads /proc on the kubelet's main thread,
    // and on a busy node the wrapper chain can take a second or more to get there.
    for (let waited = 0, step = 5; waited < 4_000 && this.state === 'CONTAINER_RUNNING' && child.exitCode === null; waited += step, step = Math.min(25, step * 2)) {
      const pid = findNamespaceInit(processTree(child.pid!));
      if (pid) return pid;
      await this.clock.sleep(step);
    }
    return 0;
  }

  private async finish(code: number | null, signal: NodeJS.Signals | null): Promise<void> {
    const oom = !!this.cgroupPath && !!this.cgroups && this.cgroups.oomKills(this.cgroupPath) > 0;
    // An OOM kill is a SIGKILL, whatever the wrapper chain made of it (containerd reports 137 too).
    this.exitCode = this.initKilled || oom ? 137 : exitCodeOf(code, signal);
    this.reason = exitReason(this.exitCode, oom);
    await this.log?.close();
    this.log = null;
    for (const s of this.sinks) {
      s.stdout?.end();
      s.stderr?.end();
    }
    this.sinks.clear();
    this.mainPid = 0;
    this.child = null;
    this.finishedAt = this.clock.now();
    this.state = 'CONTAINER_EXITED';
    for (const w of this.exitWaiters.splice(0)) w();
  }

  /** Marks a container that never started (StartError). */
  failStart(message: string): void {
    this.state = 'CONTAINER_EXITED';
    this.exitCode = 128;
    this.reason = 'StartError';
    this.message = message;
    this.finishedAt = this.clock.now();
    for (const w of this.exitWaiters.splice(0)) w();
  }

  /** SIGTERM, then SIGKILL after the grace period; resolves once exited. */
  async stop(timeoutSeconds: number): Promise<void> {
    if (this.state === 'CONTAINER_CREATED') {
      this.failStart('container stopped before it was started');
      this.reason = 'Error';
      return;
    }
    if (this.state !== 'CONTAINER_RUNNING') return;
    const exited = this.waitExit();
    if (timeoutSeconds > 0) {
      this.signal('SIGTERM');
      const ac = new AbortController();
      const timedOut = await Promise.race([
        exited.then(() => false),
        this.clock.sleep(timeoutSeconds * 1000, ac.signal).then(() => true, () => false),
      ]);
      ac.abort();
      if (!timedOut) return;
    }
    this.kill();
    await exited;
  }

  /** SIGKILL to everything the container runs. */
  kill(): void {
    this.signal('SIGKILL');
    if (this.child) killGroup(this.child, 'SIGKILL');
    if (this.cgroupPath) this.cgroups?.killAll(this.cgroupPath);
  }

  private signal(sig: NodeJS.Signals): void {
    const pid = this.mainPid || this.child?.pid;
    if (!pid) return;
    try {
      process.kill(pid, sig);
    } catch {
      // gone
    }
  }

  reopenLog(): void {
    this.log?.reopen();
  }

  /** Attaches to the main process's stdio from now on (earlier output is in the log). */
  attach(req: AttachRequest): StreamSession {
    const sink: AttachSink = {};
    const running = this.state === 'CONTAINER_RUNNING';
    if (req.stdout !== false) sink.stdout = new PassThrough();
    if (req.stderr !== false && !this.config.tty) sink.stderr = new PassThrough();
    if (running) this.sinks.add(sink);
    else {
      sink.stdout?.end();
      sink.stderr?.end();
    }
    const detach = () => {
      this.sinks.delete(sink);
      sink.stdout?.end();
      sink.stderr?.end();
    };
    const session: StreamSession = {
      exitCode: this.waitExit().then(() => this.exitCode),
      resize: () => {},
      close: detach,
    };
    if (sink.stdout) session.stdout = sink.stdout;
    if (sink.stderr) session.stderr = sink.stderr;
    const target = this.child?.stdin;
    if (req.stdin && target && running) {
      const input = new PassThrough();
      input.on('data', (b: Buffer) => target.write(b));
      input.on('end', () => {
        // stdinOnce: the first attach session's end closes the container's stdin (CRI StdinOnce).
        if (this.config.stdinOnce && !this.stdinClaimed) target.end();
        this.stdinClaimed = true;
      });
      session.stdin = input;
    }
    return session;
  }
}
