// One behaviour suite over the runtime contract, run against every runtime (fake, process, later
// cri) — the way the storage backends share conformance/suite.ts. A target says how to make a
// runtime and how to express a few workloads in its terms (shell commands for a real runtime,
// annotations for the fake).
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Readable } from 'node:stream';
import { isReason } from '../../../util/errors.js';
import { readCriLog } from '../crilog.js';
import type { ContainerRuntime } from '../interface.js';
import { containerLogPath, podLogDirectory } from '../logpath.js';
import type { ContainerConfig, ContainerEvent, PodSandboxConfig } from '../types.js';

export type Workload = Omit<ContainerConfig, 'metadata' | 'image'> & { image?: string };

export interface ConformanceTarget {
  name: string;
  make(): Promise<{ runtime: ContainerRuntime; cleanup(): Promise<void> }>;
  workloads: {
    /** Runs until stopped; exec into it runs `execCommand`. */
    sleeper(): Workload;
    /** Writes "out-line" to stdout and "err-line" to stderr, then exits with code. */
    printAndExit(code: number): Workload;
    /** Exits with code 3 on SIGTERM. */
    trapsTerm(): Workload;
    /** Ignores SIGTERM. */
    ignoresTerm(): Workload;
    /** Cannot be started (no such executable). */
    badCommand(): Workload;
    /** Echoes every byte received on TCP `port` back to the sender. */
    echoServer(port: number): Workload;
  };
  /** Prints "exec-out" on stdout and "exec-err" on stderr, then exits 5. */
  execCommand: string[];
  /** Prints its stdin back to stdout, until EOF. */
  catCommand: string[];
}

export async function waitFor<T>(what: string, fn: () => Promise<T | undefined | false>, timeoutMs = 10_000): Promise<T> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const v = await fn().catch(() => undefined);
    if (v) return v;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

async function readAll(r: Readable | undefined): Promise<string> {
  if (!r) return '';
  const chunks: Buffer[] = [];
  for await (const c of r) chunks.push(Buffer.from(c as Buffer));
  return Buffer.concat(chunks).toString();
}

