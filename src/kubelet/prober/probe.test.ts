// Real probes against local servers: HTTP (status ranges, headers), TCP, gRPC health, exec.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import http2 from 'node:http2';
import net from 'node:net';
import type { AddressInfo } from 'node:net';
import { decodeStatus, encodeRequest } from './grpc.js';
import { runProbe } from './probe.js';

const noExec = { execSync: async () => ({ stdout: Buffer.from('out'), stderr: Buffer.from(''), exitCode: 3 }) };
const target = { runtime: noExec, containerId: 'c', container: { name: 'app', ports: [{ name: 'web', containerPort: 0 }] }, podIP: '127.0.0.1' };

test('http probe: 2xx/3xx succeed, others fail, headers sent, named ports', async () => {
  let seen: http.IncomingHttpHeaders = {};
  const srv = http.createServer((req, res) => {
    seen = req.headers;
    res.statusCode = req.url === '/bad' ? 500 : req.url === '/moved' ? 302 : 200;
    res.end('ok');
  });
  await new Promise<void>((r) => srv.listen(0, '127.0.0.1', r));
  const port = (srv.address() as AddressInfo).port;
  try {
    assert.equal((await runProbe({ httpGet: { path: '/', port, httpHeaders: [{ name: 'X-Probe', value: 'yes' }, { name: 'Host', value: 'example' }] } }, target)).result, 'success');
    assert.equal(seen['x-probe'], 'yes');
    assert.equal(seen.host, 'example');
    assert.match(String(seen['user-agent']), /^kube-probe\//);
    assert.equal((await runProbe({ httpGet: { path: '/moved', port } }, target)).result, 'success');
    assert.deepEqual(await runProbe({ httpGet: { path: '/bad', port } }, target), { result: 'failure', output: 'HTTP probe failed with statuscode: 500' });
    const named = { ...target, container: { name: 'app', ports: [{ name: 'web', containerPort: port }] } };
    assert.equal((await runProbe({ httpGet: { path: '/', port: 'web' } }, named)).result, 'success');
  } finally {
    srv.close();
  }
  const refused = await runProbe({ httpGet: { path: '/', port } }, target);
  assert.equal(refused.result, 'failure');
  assert.match(refused.output, /connection refused/);
});

test('tcp probe', async () => {
  const srv = net.createServer((s) => s.end());
  await new Promise<void>((r) => srv.listen(0, '127.0.0.1', r));
  const port = (srv.address() as AddressInfo).port;
  assert.equal((await runProbe({ tcpSocket: { port } }, target)).result, 'success');
  srv.close();
  await new Promise((r) => setTimeout(r, 20));
  assert.deepEqual(await runProbe({ tcpSocket: { port } }, target), { result: 'failure', output: `dial tcp 127.0.0.1:${port}: connect: connection refused` });
});

test('exec probe: exit code decides, output kept', async () => {
  assert.deepEqual(await runProbe({ exec: { command: ['x'] } }, target), { result: 'failure', output: 'out' });
});

test('grpc health probe', async () => {
  let status = 1;
  let asked = '';
  const srv = http2.createServer();
  srv.on('stream', (stream) => {
    const chunks: Buffer[] = [];
    stream.on('data', (c: Buffer) => chunks.push(c));
    stream.on('end', () => {
      const req = Buffer.concat(chunks);
      asked = req.length > 7 ? req.subarray(7).toString() : '';
      stream.respond({ ':status': 200, 'content-type': 'application/grpc' }, { waitForTrailers: true });
      stream.on('wantTrailers', () => stream.sendTrailers({ 'grpc-status': '0' }));
      const msg = Buffer.from([0x08, status]);
      const frame = Buffer.alloc(5);
      frame.writeUInt32BE(msg.length, 1);
      stream.end(Buffer.concat([frame, msg]));
    });
  });
  await new Promise<void>((r) => srv.listen(0, '127.0.0.1', r));
  const port = (srv.address() as AddressInfo).port;
  try {
    assert.deepEqual(await runProbe({ grpc: { port, service: 'svc' } }, target), { result: 'success', output: '' });
    assert.equal(asked, 'svc');
    status = 2;
    assert.deepEqual(await runProbe({ grpc: { port } }, target), { result: 'failure', output: 'service unhealthy (responded with "NOT_SERVING")' });
  } finally {
    srv.close();
  }
  assert.equal(decodeStatus(Buffer.from([0x08, 0x01])), 1);
  assert.deepEqual([...encodeRequest('')], [0, 0, 0, 0, 0]);
});
