import { test } from 'node:test';
import assert from 'node:assert/strict';
import { FakeClock } from '../../../util/clock.js';
import { runtimeConformance } from '../conformance/suite.js';
import { ANNOTATION_PREFIX as P, behaviourFromAnnotations } from './behaviour.js';
import { FakeRuntime } from './runtime.js';

runtimeConformance({
  name: 'fake',
  make: async () => {
    const runtime = new FakeRuntime({
      behaviour: (c) => ({
        ...behaviourFromAnnotations(c.annotations),
        exec: (cmd) => (cmd[0] === 'cat' ? { stdout: 'ping\n' } : { stdout: 'exec-out\n', stderr: 'exec-err\n', exitCode: 5 }),
      }),
    });
    return { runtime, cleanup: () => runtime.close() };
  },
  workloads: {
    sleeper: () => ({}),
    printAndExit: (code) => ({ annotations: { [P + 'stdout']: 'out-line', [P + 'stderr']: 'err-line', [P + 'exit-after-ms']: '10', [P + 'exit-code']: String(code) } }),
    trapsTerm: () => ({ annotations: { [P + 'sigterm-exit-code']: '3' } }),
    ignoresTerm: () => ({ annotations: { [P + 'ignore-sigterm']: 'true' } }),
    badCommand: () => ({ annotations: { [P + 'fail-start']: 'exec: "nope": executable file not found in $PATH' } }),
    echoServer: () => ({}),
  },
  execCommand: ['sh', '-c', 'echo exec-out; echo exec-err >&2; exit 5'],
  catCommand: ['cat'],
});

const sandbox = { metadata: { name: 'p', namespace: 'ns', uid: 'u' } };

test('fake: scripted exit and OOM follow the clock', async () => {
  const clock = new FakeClock();
  const rt = new FakeRuntime({ clock });
  const sid = await rt.runPodSandbox(sandbox);
  const ok = await rt.createContainer(sid, { metadata: { name: 'a' }, image: { image: 'x' }, annotations: { [P + 'exit-after-ms']: '500', [P + 'exit-code']: '2' } }, sandbox);
  const oom = await rt.createContainer(sid, { metadata: { name: 'b' }, image: { image: 'x' }, annotations: { [P + 'exit-after-ms']: '1000', [P + 'oom']: 'true' } }, sandbox);
  await rt.startContainer(ok);
  await rt.startContainer(oom);
  clock.advance(499);
  assert.equal((await rt.containerStatus(ok)).state, 'CONTAINER_RUNNING');
  clock.advance(1);
  assert.deepEqual((({ state, exitCode, reason }) => ({ state, exitCode, reason }))(await rt.containerStatus(ok)),
    { state: 'CONTAINER_EXITED', exitCode: 2, reason: 'Error' });
  clock.advance(500);
  const st = await rt.containerStatus(oom);
  assert.deepEqual([st.exitCode, st.reason, st.finishedAt - st.startedAt], [137, 'OOMKilled', 1000]);
  assert.equal(clock.pendingTimers(), 0);
});

test('fake: ignored SIGTERM waits for the grace period on the clock', async () => {
  const clock = new FakeClock();
  const rt = new FakeRuntime({ clock });
  const sid = await rt.runPodSandbox(sandbox);
  const c = await rt.createContainer(sid, { metadata: { name: 'a' }, image: { image: 'x' }, annotations: { [P + 'ignore-sigterm']: 'true' } }, sandbox);
  await rt.startContainer(c);
  let stopped = false;
  const p = rt.stopContainer(c, 30).then(() => { stopped = true; });
  clock.advance(29_999);
  await Promise.resolve();
  assert.equal(stopped, false);
  clock.advance(1);
  await p;
  assert.equal((await rt.containerStatus(c)).exitCode, 137);
});

test('fake: records calls, fails configured pulls, hands out distinct IPs', async () => {
  const rt = new FakeRuntime({ unpullable: ['bad/image'], podNetwork: '10.42.3.0' });
  await assert.rejects(rt.pullImage({ image: 'bad/image' }));
  const a = await rt.runPodSandbox(sandbox);
  const b = await rt.runPodSandbox(sandbox);
  assert.equal((await rt.podSandboxStatus(a)).network?.ip, '10.42.3.2');
  assert.equal((await rt.podSandboxStatus(b)).network?.ip, '10.42.3.3');
  assert.deepEqual(rt.calls.map((c) => c.method), ['pullImage', 'runPodSandbox', 'runPodSandbox']);
});

test('fake: 5000 pods cost little memory', async () => {
  const rt = new FakeRuntime();
  rt.recordCalls = false;
  global.gc?.();
  const before = process.memoryUsage().heapUsed;
  for (let i = 0; i < 5000; i++) {
    const sb = { metadata: { name: `p${i}`, namespace: 'ns', uid: `u${i}` } };
    const sid = await rt.runPodSandbox(sb);
    const cid = await rt.createContainer(sid, { metadata: { name: 'c' }, image: { image: 'pause' } }, sb);
    await rt.startContainer(cid);
  }
  const perPod = (process.memoryUsage().heapUsed - before) / 5000;
  assert.ok(perPod < 8 * 1024, `heap per pod ${Math.round(perPod)} bytes`);
  assert.equal((await rt.listContainers({ state: 'CONTAINER_RUNNING' })).length, 5000);
  await rt.close();
});