/** Defines the conformance tests for target under a describe block. */
export function runtimeConformance(target: ConformanceTarget): void {
  describe(`runtime conformance: ${target.name}`, () => {
    let rt: ContainerRuntime;
    let cleanup: () => Promise<void>;
    let logRoot: string;
    let seq = 0;
    // The runtime's clock timers never hold the process open (util/clock); this keeps the test
    // process alive while a stop waits out its grace period.
    let keepAlive: NodeJS.Timeout;

    before(async () => {
      keepAlive = setInterval(() => {}, 1000);
      ({ runtime: rt, cleanup } = await target.make());
      logRoot = mkdtempSync(join(tmpdir(), 'rt-conf-logs-'));
    });
    after(async () => {
      clearInterval(keepAlive);
      await cleanup();
      rmSync(logRoot, { recursive: true, force: true });
    });

    function sandboxConfig(labels: Record<string, string> = {}): PodSandboxConfig {
      const n = ++seq;
      const uid = `uid-${n}`;
      return {
        metadata: { name: `pod${n}`, namespace: 'conf', uid, attempt: 0 },
        hostname: `pod${n}`,
        logDirectory: podLogDirectory(logRoot, 'conf', `pod${n}`, uid),
        labels: { app: 'conf', ...labels },
      };
    }

    function containerConfig(name: string, w: Workload, labels: Record<string, string> = {}): ContainerConfig {
      const { image, ...rest } = w;
      return {
        metadata: { name, attempt: 0 }, image: { image: image ?? 'busybox' }, logPath: containerLogPath(name, 0),
        ...rest, labels: { ...(rest.labels ?? {}), ...labels },
      };
    }

    async function runContainer(w: Workload, name = 'c', labels: Record<string, string> = {}) {
      const sb = sandboxConfig();
      const sid = await rt.runPodSandbox(sb);
      const cid = await rt.createContainer(sid, containerConfig(name, w, labels), sb);
      await rt.startContainer(cid);
      return { sid, cid, sb };
    }

    const exited = (cid: string) => waitFor(`container ${cid} to exit`, async () => {
      const s = await rt.containerStatus(cid);
      return s.state === 'CONTAINER_EXITED' && s;
    });

    test('version and status', async () => {
      const v = await rt.version();
      assert.equal(v.runtimeApiVersion, 'v1');
      assert.ok(v.runtimeName);
      const s = await rt.status();
      for (const type of ['RuntimeReady', 'NetworkReady']) {
        assert.equal(s.conditions.find((c) => c.type === type)?.status, true, type);
      }
    });

    test('images: pull, status, list, remove', async () => {
      assert.equal(await rt.imageStatus({ image: 'conformance/img:1' }), null);
      const ref = await rt.pullImage({ image: 'conformance/img:1' });
      assert.match(ref, /^sha256:/);
      const st = await rt.imageStatus({ image: 'conformance/img:1' });
      assert.equal(st?.id, ref);
      assert.deepEqual(st?.repoTags, ['docker.io/conformance/img:1']);
      assert.ok((await rt.listImages()).some((i) => i.id === ref));
      assert.equal((await rt.listImages({ image: { image: 'conformance/img:1' } })).length, 1);
      assert.ok((await rt.imageFsInfo()).length >= 1);
      await rt.removeImage({ image: 'conformance/img:1' });
      await rt.removeImage({ image: 'conformance/img:1' });
      assert.equal(await rt.imageStatus({ image: 'conformance/img:1' }), null);
    });

    test('sandbox lifecycle and list filters', async () => {
      const sb = sandboxConfig({ tier: 'a' });
      const id = await rt.runPodSandbox(sb);
      const other = await rt.runPodSandbox(sandboxConfig({ tier: 'b' }));
      const st = await rt.podSandboxStatus(id);
      assert.equal(st.state, 'SANDBOX_READY');
      assert.deepEqual(st.metadata, sb.metadata);
      assert.match(st.network?.ip ?? '', /^\d+\.\d+\.\d+\.\d+$/);
      assert.ok(st.createdAt > 0);
      assert.deepEqual((await rt.listPodSandbox({ id })).map((s) => s.id), [id]);
      assert.deepEqual((await rt.listPodSandbox({ labelSelector: { tier: 'a' } })).map((s) => s.id), [id]);
      await rt.stopPodSandbox(id);
      await rt.stopPodSandbox(id);
      assert.equal((await rt.podSandboxStatus(id)).state, 'SANDBOX_NOTREADY');
      assert.deepEqual((await rt.listPodSandbox({ state: 'SANDBOX_NOTREADY', labelSelector: { app: 'conf' } })).map((s) => s.id), [id]);
      await rt.removePodSandbox(id);
      await rt.removePodSandbox(id);
      await assert.rejects(rt.podSandboxStatus(id), (e) => isReason(e, 'NotFound'));
      assert.equal((await rt.listPodSandbox({ id })).length, 0);
      await rt.removePodSandbox(other);
    });

    test('unknown ids are NotFound', async () => {
      const id = '0'.repeat(64);
      await assert.rejects(rt.containerStatus(id), (e) => isReason(e, 'NotFound'));
      await assert.rejects(rt.startContainer(id), (e) => isReason(e, 'NotFound'));
      await assert.rejects(rt.execSync(id, ['true']), (e) => isReason(e, 'NotFound'));
      await assert.rejects(rt.createContainer(id, containerConfig('x', target.workloads.sleeper()), sandboxConfig()), (e) => isReason(e, 'NotFound'));
      await rt.removeContainer(id);
    });

    test('a container runs, exits with its code, and logs in CRI format', async () => {
      const { sid, cid, sb } = await runContainer(target.workloads.printAndExit(3));
      const st = await exited(cid);
      assert.equal(st.logPath, join(sb.logDirectory!, 'c', '0.log'));
      assert.equal(st.exitCode, 3);
      assert.equal(st.reason, 'Error');
      assert.ok(st.startedAt > 0 && st.finishedAt >= st.startedAt);
      const text = readFileSync(st.logPath, 'utf8');
      for (const line of text.trimEnd().split('\n')) assert.match(line, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{1,9}Z (stdout|stderr) [PF] /);
      const records = readCriLog(text);
      assert.deepEqual(records.filter((r) => r.stream === 'stdout').map((r) => r.message), ['out-line']);
      assert.deepEqual(records.filter((r) => r.stream === 'stderr').map((r) => r.message), ['err-line']);
      await rt.removePodSandbox(sid);
    });

    test('exit code 0 is Completed', async () => {
      const { sid, cid } = await runContainer(target.workloads.printAndExit(0));
      const st = await exited(cid);
      assert.deepEqual([st.exitCode, st.reason], [0, 'Completed']);
      await rt.removePodSandbox(sid);
    });

    test('events: created, started, stopped, deleted in order', async () => {
      const ac = new AbortController();
      const seen: ContainerEvent[] = [];
      const done = (async () => {
        for await (const ev of rt.events(ac.signal)) {
          seen.push(ev);
          if (ev.type === 'CONTAINER_DELETED_EVENT') break;
        }
      })();
      const { sid, cid } = await runContainer(target.workloads.printAndExit(0));
      await exited(cid);
      await rt.removeContainer(cid);
      await done;
      ac.abort();
      const mine = seen.filter((e) => e.containerId === cid);
      assert.deepEqual(mine.map((e) => e.type),
        ['CONTAINER_CREATED_EVENT', 'CONTAINER_STARTED_EVENT', 'CONTAINER_STOPPED_EVENT', 'CONTAINER_DELETED_EVENT']);
      assert.equal(mine[2]!.status?.state, 'CONTAINER_EXITED');
      assert.equal(mine[0]!.podSandboxId, sid);
      await rt.removePodSandbox(sid);
    });

    test('stop: SIGTERM ends a container that handles it', async () => {
      const { sid, cid } = await runContainer(target.workloads.trapsTerm());
      await waitFor('running', async () => (await rt.containerStatus(cid)).state === 'CONTAINER_RUNNING');
      await new Promise((r) => setTimeout(r, 100)); // let the shell install its trap
      const t0 = Date.now();
      await rt.stopContainer(cid, 10);
      assert.ok(Date.now() - t0 < 5000, 'exited well within the grace period');
      const st = await rt.containerStatus(cid);
      assert.deepEqual([st.state, st.exitCode], ['CONTAINER_EXITED', 3]);
      await rt.stopContainer(cid, 10);
      await rt.removePodSandbox(sid);
    });

    test('stop: SIGKILL after the grace period when SIGTERM is ignored', async () => {
      const { sid, cid } = await runContainer(target.workloads.ignoresTerm());
      await new Promise((r) => setTimeout(r, 100));
      const t0 = Date.now();
      await rt.stopContainer(cid, 1);
      const took = Date.now() - t0;
      assert.ok(took >= 900, `waited the grace period (${took} ms)`);
      const st = await rt.containerStatus(cid);
      assert.deepEqual([st.state, st.exitCode, st.reason], ['CONTAINER_EXITED', 137, 'Error']);
      await rt.removePodSandbox(sid);
    });

    test('stop with timeout 0 kills at once', async () => {
      const { sid, cid } = await runContainer(target.workloads.sleeper());
      await rt.stopContainer(cid, 0);
      assert.equal((await rt.containerStatus(cid)).exitCode, 137);
      await rt.removePodSandbox(sid);
    });

    test('a start failure leaves the container EXITED with StartError', async () => {
      const sb = sandboxConfig();
      const sid = await rt.runPodSandbox(sb);
      const cid = await rt.createContainer(sid, containerConfig('bad', target.workloads.badCommand()), sb);
      assert.equal((await rt.containerStatus(cid)).state, 'CONTAINER_CREATED');
      await assert.rejects(rt.startContainer(cid));
      const st = await rt.containerStatus(cid);
      assert.deepEqual([st.state, st.reason, st.exitCode], ['CONTAINER_EXITED', 'StartError', 128]);
      assert.ok(st.message);
      await rt.removePodSandbox(sid);
    });

    test('execSync and exec', async () => {
      const { sid, cid } = await runContainer(target.workloads.sleeper());
      const r = await rt.execSync(cid, target.execCommand, 10);
      assert.deepEqual([r.stdout.toString().trim(), r.stderr.toString().trim(), r.exitCode], ['exec-out', 'exec-err', 5]);
      const s = await rt.exec(cid, { cmd: target.execCommand, stdout: true, stderr: true });
      const [out, err, code] = await Promise.all([readAll(s.stdout), readAll(s.stderr), s.exitCode]);
      assert.deepEqual([out.trim(), err.trim(), code], ['exec-out', 'exec-err', 5]);
      const cat = await rt.exec(cid, { cmd: target.catCommand, stdin: true });
      cat.stdin!.end('ping\n');
      assert.equal((await readAll(cat.stdout)).trim(), 'ping');
      assert.equal(await cat.exitCode, 0);
      await rt.removePodSandbox(sid);
    });

    test('containers: list filters, stats, remove', async () => {
      const sb = sandboxConfig();
      const sid = await rt.runPodSandbox(sb);
      const a = await rt.createContainer(sid, containerConfig('a', target.workloads.sleeper(), { role: 'a' }), sb);
      const b = await rt.createContainer(sid, containerConfig('b', target.workloads.sleeper(), { role: 'b' }), sb);
      await rt.startContainer(a);
      const ids = async (f: Parameters<ContainerRuntime['listContainers']>[0]) => (await rt.listContainers(f)).map((c) => c.id).sort();
      assert.deepEqual(await ids({ podSandboxId: sid }), [a, b].sort());
      assert.deepEqual(await ids({ podSandboxId: sid, state: 'CONTAINER_RUNNING' }), [a]);
      assert.deepEqual(await ids({ podSandboxId: sid, state: 'CONTAINER_CREATED' }), [b]);
      assert.deepEqual(await ids({ labelSelector: { role: 'b' } }), [b]);
      assert.deepEqual(await ids({ id: a }), [a]);
      const stats = await rt.containerStats(a);
      assert.equal(stats.id, a);
      assert.ok(stats.cpu.usageCoreNanoSeconds >= 0 && stats.memory.workingSetBytes >= 0);
      assert.deepEqual((await rt.listContainerStats({ podSandboxId: sid })).map((s) => s.id).sort(), [a, b].sort());
      await rt.removeContainer(a);
      await rt.removeContainer(a);
      await assert.rejects(rt.containerStatus(a), (e) => isReason(e, 'NotFound'));
      assert.deepEqual(await ids({ podSandboxId: sid }), [b]);
      await rt.removePodSandbox(sid);
      assert.deepEqual(await ids({ podSandboxId: sid }), []);
    });

    test('stopPodSandbox stops its containers', async () => {
      const { sid, cid } = await runContainer(target.workloads.sleeper());
      await rt.stopPodSandbox(sid);
      assert.equal((await rt.containerStatus(cid)).state, 'CONTAINER_EXITED');
      await assert.rejects(rt.createContainer(sid, containerConfig('late', target.workloads.sleeper()), sandboxConfig()));
      await rt.removePodSandbox(sid);
    });

    test('attach sees output from now on and the exit code', async () => {
      const { sid, cid } = await runContainer({ ...target.workloads.trapsTerm() });
      const s = await rt.attach(cid, { stdout: true, stderr: true });
      await new Promise((r) => setTimeout(r, 100));
      await rt.stopContainer(cid, 10);
      assert.equal(await s.exitCode, 3);
      await readAll(s.stdout);
      await rt.removePodSandbox(sid);
    });

    test('portForward reaches a port in the sandbox', async () => {
      const port = 20000 + Math.floor(Math.random() * 20000);
      const { sid } = await runContainer(target.workloads.echoServer(port));
      const sock = await waitFor('port-forward to connect', () => rt.portForward(sid, port));
      sock.end('hello');
      assert.equal(await readAll(sock), 'hello');
      await rt.removePodSandbox(sid);
    });
  });
}
