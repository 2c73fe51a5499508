import { test } from 'node:test';
import assert from 'node:assert/strict';
import { once } from 'node:events';
import { createServer, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import type { Readable } from 'node:stream';
import { WebSocketServer, type WebSocket } from 'ws';
import { createCriStreams, exitCodeFromStatus, wsUrl } from './streaming.js';
import { BUSYBOX_INDEX_HTML, criTestSkip, requireCri, startCriTestEnv } from './testing/index.js';
import { miniCri } from './testing/minicri.js';

async function readAll(r: Readable | undefined): Promise<string> {
  if (!r) return '';
  const chunks: Buffer[] = [];
  for await (const c of r) chunks.push(c as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

const nonZero = (code: string) => JSON.stringify({
  metadata: {}, status: 'Failure', message: `command terminated with non-zero exit code: exit code ${code}`,
  reason: 'NonZeroExitCode', details: { causes: [{ reason: 'ExitCode', message: code }] },
});

test('exitCodeFromStatus reads remotecommand v4 Status', () => {
  const cases: Array<[string, string, number | RegExp]> = [
    ['success', JSON.stringify({ metadata: {}, status: 'Success' }), 0],
    ['non-zero exit', nonZero('3'), 3],
    ['killed', nonZero('137'), 137],
    ['exec failed', JSON.stringify({ status: 'Failure', reason: 'InternalError', message: 'executable file not found' }), /executable file not found/],
    ['plain text (v1..v3)', 'boom', /boom/],
  ];
  for (const [name, text, want] of cases) {
    if (typeof want === 'number') assert.equal(exitCodeFromStatus(text), want, name);
    else assert.throws(() => exitCodeFromStatus(text), want, name);
  }
});

test('wsUrl maps http to ws and refuses other schemes', () => {
  assert.equal(wsUrl('http://127.0.0.1:39361/exec/TOKEN'), 'ws://127.0.0.1:39361/exec/TOKEN');
  assert.equal(wsUrl('https://h:1/attach/x'), 'wss://h:1/attach/x');
  assert.throws(() => wsUrl('ftp://h/x'), /unsupported scheme/);
});

/** A fake streaming server: `handler` gets each accepted socket and its request. */
async function fakeServer(handler: (ws: WebSocket, req: IncomingMessage) => void): Promise<{ url: string; protocols: string[]; close(): Promise<void> }> {
  const protocols: string[] = [];
  const http = createServer((_req, res) => { res.writeHead(404).end('token not found'); });
  const wss = new WebSocketServer({ noServer: true, handleProtocols: (p) => { protocols.push(...p); return p.has('v4.channel.k8s.io') ? 'v4.channel.k8s.io' : false; } });
  http.on('upgrade', (req, sock, head) => {
    if (req.url?.startsWith('/gone')) {
      sock.end('HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\n\r\n');
      return;
    }
    wss.handleUpgrade(req, sock, head, (ws) => handler(ws, req));
  });
  http.listen(0, '127.0.0.1');
  await once(http, 'listening');
  const port = (http.address() as AddressInfo).port;
  return {
    url: `http://127.0.0.1:${port}`,
    protocols,
    close: async () => {
      for (const c of wss.clients) c.terminate();
      wss.close();
      http.closeAllConnections();
      await new Promise<void>((r) => http.close(() => r()));
    },
  };
}

test('exec over WebSocket v4: channels, stdin, resize, exit status (fake server)', async () => {
  const seen: Buffer[] = [];
  const srv = await fakeServer((ws) => {
    ws.send(Buffer.from([1])); // "ready" frame on the lowest writable channel
    ws.on('message', (raw: Buffer) => {
      seen.push(raw);
      if (raw[0] === 0) {
        ws.send(Buffer.concat([Buffer.from([1]), Buffer.from('out:'), raw.subarray(1)]));
        ws.send(Buffer.concat([Buffer.from([2]), Buffer.from('err\n')]));
        ws.send(Buffer.concat([Buffer.from([3]), Buffer.from(nonZero('3'))]));
        ws.close(1000);
      }
    });
  });
  try {
    const s = await createCriStreams({ transport: 'websocket' }).exec(`${srv.url}/exec/T1`, { cmd: ['x'], stdin: true, tty: false });
    assert.deepEqual(srv.protocols, ['v4.channel.k8s.io']);
    s.resize({ width: 80, height: 24 }); // no tty: nothing sent
    s.stdin!.write('hi\n');
    const [out, err, code] = await Promise.all([readAll(s.stdout), readAll(s.stderr), s.exitCode]);
    assert.equal(out, 'out:hi\n');
    assert.equal(err, 'err\n');
    assert.equal(code, 3);
    assert.deepEqual(seen.map((b) => b[0]), [0]);
  } finally {
    await srv.close();
  }
});

test('exec with tty: no stderr stream, resize goes to channel 4', async () => {
  const frames: Buffer[] = [];
  const srv = await fakeServer((ws) => {
    ws.on('message', (raw: Buffer) => {
      frames.push(raw);
      ws.send(Buffer.concat([Buffer.from([3]), Buffer.from(JSON.stringify({ metadata: {}, status: 'Success' }))]));
      ws.close(1000);
    });
  });
  try {
    const s = await createCriStreams({ transport: 'websocket' }).exec(`${srv.url}/exec/T2`, { cmd: ['sh'], tty: true, stdin: true });
    assert.equal(s.stderr, undefined);
    s.resize({ width: 120, height: 40 });
    assert.equal(await s.exitCode, 0);
    assert.equal(frames[0]![0], 4);
    assert.deepEqual(JSON.parse(frames[0]!.subarray(1).toString()), { Width: 120, Height: 40 });
  } finally {
    await srv.close();
  }
});

test('a used token (404) rejects; a session closed by us resolves -1', async () => {
  const srv = await fakeServer(() => undefined);
  try {
    await assert.rejects(createCriStreams().exec(`${srv.url}/gone/T`, { cmd: ['x'] }), (e: Error & { reason?: string }) => e.reason === 'NotFound');
    const s = await createCriStreams().attach(`${srv.url}/attach/T3`, { stdout: true });
    s.close();
    assert.equal(await s.exitCode, -1);
  } finally {
    await srv.close();
  }
});

test('port-forward strips the port prefix of each channel and sends ?port=', async () => {
  let query = '';
  const srv = await fakeServer((ws, req) => {
    query = req.url ?? '';
    const port = Buffer.alloc(2);
    port.writeUInt16LE(8080);
    ws.send(Buffer.concat([Buffer.from([0]), port]));
    ws.send(Buffer.concat([Buffer.from([1]), port]));
    ws.on('message', (raw: Buffer) => {
      ws.send(Buffer.concat([Buffer.from([0]), Buffer.from('echo:'), raw.subarray(1)]));
      ws.close(1000);
    });
  });
  try {
    const d = await createCriStreams({ transport: 'websocket' }).portForward(`${srv.url}/portforward/T4`, 8080);
    d.write('ping');
    assert.equal(await readAll(d), 'echo:ping');
    assert.match(query, /^\/portforward\/T4\?port=8080$/);
  } finally {
    await srv.close();
  }
});

test('port-forward error channel destroys the stream with its message', async () => {
  const srv = await fakeServer((ws) => {
    const port = Buffer.alloc(2);
    port.writeUInt16LE(81);
    ws.send(Buffer.concat([Buffer.from([1]), port, Buffer.from('error forwarding port 81: connection refused')]));
    ws.close(1000);
  });
  try {
    const d = await createCriStreams({ transport: 'websocket' }).portForward(`${srv.url}/portforward/T5`, 81);
    await assert.rejects(readAll(d), /connection refused/);
  } finally {
    await srv.close();
  }
});

test('exec, attach and port-forward against a real containerd', { skip: criTestSkip(), timeout: 120_000 }, async (t) => {
  requireCri();
  const env = await startCriTestEnv();
  const dir = env.dir;
  const cri = miniCri(env.containerd.endpoint);
  t.diagnostic(`harness timings ms: ${JSON.stringify(env.timings)}`);
  try {
    await cri.call('PullImage', { image: { image: env.busyboxRef } });
    const uid = 'u' + env.id;
    const sandboxConfig = {
      metadata: { name: 'web', uid, namespace: 'default', attempt: 0 },
      hostname: 'web',
      log_directory: join(dir, 'pods', uid),
      linux: { cgroup_parent: `${env.cgroupParent}/pod${uid}` },
    };
    const { pod_sandbox_id: sid } = await cri.call('RunPodSandbox', { config: sandboxConfig });
    const { container_id: cid } = await cri.call('CreateContainer', {
      pod_sandbox_id: sid, sandbox_config: sandboxConfig,
      config: {
        metadata: { name: 'httpd', attempt: 0 }, image: { image: env.busyboxRef }, log_path: 'httpd/0.log',
        // pid CONTAINER (1): otherwise the proto3 default POD shares the sandbox's (runtime-spike P4).
        linux: { security_context: { namespace_options: { pid: 1 } } },
      },
    });
    await cri.call('StartContainer', { container_id: cid });
    const streams = createCriStreams();
    const execUrl = async (cmd: string[], o: { stdin?: boolean; tty?: boolean } = {}): Promise<string> =>
      (await cri.call('Exec', { container_id: cid, cmd, stdin: !!o.stdin, tty: !!o.tty, stdout: true, stderr: !o.tty })).url as string;

    await t.test('exec with stdin (SPDY): the end of stdin reaches the process', async () => {
      const s = await streams.exec(await execUrl(['sh', '-c', 'cat; echo oops >&2; exit 3'], { stdin: true }), { cmd: [], stdin: true });
      s.stdin!.end('from-node\n');
      const [out, err, code] = await Promise.all([readAll(s.stdout), readAll(s.stderr), s.exitCode]);
      assert.equal(out, 'from-node\n');
      assert.equal(err, 'oops\n');
      assert.equal(code, 3);
    });

    await t.test('2 MiB of output over SPDY arrive whole (no flow-control stall)', async () => {
      const s = await streams.exec(await execUrl(['sh', '-c', 'cat >/dev/null; head -c 2097152 /dev/zero | tr "\\0" a'], { stdin: true }), { cmd: [], stdin: true });
      s.stdin!.end();
      let n = 0;
      let bad = 0;
      for await (const c of s.stdout!) {
        n += (c as Buffer).length;
        for (const b of c as Buffer) if (b !== 0x61) bad++;
        // a slow reader: let the socket pause and resume
        if (n % 65536 < 4096) await sleep(1);
      }
      assert.equal(await s.exitCode, 0);
      assert.deepEqual([n, bad], [2097152, 0]);
    });

    await t.test('exec without stdin (WebSocket); the URL token is single-use', async () => {
      const url = await execUrl(['sh', '-c', 'hostname; echo oops >&2; exit 4']);
      const s = await streams.exec(url, { cmd: [] });
      const [out, err, code] = await Promise.all([readAll(s.stdout), readAll(s.stderr), s.exitCode]);
      assert.deepEqual([out, err, code], ['web\n', 'oops\n', 4]);
      await assert.rejects(streams.exec(url, { cmd: [] }), /404/);
      await assert.rejects(createCriStreams({ transport: 'spdy' }).exec(url, { cmd: [] }), /404/);
    });

    await t.test('exec of a missing command rejects exitCode with the runtime\'s message', async () => {
      for (const transport of ['websocket', 'spdy'] as const) {
        const s = await createCriStreams({ transport }).exec(await execUrl(['no-such-command-skiff']), { cmd: [] });
        await assert.rejects(s.exitCode, /no-such-command-skiff.*not found|executable file not found/, transport);
      }
    });

    await t.test('exec with stdin over WebSocket (no end of stdin needed)', async () => {
      const s = await createCriStreams({ transport: 'websocket' }).exec(await execUrl(['sh', '-c', 'read l; echo "got:$l"; exit 0'], { stdin: true }), { cmd: [], stdin: true });
      s.stdin!.write('ws\n');
      const [out, code] = await Promise.all([readAll(s.stdout), s.exitCode]);
      assert.deepEqual([out, code], ['got:ws\n', 0]);
    });

    await t.test('tty exec over SPDY: resize reaches the terminal', async () => {
      const s = await streams.exec(await execUrl(['sh', '-c', 'read l; stty size; exit 5'], { stdin: true, tty: true }), { cmd: [], stdin: true, tty: true });
      assert.equal(s.stderr, undefined);
      s.resize({ width: 120, height: 40 });
      await sleep(200);
      s.stdin!.write('go\r');
      const [out, code] = await Promise.all([readAll(s.stdout), s.exitCode]);
      assert.match(out, /40 120/);
      assert.equal(code, 5);
    });

    for (const transport of ['websocket', 'spdy'] as const) {
      await t.test(`port-forward to httpd on 8080 (${transport})`, async () => {
        const pf = await cri.call('PortForward', { pod_sandbox_id: sid, port: [8080] });
        const d = await createCriStreams({ transport }).portForward(pf.url, 8080);
        d.write('GET / HTTP/1.0\r\nHost: x\r\n\r\n');
        const resp = await readAll(d);
        assert.match(resp, /^HTTP\/1\.[01] 200 OK/);
        assert.ok(resp.endsWith(BUSYBOX_INDEX_HTML), resp);
      });
    }

    await t.test('port-forward over SPDY: ending our side ends the forward', async () => {
      // An echo server on 9090. containerd 1.6 does not half-close the pod-side connection on our
      // FIN: it stops copying in that direction and closes everything about 1 s later.
      const bg = await cri.call('ExecSync', { container_id: cid, timeout: '10', cmd: ['sh', '-c', 'nc -ll -p 9090 -e cat </dev/null >/dev/null 2>&1 & sleep 0.2'] });
      assert.equal(bg.exit_code, 0, String(bg.stderr));
      const pf = await cri.call('PortForward', { pod_sandbox_id: sid, port: [9090] });
      const d = await streams.portForward(pf.url, 9090);
      d.write('ping\n');
      const first = await new Promise<string>((resolve) => d.once('data', (c: Buffer) => resolve(String(c))));
      assert.equal(first, 'ping\n');
      const t0 = performance.now();
      d.end();
      assert.equal(await readAll(d), '');
      assert.ok(performance.now() - t0 < 5000);
    });

    await t.test('port-forward to a closed port fails with the runtime\'s message', async () => {
      const pf = await cri.call('PortForward', { pod_sandbox_id: sid, port: [9] });
      const d = await streams.portForward(pf.url, 9);
      d.write('x');
      await assert.rejects(readAll(d), /connection refused/);
    });

    await t.test('attach to a ticking container; detaching resolves -1', async () => {
      const { container_id: tick } = await cri.call('CreateContainer', {
        pod_sandbox_id: sid, sandbox_config: sandboxConfig,
        config: {
          metadata: { name: 'tick', attempt: 0 }, image: { image: env.busyboxRef }, log_path: 'tick/0.log',
          command: ['sh', '-c', 'i=0; while true; do echo "tick $i"; i=$((i+1)); sleep 0.1; done'],
          linux: { security_context: { namespace_options: { pid: 1 } } },
        },
      });
      await cri.call('StartContainer', { container_id: tick });
      const { url } = await cri.call('Attach', { container_id: tick, stdout: true, stderr: true });
      const s = await streams.attach(url, { stdout: true, stderr: true });
      let seen = '';
      for await (const c of s.stdout!) {
        seen += String(c);
        if (/tick \d+\n/.test(seen)) break;
      }
      assert.match(seen, /tick \d+/);
      s.close();
      assert.equal(await s.exitCode, -1);
    });

    await cri.call('StopPodSandbox', { pod_sandbox_id: sid });
    await cri.call('RemovePodSandbox', { pod_sandbox_id: sid });
  } finally {
    cri.close();
    await env.stop();
  }
});
