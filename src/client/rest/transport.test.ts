// Transport and watch decoding against a scripted local HTTP server.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { StatusError } from '../../util/errors.js';
import { refs } from '../refs.js';
import { RestClient } from './client.js';
import { errorFromResponse } from './errors.js';

type Handler = (req: http.IncomingMessage, res: http.ServerResponse) => void;

describe('transport', () => {
  let server: http.Server;
  let handler: Handler = () => undefined;
  let url = '';
  before(async () => {
    server = http.createServer((req, res) => handler(req, res));
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/prefix`;
  });
  after(() => new Promise<void>((r) => {
    server.closeAllConnections();
    server.close(() => r());
  }));

  test('sends user agent, bearer token, path prefix and query; decodes JSON', async () => {
    let seen: http.IncomingHttpHeaders = {};
    let path = '';
    handler = (req, res) => {
      seen = req.headers;
      path = req.url ?? '';
      res.writeHead(200, { 'content-type': 'application/json' }).end('{"metadata":{"name":"x"}}');
    };
    const c = new RestClient({ server: url, token: 'sekret', userAgent: 'kube-scheduler/v1.32 (linux/amd64)', qps: -1 });
    const got = await c.resource(refs.deployments).namespace('n s').get('x', { resourceVersion: '0' });
    assert.equal(got.metadata.name, 'x');
    assert.equal(seen['user-agent'], 'kube-scheduler/v1.32 (linux/amd64)');
    assert.equal(seen.authorization, 'Bearer sekret');
    assert.equal(path, '/prefix/apis/apps/v1/namespaces/n%20s/deployments/x?resourceVersion=0');
    c.close();
  });

  test('429 with Retry-After is retried; the Status of a final failure is kept', async () => {
    let calls = 0;
    handler = (_req, res) => {
      calls++;
      if (calls === 1) return void res.writeHead(429, { 'retry-after': '1' }).end('{"kind":"Status","apiVersion":"v1","status":"Failure","reason":"TooManyRequests","code":429}');
      res.writeHead(404).end(JSON.stringify({ kind: 'Status', apiVersion: 'v1', status: 'Failure', message: 'pods "p" not found', reason: 'NotFound', details: { name: 'p', kind: 'pods' }, code: 404 }));
    };
    const c = new RestClient({ server: url, qps: -1 });
    const t0 = Date.now();
    await assert.rejects(c.resource(refs.pods).namespace('n').get('p'), (e: unknown) => {
      assert.ok(e instanceof StatusError);
      assert.equal(e.reason, 'NotFound');
      assert.equal(e.message, 'pods "p" not found');
      assert.deepEqual(e.details, { name: 'p', kind: 'pods' });
      return true;
    });
    assert.equal(calls, 2);
    assert.ok(Date.now() - t0 >= 900, 'waited for Retry-After');
    c.close();
  });

  test('watch: events split across chunks and inside multi-byte characters are decoded line by line', async () => {
    const lines = [
      { type: 'ADDED', object: { metadata: { name: 'é-1' } } },
      { type: 'BOOKMARK', object: { metadata: { resourceVersion: '9' } } },
      { type: 'DELETED', object: { metadata: { name: 'ü-2' } } },
    ].map((e) => JSON.stringify(e) + '\n').join('');
    const bytes = Buffer.from(lines);
    handler = (_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      let i = 0;
      const step = () => {
        if (i >= bytes.length) return void res.end();
        res.write(bytes.subarray(i, i + 7));
        i += 7;
        setImmediate(step);
      };
      step();
    };
    const c = new RestClient({ server: url, qps: -1 });
    const w = await c.resource(refs.pods).watch({ allowWatchBookmarks: true });
    const got: string[] = [];
    for await (const ev of w) got.push(`${ev.type} ${ev.type === 'ERROR' ? '' : ev.object.metadata.name ?? ev.object.metadata.resourceVersion}`);
    assert.deepEqual(got, ['ADDED é-1', 'BOOKMARK 9', 'DELETED ü-2']);
    c.close();
  });

  test('a watch cut mid-stream makes the iterator throw', async () => {
    handler = (_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.write('{"type":"ADDED","object":{"metadata":{"name":"a"}}}\n');
      setTimeout(() => res.socket?.destroy(), 20);
    };
    const c = new RestClient({ server: url, qps: -1 });
    const w = await c.resource(refs.pods).watch();
    const got: string[] = [];
    await assert.rejects((async () => {
      for await (const ev of w) got.push(ev.type);
    })(), /watch: connection/);
    assert.deepEqual(got, ['ADDED']);
    c.close();
  });
});

test('errorFromResponse: a body that is not a Status gets the reason of its code', () => {
  const e = errorFromResponse(503, 'upstream connect error', 'GET', '/api/v1/pods');
  assert.equal(e.reason, 'ServiceUnavailable');
  assert.equal(e.code, 503);
  assert.match(e.message, /503.*upstream connect error/);
  assert.equal(errorFromResponse(418, '', 'GET', '/').reason, 'BadRequest');
});
