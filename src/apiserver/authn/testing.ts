// Test support (not part of the public surface): a real HTTPS server on 127.0.0.1:0 configured as
// the API server will be (client certs requested but optional, trusted against the cluster CA)
// that answers each request with what an authenticator made of it, and a client to call it.
import { mkdtemp, rm } from 'node:fs/promises';
import type { ServerResponse } from 'node:http';
import https from 'node:https';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ensurePki } from '../pki/index.js';
import type { Pki } from '../pki/index.js';
import { statusFromError } from '../../util/errors.js';
import type { Authenticator } from './types.js';
import { authenticateRequest } from './anonymous.js';

export interface Reply {
  code: number;
  body: Record<string, unknown>;
}

export interface CallOptions {
  path?: string;
  cert?: string;
  key?: string;
  headers?: Record<string, string>;
}

export interface AuthTestServer {
  pki: Pki;
  /** https://127.0.0.1:<port> */
  url: string;
  call(opts?: CallOptions): Promise<Reply>;
}

/** Runs `fn` against a fresh PKI and an HTTPS server authenticating with make(pki); cleans up after. */
export async function withAuthServer(
  make: (pki: Pki) => Authenticator, fn: (s: AuthTestServer) => Promise<void>,
): Promise<void> {
  const dir = await mkdtemp(join(tmpdir(), 'skiff-authn-'));
  const pki = await ensurePki(dir, { hosts: [], ips: [] });
  const authn = make(pki);
  const server = https.createServer({
    cert: pki.serverCertPem, key: pki.serverKeyPem, ca: pki.caCertPem, requestCert: true, rejectUnauthorized: false,
  }, (req, res) => {
    authenticateRequest(authn, req).then(
      (user) => send(res, 200, user),
      (err: unknown) => { const s = statusFromError(err); send(res, s.code, s); },
    );
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  const call = (opts: CallOptions = {}): Promise<Reply> => new Promise((resolve, reject) => {
    const req = https.request({
      host: '127.0.0.1', port, path: opts.path ?? '/api/v1/namespaces', method: 'GET', ca: pki.caCertPem,
      agent: false, headers: opts.headers ?? {}, ...(opts.cert ? { cert: opts.cert, key: opts.key } : {}),
    }, (res) => {
      let text = '';
      res.on('data', (c: Buffer) => { text += c.toString(); });
      res.on('end', () => resolve({ code: res.statusCode ?? 0, body: JSON.parse(text) as Record<string, unknown> }));
    });
    req.on('error', reject);
    req.end();
  });
  try {
    await fn({ pki, url: `https://127.0.0.1:${port}`, call });
  } finally {
    server.close();
    await rm(dir, { recursive: true, force: true });
  }
}

function send(res: ServerResponse, code: number, body: unknown): void {
  res.writeHead(code, { 'content-type': 'application/json' });
  res.end(JSON.stringify(body));
}
