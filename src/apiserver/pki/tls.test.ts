// The generated material must be accepted by real TLS stacks: Node's (OpenSSL underneath) in a
// full mutual-TLS handshake, and the openssl CLI's chain and purpose checks when it is installed.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import https from 'node:https';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TLSSocket } from 'node:tls';
import { promisify } from 'node:util';
import { ensurePki, issueClientCert } from './ensure.js';
import type { Pki } from './ensure.js';

const run = promisify(execFile);

async function withPki(fn: (pki: Pki) => Promise<void>): Promise<void> {
  const dir = await mkdtemp(join(tmpdir(), 'skiff-tls-'));
  try {
    await fn(await ensurePki(dir, { hosts: [], ips: [] }));
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

interface Seen { authorized: boolean; cn?: string; o?: string | string[] }

// Dials 127.0.0.1; with `name` the client checks the serving cert for that DNS name (SNI),
// without it for the IP address.
async function handshake(pki: Pki, name: string | undefined, client: { cert?: string; key?: string }): Promise<Seen> {
  const server = https.createServer({
    cert: pki.serverCertPem, key: pki.serverKeyPem, ca: pki.caCertPem, requestCert: true, rejectUnauthorized: false,
  }, (req, res) => {
    const sock = req.socket as TLSSocket;
    const peer = sock.getPeerCertificate();
    res.end(JSON.stringify({ authorized: sock.authorized, cn: peer.subject?.CN, o: peer.subject?.O }));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  try {
    return await new Promise<Seen>((resolve, reject) => {
      const req = https.get({
        host: '127.0.0.1', port, path: '/', ca: pki.caCertPem, ...client, agent: false, ...(name ? { servername: name } : {}),
      }, (res) => {
        let body = '';
        res.on('data', (c: Buffer) => { body += c.toString(); });
        res.on('end', () => resolve(JSON.parse(body) as Seen));
      });
      req.on('error', reject);
    });
  } finally {
    server.close();
  }
}

void test('Node accepts the serving cert (by IP and by name) and the admin client cert', () => withPki(async (pki) => {
  const seen = await handshake(pki, undefined, { cert: pki.adminCertPem, key: pki.adminKeyPem });
  assert.deepEqual(seen, { authorized: true, cn: 'system:admin', o: 'system:masters' });
  for (const name of ['localhost', 'kubernetes.default.svc.cluster.local']) {
    // No client cert: the server sees an unauthorized peer, but the client accepted the server.
    assert.equal((await handshake(pki, name, {})).authorized, false);
  }
  await assert.rejects(handshake(pki, 'not-in-the-cert.example', {}), /ERR_TLS_CERT_ALTNAME_INVALID|altnames/);
}));

void test('a component cert with several groups passes the handshake with all of them', () => withPki(async (pki) => {
  const c = await issueClientCert(pki, 'system:node:n1', ['system:nodes', 'extra']);
  const seen = await handshake(pki, undefined, { cert: c.certPem, key: c.keyPem });
  assert.deepEqual(seen, { authorized: true, cn: 'system:node:n1', o: ['system:nodes', 'extra'] });
}));

void test('a client cert from another CA is seen but not authorized', () => withPki(async (pki) => {
  const dir = await mkdtemp(join(tmpdir(), 'skiff-tls-other-'));
  try {
    const other = await ensurePki(dir, { hosts: [], ips: [] });
    const seen = await handshake(pki, undefined, { cert: other.adminCertPem, key: other.adminKeyPem });
    assert.equal(seen.authorized, false);
    assert.equal(seen.cn, 'system:admin');
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}));

void test('openssl verifies the chain and the purposes', async (t) => {
  try {
    await run('openssl', ['version']);
  } catch {
    t.skip('openssl not installed');
    return;
  }
  await withPki(async (pki) => {
    const files = { ca: join(pki.dir, 'server-ca.crt'), srv: join(pki.dir, 'serving-kube-apiserver.crt'), adm: join(pki.dir, 'client-admin.crt') };
    await writeFile(files.ca, pki.caCertPem);
    const server = await run('openssl', ['verify', '-CAfile', files.ca, '-purpose', 'sslserver', '-verify_hostname', 'kubernetes.default.svc', files.srv]);
    assert.match(server.stdout, /: OK/);
    const ip = await run('openssl', ['verify', '-CAfile', files.ca, '-purpose', 'sslserver', '-verify_ip', '10.43.0.1', files.srv]);
    assert.match(ip.stdout, /: OK/);
    const client = await run('openssl', ['verify', '-CAfile', files.ca, '-purpose', 'sslclient', files.adm]);
    assert.match(client.stdout, /: OK/);
    // The admin cert must not pass as a serving cert: its EKU is clientAuth only.
    await assert.rejects(run('openssl', ['verify', '-CAfile', files.ca, '-purpose', 'sslserver', files.adm]));
  });
});
