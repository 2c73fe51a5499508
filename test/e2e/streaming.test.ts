// kubectl logs / exec / cp / port-forward end to end: an in-process API server proxies to the
// kubelet API server (src/kubelet/server) over the process runtime, driven by real kubectl 1.32,
// 1.33 (WebSocket v5 exec, SPDY-in-WebSocket port-forward) and 1.29 (plain SPDY for everything).
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import http from 'node:http';
import net from 'node:net';
import { startTestServer, type TestServer } from '../../src/apiserver/testing/inprocess.js';
import { issueServingCert } from '../../src/apiserver/pki/index.js';
import { renderKubeconfig, writeKubeconfig } from '../../src/client/kubeconfig.js';
import { ProcessRuntime, formatCriLine } from '../../src/kubelet/runtime/index.js';
import { startKubeletServer, type KubeletPod, type KubeletServer } from '../../src/kubelet/server/index.js';
import { kubectlVersion } from './harness.js';
import * as k8s from '@kubernetes/client-node';
import { PassThrough, Readable } from 'node:stream';

const NS = 'default';
const POD = 'web';

interface Run { code: number; stdout: string; stderr: string }

/** kubectl without blocking the event loop (the API server runs in this process). */
function kubectlAsync(bin: string, env: { kubeconfig: string; cacheDir: string }, args: string[], input?: string, timeoutMs = 60_000): Promise<Run> {
  return new Promise((resolve) => {
    const p = spawn(bin, [`--cache-dir=${env.cacheDir}`, ...args], { env: { ...process.env, KUBECONFIG: env.kubeconfig }, stdio: ['pipe', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    p.stdout.on('data', (d) => (stdout += d));
    p.stderr.on('data', (d) => (stderr += d));
    const t = setTimeout(() => p.kill('SIGKILL'), timeoutMs);
    p.on('close', (code) => {
      clearTimeout(t);
      resolve({ code: code ?? -1, stdout, stderr });
    });
    p.stdin.end(input ?? '');
  });
}

function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const s = net.createServer().listen(0, '127.0.0.1', () => {
      const port = (s.address() as net.AddressInfo).port;
      s.close(() => resolve(port));
    });
  });
}

function httpGet(port: number, path: string): Promise<string> {
  return new Promise((resolve, reject) => {
    http.get({ host: '127.0.0.1', port, path, agent: false }, (res) => {
      let b = '';
      res.on('data', (d) => (b += d));
      res.on('end', () => resolve(b));
    }).on('error', reject);
  });
}

async function waitFor<T>(what: string, fn: () => Promise<T | undefined> | T | undefined, timeoutMs = 15_000): Promise<T> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const v = await fn();
    if (v) return v;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

// The pod's program: three log lines, then an HTTP server; GET /emit?m=x logs x.
const POD_SCRIPT = `
const http = require('http');
console.log('line1'); console.log('line2'); console.log('line3');
http.createServer((req, res) => {
  const u = new URL(req.url, 'http://x');
  if (u.pathname === '/emit') console.log(u.searchParams.get('m'));
  if (u.pathname === '/big') return res.end('x'.repeat(Number(u.searchParams.get('n'))));
  res.end('hello from pod ' + u.pathname + '\\n');
}).listen(Number(process.env.PORT), '127.0.0.1');
`;

