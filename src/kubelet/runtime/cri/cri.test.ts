// The shared runtime conformance suite against CriRuntime on a real containerd 1.6 (root only): a
// private daemon, a loopback registry that also serves as the docker.io mirror (so `busybox` and
// `conformance/img:1` resolve without the internet), a CNI bridge of its own.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runtimeConformance, type ConformanceTarget } from '../conformance/suite.js';
import { createCriStreams } from './streaming.js';
import { createCriRuntime, CriRuntime } from './runtime.js';
import { run } from './testing/command.js';
import { startCriEnv } from './testenv.js';

const sh = (script: string) => ({ command: ['sh', '-c', script] });
const missing = ['/usr/bin/containerd', '/usr/sbin/runc', '/usr/lib/cni/bridge', '/usr/bin/umoci', '/usr/bin/skopeo', '/usr/bin/docker-registry', '/usr/bin/catatonit']
  .filter((p) => !existsSync(p));
const skipReason = process.getuid?.() !== 0 ? 'needs root' : missing.length ? `missing ${missing.join(', ')}` : '';

const target: ConformanceTarget = {
  name: 'cri (containerd)',
  make: async () => {
    const env = await startCriEnv();
    try {
      const runtime = await createCriRuntime({ endpoint: env.endpoint, streams: createCriStreams(), relistIntervalMs: 200 });
      await runtime.pullImage({ image: 'busybox' });
      return {
        runtime,
        cleanup: async () => {
          await runtime.close();
          await env.stop();
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
    // Each connection is closed after 1 s: the WebSocket v4 port-forward of containerd 1.6 cannot
    // carry the client's half-close, so a plain `cat` would never see EOF and never answer with one.
    echoServer: (port) => ({ command: ['nc', '-ll', '-p', String(port), '-e', 'timeout', '1', 'cat'] }),
  },
  execCommand: ['sh', '-c', 'echo exec-out; echo exec-err >&2; exit 5'],
  catCommand: ['cat'],
};

if (!skipReason) {
  runtimeConformance(target);

  test('cri: createCriRuntime names the endpoint when nothing listens there', async () => {
    const endpoint = `unix://${join(tmpdir(), `skiff-no-containerd-${process.pid}.sock`)}`;
    await assert.rejects(createCriRuntime({ endpoint }), (e: Error) => e.message.includes(endpoint));
  });

  test('cri: a sandbox gets linux.cgroupParent as given', async () => {
    const env = await startCriEnv();
    const rt = new CriRuntime({ endpoint: env.endpoint });
    try {
      const parent = `/skiff-cri-test-${process.pid}/pod-x`;
      const sid = await rt.runPodSandbox({ metadata: { name: 'cg', namespace: 'ns', uid: 'u-cg' }, linux: { cgroupParent: parent } });
      const procs = readFileSync(`/sys/fs/cgroup/memory${parent}/${sid}/cgroup.procs`, 'utf8').trim();
      assert.match(procs, /^\d+/);
      await rt.removePodSandbox(sid);
    } finally {
      await rt.close();
      await env.stop();
      for (const c of ['memory', 'cpu,cpuacct', 'pids', 'cpuset', 'devices', 'freezer', 'blkio', 'systemd']) {
        await run(['sh', '-c', `rmdir /sys/fs/cgroup/${c}/skiff-cri-test-${process.pid}/pod-x/* /sys/fs/cgroup/${c}/skiff-cri-test-${process.pid}/pod-x /sys/fs/cgroup/${c}/skiff-cri-test-${process.pid} 2>/dev/null; true`]);
      }
    }
  });
} else if (process.env.CI === 'true') {
  test('cri runtime conformance', () => assert.fail(`cannot run under CI: ${skipReason}`));
} else {
  test('cri runtime conformance', { skip: skipReason }, () => {});
}
