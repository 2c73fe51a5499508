// The shared runtime conformance suite against CriRuntime on a real containerd 1.6 (root only): a
// private daemon, a loopback registry that also serves as the docker.io mirror (so `busybox` and
// `conformance/img:1` resolve without the internet), a CNI bridge of its own.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { isReason } from '../../../util/errors.js';
import { runtimeConformance, waitFor, type ConformanceTarget } from '../conformance/suite.js';
import { createCriRuntime, CriRuntime } from './runtime.js';
import { run } from './testing/command.js';
import { startCriEnv } from './testenv.js';
import { criTestSkip, requireCri, startContainerd } from './testing/index.js';

const sh = (script: string) => ({ command: ['sh', '-c', script] });
const skip = criTestSkip();

const target: ConformanceTarget = {
  name: 'cri (containerd)',
  make: async () => {
    requireCri();
    const env = await startCriEnv();
    try {
      // The runtime owns pod cgroups here (as the process runtime does), under the harness's cgroup
      // (which its stop() removes); cleanup checks the runtime removed every pod's.
      const cgroupRoot = `${env.id}/pods`;
      const runtime = await createCriRuntime({ endpoint: env.containerd.endpoint, relistIntervalMs: 200, cgroupRoot, podPidsLimit: 256 });
      await runtime.pullImage({ image: 'busybox' });
      return {
        runtime,
        cleanup: async () => {
          await runtime.close();
          const left = await run(['sh', '-c', `find /sys/fs/cgroup/*/${cgroupRoot} -mindepth 1 -maxdepth 1 -type d 2>/dev/null; true`]);
          await env.stop();
          assert.equal(left.stdout.trim(), '', 'pod cgroups left behind');
        },
      };
    } catch (e) {
      await env.stop();
      throw e;
    }
  },
  workloads: {
    sleeper: () => ({ command: ['sleep', '3600'] }),
    printAndExit: (code) => sh(`echo out-line; echo err-line >&2; exit ${code}`),
    trapsTerm: () => sh('trap "exit 3" TERM; while :; do sleep 0.05; done'),
    ignoresTerm: () => sh('trap "" TERM; while :; do sleep 0.05; done'),
    badCommand: () => ({ command: ['no-such-command-skiff'] }),
    echoServer: (port) => ({ command: ['nc', '-ll', '-p', String(port), '-e', 'cat'] }),
  },
  execCommand: ['sh', '-c', 'echo exec-out; echo exec-err >&2; exit 5'],
  catCommand: ['cat'],
};

