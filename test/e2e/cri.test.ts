// @serial: runs a real node agent on the host's pod bridge, with a private containerd
// Issue 9's acceptance end to end: `skiff server --runtime cri` against a containerd 1.6 of its own
// (its own root, state and socket), images from a loopback registry, driven by the real kubectl.
// A Deployment of the busybox image serves HTTP on pod IPs; logs, exec (exit code, stdin),
// port-forward and cp; a liveness restart; an OOM kill; a missing image (ErrImagePull then
// ImagePullBackOff); a registry that needs a password, with an imagePullSecret; an image tarball
// imported at start and run with imagePullPolicy Never; restarting the agent leaves running
// containers running and their pods Ready.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { KUBECTL, eventually, freePort, httpGet, kubectl, kubectlOk, missingKubectl, startServer, type RunningServer } from './harness.js';
import {
  BUSYBOX_INDEX_HTML, buildTestImages, criTestSkip, pushImage, requireCri, saveImageTar, startContainerd, startRegistry,
  type TestContainerd, type TestRegistry,
} from '../../src/kubelet/runtime/cri/testing/index.js';

const skip = missingKubectl() ?? criTestSkip();
const NS = 'cri-e2e';

describe('cri runtime acceptance (skiff server --runtime cri, containerd, kubectl 1.32)', { skip, timeout: 420_000 }, () => {
  let dir: string;
  let dataDir: string;
  let srv: RunningServer;
  let containerd: TestContainerd;
  let registry: TestRegistry;
  let privateRegistry: TestRegistry;
  let busybox: string;
  let serverArgs: string[];
  const ok = (args: string[], opts?: Parameters<typeof kubectl>[2]) => kubectlOk(srv, ['-n', NS, ...args], opts);
  const k = (args: string[], opts?: Parameters<typeof kubectl>[2]) => kubectl(srv, ['-n', NS, ...args], opts);
  const jp = (pod: string, path: string) => k(['get', 'pod', pod, '-o', `jsonpath=${path}`]).stdout;

  before(async () => {
    requireCri();
    dir = mkdtempSync(join(tmpdir(), 'skcri-e2e-'));
    dataDir = join(dir, 'data');
    const images = await buildTestImages(tmpdir());
    registry = await startRegistry({ dataDir: join(dir, 'reg') });
    privateRegistry = await startRegistry({ dataDir: join(dir, 'reg-private'), htpasswd: { user: 'skiff', password: 's3cret' } });
    busybox = `${registry.host}/skiff/busybox:1`;
    const pause = `${registry.host}/skiff/pause:1`;
    await Promise.all([
      pushImage(images.layout, images.busybox, busybox),
      pushImage(images.layout, images.pause, pause),
      pushImage(images.layout, images.busybox, `${privateRegistry.host}/team/busybox:1`, { user: 'skiff', password: 's3cret' }),
    ]);
    // Air-gapped: a tarball in DATA/agent/images is imported when the agent starts.
    mkdirSync(join(dataDir, 'agent', 'images'), { recursive: true });
    await saveImageTar(images.layout, images.busybox, join(dataDir, 'agent', 'images', 'busybox.tar'), 'skiff.test/imported:1');
    const cniConfDir = join(dir, 'net.d');
    containerd = await startContainerd({ dir: join(dir, 'ctd'), pauseImage: pause, cniConfDir });
    serverArgs = ['--kubelet-port', '0', '--runtime', 'cri', '--cri-endpoint', containerd.endpoint, '--cni-conf-dir', cniConfDir, '--pause-image', pause];
    srv = await startServer(serverArgs, { timeoutMs: 90_000, dataDir });
    kubectlOk(srv, ['create', 'namespace', NS]);
    const sh = (s: string) => ['sh', '-c', s];
    const pod = (name: string, spec: Record<string, unknown>) => ({ apiVersion: 'v1', kind: 'Pod', metadata: { name, namespace: NS }, spec: { terminationGracePeriodSeconds: 2, ...spec } });
    const items = [
      {
        apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'web', namespace: NS },
        spec: { replicas: 2, selector: { matchLabels: { app: 'web' } }, template: { metadata: { labels: { app: 'web' } }, spec: { containers: [{ name: 'httpd', image: busybox, ports: [{ containerPort: 8080 }] }] } } },
      },
      pod('talker', { containers: [{ name: 'app', image: busybox, command: sh('echo hello from cri; exec sleep 3600') }] }),
      pod('live', {
        containers: [{
          name: 'app', image: busybox, command: sh('touch /tmp/healthy; sleep 4; rm -f /tmp/healthy; exec sleep 3600'),
          livenessProbe: { exec: { command: ['cat', '/tmp/healthy'] }, periodSeconds: 1, failureThreshold: 1 },
        }],
      }),
      pod('oom', {
        restartPolicy: 'Never',
        containers: [{ name: 'app', image: busybox, resources: { limits: { memory: '32Mi' } }, command: ['tail', '/dev/zero'] }],
      }),
      pod('missing', { containers: [{ name: 'app', image: `${registry.host}/skiff/missing:1` }] }),
      pod('imported', { containers: [{ name: 'app', image: 'skiff.test/imported:1', imagePullPolicy: 'Never', command: ['sleep', '3600'] }] }),
    ];
    ok(['apply', '-f', '-'], { input: JSON.stringify({ apiVersion: 'v1', kind: 'List', items }) });
  });

  after(async () => {
    if (srv) {
      kubectl(srv, ['delete', 'namespace', NS, '--wait=true', '--timeout=60s']);
      await srv.stop();
    }
    await containerd?.stop();
    await registry?.stop();
    await privateRegistry?.stop();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('a Deployment of the busybox image serves HTTP on its pod IPs', async () => {
    const ips = await eventually(() => {
      const r = k(['get', 'pods', '-l', 'app=web', '-o', 'jsonpath={.items[?(@.status.phase=="Running")].status.podIP}']).stdout.split(' ').filter(Boolean);
      return r.length === 2 ? r : undefined;
    }, 'two running web pods', 90_000);
    for (const ip of ips) assert.equal(await eventually(() => httpGet(ip, 8080).then((r) => r.body, () => ''), `HTTP from ${ip}`), BUSYBOX_INDEX_HTML);
    const cid = k(['get', 'pods', '-l', 'app=web', '-o', 'jsonpath={.items[0].status.containerStatuses[0].containerID}']).stdout;
    assert.match(cid, /^containerd:\/\/[0-9a-f]{64}$/);
  });

  it('kubectl logs, exec (exit code, stdin), cp', async () => {
    await eventually(() => jp('talker', '{.status.phase}') === 'Running', 'talker running', 60_000);
    await eventually(() => k(['logs', 'talker']).stdout.includes('hello from cri'), 'talker logs');
    const r = k(['exec', 'talker', '--', 'sh', '-c', 'echo out; echo err >&2; exit 7']);
    assert.equal(r.code, 7);
    assert.equal(r.stdout, 'out\n');
    assert.match(r.stderr, /err/);
    assert.equal(ok(['exec', '-i', 'talker', '--', 'cat'], { input: 'through stdin\n' }), 'through stdin\n');
    const local = join(dir, 'cp-me.txt');
    writeFileSync(local, 'copied in\n');
    ok(['cp', local, 'talker:/tmp/cp-me.txt']);
    assert.equal(ok(['exec', 'talker', '--', 'cat', '/tmp/cp-me.txt']), 'copied in\n');
    const back = join(dir, 'cp-back.txt');
    ok(['cp', 'talker:/tmp/cp-me.txt', back]);
    assert.equal(readFileSync(back, 'utf8'), 'copied in\n');
  });

  it('kubectl port-forward reaches the pod\'s port', async () => {
    const pod = k(['get', 'pods', '-l', 'app=web', '-o', 'jsonpath={.items[0].metadata.name}']).stdout;
    const port = await freePort();
    const pf = spawn(KUBECTL, ['-n', NS, 'port-forward', `pod/${pod}`, `${port}:8080`], { env: { ...process.env, KUBECONFIG: srv.kubeconfig }, stdio: ['ignore', 'pipe', 'pipe'] });
    try {
      const body = await eventually(() => httpGet('127.0.0.1', port).then((r) => r.body, () => ''), 'an answer through port-forward');
      assert.equal(body, BUSYBOX_INDEX_HTML);
      assert.equal((await httpGet('127.0.0.1', port)).body, BUSYBOX_INDEX_HTML, 'a second connection');
    } finally {
      pf.kill();
    }
  });

  it('a failing liveness probe restarts the container', async () => {
    await eventually(() => Number(jp('live', '{.status.containerStatuses[0].restartCount}')) >= 1, 'a liveness restart', 60_000);
  });

  it('a container over its memory limit is OOMKilled', async () => {
    const reason = await eventually(() => jp('oom', '{.status.containerStatuses[0].state.terminated.reason}'), 'the oom pod terminated', 60_000);
    assert.equal(reason, 'OOMKilled');
    assert.equal(jp('oom', '{.status.phase}'), 'Failed');
  });

  it('a missing image: ErrImagePull, then ImagePullBackOff in kubectl get pods', async () => {
    const seen = new Set<string>();
    const lines: string[] = [];
    await eventually(() => {
      const line = k(['get', 'pod', 'missing', '--no-headers']).stdout;
      if (lines.at(-1) !== line) lines.push(line);
      for (const r of ['ErrImagePull', 'ImagePullBackOff']) if (line.includes(r)) seen.add(r);
      return seen.size === 2;
    }, 'ErrImagePull and ImagePullBackOff', 60_000).catch((err: Error) => {
      throw new Error(`${err.message}; kubectl get pod showed:\n${lines.join('')}${k(['describe', 'pod', 'missing']).stdout}`);
    });
  });

  it('a registry that needs a password: pulled with an imagePullSecret', async () => {
    ok(['create', 'secret', 'docker-registry', 'regcred', `--docker-server=${privateRegistry.host}`, '--docker-username=skiff', '--docker-password=s3cret']);
    const image = `${privateRegistry.host}/team/busybox:1`;
    const pod = (name: string, secrets: boolean) => ({
      apiVersion: 'v1', kind: 'Pod', metadata: { name, namespace: NS },
      // Always: once the other pod has pulled the image, IfNotPresent would run it without a secret (as upstream).
      spec: { terminationGracePeriodSeconds: 1, ...(secrets ? { imagePullSecrets: [{ name: 'regcred' }] } : {}), containers: [{ name: 'app', image, imagePullPolicy: 'Always', command: ['sleep', '3600'] }] },
    });
    ok(['apply', '-f', '-'], { input: JSON.stringify({ apiVersion: 'v1', kind: 'List', items: [pod('private', true), pod('private-nosecret', false)] }) });
    await eventually(() => jp('private', '{.status.phase}') === 'Running', 'the private image running', 60_000);
    await eventually(() => /ErrImagePull|ImagePullBackOff/.test(jp('private-nosecret', '{.status.containerStatuses[0].state.waiting.reason}')), 'a pull refused without the secret', 60_000);
  });

  it('an image tarball imported at start runs with imagePullPolicy Never', async () => {
    await eventually(() => jp('imported', '{.status.phase}') === 'Running', 'the imported image running', 60_000);
  });

  it('restarting the agent leaves running containers running and their pods Ready', async () => {
    const before = k(['get', 'pods', '-l', 'app=web', '-o', 'jsonpath={range .items[*]}{.metadata.name}={.status.containerStatuses[0].containerID}/{.status.containerStatuses[0].restartCount}{"\\n"}{end}']).stdout.trim();
    assert.equal(before.split('\n').length, 2);
    await srv.stop();
    srv = await startServer(serverArgs, { timeoutMs: 90_000, dataDir });
    await eventually(() => k(['get', 'pods', '-l', 'app=web', '-o', 'jsonpath={.items[*].status.conditions[?(@.type=="Ready")].status}']).stdout === 'True True', 'web pods Ready after the restart', 60_000);
    const after = k(['get', 'pods', '-l', 'app=web', '-o', 'jsonpath={range .items[*]}{.metadata.name}={.status.containerStatuses[0].containerID}/{.status.containerStatuses[0].restartCount}{"\\n"}{end}']).stdout.trim();
    assert.equal(after, before, 'same containers, no restarts');
    const ip = k(['get', 'pods', '-l', 'app=web', '-o', 'jsonpath={.items[0].status.podIP}']).stdout;
    assert.equal((await httpGet(ip, 8080)).body, BUSYBOX_INDEX_HTML);
  });
});