describe('kubectl streaming through the API server to the kubelet', { timeout: 300_000 }, () => {
  let srv: TestServer;
  let kubelet: KubeletServer;
  let runtime: ProcessRuntime;
  let dir: string;
  let env: { kubeconfig: string; cacheDir: string };
  let podPort: number;
  const kpod: KubeletPod = { uid: '', sandboxId: '', containers: new Map() };

  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'skiff-streaming-'));
    srv = await startTestServer();
    runtime = new ProcessRuntime({ stateDir: join(dir, 'runtime'), isolation: 'none' });
    const serving = await issueServingCert(srv.pki, 'node1', { ips: ['127.0.0.1'] });
    kubelet = await startKubeletServer({
      port: 0, bindAddress: '127.0.0.1', tls: serving, clientCAPem: srv.pki.caCertPem, runtime,
      pods: { find: (ns, name) => (ns === NS && name === POD ? kpod : undefined), list: () => (kpod.pod ? [kpod.pod] : []) },
    });
    const kc = join(dir, 'kubeconfig');
    await writeKubeconfig(kc, renderKubeconfig({
      cluster: { server: srv.credentials.server, caPem: srv.credentials.caPem },
      user: { certPem: srv.credentials.certPem, keyPem: srv.credentials.keyPem },
    }));
    env = { kubeconfig: kc, cacheDir: join(dir, 'cache') };

    const node = await srv.request('POST', '/api/v1/nodes', JSON.stringify({ apiVersion: 'v1', kind: 'Node', metadata: { name: 'node1' } }));
    assert.equal(node.status, 201, node.body);
    const n = JSON.parse(node.body);
    n.status = { addresses: [{ type: 'InternalIP', address: '127.0.0.1' }], daemonEndpoints: { kubeletEndpoint: { Port: kubelet.port } } };
    const ns = await srv.request('PUT', '/api/v1/nodes/node1/status', JSON.stringify(n));
    assert.equal(ns.status, 200, ns.body);

    podPort = await freePort();
    const created = await srv.request('POST', `/api/v1/namespaces/${NS}/pods`, JSON.stringify({
      apiVersion: 'v1', kind: 'Pod', metadata: { name: POD, annotations: { 'kubectl.kubernetes.io/default-container': 'app' } },
      // sidecar is in the spec but the kubelet never started it.
      spec: { nodeName: 'node1', containers: [{ name: 'app', image: 'busybox', command: ['node', '-e', POD_SCRIPT], ports: [{ containerPort: 8080 }] }, { name: 'sidecar', image: 'busybox' }] },
    }));
    assert.equal(created.status, 201, created.body);
    const pod = JSON.parse(created.body);
    const uid: string = pod.metadata.uid;
    const sandboxConfig = { metadata: { name: POD, namespace: NS, uid }, logDirectory: join(dir, 'logs', `${NS}_${POD}_${uid}`) };
    const sandboxId = await runtime.runPodSandbox(sandboxConfig);
    const cid = await runtime.createContainer(sandboxId, {
      metadata: { name: 'app' }, image: { image: 'busybox' }, command: ['node', '-e', POD_SCRIPT],
      envs: [{ key: 'PORT', value: String(podPort) }], logPath: 'app/0.log',
    }, sandboxConfig);
    await runtime.startContainer(cid);
    pod.status = {
      phase: 'Running', startTime: new Date().toISOString(),
      containerStatuses: [{ name: 'app', ready: true, restartCount: 0, image: 'busybox', imageID: '', containerID: `skiff://${cid}`, state: { running: { startedAt: new Date().toISOString() } } }],
    };
    const st = await srv.request('PUT', `/api/v1/namespaces/${NS}/pods/${POD}/status`, JSON.stringify(pod));
    assert.equal(st.status, 200, st.body);
    Object.assign(kpod, { uid, sandboxId, pod: JSON.parse(st.body) });
    // A previous run's log, as the kubelet keeps it after a restart.
    const previousLog = join(dir, 'previous-app.log');
    await writeFile(previousLog, formatCriLine(Date.now() - 60_000, 'stdout', false, 'before the restart'));
    kpod.containers.set('app', { id: cid, logPath: join(sandboxConfig.logDirectory, 'app/0.log'), previousLogPath: previousLog });
    // The pod is up when its HTTP server answers.
    await waitFor('pod http server', () => httpGet(podPort, '/').catch(() => undefined));
  });

  after(async () => {
    await kubelet?.stop();
    await runtime?.close();
    await srv?.stop();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it('the API server refuses kubelet subresources of an unscheduled pod as upstream', async () => {
    const r = await srv.request('POST', `/api/v1/namespaces/${NS}/pods`, JSON.stringify({
      apiVersion: 'v1', kind: 'Pod', metadata: { name: 'pending' },
      spec: { containers: [{ name: 'a', image: 'busybox' }, { name: 'b', image: 'busybox' }] },
    }));
    assert.equal(r.status, 201, r.body);
    const noName = await srv.request('GET', `/api/v1/namespaces/${NS}/pods/pending/log`);
    assert.equal(noName.status, 400);
    assert.equal(JSON.parse(noName.body).message, 'a container name must be specified for pod pending, choose one of: [a b]');
    const waiting = await srv.request('GET', `/api/v1/namespaces/${NS}/pods/pending/log?container=a`);
    assert.equal(waiting.status, 400);
    assert.equal(JSON.parse(waiting.body).message, 'container "a" in pod "pending" is waiting to start: ContainerCreating');
    const bad = await srv.request('GET', `/api/v1/namespaces/${NS}/pods/pending/log?container=zz`);
    assert.equal(JSON.parse(bad.body).message, 'container zz is not valid for pod pending');
    const tail = await srv.request('GET', `/api/v1/namespaces/${NS}/pods/${POD}/log?tailLines=-1`);
    assert.equal(tail.status, 422);
  });

  describe('kubectl 1.32 extras', { skip: kubectlVersion(32) ? false : 'kubectl 1.32 not installed' }, () => {
    const bin = kubectlVersion(32)!;

    it('logs --previous reads the previous run', async () => {
      const r = await kubectlAsync(bin, env, ['logs', POD, '--previous']);
      assert.equal(r.code, 0, r.stderr);
      assert.equal(r.stdout, 'before the restart\n');
    });

    it('exec -it runs under a terminal and keeps the exit code', async () => {
      // kubectl wants a terminal for -t: give it one with script(1); -e returns the child's code.
      const line = `${bin} --cache-dir=${env.cacheDir} exec -it ${POD} -- sh -c 'tty; exit 4'`;
      const r = await new Promise<Run>((resolve) => {
        const p = spawn('script', ['-qec', line, '/dev/null'], { env: { ...process.env, KUBECONFIG: env.kubeconfig } });
        let stdout = '';
        p.stdout.on('data', (d) => (stdout += d));
        p.on('close', (code) => resolve({ code: code ?? -1, stdout, stderr: '' }));
        p.stdin.end();
      });
      assert.match(r.stdout, /\/dev\/pts\/\d+/);
      assert.equal(r.code, 4, r.stdout);
    });

    it('exec into a missing pod fails with NotFound', async () => {
      const r = await kubectlAsync(bin, env, ['exec', 'nope', '--', 'true']);
      assert.equal(r.code, 1);
      assert.match(r.stderr, /pods "nope" not found/);
    });

    it('exec into a container the kubelet does not run prints the kubelet\'s error', async () => {
      const r = await kubectlAsync(bin, env, ['exec', POD, '-c', 'sidecar', '--', 'true']);
      assert.equal(r.code, 1);
      assert.match(r.stderr, /container not found \("sidecar"\)/);
    });

    it('attach streams what the container writes from then on', async () => {
      const p = spawn(bin, [`--cache-dir=${env.cacheDir}`, 'attach', POD], { env: { ...process.env, KUBECONFIG: env.kubeconfig } });
      let out = '';
      p.stdout.on('data', (d) => (out += d));
      p.stderr.on('data', (d) => (out += d));
      try {
        const marker = `attached-${Date.now()}`;
        await waitFor('attached output', async () => {
          await httpGet(podPort, `/emit?m=${marker}`);
          return out.includes(marker);
        });
      } finally {
        p.kill();
      }
    });

    it('port-forward moves a large body and reports a closed port', async () => {
      const local = await freePort();
      const p = spawn(bin, [`--cache-dir=${env.cacheDir}`, 'port-forward', `pod/${POD}`, `${local}:${podPort}`], { env: { ...process.env, KUBECONFIG: env.kubeconfig } });
      let out = '';
      p.stdout.on('data', (d) => (out += d));
      p.stderr.on('data', (d) => (out += d));
      try {
        await waitFor('forwarding', () => out.includes('Forwarding from'));
        const n = 3 * 1024 * 1024;
        assert.equal((await httpGet(local, `/big?n=${n}`)).length, n);
      } finally {
        p.kill();
      }
      const closedPort = await freePort();
      const local2 = await freePort();
      const q = spawn(bin, [`--cache-dir=${env.cacheDir}`, 'port-forward', `pod/${POD}`, `${local2}:${closedPort}`], { env: { ...process.env, KUBECONFIG: env.kubeconfig } });
      let out2 = '';
      q.stdout.on('data', (d) => (out2 += d));
      q.stderr.on('data', (d) => (out2 += d));
      const exited = new Promise<number | null>((r) => q.on('close', (code) => r(code)));
      await waitFor('forwarding', () => out2.includes('Forwarding from'));
      await httpGet(local2, '/').catch(() => '');
      // kubectl 1.32 prints the error from the error stream and gives up on the whole forward.
      assert.equal(await exited, 1);
      assert.match(out2, new RegExp(`error forwarding port ${closedPort} to pod`));
    });
  });

  describe('@kubernetes/client-node', () => {
    let kc: k8s.KubeConfig;
    before(() => {
      kc = new k8s.KubeConfig();
      kc.loadFromFile(env.kubeconfig);
    });

    it('exec returns output and the exit status', async () => {
      const stdout = new PassThrough();
      let out = '';
      stdout.on('data', (d) => (out += d));
      const status = await new Promise<k8s.V1Status>((resolve, reject) => {
        new k8s.Exec(kc).exec(NS, POD, 'app', ['sh', '-c', 'echo from-client-node; exit 2'], stdout, null, null, false, resolve).catch(reject);
      });
      assert.equal(out, 'from-client-node\n');
      assert.equal(status.status, 'Failure');
      assert.equal(status.reason, 'NonZeroExitCode');
      assert.equal(status.details?.causes?.[0]?.message, '2');
    });

    it('port-forward (channel protocol) carries a request', async () => {
      const output = new PassThrough();
      let got = '';
      output.on('data', (d) => (got += d));
      const input = new Readable({ read() {} });
      const ws = await new k8s.PortForward(kc).portForward(NS, POD, [podPort], output, null, input) as { close(): void };
      input.push('GET /cn HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n');
      await waitFor('response', () => got.includes('hello from pod /cn'));
      ws.close();
    });
  });

  it('streaming upgrades are authenticated like any request', async () => {
    const tls = await import('node:tls');
    const port = srv.server.port;
    const answer = await new Promise<string>((resolve, reject) => {
      const sock = tls.connect({ host: '127.0.0.1', port, ca: srv.pki.caCertPem }, () => {
        sock.write(`GET /api/v1/namespaces/${NS}/pods/${POD}/exec?command=true&stdout=true HTTP/1.1\r\nHost: x\r\nConnection: Upgrade\r\nUpgrade: websocket\r\n` +
          'Sec-WebSocket-Version: 13\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Protocol: v5.channel.k8s.io\r\n\r\n');
      });
      let got = '';
      sock.on('data', (d) => (got += d));
      sock.on('end', () => resolve(got));
      sock.on('error', reject);
    });
    assert.match(answer, /^HTTP\/1.1 401 /);
    assert.match(answer, /"reason":"Unauthorized"/);
  });

  for (const minor of [32, 33, 31, 30, 29, 28, 27]) {
    const bin = kubectlVersion(minor);
    describe(`kubectl 1.${minor}`, { skip: bin ? false : `kubectl 1.${minor} not installed` }, () => {
      it('logs, --tail, --timestamps, --limit-bytes', async () => {
        const all = await kubectlAsync(bin!, env, ['logs', POD]);
        assert.equal(all.code, 0, all.stderr);
        assert.match(all.stdout, /^line1\nline2\nline3\n/);
        const tail = await kubectlAsync(bin!, env, ['logs', POD, '--tail=2']);
        assert.equal(tail.code, 0, tail.stderr);
        const lines = tail.stdout.trimEnd().split('\n');
        assert.equal(lines.length, 2);
        const ts = await kubectlAsync(bin!, env, ['logs', POD, '--timestamps', '--tail=1']);
        assert.match(ts.stdout, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{9}Z \S+\n$/);
        const lim = await kubectlAsync(bin!, env, ['logs', POD, '--limit-bytes=8']);
        assert.equal(lim.stdout, 'line1\nli');
      });

      it('logs -f streams what the container writes later', async () => {
        const p: ChildProcess = spawn(bin!, [`--cache-dir=${env.cacheDir}`, 'logs', '-f', POD], { env: { ...process.env, KUBECONFIG: env.kubeconfig } });
        let out = '';
        p.stdout!.on('data', (d) => (out += d));
        p.stderr!.on('data', (d) => (out += d));
        try {
          await waitFor('initial lines', () => out.includes('line3'));
          const marker = `later-${minor}-${Date.now()}`;
          await httpGet(podPort, `/emit?m=${marker}`);
          await waitFor('followed line', () => out.includes(marker));
        } finally {
          p.kill();
        }
      });

      it('exec prints output and returns the exit code', async () => {
        const r = await kubectlAsync(bin!, env, ['exec', POD, '--', 'sh', '-c', 'echo hi; echo oops >&2; exit 3']);
        assert.equal(r.code, 3, r.stderr);
        assert.equal(r.stdout, 'hi\n');
        assert.match(r.stderr, /oops/);
        assert.match(r.stderr, /command terminated with exit code 3/);
        const ok = await kubectlAsync(bin!, env, ['exec', POD, '--', 'echo', 'fine']);
        assert.equal(ok.code, 0, ok.stderr);
        assert.equal(ok.stdout, 'fine\n');
      });

      it('exec -i passes stdin through and ends it', async () => {
        const r = await kubectlAsync(bin!, env, ['exec', '-i', POD, '--', 'sh', '-c', 'cat; echo done'], 'piped input\nsecond\n');
        assert.equal(r.code, 0, r.stderr);
        assert.equal(r.stdout, 'piped input\nsecond\ndone\n');
      });

      it('cp into and out of the pod', async () => {
        const local = join(dir, `cp-${minor}.txt`);
        await writeFile(local, `copied by 1.${minor}\n`);
        const remote = join(dir, `in-pod-${minor}`);
        await kubectlAsync(bin!, env, ['exec', POD, '--', 'mkdir', '-p', remote]);
        const up = await kubectlAsync(bin!, env, ['cp', local, `${POD}:${remote}/f.txt`]);
        assert.equal(up.code, 0, up.stderr);
        assert.equal(await readFile(join(remote, 'f.txt'), 'utf8'), `copied by 1.${minor}\n`);
        const back = join(dir, `back-${minor}.txt`);
        const down = await kubectlAsync(bin!, env, ['cp', `${POD}:${remote}/f.txt`, back]);
        assert.equal(down.code, 0, down.stderr);
        assert.ok(existsSync(back));
        assert.equal(await readFile(back, 'utf8'), `copied by 1.${minor}\n`);
      });

      it('port-forward carries HTTP to the pod', async () => {
        const local = await freePort();
        const p = spawn(bin!, [`--cache-dir=${env.cacheDir}`, 'port-forward', `pod/${POD}`, `${local}:${podPort}`], { env: { ...process.env, KUBECONFIG: env.kubeconfig } });
        let out = '';
        p.stdout.on('data', (d) => (out += d));
        p.stderr.on('data', (d) => (out += d));
        try {
          await waitFor('forwarding', () => out.includes('Forwarding from'));
          assert.equal(await httpGet(local, '/a'), 'hello from pod /a\n');
          assert.equal(await httpGet(local, '/b'), 'hello from pod /b\n');
          const big = await Promise.all([1, 2, 3].map((i) => httpGet(local, `/p${i}`)));
          assert.deepEqual(big, ['hello from pod /p1\n', 'hello from pod /p2\n', 'hello from pod /p3\n']);
        } finally {
          p.kill();
        }
        assert.doesNotMatch(out, /error/i);
      });
    });
  }
});