if (skip === false) {
  runtimeConformance(target);

  test('cri: createCriRuntime names the endpoint when nothing listens there', async () => {
    const endpoint = `unix://${join(tmpdir(), `skiff-no-containerd-${process.pid}.sock`)}`;
    await assert.rejects(createCriRuntime({ endpoint }), (e: Error) => e.message.includes(endpoint));
  });

  describe('cri on containerd', () => {
    let env: Awaited<ReturnType<typeof startCriEnv>>;
    let rt: CriRuntime;
    before(async () => {
      env = await startCriEnv();
      rt = new CriRuntime({ endpoint: env.containerd.endpoint });
      await rt.pullImage({ image: 'busybox' });
    });
    after(async () => {
      await rt.close();
      await env.stop();
    });

    test('pod start timings (RunPodSandbox, CreateContainer, StartContainer)', async (t) => {
      const runs: number[][] = [];
      for (let i = 0; i < 6; i++) {
        const sb = { metadata: { name: `t${i}`, namespace: 'ns', uid: `u-t${i}` } };
        const t0 = performance.now();
        const sid = await rt.runPodSandbox(sb);
        const t1 = performance.now();
        const cid = await rt.createContainer(sid, { metadata: { name: 'c' }, image: { image: 'busybox' }, command: ['sleep', '3600'] }, sb);
        const t2 = performance.now();
        await rt.startContainer(cid);
        const t3 = performance.now();
        assert.equal((await rt.containerStatus(cid)).state, 'CONTAINER_RUNNING');
        await rt.removePodSandbox(sid);
        if (i > 0) runs.push([t1 - t0, t2 - t1, t3 - t2, t3 - t0]); // the first pod pulls the pause image
      }
      const median = (k: number) => runs.map((r) => r[k]!).sort((a, b) => a - b)[Math.floor(runs.length / 2)]!.toFixed(1);
      t.diagnostic(`median of ${runs.length}: RunPodSandbox ${median(0)} ms, CreateContainer ${median(1)} ms, StartContainer ${median(2)} ms, total ${median(3)} ms`);
    });

    test('execSync timeout, resource updates, log reopen', async () => {
      const sb = { metadata: { name: 'upd', namespace: 'ns', uid: 'u-upd' }, logDirectory: join(tmpdir(), `skcri-logs-${process.pid}`) };
      try {
        const sid = await rt.runPodSandbox(sb);
        const cid = await rt.createContainer(sid, {
          metadata: { name: 'c' }, image: { image: 'busybox' }, command: ['sh', '-c', 'while :; do echo tick; sleep 0.2; done'], logPath: 'c/0.log',
          linux: { resources: { memoryLimitInBytes: 64 * 1024 * 1024 } },
        }, sb);
        await rt.startContainer(cid);
        const t0 = performance.now();
        await assert.rejects(rt.execSync(cid, ['sleep', '30'], 1), (e) => isReason(e, 'Timeout'));
        assert.ok(performance.now() - t0 < 5000);
        const limit = async () => (await rt.execSync(cid, ['cat', '/sys/fs/cgroup/memory/memory.limit_in_bytes'])).stdout.toString().trim();
        assert.equal(await limit(), String(64 * 1024 * 1024));
        await rt.updateContainerResources(cid, { memoryLimitInBytes: 96 * 1024 * 1024 });
        assert.equal(await limit(), String(96 * 1024 * 1024));
        const log = join(sb.logDirectory, 'c', '0.log');
        await waitFor('a log line', async () => existsSync(log) && readFileSync(log, 'utf8').includes('tick'));
        rmSync(log);
        await rt.reopenContainerLog(cid);
        await waitFor('a line in the reopened log', async () => existsSync(log) && readFileSync(log, 'utf8').includes('tick'));
        await rt.removePodSandbox(sid);
      } finally {
        rmSync(sb.logDirectory, { recursive: true, force: true });
      }
    });

    test('with cgroupRoot the runtime makes, limits and removes pod cgroups (also after a restart)', async () => {
      const root = `skiff-cri-pods-${process.pid}`;
      const a = new CriRuntime({ endpoint: env.containerd.endpoint, cgroupRoot: root, podPidsLimit: 100 });
      const b = new CriRuntime({ endpoint: env.containerd.endpoint, cgroupRoot: root });
      const mem = (p: string) => `/sys/fs/cgroup/memory/${root}/${p}`;
      try {
        const sb = { metadata: { name: 'lim', namespace: 'ns', uid: 'u-lim' }, linux: { resources: { memoryLimitInBytes: 128 * 1024 * 1024, cpuShares: 512 } } };
        const sid = await a.runPodSandbox(sb);
        assert.equal(readFileSync(`${mem('podu-lim')}/memory.limit_in_bytes`, 'utf8').trim(), String(128 * 1024 * 1024));
        assert.equal(readFileSync(`/sys/fs/cgroup/pids/${root}/podu-lim/pids.max`, 'utf8').trim(), '100');
        assert.ok(existsSync(`${mem('podu-lim')}/${sid}`), 'the sandbox sits in the pod cgroup');
        await a.removePodSandbox(sid);
        assert.ok(!existsSync(mem('podu-lim')));
        // Another instance (a restarted kubelet) finds the pod cgroup in containerd's spec.
        const sid2 = await a.runPodSandbox({ metadata: { name: 'r', namespace: 'ns', uid: 'u-r' } });
        assert.ok(existsSync(mem('podu-r')));
        await b.removePodSandbox(sid2);
        assert.ok(!existsSync(mem('podu-r')));
      } finally {
        await a.close();
        await b.close();
        await run(['sh', '-c', `for h in /sys/fs/cgroup/*/; do rmdir "\${h}${root}"/* "\${h}${root}" 2>/dev/null; done; true`]);
      }
    });

    test('a sandbox gets linux.cgroupParent as given', async () => {
      const top = `skiff-cri-test-${process.pid}`;
      const parent = `/${top}/pod-x`;
      try {
        const sid = await rt.runPodSandbox({ metadata: { name: 'cg', namespace: 'ns', uid: 'u-cg' }, linux: { cgroupParent: parent } });
        const procs = readFileSync(`/sys/fs/cgroup/memory${parent}/${sid}/cgroup.procs`, 'utf8').trim();
        assert.match(procs, /^\d+/);
        await rt.removePodSandbox(sid);
      } finally {
        // containerd/runc leave the parent behind (runtime-spike P3), and remove the sandbox's own
        // cgroup only a moment after RemovePodSandbox has returned.
        await waitFor('pod cgroups removed', async () => (await run(['sh', '-c',
          `for h in /sys/fs/cgroup/*/; do rmdir "\${h}${top}/pod-x" "\${h}${top}" 2>/dev/null; done; ! ls -d /sys/fs/cgroup/*/${top} 2>/dev/null`])
          .then(() => true, () => false)), 5000);
      }
    });

    // Last in this block: it replaces the block's containerd with a second daemon on the same state.
    test('a containerd restart: calls in between are ServiceUnavailable, then work; pods survive', async () => {
      const sb = { metadata: { name: 'survivor', namespace: 'ns', uid: 'u-surv' } };
      const sid = await rt.runPodSandbox(sb);
      const cid = await rt.createContainer(sid, { metadata: { name: 'c' }, image: { image: 'busybox' }, command: ['sleep', '3600'] }, sb);
      await rt.startContainer(cid);
      process.kill(env.containerd.pid, 'SIGTERM');
      await waitFor('containerd to exit', async () => {
        try {
          process.kill(env.containerd.pid, 0);
          return false;
        } catch {
          return true;
        }
      });
      await assert.rejects(rt.listPodSandbox(), (e) => isReason(e, 'ServiceUnavailable') && (e as Error).message.includes(env.containerd.endpoint));
      const again = await startContainerd({ dir: join(env.dir, 'ctd'), pauseImage: env.pauseRef, cniConfDir: join(env.dir, 'net.d') });
      try {
        const t0 = performance.now();
        const pods = await waitFor('calls to work again', async () => rt.listPodSandbox({ id: sid }), 10_000);
        assert.ok(performance.now() - t0 < 5000);
        assert.equal(pods[0]?.state, 'SANDBOX_READY');
        assert.equal((await rt.containerStatus(cid)).state, 'CONTAINER_RUNNING');
        await rt.removePodSandbox(sid);
      } finally {
        await again.stop();
      }
    });
  });
} else {
  test('cri runtime on containerd', { skip }, () => {});
}
