// @serial: runs a real node agent (the host's pod bridge and range are shared)
// Issue 7's acceptance end to end: `skiff server` with its node agent (kubelet + process runtime)
// driven by the real kubectl 1.32 — run/logs/exec/port-forward/cp, probes, back-off, init
// containers, OOM kills, configMap updates, preStop hooks, pod-to-pod traffic and a Deployment.
// Root only: the process runtime needs namespaces, cgroups and veth pairs.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { KUBECTL, eventually, freePort, httpGet, kubectl, kubectlOk, missingKubectl, startServer, type RunningServer } from './harness.js';

function rootMissing(): string | undefined {
  if (process.getuid?.() === 0) return undefined;
  const why = 'needs root (network namespaces, cgroups, veth pairs for pods)';
  if (process.env.CI === 'true') throw new Error(why);
  return why;
}

const skip = missingKubectl() ?? rootMissing();

interface Run { code: number; stdout: string; stderr: string }

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Asynchronous version of eventually (the check itself awaits). */
async function eventuallyAsync<T>(fn: () => Promise<T>, what: string, timeoutMs = 20_000): Promise<NonNullable<T>> {
  const deadline = Date.now() + timeoutMs;
  let last: T | undefined;
  for (;;) {
    last = await fn().catch(() => undefined);
    if (last) return last as NonNullable<T>;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what} (last: ${JSON.stringify(last)})`);
    await sleep(250);
  }
}

// Every pod but the first is created at once in before(), so their waits overlap.
function manifests(hostDir: string): string {
  const pod = (name: string, spec: Record<string, unknown>) => ({ apiVersion: 'v1', kind: 'Pod', metadata: { name, labels: { suite: 'kubelet' } }, spec: { terminationGracePeriodSeconds: 5, ...spec } });
  const sh = (script: string) => ['sh', '-c', script];
  const items = [
    pod('ticker', { containers: [{ name: 'app', image: 'local', command: sh('i=0; while true; do i=$((i+1)); echo tick $i; sleep 1; done') }] }),
    pod('live', {
      volumes: [{ name: 'd', emptyDir: {} }],
      containers: [{
        name: 'app', image: 'local', volumeMounts: [{ name: 'd', mountPath: '/d' }],
        // Healthy for 4 s after each start, then the probe fails and the kubelet restarts it.
        command: sh('touch /d/healthy; sleep 4; rm -f /d/healthy; exec sleep 3600'),
        livenessProbe: { exec: { command: ['cat', '/d/healthy'] }, periodSeconds: 1, failureThreshold: 1 },
      }],
    }),
    pod('crash', { containers: [{ name: 'app', image: 'local', command: sh('echo crashing; exit 1') }] }),
    pod('init', {
      volumes: [{ name: 'w', emptyDir: {} }],
      initContainers: [{ name: 'prepare', image: 'local', volumeMounts: [{ name: 'w', mountPath: '/w' }], command: sh('sleep 3; echo prepared > /w/ready') }],
      containers: [{ name: 'app', image: 'local', volumeMounts: [{ name: 'w', mountPath: '/w' }], command: sh('cat /w/ready || echo missing; exec sleep 3600') }],
    }),
    pod('oom', {
      restartPolicy: 'Never',
      volumes: [{ name: 'm', emptyDir: { medium: 'Memory' } }],
      containers: [{
        name: 'app', image: 'local', volumeMounts: [{ name: 'm', mountPath: '/m' }],
        resources: { limits: { memory: '32Mi' } },
        command: sh('head -c 200000000 /dev/zero > /m/fill; echo survived; sleep 3600'),
      }],
    }),
    { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'cfg' }, data: { greeting: 'v1' } },
    pod('cm', {
      volumes: [{ name: 'c', configMap: { name: 'cfg' } }, { name: 's', emptyDir: {} }],
      containers: [{ name: 'app', image: 'local', volumeMounts: [{ name: 'c', mountPath: '/cfg' }, { name: 's', mountPath: '/scratch' }], command: ['sleep', '3600'] }],
    }),
    pod('stopper', {
      terminationGracePeriodSeconds: 10,
      volumes: [{ name: 'h', hostPath: { path: hostDir, type: 'DirectoryOrCreate' } }],
      containers: [{
        name: 'app', image: 'local', volumeMounts: [{ name: 'h', mountPath: '/host' }],
        command: sh('trap "echo term >> /host/log; exit 0" TERM; while true; do sleep 0.2; done'),
        lifecycle: { preStop: { exec: { command: ['sh', '-c', 'echo prestop >> /host/log'] } } },
      }],
    }),
  ];
  return JSON.stringify({ apiVersion: 'v1', kind: 'List', items });
}

describe('kubelet acceptance (skiff server + node agent, kubectl 1.32)', { skip, timeout: 240_000 }, () => {
  let srv: RunningServer;
  let hostDir: string;
  // The crash-looping pod's waiting messages from its creation on (the 10 s back-off is over long
  // before that test runs).
  let crashWatch: ReturnType<typeof kubectlBg> | undefined;
  const k = (args: string[], opts?: Parameters<typeof kubectl>[2]) => kubectl(srv, args, opts);
  const ok = (args: string[], opts?: Parameters<typeof kubectl>[2]) => kubectlOk(srv, args, opts);
  const jp = (name: string, path: string) => k(['get', 'pod', name, '-o', `jsonpath=${path}`]).stdout;
  const phase = (name: string) => jp(name, '{.status.phase}');
  const podIP = (name: string) => jp(name, '{.status.podIP}');

  /** kubectl in the background (logs -f, port-forward): resolves when it exits or is killed. */
  function kubectlBg(args: string[]): { proc: ReturnType<typeof spawn>; out: () => string; done: Promise<Run> } {
    const proc = spawn(KUBECTL, [`--cache-dir=${join(srv.dataDir, 'kubectl-cache')}`, ...args], { env: { ...process.env, KUBECONFIG: srv.kubeconfig }, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    proc.stdout!.on('data', (d) => (stdout += d));
    proc.stderr!.on('data', (d) => (stderr += d));
    const done = new Promise<Run>((resolve) => proc.on('close', (code) => resolve({ code: code ?? -1, stdout, stderr })));
    return { proc, out: () => stdout, done };
  }

  before(async () => {
    srv = await startServer(['--kubelet-port', '0'], { timeoutMs: 60_000 });
    hostDir = join(srv.dataDir, 'prestop-host');
    mkdirSync(hostDir, { recursive: true });
    await eventually(() => k(['get', 'nodes', '-o', 'jsonpath={.items[0].status.conditions[?(@.type=="Ready")].status}']).stdout === 'True', 'the node to be Ready', 30_000);
    await eventually(() => k(['get', 'serviceaccount', 'default']).code === 0, 'the default service account', 30_000);
    ok(['run', 'web', '--image=local', '--port=8080', '--', 'python3', '-m', 'http.server', '8080']);
    ok(['apply', '-f', '-'], { input: manifests(hostDir) });
    crashWatch = kubectlBg(['get', 'pod', 'crash', '--watch', '-o', 'jsonpath={.status.containerStatuses[0].state.waiting.reason}: {.status.containerStatuses[0].state.waiting.message}{"\\n"}']);
  });

  after(async () => {
    if (!srv) return;
    crashWatch?.proc.kill('SIGTERM');
    // Pods go first so the agent tears its sandboxes (network namespaces, veths) down.
    k(['delete', 'deployment', '--all', '--wait=false']);
    k(['delete', 'pods', '--all', '--grace-period=1', '--timeout=60s']);
    const code = await srv.stop();
    assert.equal(code, 0, srv.output().slice(-4000));
    const left = spawnSync('ip', ['netns', 'list'], { encoding: 'utf8' }).stdout.split('\n').filter((l) => l.startsWith('skiff-'));
    assert.deepEqual(left, [], 'network namespaces left behind');
  });

  it('kubectl run: the pod runs with a pod IP that serves HTTP to the host', async () => {
    await eventually(() => phase('web') === 'Running', 'web Running', 30_000);
    const ip = podIP('web');
    assert.match(ip, /^10\.42\.\d+\.\d+$/);
    const r = await eventuallyAsync(() => httpGet(ip, 8080), `HTTP from ${ip}:8080`);
    assert.equal(r.status, 200);
    assert.match(r.body, /Directory listing/);
  });

  it('kubectl logs -f follows a pod that prints a line per second', async () => {
    await eventually(() => phase('ticker') === 'Running', 'ticker Running', 30_000);
    const f = kubectlBg(['logs', '-f', 'ticker']);
    const lines = await eventually(() => { const l = f.out().split('\n').filter(Boolean); return l.length >= 2 ? l : undefined; }, 'two followed lines', 15_000);
    f.proc.kill('SIGTERM');
    await f.done;
    assert.match(lines[0]!, /^tick \d+$/);
    assert.equal(Number(lines[1]!.split(' ')[1]), Number(lines[0]!.split(' ')[1]) + 1);
  });

  it('kubectl exec -it runs under a terminal and returns the exit code', async () => {
    const line = `${KUBECTL} --cache-dir=${join(srv.dataDir, 'kubectl-cache')} exec -it web -- sh -c 'echo hi; exit 3'`;
    const r = await new Promise<Run>((resolve) => {
      const p = spawn('script', ['-qec', line, '/dev/null'], { env: { ...process.env, KUBECONFIG: srv.kubeconfig } });
      let stdout = '';
      p.stdout.on('data', (d) => (stdout += d));
      p.on('close', (code) => resolve({ code: code ?? -1, stdout, stderr: '' }));
      p.stdin.end();
    });
    assert.match(r.stdout, /hi/);
    assert.equal(r.code, 3, r.stdout);
  });

  it('kubectl port-forward carries HTTP to the pod', async () => {
    const port = await freePort();
    const pf = kubectlBg(['port-forward', 'pod/web', `${port}:8080`]);
    try {
      await eventually(() => pf.out().includes('Forwarding from'), 'port-forward ready', 15_000);
      const r = await httpGet('127.0.0.1', port, '/');
      assert.equal(r.status, 200);
      assert.match(r.body, /Directory listing/);
    } finally {
      pf.proc.kill('SIGTERM');
      await pf.done;
    }
  });

  it('kubectl cp copies a file into the pod and back out', async () => {
    await eventually(() => phase('cm') === 'Running', 'cm Running', 30_000);
    const src = join(srv.dataDir, 'cp-in.txt');
    const back = join(srv.dataDir, 'cp-out.txt');
    writeFileSync(src, 'copied through tar\n');
    ok(['cp', src, 'cm:/scratch/in.txt']);
    assert.equal(ok(['exec', 'cm', '--', 'cat', '/scratch/in.txt']), 'copied through tar\n');
    ok(['exec', 'cm', '--', 'sh', '-c', 'echo made in the pod > /scratch/out.txt']);
    ok(['cp', 'cm:/scratch/out.txt', back]);
    assert.equal(readFileSync(back, 'utf8'), 'made in the pod\n');
  });

  it('a failing liveness probe restarts the container and RESTARTS counts up', async () => {
    await eventually(() => Number(jp('live', '{.status.containerStatuses[0].restartCount}')) >= 1, 'a liveness restart', 40_000);
    const events = ok(['get', 'events', '--field-selector', 'involvedObject.name=live', '-o', 'jsonpath={range .items[*]}{.reason}: {.message}{"\\n"}{end}']);
    assert.match(events, /Unhealthy: Liveness probe failed/);
    assert.match(events, /Killing: Container app failed liveness probe, will be restarted/);
    const table = ok(['get', 'pod', 'live', '--no-headers']);
    assert.match(table, /^live\s+\d\/1\s+\S+\s+[1-9]/);
  });

  it('a crashing container goes to CrashLoopBackOff with growing back-off', async () => {
    const delays = await eventually(() => {
      const seen = [...new Set([...crashWatch!.out().matchAll(/^CrashLoopBackOff: back-off (\d+)s restarting failed container=app pod=crash_default/gm)].map((m) => Number(m[1])))];
      return seen.includes(20) ? seen : undefined;
    }, 'back-off 10s, then 20s', 60_000);
    assert.deepEqual(delays.slice(0, 2), [10, 20]);
    const events = ok(['get', 'events', '--field-selector', 'involvedObject.name=crash', '-o', 'jsonpath={range .items[*]}{.reason}: {.message}{"\\n"}{end}']);
    assert.match(events, /BackOff: Back-off restarting failed container app in pod crash_default/);
    const table = ok(['get', 'pod', 'crash', '--no-headers']);
    assert.match(table, /CrashLoopBackOff|Error/);
    assert.ok(Number(jp('crash', '{.status.containerStatuses[0].restartCount}')) >= 2);
  });

  it('an init container runs to completion before the app starts', async () => {
    await eventually(() => phase('init') === 'Running', 'init Running', 40_000);
    const finished = Date.parse(jp('init', '{.status.initContainerStatuses[0].state.terminated.finishedAt}'));
    const reason = jp('init', '{.status.initContainerStatuses[0].state.terminated.reason}');
    const started = Date.parse(jp('init', '{.status.containerStatuses[0].state.running.startedAt}'));
    assert.equal(reason, 'Completed');
    assert.ok(started >= finished, `app started ${started} before init finished ${finished}`);
    assert.equal(await eventually(() => k(['logs', 'init', '-c', 'app']).stdout, 'app logs'), 'prepared\n');
  });

  it('a container over its memory limit is OOMKilled', async () => {
    const reason = await eventually(() => jp('oom', '{.status.containerStatuses[0].state.terminated.reason}'), 'oom terminated', 40_000);
    assert.equal(reason, 'OOMKilled');
    assert.equal(jp('oom', '{.status.containerStatuses[0].state.terminated.exitCode}'), '137');
    assert.equal(phase('oom'), 'Failed');
    assert.doesNotMatch(k(['logs', 'oom']).stdout, /survived/);
  });

  it('a configMap update appears in the running pod', async () => {
    await eventually(() => phase('cm') === 'Running', 'cm Running', 30_000);
    assert.equal(ok(['exec', 'cm', '--', 'cat', '/cfg/greeting']), 'v1');
    ok(['patch', 'configmap', 'cfg', '--type=merge', '-p', '{"data":{"greeting":"v2"}}']);
    const t0 = Date.now();
    await eventually(() => k(['exec', 'cm', '--', 'cat', '/cfg/greeting']).stdout === 'v2', 'the updated configMap in the pod', 70_000);
    assert.ok(Date.now() - t0 < 70_000);
  });

  it('kubectl delete pod runs the preStop hook and ends within the grace period', async () => {
    await eventually(() => phase('stopper') === 'Running', 'stopper Running', 30_000);
    const t0 = Date.now();
    ok(['delete', 'pod', 'stopper', '--timeout=30s'], { timeoutMs: 40_000 });
    const took = Date.now() - t0;
    assert.ok(took < 10_000, `deletion took ${took} ms (grace period 10 s)`);
    assert.deepEqual(readFileSync(join(hostDir, 'log'), 'utf8').split('\n').filter(Boolean), ['prestop', 'term']);
  });

  it('two pods reach each other by pod IP', async () => {
    await eventually(() => phase('web') === 'Running' && phase('cm') === 'Running', 'web and cm Running', 30_000);
    const ip = podIP('web');
    assert.notEqual(ip, podIP('cm'));
    const out = ok(['exec', 'cm', '--', 'python3', '-c', `import urllib.request; print(urllib.request.urlopen("http://${ip}:8080/", timeout=5).status)`]);
    assert.equal(out.trim(), '200');
  });

  it('kubectl create deployment: three Running pods serving HTTP', async () => {
    ok(['create', 'deployment', 'web3', '--image=local', '--replicas=3', '--port=8080', '--', 'python3', '-m', 'http.server', '8080']);
    const ips = await eventually(() => {
      const out = k(['get', 'pods', '-l', 'app=web3', '-o', 'jsonpath={range .items[*]}{.status.phase} {.status.podIP}{"\\n"}{end}']).stdout.trim().split('\n');
      return out.length === 3 && out.every((l) => /^Running 10\.42\./.test(l)) ? out.map((l) => l.split(' ')[1]!) : undefined;
    }, 'three Running web3 pods', 60_000);
    assert.equal(new Set(ips).size, 3);
    for (const ip of ips) {
      const r = await eventuallyAsync(() => httpGet(ip, 8080), `HTTP from ${ip}`);
      assert.equal(r.status, 200);
    }
    assert.match(ok(['get', 'deployment', 'web3', '--no-headers']), /^web3\s+3\/3\s+3\s+3/);
  });
});

