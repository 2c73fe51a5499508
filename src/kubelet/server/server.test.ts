// The kubelet API server on its own: client-certificate authentication, /pods, logs, stats, and the
// WebSocket protocols a client-node or kubectl speaks to it (exec v4/v5, channel port-forward).
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import https from 'node:https';
import net from 'node:net';
import { mkdtemp, rm, writeFile, mkdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import WebSocket from 'ws';
import { ensurePki, issueServingCert, type Pki } from '../../apiserver/pki/index.js';
import { ProcessRuntime, formatCriLine } from '../runtime/index.js';
import { startKubeletServer } from './server.js';
import { CLOSE, ERROR, STDIN, STDOUT, STDERR, V4, V5, encodeFrame } from './channel.js';
import type { KubeletPod, KubeletServer } from './types.js';

interface Reply { status: number; body: string }

describe('kubelet API server', { timeout: 60_000 }, () => {
  let dir: string;
  let pki: Pki;
  let runtime: ProcessRuntime;
  let kubelet: KubeletServer;
  let echo: net.Server;
  let echoPort: number;
  const kp: KubeletPod = { uid: 'uid-1', sandboxId: '', containers: new Map() };

  function get(path: string, withCert = true): Promise<Reply> {
    return new Promise((resolve, reject) => {
      https.get({
        host: '127.0.0.1', port: kubelet.port, path, ca: pki.caCertPem, agent: false,
        ...(withCert ? { cert: pki.kubeletClientCertPem, key: pki.kubeletClientKeyPem } : {}),
      }, (res) => {
        let body = '';
        res.on('data', (d) => (body += d));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
      }).on('error', reject);
    });
  }

  function ws(path: string, protocols: string[]): WebSocket {
    return new WebSocket(`wss://127.0.0.1:${kubelet.port}${path}`, protocols, {
      ca: pki.caCertPem, cert: pki.kubeletClientCertPem, key: pki.kubeletClientKeyPem,
    });
  }

  /** Collects a channel conversation until the server closes. */
  function converse(sock: WebSocket, onOpen?: (s: WebSocket) => void): Promise<{ frames: { ch: number; data: string }[]; closeCode: number; protocol: string }> {
    return new Promise((resolve, reject) => {
      const frames: { ch: number; data: string }[] = [];
      sock.on('open', () => onOpen?.(sock));
      sock.on('message', (m: Buffer) => frames.push({ ch: m[0]!, data: m.subarray(1).toString() }));
      sock.on('close', (code) => resolve({ frames, closeCode: code, protocol: sock.protocol }));
      sock.on('error', reject);
    });
  }

  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'skiff-kubelet-server-'));
    pki = await ensurePki(dir, { hosts: [], ips: ['127.0.0.1'] });
    runtime = new ProcessRuntime({ stateDir: join(dir, 'runtime'), isolation: 'none' });
    const sandboxConfig = { metadata: { name: 'p', namespace: 'ns', uid: 'uid-1' }, logDirectory: join(dir, 'logs') };
    kp.sandboxId = await runtime.runPodSandbox(sandboxConfig);
    const id = await runtime.createContainer(kp.sandboxId, {
      metadata: { name: 'c' }, image: { image: 'busybox' }, command: ['sh', '-c', 'echo started; sleep 1000'], logPath: 'c/1.log',
    }, sandboxConfig);
    await runtime.startContainer(id);
    const previous = join(dir, 'logs', 'c', '0.log');
    await mkdir(join(dir, 'logs', 'c'), { recursive: true });
    await writeFile(previous, formatCriLine(Date.now(), 'stdout', false, 'from the previous run'));
    kp.containers.set('c', { id, logPath: join(dir, 'logs', 'c', '1.log'), previousLogPath: previous });
    kp.containers.set('never', { id: '', logPath: '' });
    const shortId = await runtime.createContainer(kp.sandboxId, {
      metadata: { name: 'short' }, image: { image: 'busybox' }, command: ['sh', '-c', 'echo a; sleep 0.7; echo b'], logPath: 'short/0.log',
    }, sandboxConfig);
    await runtime.startContainer(shortId);
    kp.containers.set('short', { id: shortId, logPath: join(dir, 'logs', 'short', '0.log') });
    kp.pod = {
      apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p', namespace: 'ns', uid: 'uid-1' },
      status: { containerStatuses: [{ name: 'c', state: { running: {} } }, { name: 'short', state: { running: {} } }, { name: 'never', state: { waiting: { reason: 'PodInitializing' } } }] },
    };
    const serving = await issueServingCert(pki, 'node', { ips: ['127.0.0.1'] });
    kubelet = await startKubeletServer({
      port: 0, bindAddress: '127.0.0.1', tls: serving, clientCAPem: pki.caCertPem, runtime, nodeName: 'n1',
      pods: { find: (ns, name) => (ns === 'ns' && name === 'p' ? kp : undefined), list: () => [kp.pod!] },
    });
    echo = net.createServer((s) => s.pipe(s)).listen(0, '127.0.0.1');
    await new Promise((r) => echo.once('listening', r));
    echoPort = (echo.address() as net.AddressInfo).port;
  });

  after(async () => {
    await kubelet?.stop();
    echo?.close();
    await runtime?.close();
    await rm(dir, { recursive: true, force: true });
  });

  it('health is open; everything else needs a cluster client certificate', async () => {
    assert.deepEqual(await get('/healthz', false), { status: 200, body: 'ok' });
    const anon = await get('/pods', false);
    assert.equal(anon.status, 401);
    assert.equal(JSON.parse(anon.body).reason, 'Unauthorized');
  });

  it('/pods lists the pods as a PodList', async () => {
    const r = await get('/pods');
    assert.equal(r.status, 200);
    const list = JSON.parse(r.body);
    assert.equal(list.kind, 'PodList');
    assert.deepEqual(list.items.map((p: { metadata: { name: string } }) => p.metadata.name), ['p']);
  });

  it('/stats/summary has the node and the pod', async () => {
    const r = await get('/stats/summary');
    assert.equal(r.status, 200);
    const s = JSON.parse(r.body);
    assert.equal(s.node.nodeName, 'n1');
    assert.ok(s.node.memory.workingSetBytes > 0);
    assert.deepEqual(s.pods.map((p: { podRef: { name: string } }) => p.podRef.name), ['p']);
    assert.ok(s.pods[0].containers.some((c: { name: string }) => c.name === 'c'));
  });

  it('container logs: current, previous and upstream refusals', async () => {
    let cur: Reply = { status: 0, body: '' };
    for (let i = 0; i < 50 && !cur.body; i++) {
      cur = await get('/containerLogs/ns/p/c');
      if (!cur.body) await new Promise((r) => setTimeout(r, 50));
    }
    assert.deepEqual(cur, { status: 200, body: 'started\n' });
    assert.deepEqual(await get('/containerLogs/ns/p/c?previous=true'), { status: 200, body: 'from the previous run\n' });
    const waiting = await get('/containerLogs/ns/p/never');
    assert.equal(waiting.status, 400);
    assert.equal(JSON.parse(waiting.body).message, 'container "never" in pod "p" is waiting to start: PodInitializing');
    const noPrev = await get('/containerLogs/ns/p/never?previous=true');
    assert.equal(JSON.parse(noPrev.body).message, 'previous terminated container "never" in pod "p" not found');
    assert.equal((await get('/containerLogs/ns/p/zz')).status, 404);
    assert.equal((await get('/containerLogs/ns/nope/c')).status, 404);
    assert.equal((await get('/containerLogs/ns/p/c?tailLines=-2')).status, 422);
  });

  it('logs follow ends when the container exits', async () => {
    const start = Date.now();
    const r = await get('/containerLogs/ns/p/short?follow=true');
    assert.deepEqual(r, { status: 200, body: 'a\nb\n' });
    assert.ok(Date.now() - start >= 300, 'the response waited for the container');
  });

  it('exec over v5: output on 1 and 2, exit code in the Status on 3, then close 1000', async () => {
    const cmd = ['sh', '-c', 'echo out; echo err >&2; exit 7'].map((c) => `command=${encodeURIComponent(c)}`).join('&');
    const r = await converse(ws(`/exec/ns/p/c?${cmd}&output=1&error=1`, [V5]));
    assert.equal(r.protocol, V5);
    assert.equal(r.closeCode, 1000);
    assert.deepEqual(r.frames.filter((f) => f.ch === STDOUT).map((f) => f.data).join(''), 'out\n');
    assert.deepEqual(r.frames.filter((f) => f.ch === STDERR).map((f) => f.data).join(''), 'err\n');
    const last = r.frames.at(-1)!;
    assert.equal(last.ch, ERROR);
    assert.deepEqual(JSON.parse(last.data).details, { causes: [{ reason: 'ExitCode', message: '7' }] });
    assert.ok(!r.frames.some((f) => f.ch === CLOSE), 'the close signal is never sent to the client');
  });

  it('exec over v5: [255, 0] ends the process stdin', async () => {
    const r = await converse(ws('/exec/ns/p/c?command=cat&stdin=true&stdout=true', [V5]), (s) => {
      s.send(encodeFrame(STDIN, 'typed\n'));
      s.send(Buffer.from([CLOSE, STDIN]));
    });
    assert.equal(r.frames.filter((f) => f.ch === STDOUT).map((f) => f.data).join(''), 'typed\n');
    assert.deepEqual(JSON.parse(r.frames.at(-1)!.data), { metadata: {}, status: 'Success' });
  });

  it('exec over v4 (client-node) and a tty session', async () => {
    const r = await converse(ws('/exec/ns/p/c?command=echo&command=v4&stdout=true', ['v5.bogus', V4]));
    assert.equal(r.protocol, V4);
    assert.equal(r.frames.filter((f) => f.ch === STDOUT).map((f) => f.data).join(''), 'v4\n');
    const tty = await converse(ws('/exec/ns/p/c?command=sh&command=-c&command=tty%3B%20echo%20$TERM&stdout=true&stderr=true&tty=true', [V5]));
    const out = tty.frames.filter((f) => f.ch === STDOUT).map((f) => f.data).join('');
    assert.match(out, /\/dev\/pts\/\d+/);
    assert.ok(!tty.frames.some((f) => f.ch === STDERR), 'a tty merges stderr into stdout');
  });

  it('refused upgrades answer a Status, not 101', async () => {
    const sock = ws('/exec/ns/p/missing?command=true&stdout=true', [V5]);
    const status = await new Promise<number>((resolve) => sock.on('unexpected-response', (_req, res) => resolve(res.statusCode ?? 0)));
    assert.equal(status, 404);
    const noStreams = ws('/exec/ns/p/c?command=true', [V5]);
    assert.equal(await new Promise<number>((resolve) => noStreams.on('unexpected-response', (_q, res) => resolve(res.statusCode ?? 0))), 400);
  });

  it('channel port-forward (v4.channel.k8s.io): port prefixes, then data both ways', async () => {
    const sock = ws(`/portForward/ns/p?ports=${echoPort}`, [V4]);
    const got: Buffer[] = [];
    const echoed = new Promise<string>((resolve) => {
      sock.on('message', (m: Buffer) => {
        got.push(m);
        const data = got.filter((g) => g[0] === 0).slice(1).map((g) => g.subarray(1).toString()).join('');
        if (data === 'ping') resolve(data);
      });
    });
    await new Promise((r) => sock.once('open', r));
    assert.equal(sock.protocol, V4);
    sock.send(encodeFrame(0, 'ping'));
    assert.equal(await echoed, 'ping');
    // First message on data (0) and error (1) channels: the port, uint16 little-endian.
    const prefixes = got.filter((g) => g.length === 3 && (g[0] === 0 || g[0] === 1));
    assert.deepEqual(prefixes.map((g) => [g[0], g.readUInt16LE(1)]).slice(0, 2), [[0, echoPort], [1, echoPort]]);
    sock.close();
  });
});
